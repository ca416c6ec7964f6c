// The offline verifier: recomputes everything from a bundle's bytes, trusts no stored hash, and locates failures.
import type { Sha256 } from '../shared/sha256.ts';
import { portableSha256 } from '../shared/sha256.ts';
import {
  base64ToBytes,
  bytesEqual,
  bytesToBase64,
  bytesToHex,
  hexEqualsBytes,
  hexToBytes,
  lineBounds,
  utf8TextStrict,
} from './bytes.ts';
import type { BundleFiles } from './bundle-assemble.ts';
import {
  CHECKPOINT_FILE_PATTERN,
  CSV_FILE,
  ENTRIES_FILE,
  KEYS_FILE,
  KeysFileSchema,
  MANIFEST_FILE,
  ManifestSchema,
  PERSONAL_DATA_FILE,
  PersonalDataLineSchema,
  README_FILE,
  SCHEMA_DIR,
  checkpointFileName,
} from './bundle-format.ts';
import type { KeyRecord, Manifest } from './bundle-format.ts';
import { parseSignedCheckpoint } from './checkpoint.ts';
import type { CheckpointBody } from './checkpoint.ts';
import { csvHeader } from './csv.ts';
import type { Ed25519Verifier } from './ed25519.ts';
import { commitPersonalData } from './entry.ts';
import type { AuditEntry } from './entry.ts';
import { AUDIT_EVENT_TYPES } from './event-types.ts';
import type { AuditEventType, KeyAnnouncement } from './event-types.ts';
import { consistencyProof, treeRoot, verifyConsistency } from './merkle.ts';
import { merkleHasher, merkleTreeOfLeaves } from './merkle-hasher.ts';
import type { MerkleHasher } from './merkle-hasher.ts';
import type { MerkleHash, MerkleTreeReader } from './merkle.ts';
import { parseVerifierKey, signatureMatchesKey, verifyNoteSignature } from './note.ts';
import type { NoteSignature, NoteVerifierKey } from './note.ts';
import { keyWindowProblem } from './signing-keys.ts';
import { parseCanonicalJson } from './strict-json.ts';
import { entryOfLine, examineLines } from './verify-lines.ts';
import type { CsvToMatch, LineFacts, LineFailure } from './verify-lines.ts';

export type FailureCode =
  | 'missing-file'
  | 'unexpected-file'
  | 'file-hash'
  | 'manifest'
  | 'entry-encoding'
  | 'entry-not-canonical'
  | 'entry-schema'
  | 'entry-sequence'
  | 'entry-log'
  | 'entry-time-order'
  | 'entry-chain'
  | 'entry-altered'
  | 'tail-cut'
  | 'tail-uncovered'
  | 'export-entry'
  | 'checkpoint-format'
  | 'checkpoint-origin'
  | 'checkpoint-misplaced'
  | 'checkpoint-order'
  | 'checkpoint-signature'
  | 'checkpoint-unsigned'
  | 'checkpoint-key-window'
  | 'checkpoint-root'
  | 'fork'
  | 'consistency'
  | 'rollback'
  | 'keys'
  | 'personal-data'
  | 'csv'
  | 'untrusted';

export type VerifyFailure = {
  readonly code: FailureCode;
  /** The bundle file the failure is in (or "known checkpoint N" for one the auditor supplied). */
  readonly file: string;
  /** The entry it is located at, when it is located at an entry. */
  readonly sequence: string | null;
  /** 1-based line in `file`, when the file is line-oriented. */
  readonly line: number | null;
  readonly field: string | null;
  readonly message: string;
};

export type TrustLevel = 'trust-established' | 'integrity-only' | 'not-trusted';

export type KeySummary = {
  readonly keyId: string;
  readonly name: string;
  readonly verifierKey: string;
  readonly validFrom: string;
  readonly validUntil: string;
  readonly announcedAt: string;
  readonly retiredAt: string | null;
  /** Given by the auditor (--key). */
  readonly trusted: boolean;
  /** Trusted, or announced inside a part of the log that a trusted (or endorsed) key signed. */
  readonly endorsed: boolean;
};

export type CheckpointSummary = {
  readonly size: number;
  readonly root: string;
  /** The time of the last entry the checkpoint covers: the moment its key must be valid at. */
  readonly time: string | null;
  readonly signedBy: readonly string[];
  readonly unknownSignatures: number;
};

export type VerifySummary = {
  readonly logId: string | null;
  readonly origin: string | null;
  readonly entries: number;
  readonly firstTime: string | null;
  readonly lastTime: string | null;
  readonly eventCounts: Readonly<Partial<Record<AuditEventType, number>>>;
  readonly checkpoints: readonly CheckpointSummary[];
  readonly keys: readonly KeySummary[];
  readonly personalData: { readonly included: boolean; readonly present: number; readonly erased: number };
  readonly exportEntry: string | null;
  readonly treeRoot: string | null;
};

/** What one checkpoint the auditor saw before (--known) came to, and whose signature vouches for it. */
export type KnownCheckpointSummary = {
  readonly label: string;
  readonly size: number | null;
  readonly root: string | null;
  /** trusted: by a key the auditor trusts or one it endorsed; log-key: only by a key this log announced. */
  readonly signature: 'trusted' | 'log-key' | 'unverified';
  /** The key ids whose signatures verified (at the level `signature` names). */
  readonly signedBy: readonly string[];
  /** not-used: it cannot speak about this log (`problem` says why), so it was not compared. */
  readonly outcome: 'consistent' | 'rollback' | 'fork' | 'not-used';
  readonly problem: string | null;
};

export type AuditVerification = {
  readonly verdict: 'valid' | 'invalid';
  readonly trust: TrustLevel;
  readonly trustNote: string;
  /** The lowest-sequence entry failure if any, else the most specific file failure. */
  readonly firstFailure: VerifyFailure | null;
  /** Up to `maxFailures` failures: entry failures in sequence order, then file failures, then the manifest's. */
  readonly failures: readonly VerifyFailure[];
  readonly failureCount: number;
  readonly summary: VerifySummary;
  /** The checkpoints passed as known (VerifyOptions.knownCheckpoints), in order. */
  readonly known: readonly KnownCheckpointSummary[];
};

export type VerifyProgress = {
  readonly phase: 'entries' | 'checkpoints';
  readonly done: number;
  readonly total: number;
};

export type VerifyOptions = {
  readonly sha256?: Sha256;
  /** Keys the auditor trusts independently of the bundle (--key). Without them the verdict is integrity only. */
  readonly trustedKeys?: readonly NoteVerifierKey[];
  /** Signed checkpoints of this log the auditor saw before: the bundle must be consistent with each. */
  readonly knownCheckpoints?: readonly Uint8Array[];
  readonly onProgress?: (progress: VerifyProgress) => void;
  readonly maxFailures?: number;
  /** Ed25519 signature check; the portable one by default, a native one from services for speed. */
  readonly ed25519Verify?: Ed25519Verifier;
  /**
   * Hashes every line of entries.jsonl (RFC 6962 leaves) and builds the tree over them; on this thread by default.
   * Services pass a parallel one that worker threads run while this thread parses (same bytes, same line split).
   */
  readonly merkle?: MerklePort;
  /**
   * Examines every line of entries.jsonl on its own (decode, canonical parse, shape, CSV row); on this thread by
   * default. Services pass one that worker threads share (verify-lines.ts's examineLines on each range).
   */
  readonly lines?: LinesPort;
  /**
   * The line split of entries.jsonl (core lineBounds' answer) when the caller made it already: the CLI's reader splits
   * the lines while they inflate, and its lines and Merkle ports work on that very split. lineBounds by default.
   */
  readonly lineBounds?: (entries: Uint8Array) => {
    readonly starts: readonly number[];
    readonly ends: readonly number[];
  };
};

