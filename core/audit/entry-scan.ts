// The fast reading of one line of entries.jsonl: in one pass over its bytes, whether it is certainly a canonical,
// well-shaped entry (the envelope by hand, the payload by its schema compiled to a byte reader), and the facts the
// verifier needs from it; then whether entries.csv holds exactly its row. It answers "certainly" or "not sure"; a line
// it is not sure of is read by the careful path (verify-lines.ts), which alone gives verdicts and reasons.
import { AUDIT_EVENT_TYPES, EVENT_DEFINITIONS } from './event-types.ts';
import type { AuditEventType } from './event-types.ts';
import { compileByteReader, readPlainString } from './payload-scan.ts';
import type { ByteReader } from './payload-scan.ts';

const QUOTE = 0x22;
const COMMA = 0x2c;
const encode = (text: string): Uint8Array => Uint8Array.from(text, (char) => char.charCodeAt(0));

const ACTOR_KEY = encode('{"actor":');
const COMMITMENT_KEY = encode(',"commitment":');
const LOG_KEY = encode(',"log":');
const PAYLOAD_KEY = encode(',"payload":');
const PREVIOUS_KEY = encode(',"previous":');
const SEQUENCE_KEY = encode(',"sequence":');
const SUBJECTS_KEY = encode(',"subjects":[');
const TIME_KEY = encode('],"time":');
const TYPE_KEY = encode(',"type":');
const VERSION_END = encode(',"v":1}');
const NULL = encode('null');
const MAX_SUBJECTS = 64;

const literalAt = (bytes: Uint8Array, at: number, end: number, literal: Uint8Array): number => {
  if (at < 0 || at + literal.length > end) return -1;
  for (let k = 0; k < literal.length; k++) if (bytes[at + k] !== literal[k]) return -1;
  return at + literal.length;
};

const isLower = (byte: number): boolean => byte >= 0x61 && byte <= 0x7a;
const isDigit = (byte: number): boolean => byte >= 0x30 && byte <= 0x39;
const isAlphanumeric = (byte: number): boolean => isDigit(byte) || isLower(byte) || (byte >= 0x41 && byte <= 0x5a);

/** PARTY_ID_PATTERN (kind:id) on a plain string's content bytes[from, to). */
const isPartyId = (bytes: Uint8Array, from: number, to: number): boolean => {
  if (from >= to || !isLower(bytes[from]!)) return false;
  let k = from + 1;
  while (k < to && (isLower(bytes[k]!) || bytes[k] === 0x5f)) k++;
  if (k - from > 32 || k >= to || bytes[k] !== 0x3a) return false;
  const id = to - k - 1;
  if (id < 1 || id > 200) return false;
  // A plain string holds no quote or backslash; the pattern also refuses the space.
  for (let j = k + 1; j < to; j++) if (bytes[j] === 0x20) return false;
  return true;
};

/** LOG_ID_PATTERN. */
const isLogId = (bytes: Uint8Array, from: number, to: number): boolean => {
  if (to - from < 1 || to - from > 64 || !isAlphanumeric(bytes[from]!)) return false;
  for (let k = from + 1; k < to; k++) {
    const byte = bytes[k]!;
    if (!(isAlphanumeric(byte) || byte === 0x2e || byte === 0x5f || byte === 0x2d)) return false;
  }
  return true;
};

/** Lower-case hex digits' values; -1 for any other byte. */
const HEX = new Int8Array(256).fill(-1);
for (let byte = 0; byte < 16; byte++) HEX['0123456789abcdef'.charCodeAt(byte)] = byte;
const hexValue = (byte: number): number => HEX[byte]!;

const digit = (bytes: Uint8Array, at: number): number => bytes[at]! - 0x30;
const twoDigits = (bytes: Uint8Array, at: number): number => digit(bytes, at) * 10 + digit(bytes, at + 1);

