// Reads leads from JSON Lines or CSV (docs/leads.md) and validates each record; errors name line and field.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import * as z from 'zod';
import { LeadSchema } from '../../../core/routing/lead.ts';
import type { Lead } from '../../../core/routing/lead.ts';
import { err, ok } from '../../../core/shared/result.ts';
import type { Result } from '../../../core/shared/result.ts';

export type LeadRecordProblem = {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly message: string;
};
export type LeadFileFormat = 'jsonl' | 'csv';
export type LocatedLead = { readonly line: number; readonly lead: Lead };

export const formatLeadProblem = (problem: LeadRecordProblem): string =>
  `${problem.file} line ${problem.line}${problem.field ? `, field ${problem.field}` : ''}: ${problem.message}`;

export const leadFileFormat = (file: string): LeadFileFormat | undefined => {
  const extension = extname(file).toLowerCase();
  return extension === '.jsonl' || extension === '.ndjson' ? 'jsonl' : extension === '.csv' ? 'csv' : undefined;
};

/** Reads every record; returns all problems found (not just the first), and no leads at all if there is any. */
export const readLeadFile = async (
  file: string,
  format?: LeadFileFormat,
): Promise<Result<LocatedLead[], LeadRecordProblem[]>> => {
  const kind = format ?? leadFileFormat(file);
  if (kind === undefined)
    return err([
      { file, line: 0, field: '', message: 'unknown lead file format: use .jsonl or .csv (or pass the format)' },
    ]);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return err([
      { file, line: 0, field: '', message: `cannot read: ${error instanceof Error ? error.message : String(error)}` },
    ]);
  }
  return kind === 'jsonl' ? parseLeadJsonLines(text, file) : parseLeadCsv(text, file);
};

const validate = (
  raw: unknown,
  file: string,
  line: number,
  problems: LeadRecordProblem[],
  leads: LocatedLead[],
): void => {
  const parsed = LeadSchema.safeParse(raw);
  if (parsed.success) leads.push({ line, lead: parsed.data });
  else
    for (const issue of parsed.error.issues)
      problems.push({ file, line, field: issue.path.join('.'), message: issue.message });
};

const finish = (
  leads: LocatedLead[],
  problems: LeadRecordProblem[],
  file: string,
): Result<LocatedLead[], LeadRecordProblem[]> => {
  const seen = new Map<string, number>();
  for (const { line, lead } of leads) {
    const first = seen.get(lead.id);
    if (first !== undefined)
      problems.push({ file, line, field: 'id', message: `duplicate lead id "${lead.id}" (first on line ${first})` });
    else seen.set(lead.id, line);
  }
  if (problems.length > 0) return err(problems.sort((a, b) => a.line - b.line));
  if (leads.length === 0) return err([{ file, line: 0, field: '', message: 'the file holds no leads' }]);
  return ok(leads);
};

export const parseLeadJsonLines = (text: string, file: string): Result<LocatedLead[], LeadRecordProblem[]> => {
  const problems: LeadRecordProblem[] = [];
  const leads: LocatedLead[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      problems.push({
        file,
        line,
        field: '',
        message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      });
      return;
    }
    validate(value, file, line, problems, leads);
  });
  return finish(leads, problems, file);
};

/** The CSV columns of docs/leads.md. Empty cells mean "not given". */
const CsvRow = z.record(z.string(), z.string());

const splitList = (cell: string | undefined): string[] | undefined =>
  cell === undefined || cell.trim() === ''
    ? undefined
    : cell
        .split(';')
        .map((item) => item.trim())
        .filter((item) => item !== '');

const csvRowToLeadInput = (
  row: Record<string, string>,
): { value: unknown; problem?: { field: string; message: string } } => {
  const cell = (name: string): string | undefined => {
    const value = row[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const compact = <T extends Record<string, unknown>>(object: T): T | undefined =>
    Object.values(object).some((value) => value !== undefined) ? object : undefined;
  const attributes: Record<string, string | number> = {};
  for (const pair of splitList(cell('attributes')) ?? []) {
    const [key, ...rest] = pair.split('=');
    const value = rest.join('=');
    if (!key || rest.length === 0)
      return { value: undefined, problem: { field: 'attributes', message: `"${pair}" is not key=value` } };
    attributes[key.trim()] = /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : value.trim();
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
    customerType: cell('customer_type'),
    netWorthBand: cell('net_worth_band'),
    kycStatus: cell('kyc_status'),
    amlDocumentation: cell('aml_documentation'),
    suitabilityAssessed:
      suitability === undefined ? undefined : ['true', 'yes', '1'].includes(suitability.toLowerCase()),
    attributes,
    screening,
    productInterests: splitList(cell('products')) ?? [],
  };
  return { value: JSON.parse(JSON.stringify(value)) };
};

const CSV_FIELD_NAMES: Record<string, string> = {
  'person.fullName': 'person_name',
  'person.dateOfBirth': 'person_date_of_birth',
  'person.nationality': 'person_nationality',
  'company.name': 'company_name',
  'company.registrationCountry': 'company_registration_country',
  'company.industry': 'company_industry',
  'address.country': 'address_country',
  'address.subdivision': 'address_subdivision',
  targetMarket: 'target_market',
  kycPrescreenJurisdiction: 'kyc_prescreen_jurisdiction',
  customerType: 'customer_type',
  netWorthBand: 'net_worth_band',
  kycStatus: 'kyc_status',
  amlDocumentation: 'aml_documentation',
  productInterests: 'products',
};

export const parseLeadCsv = (text: string, file: string): Result<LocatedLead[], LeadRecordProblem[]> => {
  const problems: LeadRecordProblem[] = [];
  const leads: LocatedLead[] = [];
  let records: { record: unknown; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      columns: true,
      skip_empty_lines: true,
      bom: true,
      info: true,
      trim: false,
    }) as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    return err([
      { file, line, field: '', message: `malformed CSV: ${error instanceof Error ? error.message : String(error)}` },
    ]);
  }
  for (const { record, info } of records) {
    const line = info.lines;
    const row = CsvRow.parse(record);
    const converted = csvRowToLeadInput(row);
    if (converted.problem) {
      problems.push({ file, line, ...converted.problem });
      continue;
    }
    const parsed = LeadSchema.safeParse(converted.value);
    if (parsed.success) leads.push({ line, lead: parsed.data });
    else
      for (const issue of parsed.error.issues) {
        const field = issue.path.join('.');
        problems.push({ file, line, field: CSV_FIELD_NAMES[field] ?? field, message: issue.message });
      }
  }
  return finish(leads, problems, file);
};