/** Facts for consecutive ranges of lines covering every line, in order (the lines are entries[starts[i], ends[i])). */
export type LinesPort = (
  entries: Uint8Array,
  starts: readonly number[],
  ends: readonly number[],
  /** entries.csv, to hold each line's row against (null: no CSV, or its header already differs). */
  csv: Uint8Array | null,
) => Iterable<LineFacts>;

/** Every line examined on the calling thread, a range at a time (the verifier reports progress after each). */
export function* examineOnThisThread(
  entries: Uint8Array,
  starts: readonly number[],
  ends: readonly number[],
  csv: Uint8Array | null,
): Generator<LineFacts> {
  // Each range starts matching where the one before ended (the first counts its way to row 1); after a row that
  // differs (csvEnd -1), no more rows are matched.
  let match: CsvToMatch | null = csv ? { bytes: csv, start: null } : null;
  for (let from = 0; from < starts.length; from += PROGRESS_EVERY) {
    const facts = examineLines(entries, starts, ends, from, Math.min(starts.length, from + PROGRESS_EVERY), match);
    match = csv && facts.csvEnd >= 0 ? { bytes: csv, start: facts.csvEnd } : null;
    yield facts;
  }
}

/** The lines are entries[starts[i], ends[i]); the answer is every leaf hash (32 bytes each, in order) and the tree. */
export type MerklePort = (
  entries: Uint8Array,
  starts: readonly number[],
  ends: readonly number[],
) => { readonly leafHashes: Uint8Array; readonly tree: MerkleTreeReader };

/**
 * The RFC 6962 leaves and tree of every line, on the calling thread: with the batched SIMD hasher where it runs (equal
 * to SHA-256 by its tests and by a self-test when it starts), else one call of `sha256` per hash.
 */
export const merkleOnThisThread =
  (sha256: Sha256, hasher: MerkleHasher = merkleHasher(sha256)): MerklePort =>
  (entries, starts, ends) => {
    const count = starts.length;
    // The leaf hashes are recomputed from the exported bytes, whatever they contain: they are never read from anywhere.
    const leafHashes = new Uint8Array(count * 32);
    hasher.hashLeaves(entries, starts, ends, 0, count, leafHashes, 0);
    return { leafHashes, tree: merkleTreeOfLeaves(hasher, sha256, leafHashes, count) };
  };

/** What prove and consistency need after a verification: the recomputed tree and the good signed checkpoints. */
export type VerifiedLog = {
  readonly origin: string | null;
  readonly entryCount: number;
  readonly tree: MerkleTreeReader;
  readonly entryBytes: (sequence: number) => Uint8Array;
  readonly checkpoints: readonly { readonly body: CheckpointBody; readonly note: Uint8Array }[];
};

type Announced = {
  readonly record: KeyAnnouncement;
  readonly key: NoteVerifierKey;
  readonly announcedAt: number;
  retiredAt: number | null;
};

type CheckpointRecord = {
  readonly file: string;
  readonly body: CheckpointBody;
  readonly signatures: readonly NoteSignature[];
  readonly text: string;
  readonly note: Uint8Array;
};

type Where = { sequence?: number | string | null; line?: number | null; field?: string | null };

const NEWLINE = 0x0a;
const PROGRESS_EVERY = 1 << 16;

const parseJsonFile = (bytes: Uint8Array): { ok: true; value: unknown } | { ok: false; message: string } => {
  const text = utf8TextStrict(bytes);
  if (text === null) return { ok: false, message: 'not valid UTF-8' };
  const parsed = parseCanonicalJson(text);
  if (!parsed.ok) return { ok: false, message: `${parsed.error.message} (offset ${parsed.error.offset})` };
  return { ok: true, value: parsed.value };
};

/** Whether the 32 bytes at a[aAt] equal those at b[bAt]. */
const sameHash = (a: Uint8Array, aAt: number, b: Uint8Array, bAt: number): boolean => {
  for (let k = 0; k < 32; k++) if (a[aAt + k] !== b[bAt + k]) return false;
  return true;
};

const compareSequence = (a: string, b: string): number =>
  a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;

/**
 * Verifies an export bundle. Pure: the caller passes the unzipped files, a SHA-256 (the portable one by default),
 * and optionally keys it trusts and checkpoints it saw before. Every check runs; the report names the first failing
 * entry (by sequence) or the file at fault, the reason, and a summary.
 */
