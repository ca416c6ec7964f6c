// Re-keying the encrypted database (decision 0037): a re-encrypted copy beside it, a new slots file, a commit marker,
// then a hand-over by renames; `recoverInterruptedRekey` finishes or undoes a hand-over that a crash interrupted.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import * as z from 'zod';
import { removeStaleTemporaries, temporaryFilesOf, writeJsonAtomically } from './atomic-file.ts';
import { DATABASE_KEY_BYTES, openDatabase } from './database.ts';
import type { Database } from './database.ts';
import { StoreError } from './errors.ts';
import { writeLockOwnerFileOf } from './write-lock.ts';
import { keySlotsPath } from './key-slots.ts';
import { keychainSlotsPath } from './keychain-slots-file.ts';

/** The files of a re-key, all beside the database. */
export const rekeyPaths = (databasePath: string) => ({
  /** The re-encrypted copy (new key), renamed over the database at the hand-over. */
  copy: `${databasePath}.rekey`,
  /** The new slots file, renamed over `<db>.keys.json` at the hand-over. */
  slots: `${keySlotsPath(databasePath)}.rekey`,
  /** The commit point: while it exists the hand-over must be finished (rolled forward), never undone. */
  marker: `${databasePath}.rekey-commit`,
  /** The OS keychain slot (electron/main/keychain-slot.ts): it wraps the old key, so it goes. */
  keychain: keychainSlotsPath(databasePath),
});

/** The named steps of a re-key, in order; a test hook may stop the process at any of them (the crash test). */
export const REKEY_STEPS = [
  'locked',
  'copied',
  'entry-appended',
  'copy-closed',
  'slots-written',
  'committed',
  'old-closed',
  'wal-removed',
  'database-renamed',
  'slots-renamed',
  'keychain-removed',
  'finished',
] as const;
export type RekeyStep = (typeof REKEY_STEPS)[number];
export type RekeyHooks = { readonly onStep?: (step: RekeyStep) => void };

const MarkerSchema = z.strictObject({
  format: z.literal('perimeter-rekey-commit'),
  version: z.literal(1),
  database: z.string().min(1),
});

