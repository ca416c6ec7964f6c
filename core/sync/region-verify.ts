// Verifies a region export (`perimeter hub export`, decision 0261) from its files alone: every device log's entries
// against its mirror checkpoint (tree size and root), the device's signature and the hub's mirror cosignature; every
// accepted checkpoint against the device's tree and the witness cosignature; the hub log against its signed checkpoint;
// every device checkpoint in the hub log and every hub-log checkpoint in the device logs; and the fork evidence the
// witness kept (decision 0275). Pure: the CLI and the in-app verifier both call `verifyRegionExportZip`.
import { unzipSync } from 'fflate';
import { base64ToBytes, bytesEqual, bytesToBase64, utf8Bytes } from '../audit/bytes.ts';
import { parseSignedCheckpoint } from '../audit/checkpoint.ts';
import type { SignedCheckpoint } from '../audit/checkpoint.ts';
import { createMemoryMerkleTree, hashLeaf } from '../audit/merkle.ts';
import type { MemoryMerkleTree } from '../audit/merkle.ts';
import { parseVerifierKey, verifyNoteSignature } from '../audit/note.ts';
import type { NoteVerifierKey } from '../audit/note.ts';
import type { Sha256 } from '../shared/sha256.ts';
import { parseCosignerKey, verifyCosignature } from './cosignature.ts';

export const REGION_EXPORT_FORMAT = 'perimeter-region-export';

/** One failed check: the file, the device log's origin (or the hub log's), and the entries concerned where known. */
export type RegionProblem = {
  readonly file: string;
  readonly origin: string | null;
  /** "7" or "0 to 4" (sequence numbers, first and last included); null when the problem is not at an entry. */
  readonly entries: string | null;
  readonly message: string;
};

/**
 * A fork the witness recorded and the export proves: the device signed two checkpoints that cannot both be its log.
 * `sameSize`: two roots for one size; otherwise the conflicting checkpoint's size lies within the mirrored log and its
 * root is not the mirrored log's root at that size. The region still verifies as a history (the hub refused the
 * conflicting checkpoint); the fork is a finding about the device (decision 0275).
 */
export type RegionFork = {
  readonly device: string;
  readonly origin: string;
  readonly file: string;
  readonly acceptedSize: number;
  readonly acceptedRoot: string;
  readonly conflictingSize: number;
  readonly conflictingRoot: string;
  readonly recordedAt: string;
  readonly sameSize: boolean;
};

export type RegionVerification = {
  readonly ok: boolean;
  /** Each problem as one line: file, origin and, where there is one, the entry (`formatRegionProblem`). */
  readonly problems: readonly string[];
  readonly issues: readonly RegionProblem[];
  /** Forks the export proves, with both signed checkpoints checked; they do not make `ok` false. */
  readonly forks: readonly RegionFork[];
  readonly region: string | null;
  readonly devices: number;
  readonly entries: number;
  readonly hubLogSize: number;
  /** Per device log: its id, origin and size, for a summary. */
  readonly deviceLogs: readonly { readonly device: string; readonly origin: string; readonly size: number }[];
};

export const formatRegionProblem = (problem: RegionProblem): string =>
  `${problem.file}${problem.origin === null ? '' : `: origin ${problem.origin}`}: ${problem.message}`;

type Manifest = {
  format: string;
  version: number;
  region: string;
  hub: { witness: string; mirror: string; logOrigin: string; logKey: string };
  hubLog: { origin: string; size: number };
  devices: { device: string; origin: string; logKeys: string[]; size: number; dir: string }[];
};

/** Fork evidence as `devices/<device>/forks.json` holds it: the checkpoint the hub had accepted and the other one. */
type ForkFileRecord = { size: number; acceptedNote: string; conflictingNote: string; recordedAt: string };

const decoder = new TextDecoder('utf-8', { fatal: true });
const lines = (bytes: Uint8Array): Uint8Array[] => {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++)
    if (bytes[i] === 0x0a) {
      out.push(bytes.subarray(start, i));
      start = i + 1;
    }
  if (start < bytes.length) out.push(bytes.subarray(start));
  return out;
};
const noteText = (note: string): string => note.slice(0, note.indexOf('\n\n') + 1);
const signatureLines = (note: string): string[] =>
  note
    .slice(note.indexOf('\n\n') + 2)
    .split('\n')
    .filter((line) => line.length > 0);

