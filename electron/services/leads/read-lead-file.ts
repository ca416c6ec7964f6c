// Reads leads from JSON Lines or CSV (docs/leads.md) and validates each record; errors name line and field.
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parseLeadRecord } from '../../../core/routing/lead.ts';
import type { Lead } from '../../../core/routing/lead.ts';
import { err, ok } from '../../../core/shared/result.ts';
import { firstDuplicateKey, hasDuplicateKey } from '../../../core/shared/json-duplicate-keys.ts';
import type { Result } from '../../../core/shared/result.ts';
import { readUtf8File } from '../files/read-utf8-file.ts';

export type LeadRecordProblem = {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly message: string;
};
export type LeadFileFormat = 'jsonl' | 'csv';
export type LocatedLead = { readonly line: number; readonly lead: Lead };

export const formatLeadProblem = (problem: LeadRecordProblem): string =>
  `${problem.file}${problem.line > 0 ? ` line ${problem.line}` : ''}${problem.field ? `, field ${problem.field}` : ''}: ${problem.message}`;

export const leadFileFormat = (file: string): LeadFileFormat | undefined => {
  const extension = extname(file).toLowerCase();
  return extension === '.jsonl' || extension === '.ndjson' ? 'jsonl' : extension === '.csv' ? 'csv' : undefined;
};

/** The leads of a file judged record by record: the good ones with their lines, and every problem found. */
export type LeadRecords = { readonly leads: LocatedLead[]; readonly problems: LeadRecordProblem[] };

export type LeadReadOptions = {
  /** CSV only: header names to rename to documented column names before the rows are read (decision 0099). */
  readonly columnMapping?: Readonly<Record<string, string>>;
};

/** Reads every record; returns all problems found (not just the first), and no leads at all if there is any. */
export const readLeadFile = async (
  file: string,
  format?: LeadFileFormat,
): Promise<Result<LocatedLead[], LeadRecordProblem[]>> => {
  const read = await readLeadFileRecords(file, format);
  return read.kind === 'unusable' ? err([read.problem]) : allOrNothing(read.records);
};

/**
 * Reads a lead file's records one by one (mode `valid` keeps the good ones). `unusable` is a file that cannot be read
 * at all (missing, unknown format); a file that is not UTF-8 is read and judged: one problem at its line.
 */
export const readLeadFileRecords = async (
  file: string,
  format?: LeadFileFormat,
  options: LeadReadOptions = {},
): Promise<
  | { readonly kind: 'read'; readonly records: LeadRecords }
  | { readonly kind: 'unusable'; readonly problem: LeadRecordProblem }
> => {
  const kind = format ?? leadFileFormat(file);
  if (kind === undefined)
    return {
      kind: 'unusable',
      problem: {
        file,
        line: 0,
        field: '',
        message: 'unknown lead file format: use .jsonl or .csv (or pass the format)',
      },
    };
  const text = await readUtf8File(file);
  if (!text.ok)
    return text.error.kind === 'unreadable'
      ? { kind: 'unusable', problem: { file, line: 0, field: '', message: `cannot read: ${text.error.message}` } }
      : {
          kind: 'read',
          records: { leads: [], problems: [{ file, line: text.error.line, field: '', message: text.error.message }] },
        };
  return { kind: 'read', records: readLeadRecords(text.value, file, kind, options) };
};

/** Every record of a lead text judged on its own. */
export const readLeadRecords = (
  text: string,
  file: string,
  format: LeadFileFormat,
  options: LeadReadOptions = {},
): LeadRecords => (format === 'jsonl' ? jsonLinesRecords(text, file) : csvRecords(text, file, options));

/** A file is good only if every record is: its leads, or every problem. */
export const allOrNothing = (records: LeadRecords): Result<LocatedLead[], LeadRecordProblem[]> =>
  records.problems.length > 0 ? err(records.problems) : ok(records.leads);

const validate = (
  raw: unknown,
  file: string,
  line: number,
  records: LeadRecords,
  fieldName: (field: string) => string = (field) => field,
): void => {
  const parsed = parseLeadRecord(raw);
  if (parsed.ok) records.leads.push({ line, lead: parsed.value });
  else
    for (const issue of parsed.error)
      records.problems.push({ file, line, field: fieldName(issue.path.map(String).join('.')), message: issue.message });
};

