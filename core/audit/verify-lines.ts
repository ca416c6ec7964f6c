// The verifier's per-line work on entries.jsonl: decode, strict canonical parse, entry shape and the CSV row the line
// derives. Each line is judged on its own bytes alone, so ranges of lines can be examined on several threads; what
// depends on other lines (chain links, sequence, time order, keys) is judged afterwards by verify.ts, in order.
import { hexToBytes, utf8TextStrict } from './bytes.ts';
import { matchCsvRow } from './csv.ts';
import { checkEntryShape } from './entry.ts';
import type { AuditEntry } from './entry.ts';
import {
  createScannedFields,
  decodeHashInto,
  matchScannedCsvRow,
  scanEntryLine,
  scannedSequence,
  scannedTimeKey,
} from './entry-scan.ts';
import { AUDIT_EVENT_TYPES } from './event-types.ts';
import { asciiText } from './payload-scan.ts';
import { parseCanonicalJson } from './strict-json.ts';

export type LineFailureCode = 'entry-encoding' | 'entry-not-canonical' | 'entry-schema';

export type LineFailure = {
  /** The line's index (its expected sequence number). */
  readonly line: number;
  readonly code: LineFailureCode;
  readonly message: string;
  readonly field: string | null;
};

/** What lines [from, to) say on their own, in typed arrays (index i - from), so a worker can hand them over cheaply. */
export type LineFacts = {
  readonly from: number;
  readonly to: number;
  /** 1 when the line failed on its own (its failure is in `failures`); the other arrays are then unset for it. */
  readonly failed: Uint8Array;
  readonly failures: readonly LineFailure[];
  /** The sequence the line claims; -2 when it is beyond 15 digits (out of this verifier's exact range). */
  readonly sequence: Float64Array;
  /** The entry's time as an integer that orders exactly as the time text does (timeOrderKey). */
  readonly timeKey: Float64Array;
  /** Index into AUDIT_EVENT_TYPES. */
  readonly typeIndex: Uint8Array;
  /** Index into `logs`, the distinct log ids of the range in order of appearance. */
  readonly logIndex: Uint32Array;
  readonly logs: readonly string[];
  /** 1: previous is null; 2: a hash, whose 32 bytes are at previous[(i - from) * 32]. */
  readonly previousKind: Uint8Array;
  readonly previous: Uint8Array;
  readonly hasCommitment: Uint8Array;
  /**
   * entries.csv against the rows the lines derive (when the caller passed it): row i + 1 belongs to line i, rows end at
   * their CRLF (no cell holds a raw CR or LF), so a range finds its rows by counting line feeds. The first line whose
   * row differs, or -1; where the range's rows start and end in entries.csv (-1 once a row differs or without a CSV).
   */
  readonly csvMismatch: number;
  readonly csvStart: number;
  readonly csvEnd: number;
};

/** The CSV file to hold the lines' rows against, and where row `from + 1` starts if the caller knows (else counted). */
export type CsvToMatch = { readonly bytes: Uint8Array; readonly start: number | null };

/** Where row `row` (0 is the header) of a CSV starts: after its row-th line feed; the end when there are fewer. */
export const csvRowStart = (csv: Uint8Array, row: number): number => {
  let at = 0;
  for (let r = 0; r < row; r++) {
    const next = csv.indexOf(0x0a, at);
    if (next < 0) return csv.length;
    at = next + 1;
  }
  return at;
};

const TYPE_INDEX = new Map<string, number>(AUDIT_EVENT_TYPES.map((type, index) => [type, index]));
const scanned = createScannedFields();

const sameBytes = (bytes: Uint8Array, a: number, b: number, length: number): boolean => {
  for (let k = 0; k < length; k++) if (bytes[a + k] !== bytes[b + k]) return false;
  return true;
};

const digits = (text: string, at: number, count: number): number => {
  let value = 0;
  for (let k = 0; k < count; k++) value = value * 10 + (text.charCodeAt(at + k) - 48);
  return value;
};

/**
 * An integer for a time in the entry format (2025-01-31T09:30:00.000Z, fixed width) that orders as the text does:
 * every field is below its multiplier, so comparing keys is comparing texts, without Date's calendar rules.
 */
export const timeOrderKey = (time: string): number => {
  const day = (digits(time, 0, 4) * 13 + digits(time, 5, 2)) * 32 + digits(time, 8, 2);
  const ms = ((digits(time, 11, 2) * 60 + digits(time, 14, 2)) * 60 + digits(time, 17, 2)) * 1000 + digits(time, 20, 3);
  return day * 86_400_000 + ms;
};

/** Parses a line already known to be a canonical, well-shaped entry (for the few the ordered checks need whole). */
export const entryOfLine = (bytes: Uint8Array): AuditEntry => {
  const text = utf8TextStrict(bytes);
  const parsed = text === null ? null : parseCanonicalJson(text);
  if (!parsed?.ok) throw new Error('entryOfLine: the line was examined as valid but does not parse');
  return parsed.value as unknown as AuditEntry;
};