export const verifyAuditBundle = (
  files: BundleFiles,
  options: VerifyOptions = {},
): { readonly report: AuditVerification; readonly log: VerifiedLog } => {
  const sha256 = options.sha256 ?? portableSha256;
  const maxFailures = options.maxFailures ?? 200;
  const failures: VerifyFailure[] = [];
  let failureCount = 0;
  const fail = (code: FailureCode, file: string, message: string, where: Where = {}): void => {
    failureCount++;
    if (failures.length >= maxFailures * 8) return;
    failures.push({
      code,
      file,
      sequence: where.sequence === undefined || where.sequence === null ? null : String(where.sequence),
      line: where.line ?? null,
      field: where.field ?? null,
      message,
    });
  };
  /** Files whose content checked out on its own (signatures, the log's announcements, regenerated bytes). */
  const validated = new Set<string>();

  // --- manifest (parsed first, judged last: its claims are checked against content that proves itself) ------------
  let manifest: Manifest | null = null;
  const manifestBytes = files.get(MANIFEST_FILE);
  if (!manifestBytes) fail('missing-file', MANIFEST_FILE, 'the bundle has no manifest.json');
  else {
    const parsed = parseJsonFile(manifestBytes);
    if (!parsed.ok) fail('manifest', MANIFEST_FILE, `manifest.json is not canonical JSON: ${parsed.message}`);
    else {
      const checked = ManifestSchema.safeParse(parsed.value);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        fail('manifest', MANIFEST_FILE, `manifest.json: ${issue?.message ?? 'invalid'}`, {
          field: issue?.path.join('.') ?? null,
        });
      } else manifest = checked.data;
    }
  }

  // --- checkpoints: the manifest's list and the files present, parsed before the entries ------------------------
  const presentSizes = [...files.keys()]
    .map((path) => CHECKPOINT_FILE_PATTERN.exec(path)?.[1])
    .filter((size): size is string => size !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const listedSizes = manifest ? manifest.checkpoints.map(Number) : presentSizes;
  const orderedSizes = [...listedSizes, ...presentSizes.filter((size) => !listedSizes.includes(size))];
  let previousListed = -1;
  listedSizes.forEach((size, index) => {
    if (size <= previousListed)
      fail(
        'checkpoint-order',
        MANIFEST_FILE,
        size < previousListed
          ? `the checkpoint of size ${size} is listed after one of size ${previousListed}: a rollback`
          : `the checkpoint of size ${size} is listed twice`,
        { field: `checkpoints.${index}` },
      );
    previousListed = Math.max(previousListed, size);
  });
  const checkpointRecords: CheckpointRecord[] = [];
  const seenSizes = new Set<number>();
  for (const size of orderedSizes) {
    if (seenSizes.has(size)) continue;
    seenSizes.add(size);
    const file = checkpointFileName(size);
    const bytes = files.get(file);
    if (!bytes) {
      fail('missing-file', MANIFEST_FILE, `the manifest lists a checkpoint of size ${size} but ${file} is missing`, {
        field: `checkpoints.${listedSizes.indexOf(size)}`,
      });
      continue;
    }
    const parsed = parseSignedCheckpoint(bytes);
    if (!parsed.ok) {
      fail('checkpoint-format', file, `not a C2SP signed checkpoint: ${parsed.error}`);
      continue;
    }
    const { body, note } = parsed.value;
    if (body.size !== size) {
      fail(
        'checkpoint-misplaced',
        file,
        `${file} holds a checkpoint of size ${body.size}: checkpoints were swapped or renamed`,
      );
      continue;
    }
    if (body.size === 0) {
      fail('checkpoint-format', file, 'a checkpoint of the empty tree');
      continue;
    }
    checkpointRecords.push({ file, body, signatures: note.signatures, text: note.text, note: bytes });
  }
  // Sizes whose last entry's time the key windows are judged at.
  const timeNeeded = new Set(checkpointRecords.map((record) => record.body.size - 1));
  const timeNeededFlags = (size: number): Uint8Array => {
    const flags = new Uint8Array(size);
    for (const line of timeNeeded) if (line >= 0 && line < size) flags[line] = 1;
    return flags;
  };

  // --- entries ------------------------------------------------------------------------------------------------
  const entriesBytes = files.get(ENTRIES_FILE) ?? new Uint8Array(0);
  if (!files.has(ENTRIES_FILE)) fail('missing-file', ENTRIES_FILE, 'the bundle has no entries.jsonl');
  const { starts: lineStarts, ends: lineEnds } = (options.lineBounds ?? lineBounds)(entriesBytes);
  const entryCount = lineStarts.length;
  const lineBytes = (i: number): Uint8Array => entriesBytes.subarray(lineStarts[i]!, lineEnds[i]!);
  if (entriesBytes.length > 0 && entriesBytes[entriesBytes.length - 1] !== NEWLINE)
    fail('entry-encoding', ENTRIES_FILE, 'the last line is not terminated by a newline (the file was cut)', {
      sequence: entryCount - 1,
      line: entryCount,
    });
  if (files.has(ENTRIES_FILE) && entryCount === 0) fail('entry-encoding', ENTRIES_FILE, 'entries.jsonl is empty');

  // Each parsed entry's previous-hash, decoded; links are checked once every leaf hash is known (after the loop, so a
  // parallel hasher works while this thread parses).
  const previousBytes = new Uint8Array(entryCount * 32);
  const previousKind = new Uint8Array(entryCount); // 0 not parsed, 1 null, 2 a hash
  const timeNeededAt = timeNeededFlags(entryCount);
  const parsedOk = new Uint8Array(entryCount);
  const linkIntact = new Uint8Array(entryCount);
  // The sequence each line claims (-1: unreadable): lines out of place are told apart from altered ones below.
  const sequenceAt = new Float64Array(entryCount).fill(-1);
  const entryFailed = new Uint8Array(entryCount);
  const timesAt = new Map<number, string>();
  const eventCounts: Partial<Record<AuditEventType, number>> = {};
  const erasers = new Map<number, AuditEntry>();
  const wantCommitments = files.has(PERSONAL_DATA_FILE);
  const commitments = new Map<number, { commitment: string; subjects: readonly string[] }>();
  const announced = new Map<string, Announced>();
  const announcedOrder: Announced[] = [];
  let activeKey: Announced | null = null;
  // Held in an object: closures assign them, which TypeScript's narrowing of plain variables does not follow.
  const ends: { first: AuditEntry | null; last: AuditEntry | null } = { first: null, last: null };
  let logId: string | null = null;
  let logOrigin: string | null = null;
  const timeOrderIssues: { at: number; blame: number; previousLine: number }[] = [];

  // entries.csv is optional (decision 0231): whether the bundle must carry it is the export entry's word, checked below.
  const csvBytes = files.get(CSV_FILE);
  const encoder = new TextEncoder();
  let csvOffset = 0;
  let csvOk = csvBytes !== undefined;
  let csvBuffer = new Uint8Array(4096);
  const compareCsv = (text: string, line: number): void => {
    if (!csvOk || !csvBytes) return;
    if (csvBuffer.length < text.length * 3) csvBuffer = new Uint8Array(text.length * 3);
    const { written } = encoder.encodeInto(text, csvBuffer);
    let same = csvOffset + written <= csvBytes.length;
    for (let i = 0; same && i < written; i++) if (csvBuffer[i] !== csvBytes[csvOffset + i]) same = false;
    if (!same) {
      csvOk = false;
      fail('csv', CSV_FILE, `entries.csv line ${line} differs from the view derived from entries.jsonl`, { line });
      return;
    }
    csvOffset += written;
  };
  compareCsv(csvHeader(), 1);

  const entryFail = (code: FailureCode, i: number, message: string, field: string | null = null): void => {
    entryFailed[i] = 1;
    fail(code, ENTRIES_FILE, message, { sequence: i, line: i + 1, field });
  };

  // The entry of a line that examined well, parsed again here: only the few lines the ordered checks need whole.
  const entryAt = (i: number): AuditEntry => entryOfLine(lineBytes(i));
  let lastGoodLine = -1;
  let lastGoodKey = 0;
  let keyBefore: number | null = null;

  /** The ordered checks of line i, from what examining it alone found (facts), in the order they always ran. */
  const judgeLine = (facts: LineFacts, i: number): void => {
    const at = i - facts.from;
    if (facts.failed[at]) return;
    parsedOk[i] = 1;
    if (ends.first === null) ends.first = entryAt(i);
    if (i === entryCount - 1) ends.last = entryAt(i);
    if (timeNeededAt[i]) timesAt.set(i, entryAt(i).time);
    const type = AUDIT_EVENT_TYPES[facts.typeIndex[at]!]!;
    eventCounts[type] = (eventCounts[type] ?? 0) + 1;
    sequenceAt[i] = facts.sequence[at]!;
    const log = facts.logs[facts.logIndex[at]!]!;
    if (logId === null) logId = log;
    if (log !== logId) entryFail('entry-log', i, `an entry of log ${log} in the log ${logId}`, 'log');
    previousKind[i] = facts.previousKind[at]!;
    if (previousKind[i] === 2) for (let k = 0; k < 32; k++) previousBytes[i * 32 + k] = facts.previous[at * 32 + k]!;
    if (i === 0 && previousKind[i] !== 1)
      entryFail('entry-chain', i, 'the first entry names a predecessor', 'previous');
    const key = facts.timeKey[at]!;
    if (lastGoodLine >= 0 && key < lastGoodKey)
      // Entry i is earlier than i-1: either i moved back or i-1 moved forward; if i still fits after i-2, blame i-1.
      timeOrderIssues.push({
        at: i,
        blame: keyBefore !== null && keyBefore <= key ? i - 1 : i,
        previousLine: lastGoodLine,
      });
    keyBefore = lastGoodLine >= 0 ? lastGoodKey : null;
    lastGoodKey = key;
    lastGoodLine = i;
    if ((i === 0) !== (type === 'log.created'))
      entryFail(
        'entry-schema',
        i,
        i === 0 ? 'the first entry must be log.created' : 'log.created may only be the first entry',
        'type',
      );
    // What other files refer to by sequence (keys.json, personal-data.jsonl) is keyed by the sequence the entry
    // carries, so a line out of place is found once, at its place, and not again in every file that names it.
    if (type === 'log.created' || type === 'key.rotated' || type === 'subject.erased' || type === 'retention.purged') {
      const entry = entryAt(i);
      const sequence = sequenceAt[i]! >= 0 ? sequenceAt[i]! : i;
      if (type === 'log.created' && i === 0) logOrigin = (entry.payload as { origin: string }).origin;
      if (type === 'log.created' || type === 'key.rotated') announce(i, sequence, entry);
      if (type === 'subject.erased' || type === 'retention.purged') erasers.set(sequence, entry);
    }
    if (wantCommitments && facts.hasCommitment[at]) {
      const entry = entryAt(i);
      commitments.set(sequenceAt[i]! >= 0 ? sequenceAt[i]! : i, {
        commitment: entry.commitment!,
        subjects: entry.subjects,
      });
    }
  };

  /** The range's CSV rows, which its examination held against entries.csv: the first that differs is the finding. */
  const compareCsvRows = (facts: LineFacts): void => {
    if (!csvOk || !csvBytes) return;
    if (facts.csvStart !== csvOffset)
      throw new Error(`the lines port matched entries.csv from offset ${facts.csvStart}, not ${csvOffset}`);
    if (facts.csvMismatch >= 0) {
      csvOk = false;
      const line = facts.csvMismatch + 2;
      fail('csv', CSV_FILE, `entries.csv line ${line} differs from the view derived from entries.jsonl`, { line });
      return;
    }
    csvOffset = facts.csvEnd;
  };

  const announce = (i: number, sequence: number, entry: AuditEntry): void => {
    const payload = entry.payload as { key: KeyAnnouncement; previousKeyId?: string };
    const key = parseVerifierKey(payload.key.verifierKey, sha256);
    if (!key.ok) return entryFail('entry-schema', i, `announced key: ${key.error.reason}`, 'payload.key.verifierKey');
    if (bytesToHex(key.value.keyId) !== payload.key.keyId || key.value.name !== payload.key.name)
      return entryFail(
        'entry-schema',
        i,
        'the announced key id or name does not match its verifier key',
        'payload.key.keyId',
      );
    if (announced.has(payload.key.keyId))
      return entryFail('entry-schema', i, 'the key was announced before', 'payload.key.keyId');
    if (entry.type === 'key.rotated') {
      if (!activeKey || bytesToHex(activeKey.key.keyId) !== payload.previousKeyId)
        return entryFail('entry-schema', i, 'key.rotated must retire the key in use', 'payload.previousKeyId');
      activeKey.retiredAt = sequence;
    }
    const record: Announced = { record: payload.key, key: key.value, announcedAt: sequence, retiredAt: null };
    announced.set(payload.key.keyId, record);
    announcedOrder.push(record);
    activeKey = record;
  };

  // Every line examined on its own (here, range by range, or on worker threads through options.lines), then judged
  // in order; the examination's failures are the line's first.
  // The rows after the header are matched only while the header matched.
  const csvToMatch = csvOk && csvBytes ? csvBytes : null;
  const examined = options.lines
    ? options.lines(entriesBytes, lineStarts, lineEnds, csvToMatch)
    : examineOnThisThread(entriesBytes, lineStarts, lineEnds, csvToMatch);
  let judged = 0;
  for (const facts of examined) {
    if (facts.from !== judged || facts.to < facts.from || facts.to > entryCount)
      throw new Error(`the lines port examined lines ${facts.from}..${facts.to} where line ${judged} was next`);
    const failuresAt = new Map<number, LineFailure>();
    for (const failure of facts.failures) failuresAt.set(failure.line, failure);
    for (let i = facts.from; i < facts.to; i++) {
      const failure = failuresAt.get(i);
      if (failure) entryFail(failure.code, i, failure.message, failure.field);
      else judgeLine(facts, i);
    }
    compareCsvRows(facts);
    judged = facts.to;
    options.onProgress?.({ phase: 'entries', done: judged, total: entryCount });
  }
  if (judged !== entryCount) throw new Error(`the lines port examined ${judged} lines of ${entryCount}`);
  if (csvOk && csvBytes && csvOffset !== csvBytes.length)
    fail('csv', CSV_FILE, 'entries.csv has rows that no entry produces', { line: entryCount + 2 });

  // The tree and every leaf hash, recomputed from the lines' bytes; then each parsed entry's link to its predecessor.
  const hashed = (options.merkle ?? merkleOnThisThread(sha256))(entriesBytes, lineStarts, lineEnds);
  const { leafHashes, tree } = hashed;
  if (leafHashes.length !== entryCount * 32 || tree.size() !== entryCount)
    throw new Error(`the Merkle port hashed ${tree.size()} lines of ${entryCount}`);
  for (let i = 0; i < entryCount; i++) {
    if (!parsedOk[i]) continue;
    if (i === 0) linkIntact[i] = previousKind[i] === 1 ? 1 : 0;
    else linkIntact[i] = previousKind[i] === 2 && sameHash(previousBytes, i * 32, leafHashes, (i - 1) * 32) ? 1 : 0;
  }

  const origin = logOrigin ?? checkpointRecords[0]?.body.origin ?? manifest?.origin ?? null;
  const rootAt = (size: number): MerkleHash => treeRoot(tree.read, sha256, size);
  const rootMatches = new Map<number, boolean>();
  for (const record of checkpointRecords)
    if (record.body.size <= entryCount)
      rootMatches.set(record.body.size, bytesEqual(rootAt(record.body.size), record.body.root));

  // Lines out of place. A line continues the one before it when it carries the next sequence; where it does not, it
  // starts a new run, and only a run's start is a finding: after one deleted line every later line is one early, but
  // each still follows its predecessor, so the deletion is the one finding. At a run's start: a line that names its
  // predecessor's hash yet carries another sequence had its sequence field altered; otherwise the sequences skipped
  // there are missing (no line holds them: deleted) or elsewhere (moved: out of order), and a sequence already passed
  // is a second copy (duplicated or inserted) or an entry moved back.
  // Who holds which sequence, built once and only when some line is out of place (so every question below is O(1)).
  type Placement = {
    readonly count: Uint8Array;
    readonly heldBefore: Int32Array;
    readonly nextHeld: Int32Array;
    readonly lineOf: Int32Array;
  };
  let placement: Placement | null = null;
  const placed = (): Placement => {
    if (placement) return placement;
    const count = new Uint8Array(entryCount);
    const lineOf = new Int32Array(entryCount).fill(-1);
    for (let p = 0; p < entryCount; p++) {
      const claimed = sequenceAt[p]!;
      if (!parsedOk[p] || claimed < 0 || claimed >= entryCount) continue;
      if (count[claimed]! < 2) count[claimed]!++;
      if (lineOf[claimed] === -1) lineOf[claimed] = p;
    }
    // heldBefore[s]: how many of the sequences below s some line holds; nextHeld[s]: the first held at or after s.
    const heldBefore = new Int32Array(entryCount + 1);
    for (let q = 0; q < entryCount; q++) heldBefore[q + 1] = heldBefore[q]! + (count[q]! > 0 ? 1 : 0);
    const nextHeld = new Int32Array(entryCount + 1).fill(-1);
    for (let q = entryCount - 1; q >= 0; q--) nextHeld[q] = count[q]! > 0 ? q : nextHeld[q + 1]!;
    placement = { count, heldBefore, nextHeld, lineOf };
    return placement;
  };
  const placeFail = (sequence: number, p: number, message: string): void => {
    if (sequence < entryCount) entryFailed[sequence] = 1;
    fail('entry-sequence', ENTRIES_FILE, message, { sequence, line: p + 1, field: 'sequence' });
  };
  // The sequence line p - 1 stands for: what it carries, or where it belongs when that was found to be wrong (an
  // unreadable line, a sequence out of range or an altered sequence field), so one bad line is one finding.
  let before = -1;
  for (let p = 0; p < entryCount; p++) {
    const claimed = sequenceAt[p]!;
    if (!parsedOk[p] || claimed === before + 1) {
      before = parsedOk[p] ? claimed : before + 1;
      continue;
    }
    if (claimed < 0) {
      placeFail(before + 1, p, `line ${p + 1} claims a sequence beyond this verifier's range`);
      before++;
      continue;
    }
    if (p > 0 && parsedOk[p - 1] && linkIntact[p] === 1) {
      placeFail(
        before + 1,
        p,
        `entry ${before + 1} carries sequence ${claimed}: its sequence field was altered (it names entry ${before}'s hash)`,
      );
      before++;
      continue;
    }
    const previous = before;
    before = claimed;
    if (claimed > previous + 1) {
      const from = previous + 1;
      const to = claimed - 1;
      // Sequences past the file's end are held by no line; the ones inside it are counted with the placement.
      const { heldBefore, nextHeld, lineOf } = placed();
      const inside = Math.min(to, entryCount - 1);
      const held = inside >= from ? heldBefore[inside + 1]! - heldBefore[from]! : 0;
      const missing = to - from + 1 - held;
      const moved = held > 0 ? nextHeld[from]! : -1;
      const span = from === to ? `entry ${from}` : `entries ${from} to ${to}`;
      const after = previous >= 0 ? ` right after entry ${previous}` : ' first';
      placeFail(
        from,
        p,
        moved < 0
          ? `${span} ${from === to ? 'is' : 'are'} missing (deleted): line ${p + 1} holds entry ${claimed}${after}`
          : missing === 0
            ? `line ${p + 1} holds entry ${claimed} where entry ${from} belongs: entries are out of order (entry ${moved} is at line ${lineOf[moved]! + 1})`
            : `line ${p + 1} holds entry ${claimed} where entry ${from} belongs: of ${span}, ${missing} are missing (deleted) and the others out of order`,
      );
      continue;
    }
    placeFail(
      claimed,
      p,
      claimed < entryCount && placed().count[claimed]! > 1
        ? `line ${p + 1} holds a second entry ${claimed}${p > 0 ? ` after entry ${previous}` : ''}: an entry was duplicated or inserted`
        : `line ${p + 1} holds entry ${claimed} after entry ${previous}: entries are out of order (entry ${claimed} was moved)`,
    );
  }
  // Among lines in place, a broken link p says entry p-1 or entry p changed; the next link (or the checkpoint that
  // ends at p) tells which: if entry p is vouched for by its successor, its previous-hash is genuine.
  const inPlace = (p: number): boolean => p >= 0 && p < entryCount && parsedOk[p] === 1 && sequenceAt[p] === p;
  for (let p = 1; p < entryCount; p++) {
    if (linkIntact[p] || !inPlace(p) || !inPlace(p - 1)) continue;
    let culprit: number;
    if (p + 1 < entryCount) culprit = inPlace(p + 1) && linkIntact[p + 1] ? p - 1 : p;
    else culprit = rootMatches.get(p) === true ? p : p - 1;
    const message =
      culprit === p
        ? `entry ${p} was altered: it does not name entry ${p - 1}'s hash${p + 1 < entryCount ? `, and entry ${p + 1} does not name its hash` : ''}`
        : `entry ${culprit} was altered: its hash is not the one entry ${p} names as previous`;
    if (!entryFailed[culprit])
      entryFail(culprit === p ? 'entry-chain' : 'entry-altered', culprit, message, culprit === p ? 'previous' : null);
  }

  for (const issue of timeOrderIssues) {
    // A checkpoint that matches and covers entry at-1 proves it; then the later entry is the one that moved.
    const proven = checkpointRecords.some(
      (record) => record.body.size >= issue.at && rootMatches.get(record.body.size),
    );
    // Cryptographic evidence first: if the chain already located one of the two entries, that one moved.
    const blame = entryFailed[issue.at]
      ? issue.at
      : entryFailed[issue.at - 1]
        ? issue.at - 1
        : proven
          ? issue.at
          : issue.blame;
    if (!entryFailed[blame])
      entryFail(
        'entry-time-order',
        blame,
        `entry ${issue.at}'s time ${entryAt(issue.at).time} is earlier than entry ${issue.at - 1}'s ${entryAt(issue.previousLine).time}${blame === issue.at ? '' : `: entry ${blame}'s time was moved`}`,
        'time',
      );
  }

  // --- signatures, key windows, roots, consistency ------------------------------------------------------------
  const trusted = options.trustedKeys ?? [];
  const isTrusted = (key: NoteVerifierKey): boolean =>
    trusted.some(
      (candidate) =>
        candidate.name === key.name &&
        bytesEqual(candidate.keyId, key.keyId) &&
        bytesEqual(candidate.publicKey, key.publicKey),
    );
  const endorsed = new Set<string>();
  for (const record of announcedOrder) if (isTrusted(record.key)) endorsed.add(bytesToHex(record.key.keyId));

  const checkpointSummaries: CheckpointSummary[] = [];
  const goodRecords: CheckpointRecord[] = [];
  let previousGood: CheckpointRecord | null = null;
  let finalAnchored = false;
  let finalSigned = false;
  const byOrder = [...checkpointRecords].sort((a, b) => a.body.size - b.body.size);
  for (const record of byOrder) {
    const { body, file } = record;
    const time = timesAt.get(body.size - 1) ?? null;
    const signedBy: string[] = [];
    let unknownSignatures = 0;
    let anchored = false;
    let problem = false;
    if (origin !== null && body.origin !== origin) {
      problem = true;
      fail(
        'checkpoint-origin',
        file,
        `origin ${JSON.stringify(body.origin)} is not this log's ${JSON.stringify(origin)}`,
      );
    }
    for (const signature of record.signatures) {
      const keyId = bytesToHex(signature.keyId);
      const candidate = announced.get(keyId);
      if (!candidate || !signatureMatchesKey(signature, candidate.key)) {
        // The note format lets clients ignore unknown signatures (witness cosignatures); a Perimeter export carries
        // only its log's own, so every signature line must be by a key the log announced.
        unknownSignatures++;
        problem = true;
        fail(
          'checkpoint-signature',
          file,
          `a signature by ${signature.name} key ${keyId}, which this log never announced`,
        );
        continue;
      }
      if (!verifyNoteSignature(record.text, signature, candidate.key, options.ed25519Verify)) {
        problem = true;
        fail('checkpoint-signature', file, `the signature by key ${keyId} does not verify`);
        continue;
      }
      // The window is judged on the entries the checkpoint covers (announcements, the time of its last entry), so
      // only when they are the entries it signed; otherwise the root mismatch below is the finding.
      const window = rootMatches.get(body.size)
        ? keyWindowProblem(
            { ...candidate.record, announcedAt: candidate.announcedAt, retiredAt: candidate.retiredAt },
            body.size,
            time,
          )
        : null;
      if (window) {
        problem = true;
        fail('checkpoint-key-window', file, `key ${keyId} signed outside its validity window: ${window}`);
        continue;
      }
      signedBy.push(keyId);
      if (endorsed.has(keyId)) anchored = true;
    }
    if (signedBy.length === 0 && record.signatures.length === 0) {
      problem = true;
      fail('checkpoint-unsigned', file, 'the checkpoint carries no signature');
    }
    checkpointSummaries.push({ size: body.size, root: bytesToBase64(body.root), time, signedBy, unknownSignatures });
    const signedWell = !problem;
    // A trusted signature over size n vouches for every key announced in entries 0..n-1.
    if (anchored && signedWell)
      for (const key of announcedOrder) if (key.announcedAt < body.size) endorsed.add(bytesToHex(key.key.keyId));
    if (body.size > entryCount) {
      // When the last line still holds the entry the checkpoint ends at, the tail is there: lines are missing before
      // it, and the finding about them is where they are missing.
      const lastClaim = entryCount > 0 && parsedOk[entryCount - 1] ? sequenceAt[entryCount - 1]! : -1;
      if (lastClaim >= body.size - 1)
        fail(
          'checkpoint-root',
          file,
          `the checkpoint covers ${body.size} entries but the file has ${entryCount} lines: entries are missing before its last`,
        );
      else
        fail(
          'tail-cut',
          file,
          `the checkpoint covers ${body.size} entries but the file has ${entryCount}: entries from sequence ${entryCount} are missing`,
          { sequence: entryCount },
        );
      continue;
    }
    if (!rootMatches.get(body.size)) {
      if (!signedWell) {
        fail('checkpoint-root', file, 'the root does not match the entries (and the checkpoint is not validly signed)');
        continue;
      }
      const laterMatch = byOrder.some((other) => other.body.size > body.size && rootMatches.get(other.body.size));
      if (laterMatch) {
        fail(
          'fork',
          file,
          `the log signed a root for size ${body.size} that a later checkpoint contradicts: two inconsistent tree heads`,
        );
        continue;
      }
      fail('checkpoint-root', file, 'the signed root does not match the entries');
      // Entries up to the last matching checkpoint are proven; the change lies between it and this one.
      let from = 0;
      for (const other of byOrder)
        if (other.body.size < body.size && rootMatches.get(other.body.size)) from = Math.max(from, other.body.size);
      let located = false;
      for (let i = from; i < body.size; i++) if (entryFailed[i]) located = true;
      if (!located)
        entryFail(
          'entry-altered',
          from,
          from === body.size - 1
            ? `entry ${from} does not match the signed checkpoint of size ${body.size}`
            : `entries ${from} to ${body.size - 1} do not match the signed checkpoint of size ${body.size} (the chain was rewritten from one of them)`,
        );
      continue;
    }
    if (signedWell) {
      validated.add(file);
      // Consistency between successive good checkpoints: an RFC 6962 proof from the recomputed tree, checked
      // against both signed roots, so the check is the one any external verifier makes.
      if (previousGood) {
        const proof = consistencyProof(tree.read, sha256, previousGood.body.size, body.size);
        const check = verifyConsistency(
          sha256,
          previousGood.body.size,
          body.size,
          proof,
          previousGood.body.root,
          body.root,
        );
        if (!check.ok)
          fail(
            'consistency',
            file,
            `not consistent with the checkpoint of size ${previousGood.body.size}: ${check.reason}`,
          );
      }
      previousGood = record;
      goodRecords.push(record);
      if (body.size === entryCount) {
        finalSigned = true;
        finalAnchored = anchored;
      }
    }
    options.onProgress?.({ phase: 'checkpoints', done: checkpointSummaries.length, total: byOrder.length });
  }
  // Only checkpoint files the bundle holds cover entries: a size the manifest lists without its file covers nothing.
  const highestCheckpoint = Math.max(0, ...presentSizes);
  const finalEntry = ends.last;
  const endsWithExport = finalEntry === null || finalEntry.type === 'audit.exported';
  if (entryCount > 0 && highestCheckpoint < entryCount)
    fail(
      'tail-uncovered',
      ENTRIES_FILE,
      endsWithExport
        ? `entries from sequence ${highestCheckpoint} are not covered by any checkpoint`
        : `entries from sequence ${highestCheckpoint} are not covered by any checkpoint, and the file does not end with its audit.exported entry: ${highestCheckpoint > 0 ? `the log was cut (rolled back) somewhere after the checkpoint of size ${highestCheckpoint}, and the checkpoints after it removed` : 'the log was cut and every checkpoint removed'} (or entries were appended)`,
      {
        sequence: highestCheckpoint,
        line: highestCheckpoint + 1,
      },
    );
  else if (entryCount > 0 && !endsWithExport && highestCheckpoint === entryCount)
    // Every line is covered by a checkpoint, so none was appended: the entries after the last one were cut.
    fail(
      'export-entry',
      ENTRIES_FILE,
      `the file ends at entry ${entryCount - 1}, which is not the audit.exported entry of this export: entries from sequence ${entryCount} were cut (a rollback) and their checkpoints removed`,
      { sequence: entryCount },
    );

  // --- keys.json against the log's own announcements ------------------------------------------------------------
  const keysBytes = files.get(KEYS_FILE);
  if (!keysBytes) fail('missing-file', KEYS_FILE, 'the bundle has no keys.json');
  else {
    const parsed = parseJsonFile(keysBytes);
    const checked = parsed.ok ? KeysFileSchema.safeParse(parsed.value) : null;
    const before = failureCount;
    if (!parsed.ok) fail('keys', KEYS_FILE, `keys.json is not canonical JSON: ${parsed.message}`);
    else if (!checked?.success) {
      const issue = checked?.error.issues[0];
      fail('keys', KEYS_FILE, `keys.json: ${issue?.message ?? 'invalid'}`, { field: issue?.path.join('.') ?? null });
    } else {
      const listedKeys: readonly KeyRecord[] = checked.data.keys;
      if (listedKeys.length !== announcedOrder.length)
        fail(
          'keys',
          KEYS_FILE,
          `keys.json lists ${listedKeys.length} keys; the log announced ${announcedOrder.length}`,
          { field: 'keys' },
        );
      listedKeys.forEach((key, i) => {
        const truth = announcedOrder[i];
        if (!truth) return;
        const expected: KeyRecord = {
          ...truth.record,
          announcedAt: String(truth.announcedAt),
          retiredAt: truth.retiredAt === null ? null : String(truth.retiredAt),
        };
        for (const field of [
          'name',
          'keyId',
          'verifierKey',
          'validFrom',
          'validUntil',
          'announcedAt',
          'retiredAt',
        ] as const)
          if (key[field] !== expected[field])
            fail('keys', KEYS_FILE, `keys.json key ${i} ${field} differs from what the log announced`, {
              field: `keys.${i}.${field}`,
            });
      });
    }
    if (failureCount === before) validated.add(KEYS_FILE);
  }

  // --- personal data ----------------------------------------------------------------------------------------------
  const personalBytes = files.get(PERSONAL_DATA_FILE);
  let personalPresent = 0;
  let personalErased = 0;
  // The signed export entry says whether this export includes personal data: the file must be there exactly then
  // (the manifest is not signed, so it cannot vouch for the file's absence or presence).
  const exportedWithPersonalData =
    finalEntry !== null && finalEntry.type === 'audit.exported'
      ? (finalEntry.payload as { includesPersonalData: boolean }).includesPersonalData
      : null;
  if (exportedWithPersonalData === true && !personalBytes)
    fail(
      'missing-file',
      PERSONAL_DATA_FILE,
      `the signed export entry ${finalEntry!.sequence} says personal data is included, but the bundle has no personal-data.jsonl (it was removed)`,
    );
  if (exportedWithPersonalData === false && personalBytes)
    fail(
      'unexpected-file',
      PERSONAL_DATA_FILE,
      `the signed export entry ${finalEntry!.sequence} says personal data is left out, but the bundle carries personal-data.jsonl (it was added)`,
    );
  if (personalBytes) {
    const before = failureCount;
    const result = checkPersonalData(personalBytes, commitments, erasers, sha256, fail);
    personalPresent = result.present;
    personalErased = result.erased;
    if (failureCount === before) validated.add(PERSONAL_DATA_FILE);
  }

  // --- README and schemas: the signed audit.exported entry records their hashes ------------------------------
  if (finalEntry !== null && finalEntry.type === 'audit.exported') {
    // Exports before entries.csv became optional carried it and do not say so.
    const includesCsv = (finalEntry.payload as { includesCsv?: boolean }).includesCsv ?? true;
    if (includesCsv && !csvBytes)
      fail(
        'missing-file',
        CSV_FILE,
        'entries.csv is missing (the signed export entry records that the bundle carried it)',
      );
    if (!includesCsv && csvBytes)
      fail('unexpected-file', CSV_FILE, 'entries.csv is here, but the signed export entry records a bundle without it');
    const staticFiles = (finalEntry.payload as { staticFiles: { path: string; sha256: string }[] }).staticFiles;
    for (const { path, sha256: expected } of staticFiles) {
      const bytes = files.get(path);
      if (!bytes) fail('missing-file', path, `${path} is missing (the export entry records its hash)`);
      else if (!hexEqualsBytes(expected, sha256(bytes)))
        fail('file-hash', path, `${path} differs from the hash the signed export entry records`);
      else validated.add(path);
    }
    const recorded = new Set(staticFiles.map((file) => file.path));
    for (const path of files.keys())
      if ((path === README_FILE || path.startsWith(SCHEMA_DIR)) && !recorded.has(path))
        fail('unexpected-file', path, `${path} is not among the files the export entry records`);
  }

  // --- the manifest's claims against the content ----------------------------------------------------------------
  const finalRoot = entryCount > 0 ? rootAt(entryCount) : null;
  if (manifest) {
    const m = manifest;
    const mismatch = (field: string, message: string): void => fail('manifest', MANIFEST_FILE, message, { field });
    if (logId !== null && m.logId !== logId) mismatch('logId', `logId ${m.logId} but the entries belong to ${logId}`);
    if (origin !== null && m.origin !== origin)
      mismatch('origin', `origin ${m.origin} but the log's origin is ${origin}`);
    if (m.entries.count !== String(entryCount))
      mismatch('entries.count', `entries.count ${m.entries.count} but the file has ${entryCount}`);
    if (ends.first !== null && m.entries.firstTime !== ends.first.time)
      mismatch('entries.firstTime', 'entries.firstTime differs from the first entry');
    if (finalEntry !== null && m.entries.lastTime !== finalEntry.time)
      mismatch('entries.lastTime', 'entries.lastTime differs from the last entry');
    const manifestRoot = base64ToBytes(m.entries.treeRoot);
    if (finalRoot && (!manifestRoot || !bytesEqual(manifestRoot, finalRoot)))
      mismatch('entries.treeRoot', 'entries.treeRoot differs from the root recomputed from entries.jsonl');
    // The region is read from the signed export entry: the manifest may not claim another, nor drop or add one.
    const signedRegion =
      finalEntry !== null && finalEntry.type === 'audit.exported'
        ? ((finalEntry.payload as { region?: string }).region ?? null)
        : null;
    if ((m.region ?? null) !== signedRegion)
      mismatch('region', `region ${m.region ?? '(none)'} but the signed export entry says ${signedRegion ?? '(none)'}`);
    if (m.exportEntry !== String(entryCount - 1))
      mismatch('exportEntry', `exportEntry ${m.exportEntry} is not the last entry`);
    if (m.keys !== announcedOrder.length)
      mismatch('keys', `keys ${m.keys} but the log announced ${announcedOrder.length}`);
    if ((m.personalData === null) !== (personalBytes === undefined))
      mismatch('personalData', 'personalData does not match whether personal-data.jsonl is present');
    else if (
      m.personalData &&
      (m.personalData.present !== String(personalPresent) || m.personalData.erased !== String(personalErased))
    )
      mismatch('personalData', 'personalData counts differ from personal-data.jsonl');
    const listed = new Set<string>();
    m.files.forEach((file, index) => {
      listed.add(file.path);
      const bytes = files.get(file.path);
      if (file.path === MANIFEST_FILE || file.path === ENTRIES_FILE || file.path === CSV_FILE)
        return mismatch(`files.${index}.path`, `${file.path} must not be listed in files`);
      if (!bytes)
        return fail('missing-file', MANIFEST_FILE, `${file.path} is listed but missing`, {
          field: `files.${index}.path`,
        });
      const expected = hexToBytes(file.sha256);
      if (expected && bytesEqual(expected, sha256(bytes)) && file.bytes === String(bytes.length)) return;
      // Which side is wrong? A file that proved itself is genuine, so the manifest's hash is the one that changed.
      if (validated.has(file.path))
        fail('file-hash', MANIFEST_FILE, `the manifest's hash for ${file.path} is wrong (the file itself verifies)`, {
          field: `files.${index}.sha256`,
        });
      else fail('file-hash', file.path, `${file.path} does not match its hash in the manifest`);
    });
    for (const path of files.keys()) {
      if (path === MANIFEST_FILE || path === ENTRIES_FILE || path === CSV_FILE || listed.has(path)) continue;
      if (validated.has(path))
        fail('unexpected-file', MANIFEST_FILE, `${path} is not listed in the manifest's files`, { field: 'files' });
      else fail('unexpected-file', path, `${path} is not listed in the manifest`);
    }
    presentSizes.forEach((size) => {
      if (!listedSizes.includes(size))
        fail(
          'unexpected-file',
          MANIFEST_FILE,
          `checkpoint of size ${size} is not listed in the manifest's checkpoints`,
          { field: 'checkpoints' },
        );
    });
  }

  // --- checkpoints the auditor saw before ---------------------------------------------------------------------
  // A known checkpoint is evidence only when its signature verifies: by a key the auditor trusts (or one it endorsed)
  // when --key was given, else by a key this log announced (integrity only, like the verdict itself). One that
  // verifies by neither says nothing about this log: it is reported as not used, never as a rollback or a fork.
  const known: KnownCheckpointSummary[] = [];
  for (const [index, knownBytes] of (options.knownCheckpoints ?? []).entries()) {
    const label = `known checkpoint ${index + 1}`;
    const parsed = parseSignedCheckpoint(knownBytes);
    if (!parsed.ok) {
      known.push({
        label,
        size: null,
        root: null,
        signature: 'unverified',
        signedBy: [],
        outcome: 'not-used',
        problem: `not a signed checkpoint: ${parsed.error}`,
      });
      continue;
    }
    const { body, note } = parsed.value;
    const trustedBy: string[] = [];
    const logKeyBy: string[] = [];
    for (const signature of note.signatures) {
      const keyId = bytesToHex(signature.keyId);
      const byTrusted = trusted.some((key) => verifyNoteSignature(note.text, signature, key, options.ed25519Verify));
      const announcedKey = announced.get(keyId);
      const byLogKey =
        announcedKey !== undefined &&
        verifyNoteSignature(note.text, signature, announcedKey.key, options.ed25519Verify);
      if (byTrusted || (byLogKey && endorsed.has(keyId))) trustedBy.push(keyId);
      else if (byLogKey) logKeyBy.push(keyId);
    }
    const signature = trustedBy.length > 0 ? 'trusted' : logKeyBy.length > 0 ? 'log-key' : 'unverified';
    const summary = {
      label,
      size: body.size,
      root: bytesToBase64(body.root),
      signature,
      signedBy: trustedBy.length > 0 ? trustedBy : logKeyBy,
    } as const;
    const usable = trusted.length > 0 ? signature === 'trusted' : signature !== 'unverified';
    if (!usable) {
      known.push({
        ...summary,
        outcome: 'not-used',
        problem:
          trusted.length > 0
            ? signature === 'log-key'
              ? 'signed only by a key this log announced, which no key you trust endorsed'
              : 'not signed by any key you trust (nor by one it endorsed)'
            : 'not signed by any key this log announced (pass --key to check it against a key you trust)',
      });
      continue;
    }
    if (origin !== null && body.origin !== origin) {
      known.push({ ...summary, outcome: 'not-used', problem: `from another log (${body.origin})` });
      continue;
    }
    if (body.size > entryCount) {
      fail(
        'rollback',
        label,
        `${label} has size ${body.size} but this bundle ends at ${entryCount}: the log was rolled back or cut`,
      );
      known.push({ ...summary, outcome: 'rollback', problem: null });
      continue;
    }
    if (!bytesEqual(rootAt(body.size), body.root)) {
      fail('fork', label, `${label} (size ${body.size}) has another root than this log at that size: the log forked`);
      known.push({ ...summary, outcome: 'fork', problem: null });
      continue;
    }
    known.push({ ...summary, outcome: 'consistent', problem: null });
  }

  // --- trust ----------------------------------------------------------------------------------------------------
  let trust: TrustLevel;
  let trustNote: string;
  if (trusted.length === 0) {
    trust = 'integrity-only';
    trustNote = 'integrity only: keys not independently trusted (pass --key with the log key obtained separately)';
  } else if (finalSigned && finalAnchored) {
    trust = 'trust-established';
    trustNote = 'trust established: the checkpoint covering every entry is signed by a trusted key or one it endorsed';
  } else {
    trust = 'not-trusted';
    trustNote = 'not trusted: no checkpoint covering the whole log is signed by a key you trust';
    fail('untrusted', checkpointFileName(entryCount), trustNote);
  }

  // --- report: entries by sequence, then the most specific files, then the manifest ----------------------------
  const entryFailures = failures
    .filter((failure) => failure.sequence !== null)
    .sort((a, b) => compareSequence(a.sequence!, b.sequence!));
  // Derived views come after what they derive from: entries.jsonl first, entries.csv last (its rows follow the entries).
  const fileRank = (file: string): number => (file === ENTRIES_FILE ? 0 : file === CSV_FILE ? 2 : 1);
  const fileFailures = failures
    .filter((failure) => failure.sequence === null && failure.file !== MANIFEST_FILE)
    .sort((a, b) => fileRank(a.file) - fileRank(b.file));
  const manifestFailures = failures.filter((failure) => failure.sequence === null && failure.file === MANIFEST_FILE);
  const ordered = [...entryFailures, ...fileFailures, ...manifestFailures].slice(0, maxFailures);
  const keySummaries: KeySummary[] = announcedOrder.map((record) => ({
    keyId: bytesToHex(record.key.keyId),
    name: record.record.name,
    verifierKey: record.record.verifierKey,
    validFrom: record.record.validFrom,
    validUntil: record.record.validUntil,
    announcedAt: String(record.announcedAt),
    retiredAt: record.retiredAt === null ? null : String(record.retiredAt),
    trusted: isTrusted(record.key),
    endorsed: endorsed.has(bytesToHex(record.key.keyId)),
  }));
  const report: AuditVerification = {
    verdict: failureCount === 0 ? 'valid' : 'invalid',
    trust,
    trustNote,
    firstFailure: ordered[0] ?? null,
    failures: ordered,
    failureCount,
    summary: {
      logId,
      origin,
      entries: entryCount,
      firstTime: ends.first?.time ?? null,
      lastTime: finalEntry !== null ? finalEntry.time : null,
      eventCounts,
      checkpoints: checkpointSummaries,
      keys: keySummaries,
      personalData: { included: personalBytes !== undefined, present: personalPresent, erased: personalErased },
      exportEntry: finalEntry !== null && finalEntry.type === 'audit.exported' ? finalEntry.sequence : null,
      treeRoot: finalRoot ? bytesToBase64(finalRoot) : null,
    },
    known,
  };
  return {
    report,
    log: {
      origin,
      entryCount,
      tree,
      entryBytes: lineBytes,
      checkpoints: goodRecords.map((record) => ({ body: record.body, note: record.note })),
    },
  };
};

