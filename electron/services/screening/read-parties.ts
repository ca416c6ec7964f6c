// Reading the names to screen from CSV (with a header) or JSON Lines, each row checked with zod, problems by line and field.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { CsvError, parse } from 'csv-parse/sync';
import * as z from 'zod';
import type { Party } from '../../../core/screening/screen.ts';
import { err, ok } from '../../../core/shared/result.ts';
import type { Result } from '../../../core/shared/result.ts';
import { firstIssue } from '../lists/list-schema.ts';

export type LocatedParty = { readonly line: number; readonly party: Party };
export type PartyProblem = {
  readonly file: string;
  readonly line?: number;
  readonly field?: string;
  readonly reason: string;
};

const Optional = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const PartyRow = z
  .object({
    ref: z.union([z.string(), z.number()]).transform(String).optional(),
    name: z
      .string({ error: 'a name is required' })
      .trim()
      .min(1, 'a name is required')
      .max(500, 'a name is at most 500 characters'),
    type: z
      .string()
      .trim()
      .toLowerCase()
      .transform((value) => (value === '' ? undefined : value))
      .pipe(z.enum(['person', 'company', 'individual', 'organisation', 'organization', 'entity']).optional())
      .optional(),
    date_of_birth: Optional.pipe(
      z
        .string()
        .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'a date of birth is YYYY, YYYY-MM or YYYY-MM-DD')
        .optional(),
    ),
    nationality: Optional,
    country: Optional,
  })
  .loose();

// Column names the documented format accepts for each field.
const ALIASES: Readonly<Record<string, string>> = {
  full_name: 'name',
  id: 'ref',
  dob: 'date_of_birth',
  dateofbirth: 'date_of_birth',
  birth_date: 'date_of_birth',
  kind: 'type',
};

const canonicalKey = (key: string): string => {
  const folded = key
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return ALIASES[folded] ?? folded;
};

const toParty = (row: z.infer<typeof PartyRow>): Party => {
  const type =
    row.type === undefined ? undefined : row.type === 'person' || row.type === 'individual' ? 'person' : 'company';
  return {
    ...(row.ref === undefined ? {} : { ref: row.ref }),
    name: row.name,
    ...(type === undefined ? {} : { type }),
    ...(row.date_of_birth === undefined ? {} : { dateOfBirth: row.date_of_birth }),
    ...(row.nationality === undefined ? {} : { nationality: row.nationality }),
    ...(row.country === undefined ? {} : { country: row.country }),
  };
};

const normaliseKeys = (record: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    const canonical = canonicalKey(key);
    // full_name and first/last columns: the full name wins, parts fill in when it is empty.
    if (out[canonical] === undefined || out[canonical] === '') out[canonical] = value;
  }
  if ((out.name === undefined || out.name === '') && (out.first_name !== undefined || out.last_name !== undefined)) {
    out.name = [out.first_name, out.middle_name, out.last_name]
      .filter((part) => typeof part === 'string' && part !== '')
      .join(' ');
  }
  return out;
};

const MAX_PROBLEMS = 20;

/** Reads every row; any invalid row refuses the whole file (a skipped name would be an unscreened party). */
export const readParties = async (
  file: string,
  format?: 'csv' | 'jsonl',
): Promise<Result<LocatedParty[], PartyProblem[]>> => {
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  const kind = format ?? (extname(file).toLowerCase() === '.csv' ? 'csv' : /^\s*[{[]/.test(text) ? 'jsonl' : 'csv');
  const raw: { line: number; record: unknown }[] = [];
  const problems: PartyProblem[] = [];
  if (kind === 'csv') {
    try {
      const rows = parse(text, { columns: true, info: true, skip_empty_lines: true, trim: false }) as unknown as {
        record: Record<string, string>;
        info: { lines: number };
      }[];
      for (const row of rows) raw.push({ line: row.info.lines, record: row.record });
    } catch (error) {
      if (error instanceof CsvError) {
        const line = (error as CsvError & { lines?: number }).lines;
        return err([{ file, ...(line === undefined ? {} : { line }), reason: `CSV: ${error.message}` }]);
      }
      throw error;
    }
  } else {
    text.split('\n').forEach((lineText, index) => {
      if (lineText.trim() === '') return;
      try {
        raw.push({ line: index + 1, record: JSON.parse(lineText) as unknown });
      } catch (error) {
        problems.push({ file, line: index + 1, reason: `not JSON: ${(error as Error).message}` });
      }
    });
  }
  const parties: LocatedParty[] = [];
  for (const { line, record } of raw) {
    if (problems.length >= MAX_PROBLEMS) break;
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      problems.push({ file, line, reason: 'each row is a JSON object' });
      continue;
    }
    const parsed = PartyRow.safeParse(normaliseKeys(record as Record<string, unknown>));
    if (!parsed.success) {
      const issue = firstIssue(parsed.error);
      problems.push({ file, line, ...(issue.field === '' ? {} : { field: issue.field }), reason: issue.message });
      continue;
    }
    parties.push({ line, party: toParty(parsed.data) });
  }
  if (problems.length > 0) return err(problems);
  if (parties.length === 0) return err([{ file, reason: 'no names to screen' }]);
  return ok(parties);
};

export const formatPartyProblem = (problem: PartyProblem): string =>
  `${problem.file}${problem.line === undefined ? '' : `:${problem.line}`}: ${problem.field === undefined ? '' : `${problem.field}: `}${problem.reason}`;
