// The field formats every audit record shares: sequence numbers, times, ids and hashes, each with one spelling.
import * as z from 'zod';
import type { Brand } from '../shared/brand.ts';

export type LogId = Brand<string, 'LogId'>;
export type SubjectId = Brand<string, 'SubjectId'>;

export const SEQUENCE_PATTERN = /^(0|[1-9][0-9]{0,19})$/;
export const UTC_TIME_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
export const LOG_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** kind:id, for subjects (lead:L-1042) and actors (user:u-7, system:intake, device:D1). */
export const PARTY_ID_PATTERN = /^[a-z][a-z_]{0,31}:[\x21-\x7e]{1,200}$/;
export const HASH_HEX_PATTERN = /^[0-9a-f]{64}$/;
export const KEY_ID_PATTERN = /^[0-9a-f]{8}$/;

/** Sequence numbers and counts are decimal strings: a log may outgrow 2^53, and JSON numbers would silently round. */
export const SequenceText = z.string().regex(SEQUENCE_PATTERN, 'a decimal string without leading zeros, such as "42"');
export const UtcTime = z
  .string()
  .regex(UTC_TIME_PATTERN, 'a UTC time with milliseconds, such as 2025-01-31T09:30:00.000Z');
export const LogIdText = z.string().regex(LOG_ID_PATTERN, '1 to 64 letters, digits, ".", "_" or "-"');
export const PartyIdText = z.string().regex(PARTY_ID_PATTERN, 'kind:id, such as lead:L-1042 or user:u-7');
export const HashHex = z.string().regex(HASH_HEX_PATTERN, 'a SHA-256 hash as 64 lower-case hex digits');
export const KeyIdHex = z.string().regex(KEY_ID_PATTERN, 'a note key id as 8 lower-case hex digits');

export const sequenceText = (sequence: number): string => String(sequence);

/** The time as entries spell it; a Date outside years 0000-9999 has no such spelling. */
export const utcTimeText = (time: Date): string => {
  const text = time.toISOString();
  if (!UTC_TIME_PATTERN.test(text)) throw new RangeError(`time ${text} cannot be written as an audit time`);
  return text;
};

/** Parses a decimal string to a number when it fits exactly; larger values are refused rather than rounded. */
export const parseSequence = (text: string): number | null => {
  if (!SEQUENCE_PATTERN.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
};
