// Verifies a region export (`perimeter hub export`, decision 0261) from its files alone: every device log's entries
// against its mirror checkpoint (tree size and root), the device's signature and the hub's mirror cosignature; every
// accepted checkpoint against the device's tree and the witness cosignature; the hub log against its signed checkpoint;
// every device checkpoint in the hub log and every hub-log checkpoint in the device logs. Pure: the caller unzips.
import { base64ToBytes, bytesEqual, utf8Bytes } from '../audit/bytes.ts';
import { parseSignedCheckpoint } from '../audit/checkpoint.ts';
import type { SignedCheckpoint } from '../audit/checkpoint.ts';
import { createMemoryMerkleTree, hashLeaf } from '../audit/merkle.ts';
import type { MemoryMerkleTree } from '../audit/merkle.ts';
import { parseVerifierKey, verifyNoteSignature } from '../audit/note.ts';
import type { Sha256 } from '../shared/sha256.ts';
import { parseCosignerKey, verifyCosignature } from './cosignature.ts';

export type RegionVerification = {
  readonly ok: boolean;
  /** Each problem names the file, the origin and, where there is one, the entry. */
  readonly problems: readonly string[];
  readonly region: string | null;
  readonly devices: number;
  readonly entries: number;
  readonly hubLogSize: number;
};

type Manifest = {
  format: string;
  version: number;
  region: string;
  hub: { witness: string; mirror: string; logOrigin: string; logKey: string };
  hubLog: { origin: string; size: number };
  devices: { device: string; origin: string; logKeys: string[]; size: number; dir: string }[];
};

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

