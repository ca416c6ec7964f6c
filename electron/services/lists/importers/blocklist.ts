// The firm's internal blocklist: one name a line (with # or // comments), or a CSV with a "name" column.
import * as z from 'zod';
import { countryCode } from '../../../../core/screening/countries.ts';
import type { EntryType } from '../../../../core/screening/model.ts';
import { normaliseName, normalisedText } from '../../../../core/screening/normalise.ts';
import { readCsv } from '../csv.ts';
import { parseDateOfBirth } from '../dates.ts';
import { addCountry, addDate, addName, checkRecord, countBy, draftEntry, finishEntry } from '../importer.ts';
import type { EntryDraft, ImportOptions, ImportedList, Importer } from '../importer.ts';
import { reject } from '../rejection.ts';
import { decodeText } from '../source-files.ts';
import type { InputFile } from '../source-files.ts';

const NameText = z
  .string({ error: 'a name is required' })
  .trim()
  .min(1, 'a name is required')
  .max(300, 'a name is at most 300 characters')
  // eslint-disable-next-line no-control-regex
  .refine((text) => !/[\u0000-\u001f\u007f]/.test(text), 'control characters in a name');

const CsvRow = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'letters, digits, dot, dash, colon, underscore; at most 64')
    .optional(),
  name: NameText,
  type: z.enum(['person', 'company', 'vessel', 'aircraft', 'unknown']).optional(),
  aliases: z.string().optional(),
  date_of_birth: z.string().optional(),
  nationality: z.string().optional(),
  country: z.string().optional(),
  notes: z.string().optional(),
});

// A stable id from the name itself, so reordering the file does not look like a new list.
const idFromName = (name: string): string => {
  const folded = normalisedText(normaliseName(name, 'unknown')).replace(/ /g, '-');
  return (folded === '' ? 'name' : folded).slice(0, 64);
};

const readLines = (file: InputFile, options: ImportOptions, counts: Record<string, number>): EntryDraft[] => {
  const drafts = new Map<string, EntryDraft>();
  decodeText(file)
    .split(/\r?\n/)
    .forEach((raw, index) => {
      const text = raw.trim();
      if (text === '' || text.startsWith('#') || text.startsWith('//')) return;
      const name = checkRecord(NameText, text, file.name, index + 1);
      const id = idFromName(name);
      if (drafts.has(id)) {
        countBy(counts, 'duplicates');
        return;
      }
      const draft = draftEntry(id, options.kind ?? 'blocklist', 'unknown');
      addName(draft, name, 'primary');
      drafts.set(id, draft);
    });
  return [...drafts.values()];
};

const readTable = (file: InputFile, options: ImportOptions): EntryDraft[] => {
  const records = readCsv(file.name, decodeText(file));
  const header = records[0];
  if (header === undefined) return [];
  const columns = header.fields.map((field) =>
    field.value
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_'),
  );
  if (!columns.includes('name')) return reject(file.name, header.line, 'the header needs a "name" column');
  const drafts = new Map<string, EntryDraft>();
  for (const record of records.slice(1)) {
    if (record.fields.length !== columns.length) {
      reject(file.name, record.line, `expected ${columns.length} fields, found ${record.fields.length}`);
    }
    const raw: Record<string, string> = {};
    columns.forEach((column, i) => {
      const value = record.fields[i]!.value.trim();
      if (value !== '') raw[column === 'dob' ? 'date_of_birth' : column] = value;
    });
    const row = checkRecord(CsvRow, raw, file.name, record.line);
    const id = row.id ?? idFromName(row.name);
    if (drafts.has(id)) reject(file.name, record.line, `id ${id} appears twice`, 'id');
    const type: EntryType = row.type ?? 'unknown';
    const draft = draftEntry(id, options.kind ?? 'blocklist', type);
    addName(draft, row.name, 'primary');
    for (const alias of (row.aliases ?? '').split(/[;|]/)) addName(draft, alias, 'alias');
    if (row.date_of_birth !== undefined) {
      const date = parseDateOfBirth(row.date_of_birth);
      if (date === undefined)
        reject(file.name, record.line, 'not a date (YYYY, YYYY-MM-DD or "14 Jun 1975")', 'date_of_birth');
      addDate(draft, date);
    }
    addCountry(draft.nationalities, countryCode(row.nationality));
    addCountry(draft.countries, countryCode(row.country));
    if (row.notes !== undefined) draft.remarks = row.notes;
    drafts.set(id, draft);
  }
  return [...drafts.values()];
};

const read = (files: readonly InputFile[], options: ImportOptions): ImportedList => {
  const counts: Record<string, number> = { entries: 0 };
  const seen = new Set<string>();
  const entries = files.flatMap((file) => {
    const drafts = file.name.toLowerCase().endsWith('.csv')
      ? readTable(file, options)
      : readLines(file, options, counts);
    return drafts
      .filter((draft) => {
        if (seen.has(draft.id)) {
          countBy(counts, 'duplicates');
          return false;
        }
        seen.add(draft.id);
        countBy(counts, 'entries');
        return true;
      })
      .map(finishEntry);
  });
  return { listId: 'internal-blocklist', publishedAt: null, entries, counts };
};

export const blocklist: Importer = {
  describe:
    'internal blocklist: one name a line, or CSV with name[,id,type,aliases,date_of_birth,nationality,country,notes]',
  read,
};