const fsyncPath = (path: string): void => {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

const fsyncDirectory = (databasePath: string): void => fsyncPath(dirname(databasePath));

const removeIfPresent = (path: string): void => rmSync(path, { force: true });

// SQLite's side files of a database file (WAL, shared memory, rollback journal), and the write-lock owner record a
// writer killed inside a transaction leaves behind (write-lock.ts).
const sideFiles = (path: string): string[] => [
  `${path}-wal`,
  `${path}-shm`,
  `${path}-journal`,
  writeLockOwnerFileOf(path),
];

/** Finishes step c of the hand-over; every part is idempotent, so it may run again after a crash anywhere in it. */
const rollForward = (databasePath: string, hooks: RekeyHooks): void => {
  const paths = rekeyPaths(databasePath);
  // Empty after the checkpoint, and of the old key: a stale WAL must never be applied to the new file.
  for (const side of sideFiles(databasePath)) removeIfPresent(side);
  hooks.onStep?.('wal-removed');
  if (existsSync(paths.copy)) renameSync(paths.copy, databasePath);
  removeIfPresent(writeLockOwnerFileOf(paths.copy));
  hooks.onStep?.('database-renamed');
  if (existsSync(paths.slots)) renameSync(paths.slots, keySlotsPath(databasePath));
  hooks.onStep?.('slots-renamed');
  removeIfPresent(paths.keychain);
  hooks.onStep?.('keychain-removed');
  fsyncDirectory(databasePath);
  removeIfPresent(paths.marker);
  fsyncDirectory(databasePath);
};

/** Deletes a re-key's leftovers that never reached the commit point: the database and its slots are the old ones. */
const rollBack = (databasePath: string): boolean => {
  const paths = rekeyPaths(databasePath);
  const leftovers = [
    paths.copy,
    ...sideFiles(paths.copy),
    paths.slots,
    ...temporaryFilesOf(paths.slots),
    ...temporaryFilesOf(paths.marker),
  ].filter((path) => existsSync(path));
  for (const path of leftovers) removeIfPresent(path);
  if (leftovers.length > 0) fsyncDirectory(databasePath);
  return leftovers.length > 0;
};

/** How old a slot file's temporary must be before an open removes it as a crash's leftover (decision 0046). */
export const STALE_SLOT_TEMPORARY_MS = 10 * 60 * 1000;

/**
 * Removes the temporaries a crash left beside `<db>.keys.json` and `<db>.keychain.json` during an ordinary slot write
 * (a passphrase change, a new user, a re-enrolment, a keychain enrolment): `<file>.<12 hex>.tmp`, only this database's,
 * only when older than STALE_SLOT_TEMPORARY_MS, so a write under way in another process is never touched.
 */
export const removeStaleSlotTemporaries = (databasePath: string, now: number = Date.now()): string[] => {
  const removed = [keySlotsPath(databasePath), keychainSlotsPath(databasePath)].flatMap((path) =>
    removeStaleTemporaries(path, STALE_SLOT_TEMPORARY_MS, now),
  );
  if (removed.length > 0) fsyncDirectory(databasePath);
  return removed;
};

export type RekeyRecovery = 'none' | 'rolled-back' | 'rolled-forward';

/**
 * Run before every open of the database (passphrase, keychain, CLI). Needs no key. With the commit marker present the
 * interrupted hand-over is finished (new key, new slots); without it, leftover copies are deleted (old key, old slots).
 * Either way, stale temporaries of the slot files are removed afterwards (`removeStaleSlotTemporaries`).
 */
export const recoverInterruptedRekey = (databasePath: string): RekeyRecovery => {
  // A rotation under way (in another process) holds the database exclusively until after its commit point: its copy
  // and new slots are not leftovers, and deleting them would let it hand over new slots without the new database. The
  // open that called this then fails on the lock, as it would anyway (decision 0046).
  const recovery = heldExclusively(databasePath) ? 'none' : recoverRekey(databasePath);
  removeStaleSlotTemporaries(databasePath);
  return recovery;
};

/**
 * Whether another connection holds the database exclusively (as `lockExclusively` does), asked without the key: a
 * read-only connection that may not wait is refused with SQLITE_BUSY (or an extended busy code) while the lock is
 * held; otherwise it gets as far as reading the first page, which it cannot decrypt (SQLITE_NOTADB).
 */
const heldExclusively = (databasePath: string): boolean => {
  if (!existsSync(databasePath)) return false;
  const probe = new BetterSqlite3(databasePath, { fileMustExist: true, readonly: true, timeout: 0 });
  try {
    probe.prepare('SELECT count(*) FROM sqlite_schema').get();
    return false;
  } catch (error) {
    return String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY');
  } finally {
    probe.close();
  }
};

const recoverRekey = (databasePath: string): RekeyRecovery => {
  const paths = rekeyPaths(databasePath);
  if (existsSync(paths.marker)) {
    let marker: unknown;
    try {
      marker = JSON.parse(readFileSync(paths.marker, 'utf8'));
    } catch {
      marker = null;
    }
    // A marker is written whole (atomically) or not at all; one that does not parse is not ours: stop, touch nothing.
    const parsed = MarkerSchema.safeParse(marker);
    if (!parsed.success || parsed.data.database !== basename(databasePath))
      throw new StoreError(
        'corrupt',
        `${paths.marker}: not a re-key commit marker of this database; move it away only after checking the files`,
        paths.marker,
      );
    rollForward(databasePath, {});
    return 'rolled-forward';
  }
  return rollBack(databasePath) ? 'rolled-back' : 'none';
};

type TableCount = { readonly name: string; readonly rows: number };
export type DatabaseFingerprint = {
  readonly tables: readonly TableCount[];
  readonly lastSequence: number | null;
  readonly lastLeafHash: string | null;
  readonly userVersion: number;
};

/** What a faithful copy must share with its original: every table's row count, the audit log's head, the version. */
export const fingerprint = (db: Database): DatabaseFingerprint => {
  const names = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all()
    .map((row) => row.name);
  const tables = names.map((name) => ({
    name,
    rows: Number(
      db
        .prepare(`SELECT count(*) FROM "${name.replaceAll('"', '""')}"`)
        .pluck()
        .get(),
    ),
  }));
  const head = db
    .prepare<[], { sequence: number; leaf_hash: Buffer }>(
      'SELECT sequence, leaf_hash FROM audit_entries ORDER BY sequence DESC LIMIT 1',
    )
    .get();
  return {
    tables,
    lastSequence: head?.sequence ?? null,
    lastLeafHash: head ? head.leaf_hash.toString('hex') : null,
    userVersion: Number(db.pragma('user_version', { simple: true })),
  };
};

const keyPragma = (key: Uint8Array): string => `"x'${Buffer.from(key).toString('hex')}'"`;

/**
 * Takes the database for this connection alone (locking_mode EXCLUSIVE plus a write transaction): from here until the
 * connection closes no other connection, in this process or another, can read or write it. Refused (`busy`) when any
 * other connection has it open, since that one would go on using the old file after the hand-over.
 */
const lockExclusively = (db: Database, path: string): void => {
  const timeout = Number(db.pragma('busy_timeout', { simple: true }));
  db.pragma('busy_timeout = 250');
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (error) {
    releaseExclusive(db);
    throw new StoreError(
      'busy',
      `${path}: another session or process has the database open (${error instanceof Error ? error.message : String(error)}); close it and try again`,
      path,
    );
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
};

const releaseExclusive = (db: Database): void => {
  db.pragma('locking_mode = NORMAL');
  // The lock is released at the next access in NORMAL mode.
  db.prepare('SELECT count(*) FROM sqlite_schema').get();
};

/**
 * Writes the re-encrypted copy `<db>.rekey` of the open database under `newKey`: VACUUM INTO (which keeps the old
 * key: SQLite3MultipleCiphers gives an attached or VACUUM INTO target the main database's key) into a fresh file, then
 * `PRAGMA rekey` on that copy without a journal (rekey is refused in WAL mode), so every page is rewritten under the
 * new key. The copy never holds plaintext: it is encrypted from its first page on.
 */
const writeReencryptedCopy = (db: Database, databasePath: string, oldKey: Uint8Array, newKey: Uint8Array): void => {
  const { copy } = rekeyPaths(databasePath);
  const checkpoint = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  if (checkpoint[0]?.busy !== 0)
    throw new StoreError('busy', `${databasePath}: the WAL could not be checkpointed before the copy`, databasePath);
  // An empty private file first (VACUUM INTO accepts one), so the copy is owner-only from its first byte; sorting for
  // the copy's indexes stays in memory, never in a temporary file.
  closeSync(openSync(copy, 'wx', 0o600));
  const tempStore = Number(db.pragma('temp_store', { simple: true }));
  db.pragma('temp_store = MEMORY');
  try {
    db.prepare('VACUUM INTO ?').run(copy);
  } finally {
    db.pragma(`temp_store = ${tempStore}`);
  }
  const copyDb = new BetterSqlite3(copy, { fileMustExist: true });
  try {
    copyDb.pragma(`cipher='sqlcipher'`);
    copyDb.pragma(`key=${keyPragma(oldKey)}`);
    copyDb.prepare('SELECT count(*) FROM sqlite_schema').get();
    copyDb.pragma('temp_store = MEMORY');
    // No journal and no fsync while the copy is rewritten (decision 0047): until the commit marker exists the copy is
    // a scratch file that any failure or crash deletes, and before the marker is written it is opened with the new
    // key, quick_checked, compared with the database, checkpointed and fsynced. A journal would write every page twice.
    copyDb.pragma('journal_mode = OFF');
    copyDb.pragma('synchronous = OFF');
    copyDb.pragma(`rekey=${keyPragma(newKey)}`);
  } finally {
    copyDb.close();
  }
};

export type RekeyPlan = {
  /** The open database (old key), the only connection to it. Closed by the hand-over. */
  readonly db: Database;
  readonly databasePath: string;
  readonly oldKey: Uint8Array;
  readonly newKey: Uint8Array;
  /** Appends the rotation's audit entry to the verified copy (new key), inside the copy: called once. */
  readonly appendToCopy: (copy: Database) => void;
  /** Writes the new slots file (at the path given) wrapping the new key. */
  readonly writeSlots: (path: string) => void;
};

/**
 * Re-keys the database: copy, verify, append, new slots, commit marker, hand-over. Before the commit point any failure
 * deletes the copy and the new slots and leaves the old database open and unchanged (the error is rethrown); after it
 * the hand-over is finished (or, after a crash, finished by `recoverInterruptedRekey`). On return the old connection is
 * closed and the database at `databasePath` opens with `newKey` only.
 */
export const rekeyDatabase = (plan: RekeyPlan, hooks: RekeyHooks = {}): void => {
  const { db, databasePath, oldKey, newKey } = plan;
  if (newKey.length !== DATABASE_KEY_BYTES || Buffer.from(newKey).equals(Buffer.from(oldKey)))
    throw new StoreError('invalid-key', 'a new database key is 32 fresh bytes', databasePath);
  const paths = rekeyPaths(databasePath);
  if (existsSync(paths.marker))
    throw new StoreError('busy', `${paths.marker}: an interrupted re-key must be recovered first`, paths.marker);
  rollBack(databasePath);
  lockExclusively(db, databasePath);
  try {
    hooks.onStep?.('locked');
    writeReencryptedCopy(db, databasePath, oldKey, newKey);
    hooks.onStep?.('copied');
    const before = fingerprint(db);
    const copy = openDatabase(paths.copy, newKey, { check: 'quick', migrate: false });
    try {
      const copied = fingerprint(copy);
      if (JSON.stringify(copied) !== JSON.stringify(before))
        throw new StoreError(
          'corrupt',
          `${paths.copy}: the re-encrypted copy differs from the database (${JSON.stringify({ before, copied }).slice(0, 400)})`,
          paths.copy,
        );
      plan.appendToCopy(copy);
      const after = fingerprint(copy);
      if (after.lastSequence !== (before.lastSequence ?? -1) + 1)
        throw new StoreError('corrupt', `${paths.copy}: the rotation entry is not the next entry`, paths.copy);
      hooks.onStep?.('entry-appended');
      copy.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      copy.close();
    }
    // Closing the last connection checkpoints and deletes the copy's WAL: everything is in the one file now.
    if (sideFiles(paths.copy).some((side) => existsSync(side) && statSync(side).size > 0))
      throw new StoreError('corrupt', `${paths.copy}: the copy's WAL was not emptied`, paths.copy);
    for (const side of sideFiles(paths.copy)) removeIfPresent(side);
    fsyncPath(paths.copy);
    hooks.onStep?.('copy-closed');
    plan.writeSlots(paths.slots);
    fsyncDirectory(databasePath);
    hooks.onStep?.('slots-written');
  } catch (error) {
    rollBack(databasePath);
    releaseExclusive(db);
    throw error;
  }
  // The commit point: from here on the rotation happened, whatever crashes. The marker is renamed into place whole,
  // so if writing it fails it is not there, and the rotation is undone like any failure before it.
  try {
    writeJsonAtomically(paths.marker, {
      format: 'perimeter-rekey-commit',
      version: 1,
      database: basename(databasePath),
    });
  } catch (error) {
    rollBack(databasePath);
    releaseExclusive(db);
    throw error;
  }
  try {
    fsyncDirectory(databasePath);
    hooks.onStep?.('committed');
    db.close();
    hooks.onStep?.('old-closed');
    rollForward(databasePath, hooks);
  } catch (error) {
    // Past the commit point the old database must never be written again: its connection closes, and the next open
    // (recoverInterruptedRekey) finishes the hand-over.
    if (db.open) db.close();
    throw error;
  }
  hooks.onStep?.('finished');
};