export const verifyRegionExport = (files: ReadonlyMap<string, Uint8Array>, sha256: Sha256): RegionVerification => {
  const problems: string[] = [];
  const fail = (message: string): void => void problems.push(message);
  const read = (name: string): Uint8Array | null => {
    const bytes = files.get(name);
    if (bytes === undefined) fail(`${name}: missing from the export`);
    return bytes ?? null;
  };
  const result = (region: string | null, devices: number, entries: number, hubLogSize: number): RegionVerification => ({
    ok: problems.length === 0,
    problems,
    region,
    devices,
    entries,
    hubLogSize,
  });

  const manifestBytes = read('manifest.json');
  if (!manifestBytes) return result(null, 0, 0, 0);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(decoder.decode(manifestBytes)) as Manifest;
  } catch {
    fail('manifest.json: not JSON');
    return result(null, 0, 0, 0);
  }
  if (manifest.format !== 'perimeter-region-export' || manifest.version !== 1 || !Array.isArray(manifest.devices)) {
    fail('manifest.json: not a perimeter-region-export of version 1');
    return result(null, 0, 0, 0);
  }
  const mirrorKey = parseCosignerKey(manifest.hub.mirror, sha256);
  const witnessKey = parseCosignerKey(manifest.hub.witness, sha256);
  const hubLogKey = parseVerifierKey(manifest.hub.logKey, sha256);
  if (!mirrorKey || !witnessKey || !hubLogKey.ok) {
    fail('manifest.json: the hub keys do not parse');
    return result(manifest.region, 0, 0, 0);
  }

  // The hub log first: its records say which device checkpoints the hub accepted.
  const hubFile = 'hub-log/entries.jsonl';
  const hubEntries = read(hubFile);
  const hubCheckpointBytes = read('hub-log/checkpoint.txt');
  const accepted = new Map<string, Map<number, Uint8Array>>();
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
      } catch {
        fail(`${hubFile}: entry ${index}: not JSON`);
      }
    });
    hubLogSize = tree.size();
    const parsed = parseSignedCheckpoint(hubCheckpointBytes);
    if (!parsed.ok) fail(`hub-log/checkpoint.txt: ${parsed.error}`);
    else {
      const cp = parsed.value;
      if (cp.body.origin !== manifest.hub.logOrigin)
        fail(`hub-log/checkpoint.txt: origin ${cp.body.origin} is not the hub log's (${manifest.hub.logOrigin})`);
      if (!cp.note.signatures.some((sig) => verifyNoteSignature(cp.note.text, sig, hubLogKey.value)))
        fail(`hub-log/checkpoint.txt: origin ${cp.body.origin}: no signature by the hub log key`);
      if (cp.body.size !== tree.size())
        fail(`${hubFile}: origin ${cp.body.origin}: ${tree.size()} entries, the checkpoint says ${cp.body.size}`);
      else if (!bytesEqual(tree.root(), cp.body.root))
        fail(
          `${hubFile}: origin ${cp.body.origin}: the entries do not hash to the checkpoint's root (an entry was changed, added or removed)`,
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
    const keys = device.logKeys.map((k) => parseVerifierKey(k, sha256)).flatMap((k) => (k.ok ? [k.value] : []));
    const tree: MemoryMerkleTree = createMemoryMerkleTree(sha256);
    const leaves = lines(entries);
    leaves.forEach((line, index) => {
      tree.append(hashLeaf(sha256, line));
      try {
        const entry = JSON.parse(decoder.decode(line)) as { seq?: number; sequence?: number };
        const seq = entry.seq ?? entry.sequence;
        if (typeof seq === 'number' && seq !== index)
          fail(`${entriesFile}: origin ${device.origin}: entry ${index} says it is ${seq}`);
      } catch {
        fail(`${entriesFile}: origin ${device.origin}: entry ${index}: not JSON`);
      }
    });
    entriesTotal += leaves.length;
    const signedByDevice = (cp: SignedCheckpoint): boolean =>
      cp.note.signatures.some((sig) => keys.some((key) => verifyNoteSignature(cp.note.text, sig, key)));
    const parsed = parseSignedCheckpoint(checkpointBytes);
    if (!parsed.ok) {
      fail(`${checkpointFile}: origin ${device.origin}: ${parsed.error}`);
      continue;
    }
    const cp = parsed.value;
    const note = decoder.decode(checkpointBytes);
    if (cp.body.origin !== device.origin) fail(`${checkpointFile}: origin ${cp.body.origin} is not ${device.origin}`);
    if (!signedByDevice(cp)) fail(`${checkpointFile}: origin ${device.origin}: not signed by the device's log key`);
    if (!signatureLines(note).some((line) => verifyCosignature(noteText(note), line, mirrorKey) !== null))
      fail(`${checkpointFile}: origin ${device.origin}: no valid mirror cosignature of the hub`);
    if (cp.body.size !== leaves.length)
      fail(`${entriesFile}: origin ${device.origin}: ${leaves.length} entries, the checkpoint says ${cp.body.size}`);
    else if (!bytesEqual(tree.root(), cp.body.root)) {
      // Find the first entry whose leaf breaks the chain of accepted roots, to name it.
      fail(
        `${entriesFile}: origin ${device.origin}: the entries do not hash to the checkpoint's root${firstBadEntry(tree, accepted.get(device.origin))}`,
      );
    }
    const inHubLog = accepted.get(device.origin);
    const recorded = inHubLog?.get(cp.body.size);
    if (!recorded || !bytesEqual(recorded, cp.body.root))
      fail(
        `hub-log/entries.jsonl: origin ${device.origin}: the mirror checkpoint of size ${cp.body.size} is not in the hub log`,
      );
    // Every checkpoint the hub log says it accepted is a prefix of this device's tree.
    for (const [size, root] of inHubLog ?? [])
      if (size <= tree.size() && !bytesEqual(tree.root(size), root))
        fail(`${entriesFile}: origin ${device.origin}: the tree of size ${size} is not the one the hub log accepted`);
    const acceptedBytes = files.get(acceptedFile);
    if (acceptedBytes) {
      let notes: string[] = [];
      try {
        notes = JSON.parse(decoder.decode(acceptedBytes)) as string[];
      } catch {
        fail(`${acceptedFile}: origin ${device.origin}: not JSON`);
      }
      for (const acceptedNote of notes) {
        const one = parseSignedCheckpoint(utf8Bytes(acceptedNote));
        if (!one.ok) {
          fail(`${acceptedFile}: origin ${device.origin}: ${one.error}`);
          continue;
        }
        const size = one.value.body.size;
        if (!signedByDevice(one.value))
          fail(`${acceptedFile}: origin ${device.origin}: checkpoint ${size}: not signed by the device's log key`);
        if (
          !signatureLines(acceptedNote).some(
            (line) => verifyCosignature(noteText(acceptedNote), line, witnessKey) !== null,
          )
        )
          fail(`${acceptedFile}: origin ${device.origin}: checkpoint ${size}: no valid witness cosignature`);
        const logged = inHubLog?.get(size);
        if (!logged || !bytesEqual(logged, one.value.body.root))
          fail(`${acceptedFile}: origin ${device.origin}: checkpoint ${size} is not in the hub log`);
      }
    }
  }
  return result(manifest.region, manifest.devices.length, entriesTotal, hubLogSize);
};

const firstBadEntry = (tree: MemoryMerkleTree, accepted: Map<number, Uint8Array> | undefined): string => {
  const sizes = [...(accepted ?? new Map<number, Uint8Array>()).keys()]
    .filter((s) => s <= tree.size())
    .sort((a, b) => a - b);
  let good = 0;
  for (const size of sizes) {
    if (bytesEqual(tree.root(size), accepted!.get(size)!)) good = size;
    else return `: the first difference lies in entries ${good} to ${size - 1}`;
  }
  return `: the first difference lies after entry ${good - 1}`;
};