type FailFn = (code: FailureCode, file: string, message: string, where?: Where) => void;

/** personal-data.jsonl: each line opens an entry's commitment, or is a tombstone its erasure entry accounts for. */
const checkPersonalData = (
  bytes: Uint8Array,
  commitments: ReadonlyMap<number, { readonly commitment: string; readonly subjects: readonly string[] }>,
  erasers: ReadonlyMap<number, AuditEntry>,
  sha256: Sha256,
  fail: FailFn,
): { present: number; erased: number } => {
  const text = utf8TextStrict(bytes);
  if (text === null) {
    fail('personal-data', PERSONAL_DATA_FILE, 'personal-data.jsonl is not valid UTF-8');
    return { present: 0, erased: 0 };
  }
  if (text.length > 0 && !text.endsWith('\n'))
    fail('personal-data', PERSONAL_DATA_FILE, 'personal-data.jsonl does not end with a newline');
  const lines = text.length === 0 ? [] : text.replace(/\n$/, '').split('\n');
  let present = 0;
  let erased = 0;
  let previous = -1;
  const covered = new Set<number>();
  lines.forEach((line, index) => {
    const where = { line: index + 1 };
    const parsed = parseCanonicalJson(line);
    if (!parsed.ok)
      return fail('personal-data', PERSONAL_DATA_FILE, `not canonical JSON: ${parsed.error.message}`, where);
    const checked = PersonalDataLineSchema.safeParse(parsed.value);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return fail('personal-data', PERSONAL_DATA_FILE, issue?.message ?? 'invalid line', {
        ...where,
        field: issue?.path.join('.') ?? null,
      });
    }
    const item = checked.data;
    const sequence = Number(item.sequence);
    if (sequence <= previous)
      fail('personal-data', PERSONAL_DATA_FILE, 'lines are not in increasing sequence order', where);
    previous = sequence;
    covered.add(sequence);
    const committed = commitments.get(sequence);
    if (!committed)
      return fail('personal-data', PERSONAL_DATA_FILE, `entry ${item.sequence} has no commitment to open`, where);
    if ('data' in item) {
      present++;
      if (commitPersonalData(hexToBytes(item.salt)!, item.data, sha256) !== committed.commitment)
        fail('personal-data', PERSONAL_DATA_FILE, `the data does not open entry ${item.sequence}'s commitment`, where);
      return;
    }
    erased++;
    const eraser = erasers.get(Number(item.erasedBy));
    const accounts =
      eraser !== undefined &&
      ((eraser.type === 'subject.erased' &&
        (eraser.payload as { erasedSequences: string[] }).erasedSequences.includes(item.sequence) &&
        committed.subjects.includes((eraser.payload as { subject: string }).subject)) ||
        (eraser.type === 'retention.purged' &&
          (eraser.payload as { erasedRanges: [string, string][] }).erasedRanges.some(
            ([from, to]) => Number(from) <= sequence && sequence <= Number(to),
          )));
    if (!accounts)
      fail(
        'personal-data',
        PERSONAL_DATA_FILE,
        `the tombstone for entry ${item.sequence} is not accounted for by entry ${item.erasedBy}`,
        {
          ...where,
          field: 'erasedBy',
        },
      );
  });
  for (const sequence of commitments.keys())
    if (!covered.has(sequence))
      fail(
        'personal-data',
        PERSONAL_DATA_FILE,
        `entry ${sequence} commits to personal data that has neither data nor tombstone here`,
      );
  return { present, erased };
};

/** The parsed verifier keys behind --key values; a bad key is the caller's input error, not a verdict. */
export const parseTrustedKeys = (
  texts: readonly string[],
  sha256: Sha256 = portableSha256,
): { ok: true; value: NoteVerifierKey[] } | { ok: false; error: string } => {
  const keys: NoteVerifierKey[] = [];
  for (const text of texts) {
    const parsed = parseVerifierKey(text, sha256);
    if (!parsed.ok) return { ok: false, error: `${JSON.stringify(text)}: ${parsed.error.reason}` };
    keys.push(parsed.value);
  }
  return { ok: true, value: keys };
};