/** UTC_TIME_PATTERN: 2025-01-31T09:30:00.000Z, each field in its range. */
const TIME_DIGITS = Uint8Array.from([0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22]);
const isTime = (bytes: Uint8Array, from: number, to: number): boolean => {
  if (to - from !== 24) return false;
  for (let k = 0; k < TIME_DIGITS.length; k++) if (!isDigit(bytes[from + TIME_DIGITS[k]!]!)) return false;
  if (
    bytes[from + 4] !== 0x2d ||
    bytes[from + 7] !== 0x2d ||
    bytes[from + 10] !== 0x54 ||
    bytes[from + 13] !== 0x3a ||
    bytes[from + 16] !== 0x3a ||
    bytes[from + 19] !== 0x2e ||
    bytes[from + 23] !== 0x5a
  )
    return false;
  const month = twoDigits(bytes, from + 5);
  const day = twoDigits(bytes, from + 8);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 31 &&
    twoDigits(bytes, from + 11) <= 23 &&
    digit(bytes, from + 14) <= 5 &&
    digit(bytes, from + 17) <= 5
  );
};

/** The same integer as verify-lines' timeOrderKey, from the time's bytes. */
const timeKeyAt = (bytes: Uint8Array, from: number): number => {
  const year = twoDigits(bytes, from) * 100 + twoDigits(bytes, from + 2);
  const dayKey = (year * 13 + twoDigits(bytes, from + 5)) * 32 + twoDigits(bytes, from + 8);
  const ms =
    ((twoDigits(bytes, from + 11) * 60 + twoDigits(bytes, from + 14)) * 60 + twoDigits(bytes, from + 17)) * 1000 +
    digit(bytes, from + 20) * 100 +
    twoDigits(bytes, from + 21);
  return dayKey * 86_400_000 + ms;
};

// --- payload readers, one per event type -------------------------------------------------------------------------

const schemaDefinition = (schema: unknown): { type: string; shape?: Record<string, unknown> } =>
  (schema as { _zod: { def: { type: string; shape?: Record<string, unknown> } } })._zod.def;

/** Whether `key` is a key the object schema requires (present in every payload it accepts). */
const requiresKey = (schema: unknown, key: string): boolean => {
  const definition = schemaDefinition(schema);
  const field = definition.type === 'object' ? definition.shape?.[key] : undefined;
  if (field === undefined) return false;
  const type = schemaDefinition(field).type;
  return type !== 'optional' && type !== 'default' && type !== 'unknown' && type !== 'any';
};

const PV_KEY = encode('"pv":');

