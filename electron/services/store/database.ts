// Opens or creates the encrypted SQLite database (SQLCipher scheme): key first, then WAL, full sync, foreign keys.
import { chmodSync, existsSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { StoreError } from './errors.ts';
import { migrate } from './migrations/runner.ts';
import { configureWriteLock } from './write-lock.ts';

export type Database = BetterSqlite3.Database;

export const DATABASE_KEY_BYTES = 32;
/**
 * The page cache per connection, in KiB (an upper bound: SQLite allocates it as pages are read). Every miss decrypts a
 * page. With 64 MiB the encryption overhead of a 30,000-lead intake was 13.8%; with 256 MiB, 7.5% (bench/store).
 */
export const PAGE_CACHE_KIB = 262_144;
/** SQLCipher 4's page size: a healthy file is a whole number of these. */
const PAGE_BYTES = 4096;

export type OpenOptions = {
  /** Create the file if it does not exist (never overwriting one that does). */
  readonly create?: boolean;
  /** 'quick' runs PRAGMA quick_check: every page is read, so damage anywhere is found now rather than later. */
  readonly check?: 'quick' | 'none';
  /** Apply pending migrations (default true). */
  readonly migrate?: boolean;
  /** How long a write waits for another connection's write lock (default WRITE_LOCK_TIMEOUT_MS; decision 0125). */
  readonly lockTimeoutMs?: number;
};

const applyKey = (db: Database, key: Uint8Array): void => {
  // The cipher and key come before any other statement, or SQLite would read the file as plaintext.
  db.pragma(`cipher='sqlcipher'`);
  db.pragma(`key="x'${Buffer.from(key).toString('hex')}'"`);
};

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const isSqliteCode = (error: unknown, ...codes: string[]): boolean =>
  error instanceof Error && 'code' in error && codes.includes(String((error as { code: unknown }).code));

/**
 * Opens the database at `path` with the 32-byte key. A wrong key, a truncated or a corrupt file is a StoreError
 * with its own code; nothing here ever truncates, rewrites or replaces an existing file.
 */
export const openDatabase = (path: string, key: Uint8Array, options: OpenOptions = {}): Database => {
  if (key.length !== DATABASE_KEY_BYTES)
    throw new StoreError('invalid-key', `a database key is ${DATABASE_KEY_BYTES} bytes`, path);
  const exists = existsSync(path);
  if (!exists && !options.create) throw new StoreError('not-found', `${path}: no such database`, path);
  if (exists) {
    const size = statSync(path).size;
    if (size === 0 || size % PAGE_BYTES !== 0)
      throw new StoreError(
        'truncated',
        `${path}: the file is ${size} bytes, not a whole number of ${PAGE_BYTES}-byte pages (truncated or not a database)`,
        path,
      );
  }
  let db: Database;
  try {
    db = new BetterSqlite3(path, { fileMustExist: exists });
  } catch (error) {
    throw new StoreError('corrupt', `${path}: cannot open: ${describe(error)}`, path);
  }
  try {
    applyKey(db, key);
    // The first read decrypts page 1: a wrong key (or a file that is not ours) fails here.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    db.close();
    if (isSqliteCode(error, 'SQLITE_NOTADB'))
      throw new StoreError(
        'wrong-key',
        `${path}: the key does not open this database (wrong key, or not a Perimeter database)`,
        path,
      );
    // Page 1 decrypted and authenticated, yet the first read fails: its page count runs past the end of the file.
    if (isSqliteCode(error, 'SQLITE_CORRUPT'))
      throw new StoreError('truncated', `${path}: the file is shorter than its header says (truncated)`, path);
    throw new StoreError('corrupt', `${path}: ${describe(error)}`, path);
  }
  try {
    configureWriteLock(db, { timeoutMs: options.lockTimeoutMs });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Erased personal data is overwritten in the file, not just unlinked from the b-tree.
    db.pragma('secure_delete = ON');
    // Pages are decrypted on every cache miss: a large page cache keeps work queues and intake's indexes warm.
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    if (exists) checkNotTruncated(db, path);
    if (exists && (options.check ?? 'quick') === 'quick') {
      const result = db.pragma('quick_check', { simple: true });
      if (result !== 'ok') throw new StoreError('corrupt', `${path}: integrity check failed: ${String(result)}`, path);
    }
    if (options.migrate ?? true) migrate(db, path);
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    if (isSqliteCode(error, 'SQLITE_CORRUPT', 'SQLITE_NOTADB'))
      throw new StoreError('corrupt', `${path}: the database is damaged: ${describe(error)}`, path);
    throw error;
  }
  if (!exists) chmodSync(path, 0o600);
  return db;
};

/** Creates a new database; refuses if the file exists. */
export const createDatabase = (
  path: string,
  key: Uint8Array,
  options: { readonly lockTimeoutMs?: number } = {},
): Database => {
  if (existsSync(path))
    throw new StoreError('already-exists', `${path}: a file is already there; it is never overwritten`, path);
  return openDatabase(path, key, { create: true, ...options });
};

const checkNotTruncated = (db: Database, path: string): void => {
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  let pageCount: number;
  try {
    pageCount = Number(db.pragma('page_count', { simple: true }));
  } catch (error) {
    // Page 1 decrypted (the key is right) but its page count points past the end of the file: pages are missing.
    if (isSqliteCode(error, 'SQLITE_CORRUPT'))
      throw new StoreError(
        'truncated',
        `${path}: the database header counts more pages than the file holds (truncated)`,
        path,
      );
    throw error;
  }
  const walPath = `${path}-wal`;
  const walBytes = existsSync(walPath) ? statSync(walPath).size : 0;
  // With an empty WAL every page the header counts must be in the main file.
  if (walBytes === 0 && pageCount * pageSize > statSync(path).size)
    throw new StoreError(
      'truncated',
      `${path}: the database header counts ${pageCount} pages but the file is shorter (truncated)`,
      path,
    );
};