// A lead id appears once in a file: a later record with the same id is refused (the first one stands).
const finish = (records: LeadRecords, file: string): LeadRecords => {
  const seen = new Map<string, number>();
  const leads: LocatedLead[] = [];
  const problems = [...records.problems];
  for (const located of records.leads) {
    const first = seen.get(located.lead.id);
    if (first === undefined) {
      seen.set(located.lead.id, located.line);
      leads.push(located);
    } else
      problems.push({
        file,
        line: located.line,
        field: 'id',
        message: `duplicate lead id "${located.lead.id}" (first on line ${first})`,
      });
  }
  if (leads.length === 0 && problems.length === 0)
    problems.push({ file, line: 0, field: '', message: 'the file holds no leads' });
  return { leads, problems: problems.sort((a, b) => a.line - b.line) };
};

export const parseLeadJsonLines = (text: string, file: string): Result<LocatedLead[], LeadRecordProblem[]> =>
  allOrNothing(jsonLinesRecords(text, file));

const jsonLinesRecords = (text: string, file: string): LeadRecords => {
  const records: LeadRecords = { leads: [], problems: [] };
  // A byte order mark at the start is accepted, as it is in CSV (text read from a file has it dropped already).
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  body.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      records.problems.push({
        file,
        line,
        field: '',
        message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      });
      return;
    }
    const duplicate = hasDuplicateKey(raw, value) ? firstDuplicateKey(raw) : null;
    if (duplicate) {
      records.problems.push({
        file,
        line,
        field: [...duplicate.path, duplicate.key].join('.'),
        message: `"${duplicate.key}" is given twice in one object (which one is meant cannot be told)`,
      });
      return;
    }
    validate(value, file, line, records);
  });
  return finish(records, file);
};

const splitList = (cell: string | undefined): string[] | undefined =>
  cell === undefined || cell.trim() === ''
    ? undefined
    : cell
        .split(';')
        .map((item) => item.trim())
        .filter((item) => item !== '');

/** One CSV row as the lead record of docs/leads.md. Empty cells mean "not given". */
const csvRowToLeadInput = (
  row: ReadonlyMap<string, string>,
): { value: unknown; problem?: { field: string; message: string } } => {
  const cell = (name: string): string | undefined => {
    const value = row.get(name);
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const compact = <T extends Record<string, unknown>>(object: T): T | undefined =>
    Object.values(object).some((value) => value !== undefined) ? object : undefined;
  // A Map, not an object: a name such as __proto__ must reach the schema (which refuses it), not vanish on assignment.
  const attributes = new Map<string, string | number>();
  for (const pair of splitList(cell('attributes')) ?? []) {
    const [key, ...rest] = pair.split('=');
    const value = rest.join('=');
    if (!key || rest.length === 0)
      return { value: undefined, problem: { field: 'attributes', message: `"${pair}" is not key=value` } };
    if (attributes.has(key.trim()))
      return {
        value: undefined,
        problem: { field: 'attributes', message: `attribute "${key.trim()}" is given twice` },
      };
    attributes.set(key.trim(), /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : value.trim());
  }
  let screening: unknown;
  const screenedAt = cell('screened_at');
  if (screenedAt !== undefined) {
    const hitsCell = cell('screening_hits');
    try {
      screening = { screenedAt, hits: hitsCell === undefined ? [] : JSON.parse(hitsCell) };
    } catch {
      return {
        value: undefined,
        problem: { field: 'screening_hits', message: 'screening_hits is a JSON array of hits' },
      };
    }
  }
  const suitability = cell('suitability_assessed');
  const person = compact({
    fullName: cell('person_name'),
    dateOfBirth: cell('person_date_of_birth'),
    nationality: cell('person_nationality'),
  });
  const company = compact({
    name: cell('company_name'),
    registrationCountry: cell('company_registration_country'),
    registrationNumber: cell('company_registration_number'),
    industry: cell('company_industry'),
  });
  const address = compact({
    line1: cell('address_line1'),
    line2: cell('address_line2'),
    city: cell('address_city'),
    subdivision: cell('address_subdivision'),
    postalCode: cell('address_postal_code'),
    country: cell('address_country'),
  });
  const value = {
    id: cell('id'),
    person,
    company,
    address,
    targetMarket: cell('target_market'),
    kycPrescreenJurisdiction: cell('kyc_prescreen_jurisdiction'),
    bookingEntity: cell('booking_entity'),
    customerType: cell('customer_type'),
    netWorthBand: cell('net_worth_band'),
    kycStatus: cell('kyc_status'),
    amlDocumentation: cell('aml_documentation'),
    suitabilityAssessed:
      suitability === undefined ? undefined : ['true', 'yes', '1'].includes(suitability.toLowerCase()),
    attributes: Object.fromEntries(attributes),
    screening,
    productInterests: splitList(cell('products')) ?? [],
  };
  return { value: withoutUndefined(value) };
};

const CSV_FIELD_NAMES: Record<string, string> = {
  'person.fullName': 'person_name',
  'person.dateOfBirth': 'person_date_of_birth',
  'person.nationality': 'person_nationality',
  'company.name': 'company_name',
  'company.registrationCountry': 'company_registration_country',
  'company.registrationNumber': 'company_registration_number',
  'company.industry': 'company_industry',
  'address.line1': 'address_line1',
  'address.line2': 'address_line2',
  'address.city': 'address_city',
  'address.postalCode': 'address_postal_code',
  'address.country': 'address_country',
  'address.subdivision': 'address_subdivision',
  suitabilityAssessed: 'suitability_assessed',
  targetMarket: 'target_market',
  kycPrescreenJurisdiction: 'kyc_prescreen_jurisdiction',
  bookingEntity: 'booking_entity',
  customerType: 'customer_type',
  netWorthBand: 'net_worth_band',
  kycStatus: 'kyc_status',
  amlDocumentation: 'aml_documentation',
  productInterests: 'products',
};

// Drops the "not given" fields, as JSON would, keeping every own key (Object.fromEntries defines __proto__ as data).
const withoutUndefined = (value: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined));

