// The encrypted database: opens with its key, refuses a wrong key, a truncated or corrupt file, and never overwrites.
import {
  appendFileSync,
  existsSync,
  openSync,
  closeSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDatabase, openDatabase } from '../../../electron/services/store/database.ts';
import { StoreError } from '../../../electron/services/store/errors.ts';
import { MIGRATIONS } from '../../../electron/services/store/migrations/index.ts';
import { tempDir } from './temp.ts';

const dir = tempDir('db');
const key = new Uint8Array(32).fill(0x5a);

const codeOf = (run: () => unknown): string | null => {
  try {
    run();
    return null;
  } catch (error) {
    if (error instanceof StoreError) return error.code;
    throw error;
  }
};

const filled = (name: string): string => {
  const path = join(dir, name);
  const db = createDatabase(path, key);
  db.exec('CREATE TABLE t (x TEXT) STRICT');
  const insert = db.prepare('INSERT INTO t VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run(`row ${i} ${'x'.repeat(100)}`);
  })();
  db.close();
  return path;
};

describe('openDatabase', () => {
  it('creates an encrypted file with WAL, full sync, foreign keys and secure delete', () => {
    const path = join(dir, 'new.db');
    const db = createDatabase(path, key);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.exec("CREATE TABLE secret (v TEXT) STRICT; INSERT INTO secret VALUES ('plain-text-marker-123')");
    db.close();
    const raw = readFileSync(path);
    expect(raw.includes(Buffer.from('SQLite format 3'))).toBe(false);
    expect(raw.includes(Buffer.from('plain-text-marker-123'))).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('reopens with the key and refuses the wrong key with a typed error', () => {
    const path = filled('reopen.db');
    const db = openDatabase(path, key);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2000 });
    db.close();
    expect(codeOf(() => openDatabase(path, new Uint8Array(32).fill(1)))).toBe('wrong-key');
    expect(codeOf(() => openDatabase(path, new Uint8Array(16)))).toBe('invalid-key');
  });

  it('refuses a missing file, and never overwrites an existing one', () => {
    expect(codeOf(() => openDatabase(join(dir, 'absent.db'), key))).toBe('not-found');
    const path = filled('keep.db');
    const before = readFileSync(path);
    expect(codeOf(() => createDatabase(path, key))).toBe('already-exists');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('reports a truncated file and leaves it as it was', () => {
    const path = filled('cut.db');
    truncateSync(path, statSync(path).size - 1000);
    const before = readFileSync(path);
    expect(codeOf(() => openDatabase(path, key))).toBe('truncated');
    expect(readFileSync(path).equals(before)).toBe(true);
    const pageCut = filled('page-cut.db');
    truncateSync(pageCut, statSync(pageCut).size - 8192);
    expect(codeOf(() => openDatabase(pageCut, key))).toBe('truncated');
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    expect(codeOf(() => openDatabase(empty, key))).toBe('truncated');
    expect(existsSync(empty)).toBe(true);
  });

  it('reports a corrupt file', () => {
    const path = filled('corrupt.db');
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xee), 0, 4096, statSync(path).size - 8192);
    closeSync(fd);
    expect(codeOf(() => openDatabase(path, key))).toBe('corrupt');
    const junk = join(dir, 'junk.db');
    appendFileSync(junk, Buffer.alloc(8192, 0x41));
    expect(['wrong-key', 'corrupt']).toContain(codeOf(() => openDatabase(junk, key)));
  });
});
