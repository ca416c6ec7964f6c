// One audit entry: its fields, its canonical (JCS) bytes, its RFC 6962 leaf hash and the link to its predecessor.
import * as z from 'zod';
import {
  canonicalJsonBytes,
  canonicalJsonRefusingUnsafeIntegers,
  UnsafeIntegerError,
} from '../shared/canonical-json.ts';
import type { JsonValue } from '../shared/canonical-json.ts';
import type { Result } from '../shared/result.ts';
import { err, ok } from '../shared/result.ts';
import type { Sha256 } from '../shared/sha256.ts';
import { bytesToHex, concatBytes } from './bytes.ts';
import { AuditEventTypeSchema, isAuditEventType, isCurrentPayload, payloadReaderFor } from './event-types.ts';
import type { AuditEventType } from './event-types.ts';
import {
  HASH_HEX_PATTERN,
  HashHex,
  LOG_ID_PATTERN,
  LogIdText,
  PARTY_ID_PATTERN,
  PartyIdText,
  SEQUENCE_PATTERN,
  SequenceText,
  UTC_TIME_PATTERN,
  UtcTime,
} from './fields.ts';
import type { LogId } from './fields.ts';
import { hashLeaf } from './merkle.ts';
import type { MerkleHash } from './merkle.ts';

export const ENTRY_FORMAT_VERSION = 1;
export const MIN_SALT_BYTES = 16;

export type JsonObject = { readonly [key: string]: JsonValue };

/** The hashed record. Personal data never appears here: only its salted commitment. */
export type AuditEntry = {
  readonly v: typeof ENTRY_FORMAT_VERSION;
  readonly log: string;
  readonly sequence: string;
  readonly time: string;
  readonly actor: string;
  readonly type: AuditEventType;
  readonly subjects: readonly string[];
  /** sha256(salt ‖ JCS(personal data)) as hex, or null when the event carries no personal data. */
  readonly commitment: string | null;
  readonly payload: JsonObject;
  /** The leaf hash (hex) of the entry before, or null for the first entry of the log. */
  readonly previous: string | null;
};

const JsonObjectSchema = z.record(z.string(), z.json());

export const AuditEntrySchema = z
  .strictObject({
    v: z.literal(ENTRY_FORMAT_VERSION).describe('entry format version'),
    log: LogIdText.describe('the log (one per device) the entry belongs to'),
    sequence: SequenceText.describe('position in the log, from "0", as a decimal string'),
    time: UtcTime.describe('when the event happened (UTC, milliseconds); never earlier than the previous entry'),
    actor: PartyIdText.describe('who acted: user:<id>, system:<component> or device:<id>'),
    type: AuditEventTypeSchema.describe('the event type (closed set, see docs/audit-export.md)'),
    subjects: z.array(PartyIdText).max(64).describe('the ids the event is about, such as lead:L-1042'),
    commitment: HashHex.nullable().describe('sha256(salt ‖ JCS(personal data)) in hex, or null'),
    payload: JsonObjectSchema.describe('event data without personal data; required fields depend on the type'),
    previous: HashHex.nullable().describe("the previous entry's RFC 6962 leaf hash in hex; null for sequence 0"),
  })
  .describe('One Perimeter audit entry; its RFC 8785 canonical bytes are one line of entries.jsonl');

/** What a caller supplies for a new entry; the log fills in sequence, log id and the link to its predecessor. */
export type NewEntry = {
  readonly time: string;
  readonly actor: string;
  readonly type: AuditEventType;
  readonly subjects: readonly string[];
  readonly payload: JsonObject;
  readonly commitment: string | null;
};

/** The tail of the log a new entry is chained to. */
export type LogHead = { readonly sequence: number; readonly leafHash: MerkleHash; readonly time: string };

export type EntryProblem = { readonly field: string; readonly message: string };

const payloadNumbersAreSafe = (value: JsonValue, path: string): string | null => {
  if (typeof value === 'number') {
    return Number.isInteger(value) && !Number.isSafeInteger(value)
      ? `${path} is an integer beyond 2^53: write it as a string`
      : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = payloadNumbersAreSafe(value[i] as JsonValue, `${path}[${i}]`);
      if (problem) return problem;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const problem = payloadNumbersAreSafe(item, `${path}.${key}`);
      if (problem) return problem;
    }
  }
  return null;
};

export type CreateEntryOptions = {
  /**
   * The caller has checked the payload against its type's current strict schema (the log service's checkNewEvent, which
   * is at least as strict as the reader checkEntryShape would choose for it), so it is not parsed a second time.
   */
  readonly payloadChecked?: boolean;
};

const utf8 = new TextEncoder();

/** Builds the next entry of a log and its canonical bytes, or says which field is wrong. Time and commitment come in. */
export const createEntry = (
  logId: LogId,
  head: LogHead | null,
  input: NewEntry,
  options: CreateEntryOptions = {},
): Result<{ readonly entry: AuditEntry; readonly bytes: Uint8Array }, EntryProblem> => {
  if (!UTC_TIME_PATTERN.test(input.time)) return err({ field: 'time', message: 'not a UTC time with milliseconds' });
  if (head && input.time < head.time)
    return err({ field: 'time', message: `time ${input.time} is earlier than the previous entry's ${head.time}` });
  // Keys in JCS order, so the shape check (which expects parsed canonical entries) applies unchanged.
  const entry: AuditEntry = {
    actor: input.actor,
    commitment: input.commitment,
    log: logId,
    payload: input.payload,
    previous: head ? bytesToHex(head.leafHash) : null,
    sequence: String(head ? head.sequence + 1 : 0),
    subjects: [...input.subjects],
    time: input.time,
    type: input.type,
    v: ENTRY_FORMAT_VERSION,
  };
  const problem = checkEntryShape(entry, { payload: options.payloadChecked !== true });
  if (problem) return err(problem);
  try {
    // One pass writes the bytes and refuses an integer beyond 2^53; only a failure walks the payload to name it.
    return ok({ entry, bytes: utf8.encode(canonicalJsonRefusingUnsafeIntegers(entry)) });
  } catch (error) {
    const unsafe = error instanceof UnsafeIntegerError ? payloadNumbersAreSafe(input.payload, 'payload') : null;
    return err({ field: 'payload', message: unsafe ?? (error instanceof Error ? error.message : String(error)) });
  }
};

