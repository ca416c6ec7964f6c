// Small secret-bearing files (key slots) written beside the database: to a private temporary file, flushed, then
// renamed into place, so a crash never leaves half a file and the old one stays until the new one is complete.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

const TEMPORARY_PART = /^[0-9a-f]{12}$/;

/** Writes `value` as indented JSON to `path` atomically, readable by the owner only (mode 0600). */
export const writeJsonAtomically = (path: string, value: unknown): void =>
  writeBytesAtomically(path, Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8'));

/**
 * Writes `bytes` to `path` atomically (mode 0600): a private temporary file beside it, flushed, then renamed into
 * place. With `syncFolder`, the folder is flushed too, so the rename itself survives a power cut (a file drop that
 * is reported delivered must be there after a crash).
 */
export const writeBytesAtomically = (
  path: string,
  bytes: Uint8Array,
  options: { readonly syncFolder?: boolean } = {},
): void => {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
  if (options.syncFolder) {
    const folder = openSync(dirname(path), 'r');
    try {
      fsyncSync(folder);
    } finally {
      closeSync(folder);
    }
  }
};

/**
 * The temporary files `writeJsonAtomically` makes beside `path`: exactly `<path>.<12 lowercase hex>.tmp`. A crash
 * between opening one and renaming it leaves it behind.
 */
export const temporaryFilesOf = (path: string): string[] => {
  const prefix = `${basename(path)}.`;
  // A folder that does not exist holds no leftovers; the open that follows says the database is not there.
  if (!existsSync(dirname(path))) return [];
  return readdirSync(dirname(path))
    .filter(
      (name) =>
        name.startsWith(prefix) &&
        name.endsWith('.tmp') &&
        TEMPORARY_PART.test(name.slice(prefix.length, -'.tmp'.length)),
    )
    .map((name) => join(dirname(path), name));
};

/**
 * Removes those of `path`'s temporary files last modified at least `olderThanMs` before `now`; returns them. A writer
 * holds its temporary for the milliseconds of one write, so an old one is a crash's leftover, never a write under way
 * in another process (decision 0046). A file with a modification time in the future is kept.
 */
export const removeStaleTemporaries = (path: string, olderThanMs: number, now: number): string[] => {
  const removed: string[] = [];
  for (const temporary of temporaryFilesOf(path)) {
    let modified: number;
    try {
      const stats = lstatSync(temporary);
      if (!stats.isFile()) continue;
      modified = stats.mtimeMs;
    } catch {
      continue; // renamed or removed meanwhile
    }
    if (now - modified < olderThanMs) continue;
    rmSync(temporary, { force: true });
    removed.push(temporary);
  }
  return removed;
};
