// The UK Sanctions List (FCDO) CSV: one row per name of a designation, grouped by Unique ID; alias strength, scripts.
import * as z from 'zod';
import { countryCode } from '../../../../core/screening/countries.ts';
import type { EntryType, ListDate } from '../../../../core/screening/model.ts';
import { readCsv } from '../csv.ts';
import { isCalendarDay } from '../dates.ts';
import { addCountry, addDate, addName, checkRecord, countBy, draftEntry, finishEntry } from '../importer.ts';
import type { EntryDraft, ImportedList, Importer } from '../importer.ts';
import { reject } from '../rejection.ts';
import { decodeText } from '../source-files.ts';
import type { InputFile } from '../source-files.ts';

const REQUIRED = ['Unique ID', 'Name 6', 'Name type', 'Designation Type'];
const NAME_PARTS = ['Name 1', 'Name 2', 'Name 3', 'Name 4', 'Name 5', 'Name 6'];

// Designation Type → the entry's type, and the count it adds to.
const TYPES: Readonly<Record<string, { readonly type: EntryType; readonly count: string }>> = {
  individual: { type: 'person', count: 'individuals' },
  entity: { type: 'company', count: 'entities' },
  ship: { type: 'vessel', count: 'ships' },
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// dd/mm/yyyy, with "dd", "mm" or "00" where the day or month is not known.
const DATE_OF_BIRTH = /^(\d{2}|dd)\/(\d{2}|mm)\/(\d{4})$/i;

/** "dd/mm/1945" → 1945, "00/06/1975" → 1975-06, "14/06/1975" → 1975-06-14; undefined if it is not such a date. */
const dateOfBirth = (text: string): ListDate | undefined => {
  const match = DATE_OF_BIRTH.exec(text);
  if (match === null) return undefined;
  const [, dayText, monthText, year] = match as unknown as [string, string, string, string];
  const month = /^\d+$/.test(monthText) ? Number(monthText) : 0;
  const day = /^\d+$/.test(dayText) ? Number(dayText) : 0;
  if (month === 0) return { from: year, approximate: false };
  if (month > 12) return undefined;
  if (day === 0) return { from: `${year}-${monthText}`, approximate: false };
  return isCalendarDay(Number(year), month, day)
    ? { from: `${year}-${monthText}-${dayText}`, approximate: false }
    : undefined;
};

const Row = z.object({
  'Unique ID': z
    .string({ error: 'Unique ID is required' })
    .regex(/^[A-Za-z0-9]+$/, 'Unique ID must be letters and digits, such as RUS0001'),
  'Designation Type': z.enum(['individual', 'entity', 'ship'], {
    error: 'Designation Type must be Individual, Entity or Ship',
  }),
  'Name type': z.enum(['primary name', 'primary name variation', 'alias'], {
    error: 'Name type must be Primary name, Primary name variation or Alias',
  }),
  'Alias strength': z
    .string()
    .regex(/^(good|low) quality\b/i, 'Alias strength must be Good quality or Low quality, or blank')
    .optional(),
  'D.O.B': z
    .string()
    .refine((text) => dateOfBirth(text) !== undefined, 'D.O.B must be a day of the calendar as dd/mm/yyyy')
    .optional(),
});

/** "Report Date: 08-Oct-2026" (the file's first line) → 2026-10-08. */
const reportDate = (text: string): string | undefined => {
  const match = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text.trim());
  if (match === null) return undefined;
  const month = MONTHS.indexOf(match[2]!.toLowerCase()) + 1;
  if (month === 0 || !isCalendarDay(Number(match[3]), month, Number(match[1]))) return undefined;
  return `${match[3]}-${String(month).padStart(2, '0')}-${match[1]!.padStart(2, '0')}`;
};

type NameRow = { readonly value: string; readonly nameType: string; readonly weak: boolean };
type Designation = {
  readonly draft: EntryDraft;
  readonly designationType: string;
  readonly line: number;
  readonly names: NameRow[];
};

