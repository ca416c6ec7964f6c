// OFAC SDN legacy CSV set: sdn.csv (entries), alt.csv (aliases), add.csv (addresses), sdn_comments.csv (remarks overflow).
import * as z from 'zod';
import { countryCode, countryCodes } from '../../../../core/screening/countries.ts';
import type { EntryType } from '../../../../core/screening/model.ts';
import { readCsv, ofacValue } from '../csv.ts';
import type { CsvRecord } from '../csv.ts';
import { parseDateOfBirth } from '../dates.ts';
import { addCountry, addDate, addName, checkRecord, countBy, draftEntry, fileNamed, finishEntry } from '../importer.ts';
import type { EntryDraft, ImportedList, Importer } from '../importer.ts';
import { reject } from '../rejection.ts';
import { decodeText } from '../source-files.ts';
import type { InputFile } from '../source-files.ts';

const EntNum = z.string().regex(/^\d+$/, 'ent_num must be a whole number');

const SdnRow = z.object({
  ent_num: EntNum,
  SDN_Name: z.string({ error: 'SDN_Name is required' }).min(1),
  SDN_Type: z.enum(['individual', 'vessel', 'aircraft']).optional(),
  Program: z.string().optional(),
  Title: z.string().optional(),
  Remarks: z.string().optional(),
});
const AltRow = z.object({
  ent_num: EntNum,
  alt_num: EntNum,
  alt_type: z.enum(['aka', 'fka', 'nka'], { error: 'alt_type must be aka, fka or nka' }),
  alt_name: z.string({ error: 'alt_name is required' }).min(1),
});
const AddRow = z.object({ ent_num: EntNum, add_num: EntNum, country: z.string().optional() });
const CommentRow = z.object({ ent_num: EntNum, remarks: z.string().optional() });

const SDN_COLUMNS = [
  'ent_num',
  'SDN_Name',
  'SDN_Type',
  'Program',
  'Title',
  'Call_Sign',
  'Vess_type',
  'Tonnage',
  'GRT',
  'Vess_flag',
  'Vess_owner',
  'Remarks',
];
const ALT_COLUMNS = ['ent_num', 'alt_num', 'alt_type', 'alt_name', 'alt_remarks'];
const ADD_COLUMNS = ['ent_num', 'add_num', 'address', 'city_state_postal', 'country', 'add_remarks'];
const COMMENT_COLUMNS = ['ent_num', 'remarks'];

/**
 * Checks the shape OFAC's specification gives the legacy CSV: a fixed field count, nulls as -0-, and every text
 * value in double quotes. A row that breaks it is a broken file, not a row to skip.
 */
const recordsOf = (
  file: InputFile,
  columns: readonly string[],
): { line: number; row: Record<string, string | undefined> }[] =>
  readCsv(file.name, decodeText(file)).map((record: CsvRecord) => {
    if (record.fields.length !== columns.length) {
      return reject(file.name, record.line, `expected ${columns.length} fields, found ${record.fields.length}`);
    }
    const row: Record<string, string | undefined> = {};
    record.fields.forEach((field, i) => {
      const value = ofacValue(field);
      if (value !== undefined && !field.quoted && !/^[\d.]+$/.test(value)) {
        reject(file.name, record.line, `text value ${JSON.stringify(value)} is not quoted`, columns[i]);
      }
      row[columns[i]!] = value;
    });
    return { line: record.line, row };
  });

const TYPES: Readonly<Record<string, EntryType>> = { individual: 'person', vessel: 'vessel', aircraft: 'aircraft' };

/** What the Remarks field says about identity: dates of birth, nationality, citizenship, weak aliases. */
const applyRemarks = (draft: EntryDraft, remarks: string, counts: Record<string, number>): void => {
  for (const clause of remarks.split(';')) {
    const text = clause.trim().replace(/\.$/, '');
    const dob = /^(?:alt\. )?DOB (.+)$/.exec(text);
    if (dob !== null) {
      addDate(draft, parseDateOfBirth(dob[1]!));
      continue;
    }
    const nationality = /^(?:alt\. )?(nationality|citizen) (.+)$/.exec(text);
    if (nationality !== null) {
      addCountry(draft.nationalities, countryCode(nationality[2]));
      continue;
    }
    // OFAC keeps weak aliases out of alt.csv: they only appear here, as a.k.a. 'NAME'.
    const weak = /^(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.) '(.+)'$/.exec(text);
    if (weak !== null) {
      addName(draft, weak[1], 'alias', true);
      countBy(counts, 'weakAliases');
    }
  }
};

