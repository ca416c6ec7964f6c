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

// The bytes csvCell treats: a formula start (first character only) and what forces quoting.
const FORMULA_BYTE = new Uint8Array(128);
for (const code of [0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d]) FORMULA_BYTE[code] = 1;
const QUOTE_BYTE = new Uint8Array(128);
for (const code of [0x22, 0x2c, 0x0d, 0x0a]) QUOTE_BYTE[code] = 1;
const utf8 = new TextEncoder();

/** Whether `text`, UTF-8 encoded, is at csv[at]: the offset after it, or -1. */
const matchText = (text: string, csv: Uint8Array, at: number): number => {
  if (at + text.length > csv.length) return -1;
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(k);
    if (code > 0x7f) {
      const bytes = utf8.encode(text);
      if (at + bytes.length > csv.length) return -1;
      for (let b = 0; b < bytes.length; b++) if (csv[at + b] !== bytes[b]) return -1;
      return at + bytes.length;
    }
    if (csv[at + k] !== code) return -1;
  }
  return at + text.length;
};

const matchByte = (byte: number, csv: Uint8Array, at: number): number => (at >= 0 && csv[at] === byte ? at + 1 : -1);

/** Whether the cell csvCell makes of `value` (its UTF-8 bytes) is at csv[at], without building it: offset or -1. */
const matchCellBytes = (value: Uint8Array, csv: Uint8Array, at: number): number => {
  const formula = value.length > 0 && value[0]! < 0x80 && FORMULA_BYTE[value[0]!] === 1;
  let quote = false;
  for (let k = 0; k < value.length && !quote; k++) if (value[k]! < 0x80 && QUOTE_BYTE[value[k]!] === 1) quote = true;
  if (quote) at = matchByte(0x22, csv, at);
  if (formula) at = matchByte(0x27, csv, at);
  if (at < 0) return -1;
  for (let k = 0; k < value.length; k++) {
    const byte = value[k]!;
    if (csv[at] !== byte) return -1;
    at++;
    if (quote && byte === 0x22) {
      if (csv[at] !== 0x22) return -1;
      at++;
    }
  }
  return quote ? matchByte(0x22, csv, at) : at;
};

/**
 * Whether csv[at] holds exactly the row csvRow(entry, payload) makes, with `payload` the UTF-8 bytes of the entry's
 * canonical payload: the offset after the row's CRLF, or -1. Compares as it goes, building no row (the verifier's hot
 * path); `test/core/audit/csv-match.test.ts` holds it to csvRow.
 */
export const matchCsvRow = (entry: AuditEntry, payload: Uint8Array, csv: Uint8Array, at: number): number => {
  const cells = [
    entry.sequence,
    entry.time,
    entry.type,
    csvCell(entry.actor),
    csvCell(entry.subjects.join(' ')),
    entry.commitment ?? '',
    entry.previous ?? '',
    entry.log,
  ];
  for (const cell of cells) {
    at = matchText(cell, csv, at);
    at = at < 0 ? -1 : matchByte(0x2c, csv, at);
    if (at < 0) return -1;
  }
  at = matchCellBytes(payload, csv, at);
  return at < 0 ? -1 : matchByte(0x0a, csv, matchByte(0x0d, csv, at));
};