/** Whether the payload object bytes[from, to) (read as canonical) has the top-level key "pv". */
const hasTopLevelPv = (bytes: Uint8Array, from: number, to: number): boolean => {
  let depth = 0;
  for (let k = from; k < to; k++) {
    const byte = bytes[k]!;
    if (byte === QUOTE) {
      if (depth === 1 && (bytes[k - 1] === 0x7b || bytes[k - 1] === COMMA) && literalAt(bytes, k, to, PV_KEY) > 0)
        return true;
      k = readPlainString(bytes, k, to) - 1;
      if (k < 0) return false;
    } else if (byte === 0x7b || byte === 0x5b) depth++;
    else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return false;
};

/**
 * The payload reader of each type, choosing the schema as payloadReaderFor does: the current one when the payload
 * has "pv" (or the type has only one shape), else the version 1 reader.
 */
const PAYLOAD_READERS: readonly ByteReader[] = AUDIT_EVENT_TYPES.map((type: AuditEventType): ByteReader => {
  const definition = EVENT_DEFINITIONS[type] as { payload: unknown; v1: unknown };
  const current = compileByteReader(definition.payload as never);
  if (definition.v1 === null) return current;
  const v1 = compileByteReader(definition.v1 as never);
  // The current shape must require pv, so that it can only accept a payload the careful path reads with it.
  const currentRequiresPv = requiresKey(definition.payload, 'pv');
  return (bytes, at, end, depth) => {
    const to = currentRequiresPv ? current(bytes, at, end, depth) : -1;
    if (to >= 0) return to;
    const old = v1(bytes, at, end, depth);
    return old >= 0 && !hasTopLevelPv(bytes, at, old) ? old : -1;
  };
});

const TYPE_BYTES = AUDIT_EVENT_TYPES.map(encode);

const typeIndexOf = (bytes: Uint8Array, from: number, to: number): number => {
  for (let index = 0; index < TYPE_BYTES.length; index++) {
    const name = TYPE_BYTES[index]!;
    if (name.length === to - from && literalAt(bytes, from, to, name) === to) return index;
  }
  return -1;
};

// --- the line ---------------------------------------------------------------------------------------------------

/** Where the last line read `certainly` holds each field (content offsets, quotes excluded); -1 for null. */
export type ScannedFields = {
  actorFrom: number;
  actorTo: number;
  commitmentFrom: number;
  logFrom: number;
  logTo: number;
  payloadFrom: number;
  payloadTo: number;
  previousFrom: number;
  sequenceFrom: number;
  sequenceTo: number;
  subjectCount: number;
  /** Content ranges of the subjects: [from, to) pairs. */
  readonly subjects: Int32Array;
  timeFrom: number;
  typeFrom: number;
  typeTo: number;
  typeIndex: number;
};

export const createScannedFields = (): ScannedFields => ({
  actorFrom: 0,
  actorTo: 0,
  commitmentFrom: -1,
  logFrom: 0,
  logTo: 0,
  payloadFrom: 0,
  payloadTo: 0,
  previousFrom: -1,
  sequenceFrom: 0,
  sequenceTo: 0,
  subjectCount: 0,
  subjects: new Int32Array(MAX_SUBJECTS * 2),
  timeFrom: 0,
  typeFrom: 0,
  typeTo: 0,
  typeIndex: 0,
});

/** null or a quoted hash at bytes[at]: the offset after it, with the hash's content start in `hashFrom` (-1: null). */
let hashFrom = -1;
const readNullableHash = (bytes: Uint8Array, at: number, end: number): number => {
  if (at < 0 || at + 66 > end || bytes[at] !== QUOTE) {
    hashFrom = -1;
    return literalAt(bytes, at, end, NULL);
  }
  // HASH_HEX_PATTERN: exactly 64 lower-case hex digits between the quotes.
  for (let k = at + 1; k <= at + 64; k++) if (HEX[bytes[k]!]! < 0) return -1;
  if (bytes[at + 65] !== QUOTE) return -1;
  hashFrom = at + 1;
  return at + 66;
};

/**
 * Reads bytes[start, end) as an entry. True only when the line is certainly canonical JCS and a well-shaped entry
 * (exactly what strict-json.ts and checkEntryShape would accept); `fields` then says where each field is. False means
 * "not sure": the line may still be valid, and the careful path decides.
 */
export const scanEntryLine = (bytes: Uint8Array, start: number, end: number, fields: ScannedFields): boolean => {
  // The type comes last in canonical order but chooses the payload's schema: read it from the end first.
  const typeClose = end - VERSION_END.length - 1;
  if (literalAt(bytes, typeClose + 1, end, VERSION_END) !== end || bytes[typeClose] !== QUOTE) return false;
  let typeOpen = typeClose - 1;
  while (typeOpen > start && bytes[typeOpen] !== QUOTE) typeOpen--;
  if (literalAt(bytes, typeOpen - TYPE_KEY.length, end, TYPE_KEY) !== typeOpen) return false;
  const typeIndex = typeIndexOf(bytes, typeOpen + 1, typeClose);
  if (typeIndex < 0) return false;

  let at = literalAt(bytes, start, end, ACTOR_KEY);
  let to = readPlainString(bytes, at, end);
  if (to < 0 || !isPartyId(bytes, at + 1, to - 1)) return false;
  fields.actorFrom = at + 1;
  fields.actorTo = to - 1;

  at = readNullableHash(bytes, literalAt(bytes, to, end, COMMITMENT_KEY), end);
  if (at < 0) return false;
  fields.commitmentFrom = hashFrom;

  at = literalAt(bytes, at, end, LOG_KEY);
  to = readPlainString(bytes, at, end);
  if (to < 0 || !isLogId(bytes, at + 1, to - 1)) return false;
  fields.logFrom = at + 1;
  fields.logTo = to - 1;

  at = literalAt(bytes, to, end, PAYLOAD_KEY);
  if (at < 0) return false;
  to = PAYLOAD_READERS[typeIndex]!(bytes, at, end, 1);
  if (to < 0) return false;
  fields.payloadFrom = at;
  fields.payloadTo = to;

  at = readNullableHash(bytes, literalAt(bytes, to, end, PREVIOUS_KEY), end);
  if (at < 0) return false;
  fields.previousFrom = hashFrom;

  at = literalAt(bytes, at, end, SEQUENCE_KEY);
  to = readPlainString(bytes, at, end);
  if (to < 0) return false;
  // SEQUENCE_PATTERN: "0", or up to 20 digits without a leading zero.
  const digits = to - at - 2;
  if (digits < 1 || digits > 20 || (digits > 1 && bytes[at + 1] === 0x30)) return false;
  for (let k = at + 1; k < to - 1; k++) if (!isDigit(bytes[k]!)) return false;
  fields.sequenceFrom = at + 1;
  fields.sequenceTo = to - 1;

  at = literalAt(bytes, to, end, SUBJECTS_KEY);
  if (at < 0) return false;
  let count = 0;
  if (bytes[at] !== 0x5d)
    for (;;) {
      to = readPlainString(bytes, at, end);
      if (to < 0 || count === MAX_SUBJECTS || !isPartyId(bytes, at + 1, to - 1)) return false;
      fields.subjects[2 * count] = at + 1;
      fields.subjects[2 * count + 1] = to - 1;
      count++;
      if (bytes[to] !== COMMA) break;
      at = to + 1;
    }
  else to = at;
  fields.subjectCount = count;

  at = literalAt(bytes, to, end, TIME_KEY);
  to = readPlainString(bytes, at, end);
  if (to < 0 || !isTime(bytes, at + 1, to - 1)) return false;
  fields.timeFrom = at + 1;

  // What follows the time must be exactly the type read at the start, then the version.
  if (to !== typeOpen - TYPE_KEY.length) return false;
  fields.typeFrom = typeOpen + 1;
  fields.typeTo = typeClose;
  fields.typeIndex = typeIndex;
  return true;
};

/** The sequence as the verifier keeps it: its number up to 15 digits, else -2 (beyond this verifier's exact range). */
export const scannedSequence = (bytes: Uint8Array, fields: ScannedFields): number => {
  if (fields.sequenceTo - fields.sequenceFrom > 15) return -2;
  let value = 0;
  for (let k = fields.sequenceFrom; k < fields.sequenceTo; k++) value = value * 10 + digit(bytes, k);
  return value;
};

export const scannedTimeKey = (bytes: Uint8Array, fields: ScannedFields): number => timeKeyAt(bytes, fields.timeFrom);

/** Decodes the 64 hex digits at bytes[from] into out[at, at + 32). */
export const decodeHashInto = (bytes: Uint8Array, from: number, out: Uint8Array, at: number): void => {
  for (let k = 0; k < 32; k++) out[at + k] = (hexValue(bytes[from + 2 * k]!) << 4) | hexValue(bytes[from + 2 * k + 1]!);
};

// --- the entry's row in entries.csv (csv.ts's csvRow, compared byte by byte) --------------------------------------

const FORMULA = new Uint8Array(128);
for (const code of [0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d]) FORMULA[code] = 1;

const copyMatches = (bytes: Uint8Array, from: number, to: number, csv: Uint8Array, at: number): number => {
  if (at < 0 || at + (to - from) > csv.length) return -1;
  for (let k = from; k < to; k++) if (csv[at++] !== bytes[k]) return -1;
  return at;
};

const byteMatches = (byte: number, csv: Uint8Array, at: number): number => (at >= 0 && csv[at] === byte ? at + 1 : -1);

/** Whether ranges[0..count) of bytes contain a byte csvCell quotes for (the line's strings hold no CR or LF). */
const needsQuotes = (bytes: Uint8Array, ranges: Int32Array, count: number): boolean => {
  for (let r = 0; r < count; r++)
    for (let k = ranges[2 * r]!; k < ranges[2 * r + 1]!; k++) if (bytes[k] === QUOTE || bytes[k] === COMMA) return true;
  return false;
};

/** The cell csvCell makes of the ranges' bytes joined by spaces, compared at csv[at]: the offset after it, or -1. */
const cellMatches = (bytes: Uint8Array, ranges: Int32Array, count: number, csv: Uint8Array, at: number): number => {
  const first = count > 0 && ranges[1]! > ranges[0]! ? bytes[ranges[0]!]! : -1;
  const formula = first >= 0 && first < 0x80 && FORMULA[first] === 1;
  const quote = needsQuotes(bytes, ranges, count);
  if (quote) at = byteMatches(QUOTE, csv, at);
  if (formula) at = byteMatches(0x27, csv, at);
  for (let r = 0; r < count && at >= 0; r++) {
    if (r > 0) at = byteMatches(0x20, csv, at);
    for (let k = ranges[2 * r]!; k < ranges[2 * r + 1]! && at >= 0; k++) {
      const byte = bytes[k]!;
      at = byteMatches(byte, csv, at);
      if (quote && byte === QUOTE) at = byteMatches(QUOTE, csv, at);
    }
  }
  return quote ? byteMatches(QUOTE, csv, at) : at;
};

const single = new Int32Array(2);
const oneCell = (bytes: Uint8Array, from: number, to: number, csv: Uint8Array, at: number): number => {
  if (at >= 0 && to > from && bytes[from] === 0x7b) return objectCellMatches(bytes, from, to, csv, at);
  single[0] = from;
  single[1] = to;
  return cellMatches(bytes, single, 1, csv, at);
};

/** A cell holding a JSON object's text (no formula start): quoted, quotes doubled, when it holds a quote or comma. */
const objectCellMatches = (bytes: Uint8Array, from: number, to: number, csv: Uint8Array, at: number): number => {
  // Only the empty object holds neither a quote nor a comma; any other holds a quoted key.
  if (to - from <= 2) return copyMatches(bytes, from, to, csv, at);
  if (csv[at] !== QUOTE) return -1;
  let c = at + 1;
  for (let k = from; k < to; k++) {
    const byte = bytes[k]!;
    if (csv[c] !== byte) return -1;
    c++;
    if (byte === QUOTE) {
      if (csv[c] !== QUOTE) return -1;
      c++;
    }
  }
  return csv[c] === QUOTE ? c + 1 : -1;
};

/**
 * Whether csv[at] holds exactly the row csvRow derives from the line just read by scanEntryLine: the offset after the
 * row's CRLF, or -1 ("not sure": the careful path compares it again).
 */
export const matchScannedCsvRow = (bytes: Uint8Array, fields: ScannedFields, csv: Uint8Array, at: number): number => {
  at = copyMatches(bytes, fields.sequenceFrom, fields.sequenceTo, csv, at);
  at = copyMatches(bytes, fields.timeFrom, fields.timeFrom + 24, csv, byteMatches(COMMA, csv, at));
  at = copyMatches(bytes, fields.typeFrom, fields.typeTo, csv, byteMatches(COMMA, csv, at));
  at = oneCell(bytes, fields.actorFrom, fields.actorTo, csv, byteMatches(COMMA, csv, at));
  at = cellMatches(bytes, fields.subjects, fields.subjectCount, csv, byteMatches(COMMA, csv, at));
  at = byteMatches(COMMA, csv, at);
  if (fields.commitmentFrom >= 0) at = copyMatches(bytes, fields.commitmentFrom, fields.commitmentFrom + 64, csv, at);
  at = byteMatches(COMMA, csv, at);
  if (fields.previousFrom >= 0) at = copyMatches(bytes, fields.previousFrom, fields.previousFrom + 64, csv, at);
  at = copyMatches(bytes, fields.logFrom, fields.logTo, csv, byteMatches(COMMA, csv, at));
  at = oneCell(bytes, fields.payloadFrom, fields.payloadTo, csv, byteMatches(COMMA, csv, at));
  return byteMatches(0x0a, csv, byteMatches(0x0d, csv, at));
};
