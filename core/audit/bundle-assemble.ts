// Assembles the files of an export bundle from a log's entries, checkpoints and keys, and packs them as one zip.
import { zipSync } from 'fflate';
import { canonicalJsonBytes } from '../shared/canonical-json.ts';
import type { Sha256 } from '../shared/sha256.ts';
import { bytesToBase64, bytesToHex, utf8Bytes } from './bytes.ts';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  CSV_FILE,
  ENTRIES_FILE,
  KEYS_FILE,
  MANIFEST_FILE,
  PERSONAL_DATA_FILE,
  README_FILE,
  ZIP_MAX_CONTENT_BYTES,
  checkpointFileName,
} from './bundle-format.ts';
import type { KeyRecord, Manifest, PersonalDataLine } from './bundle-format.ts';
import { readBundleZip } from './bundle-zip.ts';
import type { ZipReadResult } from './bundle-zip.ts';
import { csvHeader, csvRow } from './csv.ts';
import type { AuditEntry } from './entry.ts';
import { auditBundleJsonSchemas } from './json-schemas.ts';

export type BundleFiles = ReadonlyMap<string, Uint8Array>;

export type BundleSource = {
  readonly logId: string;
  readonly origin: string;
  /** Canonical bytes of every entry, in sequence order from 0; the last one is the audit.exported entry. */
  readonly entries: readonly Uint8Array[];
  /** The RFC 6962 root over all entries: the caller has it from its stored tree. */
  readonly treeRoot: Uint8Array;
  /** Signed checkpoint notes in signing order; the last covers every entry. */
  readonly checkpoints: readonly { readonly size: number; readonly note: string }[];
  readonly keys: readonly KeyRecord[];
  /** Personal data lines (data or tombstones) in sequence order, or null to leave personal data out. */
  readonly personalData: readonly PersonalDataLine[] | null;
  /** Whether to write entries.csv, the spreadsheet view derived from entries.jsonl (decision 0231). */
  readonly csv?: boolean;
  /** The region the exporting workstation is pinned to (decision 0252); absent when it is not enrolled. */
  readonly region?: string;
  readonly sha256: Sha256;
};

const NEWLINE = 0x0a;

const joinLines = (lines: readonly Uint8Array[]): Uint8Array => {
  let length = 0;
  for (const line of lines) length += line.length + 1;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const line of lines) {
    out.set(line, offset);
    offset += line.length;
    out[offset++] = NEWLINE;
  }
  return out;
};

const concatChunks = (chunks: readonly Uint8Array[]): Uint8Array => {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
};

const decoder = new TextDecoder();

/** entries.csv from the canonical entries, built in chunks so a large log never becomes one giant string. */
export const buildCsv = (entries: readonly Uint8Array[]): Uint8Array => {
  const chunks: Uint8Array[] = [utf8Bytes(csvHeader())];
  let text = '';
  for (let i = 0; i < entries.length; i++) {
    text += csvRow(JSON.parse(decoder.decode(entries[i])) as AuditEntry);
    if (text.length > 1 << 22) {
      chunks.push(utf8Bytes(text));
      text = '';
    }
  }
  chunks.push(utf8Bytes(text));
  return concatChunks(chunks);
};

const README = [
  'Perimeter audit export',
  '',
  'entries.jsonl        one entry per line, each line exactly its RFC 8785 canonical JSON bytes',
  'checkpoints/         C2SP signed checkpoints (Ed25519 signed notes) over the RFC 6962 Merkle root',
  'keys.json            the signing keys with their validity windows (also announced inside the log)',
  "personal-data.jsonl  (when included) the data and salts that open the entries' commitments, or tombstones",
  'entries.csv          (when exported with --csv) a spreadsheet view derived from entries.jsonl; it is not signed:',
  '                     trust the JSON. `perimeter audit csv BUNDLE` derives it from any bundle after verifying it',
  'schema/              JSON Schemas of every JSON file',
  'manifest.json        counts and hashes',
  '',
  'Verify:  perimeter audit verify <this file> --key <the log verifier key obtained independently>',
  'Without --key the result is "integrity only": the keys inside the bundle are not independently trusted.',
  'The format is specified in docs/audit-export.md of the Perimeter repository.',
  '',
].join('\n');

/** How a JSON Schema is written into the bundle (the verifier rebuilds the same bytes to compare). */
export const schemaFileBytes = (schema: Record<string, unknown>): Uint8Array =>
  utf8Bytes(`${JSON.stringify(schema, null, 2)}\n`);

/**
 * The files that do not depend on the log (README and schemas). Their hashes go into the audit.exported entry,
 * so the signed log itself vouches for them.
 */
export const staticBundleFiles = (): Map<string, Uint8Array> => {
  const files = new Map<string, Uint8Array>([[README_FILE, utf8Bytes(README)]]);
  for (const [path, schema] of Object.entries(auditBundleJsonSchemas())) files.set(path, schemaFileBytes(schema));
  return files;
};