const ENTRY_KEYS = ['actor', 'commitment', 'log', 'payload', 'previous', 'sequence', 'subjects', 'time', 'type', 'v'];

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The entry check shared by the log and the verifier: AuditEntrySchema's rules, hand-written for speed. */
export const checkEntryShape = (
  value: unknown,
  /** payload: false when the caller has already checked the payload against its type's current schema. */
  options: { readonly payload?: boolean } = {},
): EntryProblem | null => {
  if (!isPlainObject(value)) return { field: '', message: 'an entry is a JSON object' };
  const keys = Object.keys(value);
  if (keys.length !== ENTRY_KEYS.length || keys.some((key, i) => key !== ENTRY_KEYS[i])) {
    const missing = ENTRY_KEYS.filter((key) => !keys.includes(key));
    const extra = keys.filter((key) => !ENTRY_KEYS.includes(key));
    return {
      field: extra[0] ?? missing[0] ?? '',
      message: `entry fields must be exactly ${ENTRY_KEYS.join(', ')}${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; unexpected ${extra.join(', ')}` : ''}`,
    };
  }
  const entry = value as Record<string, unknown>;
  if (entry.v !== 1) return { field: 'v', message: 'unsupported entry format version' };
  if (typeof entry.log !== 'string' || !LOG_ID_PATTERN.test(entry.log))
    return { field: 'log', message: 'invalid log id' };
  if (typeof entry.sequence !== 'string' || !SEQUENCE_PATTERN.test(entry.sequence))
    return { field: 'sequence', message: 'a sequence is a decimal string without leading zeros' };
  if (typeof entry.time !== 'string' || !UTC_TIME_PATTERN.test(entry.time))
    return { field: 'time', message: 'a time is UTC with milliseconds, such as 2025-01-31T09:30:00.000Z' };
  if (typeof entry.actor !== 'string' || !PARTY_ID_PATTERN.test(entry.actor))
    return { field: 'actor', message: 'an actor is kind:id' };
  if (typeof entry.type !== 'string' || !isAuditEventType(entry.type))
    return { field: 'type', message: `${JSON.stringify(entry.type)} is not an audit event type` };
  const subjects = entry.subjects;
  if (!Array.isArray(subjects) || subjects.length > 64)
    return { field: 'subjects', message: 'subjects is a list of at most 64 ids' };
  for (let i = 0; i < subjects.length; i++) {
    const subject: unknown = subjects[i];
    if (typeof subject !== 'string' || !PARTY_ID_PATTERN.test(subject))
      return { field: `subjects.${i}`, message: 'a subject is kind:id' };
  }
  if (entry.commitment !== null && (typeof entry.commitment !== 'string' || !HASH_HEX_PATTERN.test(entry.commitment)))
    return { field: 'commitment', message: 'a commitment is 64 lower-case hex digits or null' };
  if (entry.previous !== null && (typeof entry.previous !== 'string' || !HASH_HEX_PATTERN.test(entry.previous)))
    return { field: 'previous', message: 'previous is a leaf hash in 64 lower-case hex digits or null' };
  if (!isPlainObject(entry.payload)) return { field: 'payload', message: 'the payload is a JSON object' };
  // Skipped only where the reader is that current schema (not a version 1 payload without "pv").
  if (options.payload === false && isCurrentPayload(entry.type, entry.payload)) return null;
  const payload = payloadReaderFor(entry.type, entry.payload).safeParse(entry.payload);
  if (!payload.success) {
    const issue = payload.error.issues[0];
    return { field: ['payload', ...(issue?.path ?? [])].join('.'), message: issue?.message ?? 'invalid payload' };
  }
  return null;
};

/** The entry's canonical bytes: exactly one line of entries.jsonl, and what the leaf hash covers. */
export const entryBytes = (entry: AuditEntry): Uint8Array => canonicalJsonBytes(entry);

export const entryLeafHash = (bytes: Uint8Array, sha256: Sha256): MerkleHash => hashLeaf(sha256, bytes);

/** The salted commitment to personal data: sha256(salt ‖ JCS(data)). The salt (≥ 16 random bytes) is passed in. */
export const commitPersonalData = (salt: Uint8Array, data: JsonValue, sha256: Sha256): string =>
  commitCanonicalBytes(salt, canonicalJsonBytes(data), sha256);

/** The same commitment over data already in its canonical (JCS) bytes, for a caller that stores those bytes too. */
export const commitCanonicalBytes = (salt: Uint8Array, canonical: Uint8Array, sha256: Sha256): string => {
  if (salt.length < MIN_SALT_BYTES) throw new RangeError(`a commitment salt needs at least ${MIN_SALT_BYTES} bytes`);
  return bytesToHex(sha256(concatBytes(salt, canonical)));
};
