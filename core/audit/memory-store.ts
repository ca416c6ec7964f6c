// An in-memory AuditLogStore: for the browser, tests and benchmarks of the pure log engine.
import type { AuditEntry, LogHead } from './entry.ts';
import type { AuditLogStore, StoredCheckpoint, StoredKey } from './log-engine.ts';
import type { MerkleHash } from './merkle.ts';

export const createMemoryAuditStore = (): AuditLogStore & { readonly entries: () => readonly AuditEntry[] } => {
  const entries: AuditEntry[] = [];
  const bytes: Uint8Array[] = [];
  let head: LogHead | null = null;
  const levels: MerkleHash[][] = [];
  const checkpoints: StoredCheckpoint[] = [];
  const keys: StoredKey[] = [];
  return {
    head: () => head,
    putEntry: (entry, entryBytes, leafHash) => {
      entries.push(entry);
      bytes.push(entryBytes);
      head = { sequence: Number(entry.sequence), leafHash, time: entry.time };
    },
    entryBytes: () => bytes,
    entries: () => entries,
    readNode: (level, index) => {
      const hash = levels[level]?.[index];
      if (!hash) throw new RangeError(`node (${level}, ${index}) does not exist`);
      return hash;
    },
    putNode: (level, index, hash) => {
      (levels[level] ??= [])[index] = hash;
    },
    checkpoints: () => checkpoints,
    lastCheckpoint: () => checkpoints.at(-1) ?? null,
    putCheckpoint: (checkpoint) => {
      if (checkpoints.some((existing) => existing.size === checkpoint.size))
        throw new RangeError('one checkpoint per size');
      checkpoints.push(checkpoint);
    },
    keys: () => keys,
    putKey: (key) => {
      keys.push(key);
    },
    retireKey: (keyId, retiredAt) => {
      const index = keys.findIndex((key) => key.keyId === keyId);
      if (index >= 0) keys[index] = { ...keys[index]!, retiredAt, seed: null };
    },
  };
};
