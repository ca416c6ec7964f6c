// The export bundle's layout: file names, and the zod schemas of manifest.json, keys.json and personal-data.jsonl.
import * as z from 'zod';
import { HashHex, KeyIdHex, LogIdText, SequenceText, UtcTime } from './fields.ts';

export const BUNDLE_FORMAT = 'perimeter-audit-export';
export const BUNDLE_FORMAT_VERSION = 1;

export const MANIFEST_FILE = 'manifest.json';
export const ENTRIES_FILE = 'entries.jsonl';
export const CSV_FILE = 'entries.csv';
export const KEYS_FILE = 'keys.json';
export const PERSONAL_DATA_FILE = 'personal-data.jsonl';
export const README_FILE = 'README.txt';
export const CHECKPOINT_DIR = 'checkpoints/';
export const SCHEMA_DIR = 'schema/';

/**
 * The largest bundle a plain (not ZIP64) zip can hold: with less than 4 GiB of content in total, every size and offset
 * in the archive fits its 32-bit field. ZIP64 is not written (nor read) yet.
 */
export const ZIP_MAX_CONTENT_BYTES = 0xffff_ffff - 64 * 1024 * 1024;

export const checkpointFileName = (size: number | string): string => `${CHECKPOINT_DIR}${size}.checkpoint`;
export const CHECKPOINT_FILE_PATTERN = /^checkpoints\/(0|[1-9][0-9]*)\.checkpoint$/;

const Base64Hash = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'a SHA-256 hash in standard base64');

/** A checkpoint signing key with its validity window, as keys.json lists it (the log's own announcements rule). */
export const KeyRecordSchema = z.strictObject({
  name: z.string().min(1).max(200).describe('the note key name (the log origin)'),
  keyId: KeyIdHex.describe('SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[0:4] in hex'),
  verifierKey: z.string().min(1).max(400).describe('the C2SP note verifier key: <name>+<key id>+<base64(0x01 ‖ key)>'),
  validFrom: UtcTime.describe('the key may sign checkpoints whose last entry is at or after this time'),
  validUntil: UtcTime.describe('… and at or before this time'),
  announcedAt: SequenceText.describe('the entry (log.created or key.rotated) that announced the key'),
  retiredAt: SequenceText.nullable().describe(
    'the key.rotated entry that retired it; it may sign up to and including it',
  ),
});
export type KeyRecord = z.infer<typeof KeyRecordSchema>;

export const KeysFileSchema = z
  .strictObject({ keys: z.array(KeyRecordSchema).min(1) })
  .describe('keys.json: every checkpoint signing key this log has used, in order of announcement');
export type KeysFile = z.infer<typeof KeysFileSchema>;

// Only fields the verifier can check against the signed log: the commitment binds salt and data, the erasure entry
// binds the tombstone. (The data subject is among the entry's subjects; the retention regime stays in the store.)
export const PersonalDataLineSchema = z
  .union([
    z.strictObject({
      sequence: SequenceText.describe('the entry whose commitment this data opens'),
      salt: z.string().regex(/^([0-9a-f]{2}){16,64}$/, 'the salt in hex, 16 to 64 bytes'),
      data: z.json().describe('the personal data; sha256(salt ‖ JCS(data)) is the entry commitment'),
    }),
    z.strictObject({
      sequence: SequenceText,
      erasedBy: SequenceText.describe('the subject.erased or retention.purged entry that deleted data and salt'),
    }),
  ])
  .describe('One line of personal-data.jsonl: the data that opens a commitment, or the tombstone left by its erasure');
export type PersonalDataLine = z.infer<typeof PersonalDataLineSchema>;
export type PersonalDataValue = Extract<PersonalDataLine, { data: unknown }>['data'];

export const ManifestSchema = z
  .strictObject({
    format: z.literal(BUNDLE_FORMAT),
    formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
    logId: LogIdText,
    origin: z.string().min(1).max(200).describe('the checkpoint origin line and key name'),
    region: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,32}$/)
      .optional()
      .describe('the region the workstation is pinned to, as its signed audit.exported entry says; absent if none'),
    exportEntry: SequenceText.describe('the audit.exported entry that recorded this export: the last entry'),
    entries: z.strictObject({
      count: SequenceText,
      firstTime: UtcTime,
      lastTime: UtcTime,
      treeRoot: Base64Hash.describe('RFC 6962 root over every line of entries.jsonl (equals the last checkpoint root)'),
    }),
    checkpoints: z
      .array(SequenceText)
      .min(1)
      .describe('tree sizes of the checkpoints in signing order; each is checkpoints/<size>.checkpoint'),
    keys: z.number().int().min(1).describe('number of keys in keys.json'),
    personalData: z
      .strictObject({ present: SequenceText, erased: SequenceText })
      .nullable()
      .describe('line counts of personal-data.jsonl, or null when the export leaves personal data out'),
    files: z
      .array(z.strictObject({ path: z.string().min(1).max(200), sha256: HashHex, bytes: SequenceText }))
      .describe(
        'every other file except entries.jsonl (covered by treeRoot) and entries.csv (re-derived by the verifier)',
      ),
  })
  .describe('manifest.json: what the bundle holds, with counts and hashes');
export type Manifest = z.infer<typeof ManifestSchema>;
