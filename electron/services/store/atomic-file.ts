// Small secret-bearing files (key slots) written beside the database: to a private temporary file, flushed, then
// renamed into place, so a crash never leaves half a file and the old one stays until the new one is complete.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

/** Writes `value` as indented JSON to `path` atomically, readable by the owner only (mode 0600). */
export const writeJsonAtomically = (path: string, value: unknown): void => {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(value, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
};
