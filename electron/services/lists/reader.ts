// Reading stored list versions by id and version, synchronously, for the workstation's api (which answers in one go):
// the version screening used is looked up in the list directory, verified against its content hash, and kept a while.
import { readFileSync } from 'node:fs';
import type { ListEntry, ListSnapshot } from '../../../core/screening/model.ts';
import { parseSnapshot, versionPath } from './store.ts';

/** A list directory (perimeter lists import) read by version. */
export type ListStoreReader = {
  readonly dir: string;
  /** The stored version with its entries by id; undefined when that version is not (or no longer) stored. */
  readonly version: (listId: string, version: string) => StoredVersion | undefined;
};

export type StoredVersion = { readonly snapshot: ListSnapshot; readonly entries: ReadonlyMap<string, ListEntry> };

// A list id or version names a file: only the characters the store itself writes (no path separators, no "..").
const SAFE_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/i;
/** How many versions stay in memory: a case view reads one or two lists at a time. */
const KEPT = 4;

export const listStoreReader = (dir: string): ListStoreReader => {
  const kept = new Map<string, StoredVersion>();
  const read = (listId: string, version: string): StoredVersion | undefined => {
    if (!SAFE_NAME.test(listId) || !SAFE_NAME.test(version) || version.includes('..')) return undefined;
    const path = versionPath(dir, listId, version);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const snapshot = parseSnapshot(path, text);
    return { snapshot, entries: new Map(snapshot.entries.map((entry) => [String(entry.id), entry])) };
  };
  return {
    dir,
    version: (listId, version) => {
      const key = `${listId}\u0000${version}`;
      const found = kept.get(key);
      if (found !== undefined) {
        kept.delete(key);
        kept.set(key, found);
        return found;
      }
      const stored = read(listId, version);
      if (stored === undefined) return undefined;
      kept.set(key, stored);
      for (const old of kept.keys()) if (kept.size > KEPT) kept.delete(old);
      return stored;
    },
  };
};