/** Whether a set of files claims to be a region export (its manifest says so), whatever else is wrong with it. */
export const isRegionExport = (files: ReadonlyMap<string, Uint8Array>): boolean => {
  const manifest = files.get('manifest.json');
  if (!manifest) return false;
  try {
    return (JSON.parse(decoder.decode(manifest)) as { format?: unknown }).format === REGION_EXPORT_FORMAT;
  } catch {
    return false;
  }
};

/** Unzips a region export: every member, by name. An unreadable zip is an error (the CLI's exit 2). */
export const unzipRegionExport = (
  zip: Uint8Array,
): { ok: true; files: Map<string, Uint8Array> } | { ok: false; error: string } => {
  try {
    return { ok: true, files: new Map(Object.entries(unzipSync(zip))) };
  } catch (error) {
    return { ok: false, error: `not a readable zip: ${error instanceof Error ? error.message : String(error)}` };
  }
};

/**
 * The whole verification from the zip's bytes: `unusable` when it is not a readable region export at all (no verdict;
 * the CLI's exit 2), otherwise the verification.
 */
export const verifyRegionExportZip = (
  zip: Uint8Array,
  sha256: Sha256,
):
  | { readonly kind: 'unusable'; readonly error: string }
  | { readonly kind: 'verified'; readonly result: RegionVerification } => {
  const unzipped = unzipRegionExport(zip);
  if (!unzipped.ok) return { kind: 'unusable', error: unzipped.error };
  const result = verifyRegionExport(unzipped.files, sha256);
  if (result.region === null) return { kind: 'unusable', error: result.problems.join('; ') };
  return { kind: 'verified', result };
};