export const parseLeadCsv = (text: string, file: string): Result<LocatedLead[], LeadRecordProblem[]> =>
  allOrNothing(csvRecords(text, file));

const csvRecords = (text: string, file: string, options: LeadReadOptions = {}): LeadRecords => {
  const records: LeadRecords = { leads: [], problems: [] };
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    // Rows as arrays, not objects: the header is checked here (a repeated column must not silently win), and a
    // record that breaks CSV (a wrong number of cells) is reported with its line while the others are still read.
    rows = parseCsv(text, {
      skip_empty_lines: true,
      bom: true,
      info: true,
      trim: false,
      skip_records_with_error: true,
      on_skip: (error: { lines?: number; message: string } | undefined) => {
        if (error)
          records.problems.push({
            file,
            line: error.lines ?? 0,
            field: '',
            message: `malformed CSV: ${error.message}`,
          });
      },
    }) as unknown as typeof rows;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    records.problems.push({
      file,
      line,
      field: '',
      message: `malformed CSV: ${error instanceof Error ? error.message : String(error)}`,
    });
    return records;
  }
  const [header, ...body] = rows;
  if (header === undefined) return finish(records, file);
  const headerLine = startLineOf(header);
  const mapping = options.columnMapping ?? {};
  const columns = header.record.map((cell) => {
    const name = cell.trim();
    return Object.hasOwn(mapping, name) ? mapping[name]! : name;
  });
  const firstAt = new Map<string, number>();
  const repeated = columns.filter((name, index) => {
    if (firstAt.has(name)) return true;
    firstAt.set(name, index);
    return false;
  });
  if (repeated.length > 0) {
    // Which of two same-named cells holds the value cannot be guessed: nothing of the file is read.
    for (const name of new Set(repeated))
      records.problems.push({
        file,
        line: headerLine,
        field: name,
        message: `column "${name}" appears more than once in the header`,
      });
    return records;
  }
  for (const row of body) {
    const line = startLineOf(row);
    const cells = new Map(columns.map((name, index) => [name, row.record[index] ?? '']));
    const converted = csvRowToLeadInput(cells);
    if (converted.problem) {
      records.problems.push({ file, line, ...converted.problem });
      continue;
    }
    validate(converted.value, file, line, records, (field) => CSV_FIELD_NAMES[field] ?? field);
  }
  return finish(records, file);
};

// The line a record starts on: csv-parse counts to its end, and a quoted cell may hold line breaks.
const startLineOf = (row: { record: readonly string[]; info: { lines: number } }): number =>
  row.info.lines - row.record.reduce((breaks, cell) => breaks + (cell.match(/\n/g)?.length ?? 0), 0);
