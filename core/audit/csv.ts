// The spreadsheet view of entries.jsonl: derived from the JSON, never hashed, with formula injection neutralised.
import { canonicalJson } from '../shared/canonical-json.ts';
import type { AuditEntry } from './entry.ts';

export const CSV_COLUMNS = [
  'sequence',
  'time',
  'type',
  'actor',
  'subjects',
  'commitment',
  'previous',
  'log',
  'payload',
] as const;

// Spreadsheets evaluate a cell that starts with one of these as a formula (OWASP CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_CARE = /^[=+\-@\t\r]|[",\r\n]/;

/** One cell: a leading formula character is defused with an apostrophe, then RFC 4180 quoting where needed. */
export const csvCell = (value: string): string => {
  if (!NEEDS_CARE.test(value)) return value;
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** The first line, with a UTF-8 byte order mark so spreadsheet programs read the file as UTF-8. */
export const csvHeader = (): string => `\ufeff${CSV_COLUMNS.join(',')}\r\n`;

/**
 * One row. `payloadText` is the payload's canonical JSON when the caller already has it (the verifier slices it
 * from the canonical line); otherwise it is serialised here.
 */
export const csvRow = (entry: AuditEntry, payloadText: string = canonicalJson(entry.payload)): string =>
  // Sequence (digits), time, type, commitment, previous (hex) and log id have formats (fields.ts) that admit no
  // character csvCell treats, so they are their own cells; actor, subjects and payload may need care.
  `${entry.sequence},${entry.time},${entry.type},${csvCell(entry.actor)},${csvCell(entry.subjects.join(' '))},` +
  `${entry.commitment ?? ''},${entry.previous ?? ''},${entry.log},${csvCell(payloadText)}\r\n`;