export const staticFileHashes = (sha256: Sha256): { path: string; sha256: string }[] =>
  [...staticBundleFiles()]
    .map(([path, bytes]) => ({ path, sha256: bytesToHex(sha256(bytes)) }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));

/** All files of the bundle, manifest last (it hashes the others). */
export const assembleBundle = (source: BundleSource): Map<string, Uint8Array> => {
  const { entries, sha256 } = source;
  if (entries.length === 0) throw new RangeError('a bundle needs at least one entry');
  const last = source.checkpoints.at(-1);
  if (!last || last.size !== entries.length) throw new RangeError('the last checkpoint must cover every entry');
  const first = JSON.parse(decoder.decode(entries[0])) as AuditEntry;
  const final = JSON.parse(decoder.decode(entries[entries.length - 1])) as AuditEntry;
  if (final.type !== 'audit.exported') throw new RangeError('the last entry of a bundle is its audit.exported entry');

  const files = new Map<string, Uint8Array>();
  files.set(ENTRIES_FILE, joinLines(entries));
  if (source.csv === true) files.set(CSV_FILE, buildCsv(entries));
  for (const checkpoint of source.checkpoints)
    files.set(checkpointFileName(checkpoint.size), utf8Bytes(checkpoint.note));
  files.set(KEYS_FILE, canonicalJsonBytes({ keys: source.keys }));
  if (source.personalData)
    files.set(PERSONAL_DATA_FILE, joinLines(source.personalData.map((line) => canonicalJsonBytes(line))));
  for (const [path, bytes] of staticBundleFiles()) files.set(path, bytes);

  const hashed = [...files.keys()].filter((path) => path !== ENTRIES_FILE && path !== CSV_FILE);
  const manifestWithoutFiles = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    logId: source.logId,
    origin: source.origin,
    ...(source.region ? { region: source.region } : {}),
    exportEntry: final.sequence,
    entries: {
      count: String(entries.length),
      firstTime: first.time,
      lastTime: final.time,
      treeRoot: bytesToBase64(source.treeRoot),
    },
    checkpoints: source.checkpoints.map((checkpoint) => String(checkpoint.size)),
    keys: source.keys.length,
    personalData: source.personalData
      ? {
          present: String(source.personalData.filter((line) => 'data' in line).length),
          erased: String(source.personalData.filter((line) => 'erasedBy' in line).length),
        }
      : null,
  } as const;
  const manifest: Manifest = {
    ...manifestWithoutFiles,
    files: hashed.sort().map((path) => {
      const bytes = files.get(path)!;
      return { path, sha256: bytesToHex(sha256(bytes)), bytes: String(bytes.length) };
    }),
  };
  files.set(MANIFEST_FILE, canonicalJsonBytes(manifest));
  return files;
};

export { ZIP_MAX_CONTENT_BYTES };

/** Why these files cannot be zipped as one bundle, or null when they can. */
export const bundleSizeProblem = (files: BundleFiles, limit: number = ZIP_MAX_CONTENT_BYTES): string | null => {
  let total = 0;
  for (const bytes of files.values()) total += bytes.length;
  if (total <= limit) return null;
  return (
    `the export holds ${total.toLocaleString('en')} bytes, more than the ${limit.toLocaleString('en')} a zip without ` +
    'ZIP64 can carry; ZIP64 bundles are not supported yet, so nothing was exported'
  );
};

/** One zip file an auditor can carry; the same reader works in Node and in the browser. */
export const zipBundle = (
  files: BundleFiles,
  options: { readonly level?: 0 | 1 | 6 | 9; readonly mtime: Date },
): Uint8Array => {
  const tooLarge = bundleSizeProblem(files);
  if (tooLarge !== null) throw new RangeError(tooLarge);
  const zippable: Record<string, Uint8Array> = {};
  for (const [path, bytes] of files) zippable[path] = bytes;
  // Zip (DOS) times run from 1980 to 2099; the time is informative only, so clamp rather than fail.
  const year = options.mtime.getUTCFullYear();
  const mtime =
    year < 1980 ? new Date(Date.UTC(1980, 0, 1)) : year > 2099 ? new Date(Date.UTC(2099, 11, 31)) : options.mtime;
  return zipSync(zippable, { level: options.level ?? 6, mtime });
};

export { isBundlePath } from './bundle-zip.ts';
export type { UnzippedBundle } from './bundle-zip.ts';

/** Reads a bundle zip with the portable inflater (the browser's reader; services pass the native one): bundle-zip.ts. */
export const unzipBundle = (zip: Uint8Array, limits: { readonly maxTotalBytes?: number } = {}): ZipReadResult =>
  readBundleZip(zip, limits);