/** Examines lines [from, to) of entries.jsonl, whose bytes are entries[starts[i], ends[i]). */
export const examineLines = (
  entries: Uint8Array,
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
  from: number,
  to: number,
  csvFile: CsvToMatch | null = null,
  /** false: every line the careful way only (tests hold the fast reading to it). */
  readFast = true,
): LineFacts => {
  const count = Math.max(0, to - from);
  const failed = new Uint8Array(count);
  const failures: LineFailure[] = [];
  const sequence = new Float64Array(count);
  const timeKey = new Float64Array(count);
  const typeIndex = new Uint8Array(count);
  const logIndex = new Uint32Array(count);
  const logs: string[] = [];
  const logIndexOf = new Map<string, number>();
  const previousKind = new Uint8Array(count);
  const previous = new Uint8Array(count * 32);
  const hasCommitment = new Uint8Array(count);
  const csv = csvFile?.bytes ?? null;
  const csvStart = csv ? (csvFile!.start ?? csvRowStart(csv, from + 1)) : -1;
  let csvAt = csvStart;
  let csvMismatch = -1;
  // A failed line's row is passed over unchecked: the entry failure is the finding.
  const skipCsvRow = (): void => {
    if (csvAt < 0 || !csv) return;
    const next = csv.indexOf(0x0a, csvAt);
    csvAt = next < 0 ? csv.length : next + 1;
  };

  const lineFail = (i: number, code: LineFailureCode, message: string, field: string | null = null): void => {
    failed[i - from] = 1;
    failures.push({ line: i, code, message, field });
  };

  const examine = (i: number, text: string | null): void => {
    const at = i - from;
    if (text === null) {
      skipCsvRow();
      return lineFail(i, 'entry-encoding', 'the line is not valid UTF-8');
    }
    const parsed = parseCanonicalJson(text);
    if (!parsed.ok) {
      skipCsvRow();
      return lineFail(
        i,
        'entry-not-canonical',
        `not canonical JSON (RFC 8785): ${parsed.error.message} at offset ${parsed.error.offset}`,
      );
    }
    const shape = checkEntryShape(parsed.value);
    if (shape) {
      skipCsvRow();
      return lineFail(i, 'entry-schema', shape.message, shape.field);
    }
    const entry = parsed.value as unknown as AuditEntry;
    sequence[at] = entry.sequence.length <= 15 ? Number(entry.sequence) : -2;
    timeKey[at] = timeOrderKey(entry.time);
    typeIndex[at] = TYPE_INDEX.get(entry.type)!;
    let log = logIndexOf.get(entry.log);
    if (log === undefined) {
      log = logs.length;
      logs.push(entry.log);
      logIndexOf.set(entry.log, log);
    }
    logIndex[at] = log;
    if (entry.previous === null) previousKind[at] = 1;
    else {
      // The shape check admits only 64 lower-case hex digits here.
      previousKind[at] = 2;
      previous.set(hexToBytes(entry.previous)!, at * 32);
    }
    hasCommitment[at] = entry.commitment === null ? 0 : 1;
    if (csv && csvAt >= 0) {
      // The line is canonical, so the payload's canonical JSON is the text between its key and the next top-level key
      // ("previous"; quotes inside strings are escaped, so neither key can occur inside another value). Everything
      // before the payload (actor, commitment, log) and after it is ASCII by the shape check, so text offsets there
      // are byte offsets: the payload's bytes are a slice of the line's.
      const payloadFrom = starts[i]! + text.indexOf('"payload":') + 10;
      const payloadTo = ends[i]! - (text.length - text.lastIndexOf(',"previous":'));
      const matched = matchCsvRow(entry, entries.subarray(payloadFrom, payloadTo), csv, csvAt);
      if (matched < 0) {
        csvMismatch = i;
        csvAt = -1;
      } else csvAt = matched;
    }
  };

  // The facts of a line the fast reading is certain of, taken from its bytes; true when it was (and its CSV row, when
  // one is being matched, is exactly there).
  let lastLogFrom = -1;
  let lastLogTo = -1;
  let lastLog = -1;
  const examineFast = (i: number): boolean => {
    const lineStart = starts[i]!;
    if (!scanEntryLine(entries, lineStart, ends[i]!, scanned)) return false;
    let csvNext = -1;
    if (csv && csvAt >= 0) {
      csvNext = matchScannedCsvRow(entries, scanned, csv, csvAt);
      if (csvNext < 0) return false;
    }
    const at = i - from;
    sequence[at] = scannedSequence(entries, scanned);
    timeKey[at] = scannedTimeKey(entries, scanned);
    typeIndex[at] = scanned.typeIndex;
    const { logFrom, logTo } = scanned;
    if (!(
      lastLog >= 0 &&
      logTo - logFrom === lastLogTo - lastLogFrom &&
      sameBytes(entries, logFrom, lastLogFrom, logTo - logFrom)
    )) {
      const log = asciiText(entries, logFrom, logTo);
      let index = logIndexOf.get(log);
      if (index === undefined) {
        index = logs.length;
        logs.push(log);
        logIndexOf.set(log, index);
      }
      lastLog = index;
      lastLogFrom = logFrom;
      lastLogTo = logTo;
    }
    logIndex[at] = lastLog;
    if (scanned.previousFrom < 0) previousKind[at] = 1;
    else {
      previousKind[at] = 2;
      decodeHashInto(entries, scanned.previousFrom, previous, at * 32);
    }
    hasCommitment[at] = scanned.commitmentFrom < 0 ? 0 : 1;
    if (csvNext >= 0) csvAt = csvNext;
    return true;
  };

  // Each line is read fast when its bytes allow it; any other line (and any line the fast reading is not sure of) is
  // decoded and examined carefully, which alone decides failures and their reasons.
  for (let i = from; i < to; i++)
    if (!(readFast && examineFast(i))) examine(i, utf8TextStrict(entries.subarray(starts[i]!, ends[i]!)));
  return {
    from,
    to,
    failed,
    failures,
    sequence,
    timeKey,
    typeIndex,
    logIndex,
    logs,
    previousKind,
    previous,
    hasCommitment,
    csvMismatch,
    csvStart,
    csvEnd: csvAt,
  };
};