export const verifyRegionExport = (files: ReadonlyMap<string, Uint8Array>, sha256: Sha256): RegionVerification => {
  const issues: RegionProblem[] = [];
  const forks: RegionFork[] = [];
  const deviceLogs: { device: string; origin: string; size: number }[] = [];
  const fail = (file: string, origin: string | null, message: string, entries: string | null = null): void =>
    void issues.push({ file, origin, entries, message });
  const read = (name: string): Uint8Array | null => {
    const bytes = files.get(name);
    if (bytes === undefined) fail(name, null, 'missing from the export');
    return bytes ?? null;
  };
  const result = (region: string | null, devices: number, entries: number, hubLogSize: number): RegionVerification => ({
    ok: issues.length === 0,
    problems: issues.map(formatRegionProblem),
    issues,
    forks,
    region,
    devices,
    entries,
    hubLogSize,
    deviceLogs,
  });

  const manifestBytes = read('manifest.json');
  if (!manifestBytes) return result(null, 0, 0, 0);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(decoder.decode(manifestBytes)) as Manifest;
  } catch {
    fail('manifest.json', null, 'not JSON');
    return result(null, 0, 0, 0);
  }
  if (
    manifest === null ||
    typeof manifest !== 'object' ||
    manifest.format !== REGION_EXPORT_FORMAT ||
    manifest.version !== 1 ||
    !Array.isArray(manifest.devices) ||
    typeof manifest.hub !== 'object' ||
    manifest.hub === null
  ) {
    fail('manifest.json', null, 'not a perimeter-region-export of version 1');
    return result(null, 0, 0, 0);
  }
  const mirrorKey = parseCosignerKey(String(manifest.hub.mirror), sha256);
  const witnessKey = parseCosignerKey(String(manifest.hub.witness), sha256);
  const hubLogKey = parseVerifierKey(String(manifest.hub.logKey), sha256);
  if (!mirrorKey || !witnessKey || !hubLogKey.ok) {
    fail('manifest.json', null, 'the hub keys do not parse');
    return result(manifest.region, 0, 0, 0);
  }

  // The hub log first: its records say which device checkpoints the hub accepted, and which forks it recorded.
  const hubFile = 'hub-log/entries.jsonl';
  const hubOrigin = manifest.hub.logOrigin;
  const hubEntries = read(hubFile);
  const hubCheckpointBytes = read('hub-log/checkpoint.txt');
  const accepted = new Map<string, Map<number, Uint8Array>>();
  /** origin → "size root" of every fork.recorded record, with its hub-log index. */
  const forksLogged = new Map<string, Map<string, number>>();
  let hubLogSize = 0;
  if (hubEntries && hubCheckpointBytes) {
    const tree = createMemoryMerkleTree(sha256);
    lines(hubEntries).forEach((line, index) => {
      tree.append(hashLeaf(sha256, line));
      try {
        const record = JSON.parse(decoder.decode(line)) as {
          type?: string;
          origin?: string;
          size?: number;
          root?: string;
        };
        if (record.type === 'checkpoint.accepted' && record.origin && typeof record.size === 'number' && record.root) {
          const root = base64ToBytes(record.root);
          if (root)
            (accepted.get(record.origin) ?? accepted.set(record.origin, new Map()).get(record.origin)!).set(
              record.size,
              root,
            );
        }
        if (record.type === 'fork.recorded' && record.origin && typeof record.size === 'number' && record.root)
          (forksLogged.get(record.origin) ?? forksLogged.set(record.origin, new Map()).get(record.origin)!).set(
            `${record.size} ${record.root}`,
            index,
          );
      } catch {
        fail(hubFile, hubOrigin, `entry ${index}: not JSON`, String(index));
      }
    });
    hubLogSize = tree.size();
    const parsed = parseSignedCheckpoint(hubCheckpointBytes);
    if (!parsed.ok) fail('hub-log/checkpoint.txt', hubOrigin, parsed.error);
    else {
      const cp = parsed.value;
      if (cp.body.origin !== hubOrigin)
        fail('hub-log/checkpoint.txt', cp.body.origin, `not the hub log's origin (${hubOrigin})`);
      if (!cp.note.signatures.some((sig) => verifyNoteSignature(cp.note.text, sig, hubLogKey.value)))
        fail('hub-log/checkpoint.txt', cp.body.origin, 'no signature by the hub log key');
      if (cp.body.size !== tree.size())
        fail(hubFile, cp.body.origin, `${tree.size()} entries, the checkpoint says ${cp.body.size}`);
      else if (!bytesEqual(tree.root(), cp.body.root))
        fail(
          hubFile,
          cp.body.origin,
          "the entries do not hash to the checkpoint's root (an entry was changed, added or removed)",
        );
    }
  }

  let entriesTotal = 0;
  for (const device of manifest.devices) {
    const entriesFile = `${device.dir}/entries.jsonl`;
    const checkpointFile = `${device.dir}/checkpoint.txt`;
    const acceptedFile = `${device.dir}/accepted-checkpoints.json`;
    const entries = read(entriesFile);
    const checkpointBytes = read(checkpointFile);
    if (!entries || !checkpointBytes) continue;
    const keys = (Array.isArray(device.logKeys) ? device.logKeys : [])
      .map((k) => parseVerifierKey(String(k), sha256))
      .flatMap((k) => (k.ok ? [k.value] : []));
    const tree: MemoryMerkleTree = createMemoryMerkleTree(sha256);
    const leaves = lines(entries);
    leaves.forEach((line, index) => {
      tree.append(hashLeaf(sha256, line));
      try {
        const entry = JSON.parse(decoder.decode(line)) as { seq?: number; sequence?: number };
        const seq = entry.seq ?? entry.sequence;
        if (typeof seq === 'number' && seq !== index)
          fail(entriesFile, device.origin, `entry ${index} says it is ${seq}`, String(index));
      } catch {
        fail(entriesFile, device.origin, `entry ${index}: not JSON`, String(index));
      }
    });
    entriesTotal += leaves.length;
    deviceLogs.push({ device: device.device, origin: device.origin, size: leaves.length });
    const parsed = parseSignedCheckpoint(checkpointBytes);
    if (!parsed.ok) {
      fail(checkpointFile, device.origin, parsed.error);
      continue;
    }
    const cp = parsed.value;
    const note = decoder.decode(checkpointBytes);
    if (cp.body.origin !== device.origin)
      fail(checkpointFile, device.origin, `the checkpoint is of origin ${cp.body.origin}`);
    if (!signedBy(cp, keys)) fail(checkpointFile, device.origin, "not signed by the device's log key");
    if (!signatureLines(note).some((line) => verifyCosignature(noteText(note), line, mirrorKey) !== null))
      fail(checkpointFile, device.origin, 'no valid mirror cosignature of the hub');
    if (cp.body.size !== leaves.length)
      fail(entriesFile, device.origin, `${leaves.length} entries, the checkpoint says ${cp.body.size}`);
    else if (!bytesEqual(tree.root(), cp.body.root)) {
      // Find the first entry range whose leaves break the chain of accepted roots, to name it.
      const range = firstBadRange(tree, accepted.get(device.origin));
      fail(
        entriesFile,
        device.origin,
        range === null
          ? "the entries do not hash to the checkpoint's root, though they match every root the hub log accepted: the checkpoint is not this log's"
          : `the entries do not hash to the checkpoint's root: the first difference lies in entries ${range}`,
        range,
      );
    }
    const inHubLog = accepted.get(device.origin);
    const recorded = inHubLog?.get(cp.body.size);
    if (!recorded || !bytesEqual(recorded, cp.body.root))
      fail(hubFile, device.origin, `the mirror checkpoint of size ${cp.body.size} is not in the hub log`);
    // Every checkpoint the hub log says it accepted is a prefix of this device's tree.
    for (const [size, root] of inHubLog ?? [])
      if (size <= tree.size() && !bytesEqual(tree.root(size), root))
        fail(
          entriesFile,
          device.origin,
          `the tree of size ${size} is not the one the hub log accepted`,
          size > 0 ? `0 to ${size - 1}` : null,
        );
    const acceptedBytes = files.get(acceptedFile);
    if (acceptedBytes) {
      let notes: unknown = [];
      try {
        notes = JSON.parse(decoder.decode(acceptedBytes));
      } catch {
        fail(acceptedFile, device.origin, 'not JSON');
      }
      for (const acceptedNote of Array.isArray(notes) ? notes : []) {
        const one = parseSignedCheckpoint(utf8Bytes(String(acceptedNote)));
        if (!one.ok) {
          fail(acceptedFile, device.origin, one.error);
          continue;
        }
        const size = one.value.body.size;
        if (!signedBy(one.value, keys))
          fail(acceptedFile, device.origin, `checkpoint ${size}: not signed by the device's log key`);
        if (
          !signatureLines(String(acceptedNote)).some(
            (line) => verifyCosignature(noteText(String(acceptedNote)), line, witnessKey) !== null,
          )
        )
          fail(acceptedFile, device.origin, `checkpoint ${size}: no valid witness cosignature`);
        const logged = inHubLog?.get(size);
        if (!logged || !bytesEqual(logged, one.value.body.root))
          fail(acceptedFile, device.origin, `checkpoint ${size} is not in the hub log`);
      }
    }
    verifyForks(files, device, keys, tree, inHubLog, forksLogged.get(device.origin), fail, forks);
  }
  return result(manifest.region, manifest.devices.length, entriesTotal, hubLogSize);
};