const read = (files: readonly InputFile[]): ImportedList => {
  const sdnFile = fileNamed(files, 'sdn.csv');
  if (sdnFile === undefined) return reject(files[0]?.name ?? 'sdn.csv', undefined, 'the OFAC SDN set needs sdn.csv');
  const known = new Set(['sdn.csv', 'alt.csv', 'add.csv', 'sdn_comments.csv']);
  for (const file of files) {
    if (!known.has(file.name.toLowerCase())) {
      reject(file.name, undefined, 'not part of the OFAC SDN CSV set (sdn.csv, alt.csv, add.csv, sdn_comments.csv)');
    }
  }
  const counts: Record<string, number> = { entries: 0, aliases: 0, weakAliases: 0, addresses: 0, comments: 0 };
  const drafts = new Map<string, EntryDraft>();
  const remarks = new Map<string, string>();

  for (const { line, row } of recordsOf(sdnFile, SDN_COLUMNS)) {
    const sdn = checkRecord(SdnRow, row, sdnFile.name, line);
    if (drafts.has(sdn.ent_num)) reject(sdnFile.name, line, `ent_num ${sdn.ent_num} appears twice`, 'ent_num');
    const draft = draftEntry(sdn.ent_num, 'sanctions', sdn.SDN_Type === undefined ? 'company' : TYPES[sdn.SDN_Type]!);
    addName(draft, sdn.SDN_Name, 'primary');
    draft.programs.push(
      ...(sdn.Program ?? '')
        .split(/\]\s*\[/)
        .map((program) => program.replace(/[[\]]/g, '').trim())
        .filter((program) => program !== ''),
    );
    drafts.set(sdn.ent_num, draft);
    remarks.set(sdn.ent_num, sdn.Remarks ?? '');
    countBy(counts, 'entries');
    countBy(counts, `type.${draft.type}`);
  }

  const commentsFile = fileNamed(files, 'sdn_comments.csv');
  if (commentsFile !== undefined) {
    for (const { line, row } of recordsOf(commentsFile, COMMENT_COLUMNS)) {
      const comment = checkRecord(CommentRow, row, commentsFile.name, line);
      // The comments file continues a Remarks field cut at its maximum length; OFAC ships some for delisted entries.
      if (!drafts.has(comment.ent_num)) {
        countBy(counts, 'commentsWithoutEntry');
        continue;
      }
      remarks.set(comment.ent_num, (remarks.get(comment.ent_num) ?? '') + (comment.remarks ?? ''));
      countBy(counts, 'comments');
    }
  }
  for (const [id, text] of remarks) {
    const draft = drafts.get(id)!;
    if (text !== '') draft.remarks = text;
    applyRemarks(draft, text, counts);
  }

  const altFile = fileNamed(files, 'alt.csv');
  if (altFile !== undefined) {
    for (const { line, row } of recordsOf(altFile, ALT_COLUMNS)) {
      const alt = checkRecord(AltRow, row, altFile.name, line);
      const draft = drafts.get(alt.ent_num);
      if (draft === undefined)
        return reject(altFile.name, line, `alias for ent_num ${alt.ent_num}, which sdn.csv lacks`);
      addName(draft, alt.alt_name, alt.alt_type === 'aka' ? 'alias' : 'former');
      countBy(counts, 'aliases');
    }
  }

  const addFile = fileNamed(files, 'add.csv');
  if (addFile !== undefined) {
    for (const { line, row } of recordsOf(addFile, ADD_COLUMNS)) {
      const address = checkRecord(AddRow, row, addFile.name, line);
      const draft = drafts.get(address.ent_num);
      if (draft === undefined) {
        return reject(addFile.name, line, `address for ent_num ${address.ent_num}, which sdn.csv lacks`);
      }
      for (const code of countryCodes([address.country])) addCountry(draft.countries, code);
      countBy(counts, 'addresses');
    }
  }

  return { listId: 'ofac-sdn', publishedAt: null, entries: [...drafts.values()].map(finishEntry), counts };
};

export const ofacSdnCsv: Importer = {
  describe: 'OFAC SDN legacy CSV (sdn.csv, alt.csv, add.csv, sdn_comments.csv)',
  read,
};