const read = (files: readonly InputFile[]): ImportedList => {
  if (files.length !== 1) return reject(files[1]?.name ?? '(none)', undefined, 'give one UK Sanctions List CSV');
  const file = files[0]!;
  const records = readCsv(file.name, decodeText(file));
  // The FCDO file opens with "Report Date: dd-Mon-yyyy" on a line of its own, then the header.
  let publishedAt: string | null = null;
  let rest = records;
  const first = records[0];
  const report = /^Report Date:\s*(.*)$/i.exec(first?.fields[0]?.value.trim() ?? '');
  if (first !== undefined && report !== null && first.fields.slice(1).every((field) => field.value.trim() === '')) {
    publishedAt = reportDate(report[1]!) ?? reject(file.name, first.line, 'must be dd-Mon-yyyy', 'Report Date');
    rest = records.slice(1);
  }
  const header = rest[0];
  if (header === undefined) return reject(file.name, 1, 'empty file');
  const columns = header.fields.map((field) => field.value.trim());
  for (const column of REQUIRED) {
    if (!columns.includes(column)) {
      reject(file.name, header.line, `the header lacks the "${column}" column: not a UK Sanctions List CSV`);
    }
  }

  const counts: Record<string, number> = {
    rows: 0,
    entries: 0,
    individuals: 0,
    entities: 0,
    ships: 0,
    aliases: 0,
    weakAliases: 0,
    originalScriptNames: 0,
  };
  const designations = new Map<string, Designation>();
  for (const record of rest.slice(1)) {
    if (record.fields.length !== columns.length) {
      reject(file.name, record.line, `expected ${columns.length} fields, found ${record.fields.length}`);
    }
    const raw: Record<string, string> = {};
    columns.forEach((column, i) => {
      const value = record.fields[i]!.value.replace(/\s+/g, ' ').trim();
      if (value !== '') raw[column] = value;
    });
    const row = checkRecord(
      Row,
      {
        ...raw,
        'Designation Type': raw['Designation Type']?.toLowerCase(),
        'Name type': raw['Name type']?.toLowerCase(),
      },
      file.name,
      record.line,
    );
    const id = row['Unique ID'];
    const designationType = row['Designation Type'];
    let designation = designations.get(id);
    if (designation === undefined) {
      const draft = draftEntry(id, 'sanctions', TYPES[designationType]!.type);
      designation = { draft, designationType, line: record.line, names: [] };
      designations.set(id, designation);
    } else if (designation.designationType !== designationType) {
      reject(
        file.name,
        record.line,
        `${id} is ${raw['Designation Type']} here but not on line ${designation.line}`,
        'Designation Type',
      );
    }
    const { draft, names } = designation;
    // Name 6 is the family name, or the whole name of an entity or ship; Name 1 to 5 come before it.
    const value = NAME_PARTS.map((part) => raw[part])
      .filter((part) => part !== undefined)
      .join(' ');
    if (value !== '') {
      names.push({ value, nameType: row['Name type'], weak: /^low/i.test(row['Alias strength'] ?? '') });
    }
    const original = raw['Name non-latin script'];
    if (original !== undefined) names.push({ value: original, nameType: 'non-latin', weak: false });
    if (row['D.O.B'] !== undefined) addDate(draft, dateOfBirth(row['D.O.B']));
    addCountry(draft.nationalities, countryCode(raw['Nationality(/ies)']));
    addCountry(draft.countries, countryCode(raw['Address Country']));
    addCountry(draft.countries, countryCode(raw['Country of birth']));
    const regime = raw['Regime Name'];
    if (regime !== undefined && !draft.programs.includes(regime)) draft.programs.push(regime);
    draft.remarks ??= raw['Other Information'];
    countBy(counts, 'rows');
  }

  const entries = [...designations.values()].map(({ draft, designationType, line, names }) => {
    // The primary name first (a designation may give several; the first leads), then the others in file order.
    const primary =
      names.find((name) => name.nameType === 'primary name') ?? names.find((name) => name.nameType !== 'non-latin');
    if (primary === undefined) return reject(file.name, line, `${draft.id} has no name`, 'Name 6');
    addName(draft, primary.value, 'primary');
    for (const name of names) {
      if (name.nameType === 'non-latin') addName(draft, name.value, 'original_script');
      else addName(draft, name.value, 'alias', name.weak);
    }
    // Counted once the rows are merged: a name repeats on every row of its designation's other details.
    for (const name of draft.names.slice(1)) {
      countBy(counts, name.role === 'original_script' ? 'originalScriptNames' : name.weak ? 'weakAliases' : 'aliases');
    }
    countBy(counts, 'entries');
    countBy(counts, TYPES[designationType]!.count);
    return finishEntry(draft);
  });
  return { listId: 'uk-sanctions', publishedAt, entries, counts };
};

export const ukSanctionsCsv: Importer = { describe: 'UK Sanctions List (FCDO), CSV with its header', read };
