// The US Consolidated Screening List (trade.gov) CSV: eleven export-control and sanctions lists in one file.
import * as z from 'zod';
import { countryCode } from '../../../../core/screening/countries.ts';
import type { EntryType } from '../../../../core/screening/model.ts';
import { readCsv } from '../csv.ts';
import { parseDateOfBirth } from '../dates.ts';
import { addCountry, addDate, addName, checkRecord, countBy, draftEntry, finishEntry } from '../importer.ts';
import type { EntryDraft, ImportedList, Importer } from '../importer.ts';
import { reject } from '../rejection.ts';
import { decodeText } from '../source-files.ts';
import type { InputFile } from '../source-files.ts';

const REQUIRED = ['source', 'entity_number', 'type', 'name', 'alt_names', 'dates_of_birth', 'nationalities'];

const Row = z.object({
  source: z.string({ error: 'source is required' }).min(1),
  name: z.string({ error: 'name is required' }).min(1),
  entity_number: z.string().regex(/^\d+$/, 'entity_number must be a whole number').optional(),
  type: z
    .enum(['Individual', 'Entity', 'Vessel', 'Aircraft'], {
      error: 'type must be Individual, Entity, Vessel or Aircraft',
    })
    .optional(),
});

const TYPES: Readonly<Record<string, EntryType>> = {
  Individual: 'person',
  Entity: 'company',
  Vessel: 'vessel',
  Aircraft: 'aircraft',
};

const acronym = (source: string): string => {
  const match = /\(([A-Z-]+)\)/.exec(source);
  return (match?.[1] ?? source.replace(/[^A-Za-z]/g, '').slice(0, 8)).toLowerCase();
};

const read = (files: readonly InputFile[]): ImportedList => {
  if (files.length !== 1)
    return reject(files[1]?.name ?? '(none)', undefined, 'give one Consolidated Screening List CSV');
  const file = files[0]!;
  const records = readCsv(file.name, decodeText(file));
  const header = records[0];
  if (header === undefined) return reject(file.name, 1, 'empty file');
  const columns = header.fields.map((field) => field.value.trim());
  for (const column of REQUIRED) {
    if (!columns.includes(column)) reject(file.name, header.line, `the header lacks the "${column}" column`);
  }
  const counts: Record<string, number> = { entries: 0, aliases: 0 };
  const drafts = new Map<string, EntryDraft>();
  for (const record of records.slice(1)) {
    if (record.fields.length !== columns.length) {
      reject(file.name, record.line, `expected ${columns.length} fields, found ${record.fields.length}`);
    }
    const raw: Record<string, string> = {};
    columns.forEach((column, i) => {
      const value = record.fields[i]!.value.trim();
      if (value !== '') raw[column] = value;
    });
    const row = checkRecord(Row, raw, file.name, record.line);
    const id = `${acronym(row.source)}-${row.entity_number ?? String(record.line)}`;
    if (drafts.has(id)) reject(file.name, record.line, `entry ${id} appears twice`, 'entity_number');
    const draft = draftEntry(id, 'sanctions', row.type === undefined ? 'unknown' : TYPES[row.type]!);
    addName(draft, row.name, 'primary');
    for (const alias of (raw.alt_names ?? '').split(';')) {
      addName(draft, alias, 'alias');
      if (alias.trim() !== '') countBy(counts, 'aliases');
    }
    for (const date of (raw.dates_of_birth ?? '').split(';')) addDate(draft, parseDateOfBirth(date));
    for (const code of [...(raw.nationalities ?? '').split(/[;,]/), ...(raw.citizenships ?? '').split(/[;,]/)]) {
      addCountry(draft.nationalities, countryCode(code));
    }
    for (const address of (raw.addresses ?? '').split(';'))
      addCountry(draft.countries, countryCode(address.split(',').pop()));
    if (raw.programs !== undefined)
      draft.programs.push(
        ...raw.programs
          .split(';')
          .map((p) => p.trim())
          .filter(Boolean),
      );
    drafts.set(id, draft);
    countBy(counts, 'entries');
  }
  return { listId: 'us-csl', publishedAt: null, entries: [...drafts.values()].map(finishEntry), counts };
};

export const cslCsv: Importer = { describe: 'US Consolidated Screening List CSV (trade.gov)', read };