const signedBy = (cp: SignedCheckpoint, keys: readonly NoteVerifierKey[]): boolean =>
  cp.note.signatures.some((sig) => keys.some((key) => verifyNoteSignature(cp.note.text, sig, key)));

/**
 * The fork evidence of one device (`forks.json`): both checkpoints parse, are of this origin and signed by the
 * device's log key; the one the hub had accepted is in the hub log; they cannot both be the log (two roots of one size,
 * or a root the mirrored log does not have at that size); and each fork has its `fork.recorded` record in the hub log
 * and each such record its evidence. Evidence that fails a check is a problem; evidence that holds is a finding.
 */
const verifyForks = (
  files: ReadonlyMap<string, Uint8Array>,
  device: Manifest['devices'][number],
  keys: readonly NoteVerifierKey[],
  tree: MemoryMerkleTree,
  inHubLog: Map<number, Uint8Array> | undefined,
  logged: Map<string, number> | undefined,
  fail: (file: string, origin: string | null, message: string, entries?: string | null) => void,
  forks: RegionFork[],
): void => {
  const file = `${device.dir}/forks.json`;
  const bytes = files.get(file);
  const unmatched = new Map(logged ?? []);
  let records: unknown = [];
  if (bytes) {
    try {
      records = JSON.parse(decoder.decode(bytes));
    } catch {
      fail(file, device.origin, 'not JSON');
    }
    if (!Array.isArray(records)) {
      fail(file, device.origin, 'not a JSON array of fork records');
      records = [];
    }
  }
  (records as unknown[]).forEach((raw, index) => {
    const record = raw as Partial<ForkFileRecord> | null;
    const where = `fork ${index}`;
    if (
      record === null ||
      typeof record !== 'object' ||
      typeof record.acceptedNote !== 'string' ||
      typeof record.conflictingNote !== 'string'
    ) {
      fail(file, device.origin, `${where}: not a fork record (acceptedNote, conflictingNote)`);
      return;
    }
    const accepted = parseSignedCheckpoint(utf8Bytes(record.acceptedNote));
    const conflicting = parseSignedCheckpoint(utf8Bytes(record.conflictingNote));
    if (!accepted.ok || !conflicting.ok) {
      fail(
        file,
        device.origin,
        `${where}: ${!accepted.ok ? `accepted checkpoint: ${accepted.error}` : ''}${
          !conflicting.ok ? `conflicting checkpoint: ${conflicting.error}` : ''
        }`,
      );
      return;
    }
    const a = accepted.value.body;
    const c = conflicting.value.body;
    const at = `${where} (size ${c.size})`;
    let sound = true;
    const problem = (message: string): void => {
      sound = false;
      fail(file, device.origin, `${at}: ${message}`);
    };
    if (a.origin !== device.origin || c.origin !== device.origin) problem('a checkpoint of another origin');
    if (!signedBy(accepted.value, keys)) problem("the accepted checkpoint is not signed by the device's log key");
    if (!signedBy(conflicting.value, keys)) problem("the conflicting checkpoint is not signed by the device's log key");
    const acceptedInLog = inHubLog?.get(a.size);
    if (!acceptedInLog || !bytesEqual(acceptedInLog, a.root))
      problem(`the accepted checkpoint of size ${a.size} is not in the hub log`);
    const sameSize = a.size === c.size;
    const contradicts = sameSize
      ? !bytesEqual(a.root, c.root)
      : c.size <= tree.size() && !bytesEqual(tree.root(c.size), c.root);
    if (!contradicts)
      problem(
        sameSize
          ? 'both checkpoints have the same root: no fork'
          : `the conflicting checkpoint is not shown to contradict the mirrored log (of ${tree.size()} entries)`,
      );
    const key = `${c.size} ${bytesToBase64(c.root)}`;
    if (!unmatched.delete(key)) problem('no fork.recorded record of it in the hub log');
    if (sound)
      forks.push({
        device: device.device,
        origin: device.origin,
        file,
        acceptedSize: a.size,
        acceptedRoot: bytesToBase64(a.root),
        conflictingSize: c.size,
        conflictingRoot: bytesToBase64(c.root),
        recordedAt: typeof record.recordedAt === 'string' ? record.recordedAt : '',
        sameSize,
      });
  });
  // A fork the hub log recorded whose evidence the export does not carry: withheld, or an export without forks.json.
  for (const [key, index] of unmatched)
    fail(
      'hub-log/entries.jsonl',
      device.origin,
      `entry ${index}: fork.recorded of size ${key.split(' ')[0]}, but ${file} does not hold its two checkpoints`,
      String(index),
    );
};

/** The entries (first to last) between the last accepted root they match and the first they do not; null if none. */
const firstBadRange = (tree: MemoryMerkleTree, accepted: Map<number, Uint8Array> | undefined): string | null => {
  const sizes = [...(accepted ?? new Map<number, Uint8Array>()).keys()]
    .filter((s) => s <= tree.size())
    .sort((a, b) => a - b);
  let good = 0;
  for (const size of sizes) {
    if (bytesEqual(tree.root(size), accepted!.get(size)!)) good = size;
    else return `${good} to ${size - 1}`;
  }
  return good < tree.size() ? `${good} to ${tree.size() - 1}` : null;
};
