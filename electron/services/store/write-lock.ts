// The write lock every process on one workstation database shares (decision 0125): each write transaction takes it up
// front (BEGIN IMMEDIATE) and waits for it a bounded time; its holder leaves a record of who it is, so a wait that runs
// out can say who holds the lock; and a process writing transaction after transaction lets a waiting one have a turn.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { StoreError } from './errors.ts';

type Db = BetterSqlite3.Database;

/** How long a write waits for another process's write to finish before it gives up (decision 0125). */
export const WRITE_LOCK_TIMEOUT_MS = 10_000;
/** The longest a back-to-back writer pauses before its next transaction so that a waiting process gets the lock. */
const TURN_MAX_MS = 2_000;
/** A waiter retries BEGIN IMMEDIATE at least this often (SQLite's own busy handler backs off to 100 ms). */
const RETRY_SLICE_MS = 20;

/** Who holds the lock: no personal data (a user id is a pseudonymous id, as in the audit log). */
export type WriteLockOwner = {
  readonly pid: number;
  readonly command: string;
  readonly user: string | null;
  readonly since: string;
};

type LockState = {
  readonly timeoutMs: number;
  /** `<db>.lock-owner.json`, there only while a Perimeter process holds the lock; null for an in-memory database. */
  readonly ownerFile: string | null;
  /** `<db>.lock-waiting/`: one waiting-<pid>-<n> file per connection waiting; there only while someone waits. */
  readonly waitDir: string | null;
  user: string | null;
  /** PRAGMA busy_timeout = 0 and = timeoutMs, prepared once: they run around every write transaction. */
  readonly noWait: BetterSqlite3.Statement;
  readonly fullWait: BetterSqlite3.Statement;
};

const states = new WeakMap<Db, LockState>();
let processCommand = `node ${basename(process.argv[1] ?? '')}`.trim();
let waitTickets = 0;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number): void => void Atomics.wait(sleeper, 0, 0, ms);

/** Where the holder of the write lock on the database at `path` records itself. */
export const writeLockOwnerFileOf = (path: string): string => `${path}.lock-owner.json`;

/** What this process is, as the owner record names it (`perimeter leads import`, `perimeter serve`, the desktop app). */
export const setWriteLockCommand = (command: string): void => {
  processCommand = command;
};

/** Called when a connection is opened: its bounded wait, and where its lock records live (none in memory). */
export const configureWriteLock = (db: Db, options: { readonly timeoutMs?: number } = {}): void => {
  const timeoutMs = Math.max(0, Math.floor(options.timeoutMs ?? WRITE_LOCK_TIMEOUT_MS));
  db.pragma(`busy_timeout = ${timeoutMs}`);
  const onDisk = !db.memory && db.name !== '' && db.name !== ':memory:';
  states.set(db, {
    timeoutMs,
    ownerFile: onDisk ? writeLockOwnerFileOf(db.name) : null,
    waitDir: onDisk ? `${db.name}.lock-waiting` : null,
    user: null,
    noWait: db.prepare('PRAGMA busy_timeout = 0'),
    fullWait: db.prepare(`PRAGMA busy_timeout = ${timeoutMs}`),
  });
};

/** The signed-in user of a connection, for the owner record. */
export const setWriteLockUser = (db: Db, user: string | null): void => {
  const state = states.get(db);
  if (state) state.user = user;
};

const stateOf = (db: Db): LockState => {
  let state = states.get(db);
  if (!state) {
    // A connection not opened through openDatabase (the storage benchmark's unencrypted twin): same rules.
    configureWriteLock(db, { timeoutMs: Number(db.pragma('busy_timeout', { simple: true })) || WRITE_LOCK_TIMEOUT_MS });
    state = states.get(db)!;
  }
  return state;
};

const isBusy = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && String((error as { code: unknown }).code).startsWith('SQLITE_BUSY');

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

// Written and removed only while the lock is held, so the lock itself keeps two writers from racing on the file. A
// record left by a process that died is recognised by its pid and ignored; the next holder overwrites it.
const writeOwner = (state: LockState): void => {
  if (state.ownerFile === null) return;
  const owner: WriteLockOwner = {
    pid: process.pid,
    command: processCommand,
    user: state.user,
    since: new Date().toISOString(),
  };
  try {
    writeFileSync(state.ownerFile, JSON.stringify(owner), { mode: 0o600 });
  } catch {
    // The record only improves a message; the transaction does not depend on it.
  }
};

const removeOwner = (state: LockState): void => {
  if (state.ownerFile === null) return;
  try {
    unlinkSync(state.ownerFile);
  } catch {
    // Already gone.
  }
};

/** The recorded holder of the lock on the database at `path`, or null (none recorded, or its process is gone). */
export const readWriteLockOwner = (path: string): WriteLockOwner | null => {
  try {
    const owner = JSON.parse(readFileSync(writeLockOwnerFileOf(path), 'utf8')) as WriteLockOwner;
    if (typeof owner.pid !== 'number' || owner.pid === process.pid || !isAlive(owner.pid)) return null;
    return owner;
  } catch {
    return null;
  }
};

const waitingOthers = (dir: string): string[] => {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => {
    if (!name.startsWith('waiting-')) return false;
    const pid = Number(name.split('-')[1]);
    if (pid === process.pid) return false;
    if (isAlive(pid)) return true;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // Someone else cleaned it.
    }
    return false;
  });
};

// A writer that commits and begins again at once would win the lock every time against a process polling for it:
// when another process says it is waiting, this one pauses until that process has had the lock (its waiting file is
// gone) or TURN_MAX_MS have passed.
const giveWaitersATurn = (state: LockState): void => {
  if (state.waitDir === null || !existsSync(state.waitDir)) return;
  let waiting = waitingOthers(state.waitDir);
  const until = Date.now() + Math.min(TURN_MAX_MS, state.timeoutMs);
  while (waiting.length > 0 && Date.now() < until) {
    sleep(5);
    const still = new Set(waitingOthers(state.waitDir));
    waiting = waiting.filter((name) => still.has(name));
  }
};

const describeWait = (db: Db, state: LockState): string => {
  const waited = `${(state.timeoutMs / 1000).toLocaleString('en-GB')} s`;
  const owner = readWriteLockOwner(db.name);
  if (owner === null)
    return `${db.name}: the database is busy: another connection held its write lock for more than ${waited} and left no owner record (a checkpoint, a key rotation or a program other than Perimeter); nothing was changed, try again`;
  const held = Math.max(0, Math.round((Date.now() - Date.parse(owner.since)) / 1000));
  return `${db.name}: the database is busy: ${owner.command} (pid ${owner.pid}${owner.user ? `, user ${owner.user}` : ''}) has held its write lock since ${owner.since} (${held} s); waited ${waited}, nothing was changed, try again when it has finished`;
};

// Another waiter's withdraw may remove the directory between the mkdir and the write: try again. Without the file the
// holder gives no turn, and the bounded wait still holds.
const announce = (dir: string, ticket: string): boolean => {
  for (let attempt = 0; attempt < 3; attempt += 1)
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(ticket, '', { mode: 0o600 });
      return true;
    } catch {
      // Try again.
    }
  return false;
};

// The ticket goes, and the directory with it when it was the last (another waiter may just be adding one: then the
// rmdir fails, or the mkdir before its ticket recreates the directory).
const withdraw = (ticket: string): void => {
  try {
    unlinkSync(ticket);
  } catch {
    // Gone already.
  }
  try {
    rmdirSync(dirname(ticket));
  } catch {
    // Not empty: others still wait.
  }
};

const setBusyTimeout = (db: Db, ms: number): void => void db.pragma(`busy_timeout = ${Math.max(0, Math.floor(ms))}`);

/**
 * Runs `begin(body)` — a BEGIN IMMEDIATE transaction around `body` — as the outermost write transaction of `db`.
 * Waits at most the connection's timeout for the lock, then throws StoreError 'busy' saying who holds it. Only a
 * transaction that never began is retried; an error from inside `body` is the caller's.
 */
export const runWriteTransaction = <T>(db: Db, begin: (body: () => T) => T, run: () => T): T => {
  const state = stateOf(db);
  giveWaitersATurn(state);
  let begun = false;
  let ticket: string | null = null;
  const body = (): T => {
    begun = true;
    if (ticket !== null) withdraw(ticket);
    ticket = null;
    writeOwner(state);
    try {
      return run();
    } finally {
      removeOwner(state);
    }
  };
  // One try at the lock: the body's result, or null when another connection held it (and the body never ran).
  const attempt = (): { readonly value: T } | null => {
    try {
      return { value: begin(body) };
    } catch (error) {
      if (begun || !isBusy(error)) throw error;
      return null;
    }
  };
  // The usual case: nobody else is writing, the lock is free at once.
  state.noWait.get();
  try {
    const first = attempt();
    if (first !== null) return first.value;
  } finally {
    state.fullWait.get();
  }
  // Contended: say so (the holder gives a turn between its transactions), and retry until the deadline.
  ticket = state.waitDir === null ? null : join(state.waitDir, `waiting-${process.pid}-${(waitTickets += 1)}`);
  if (ticket !== null && !announce(state.waitDir!, ticket)) ticket = null;
  const deadline = Date.now() + state.timeoutMs;
  try {
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new StoreError('busy', describeWait(db, state), db.name);
      setBusyTimeout(db, Math.min(RETRY_SLICE_MS, left));
      const next = attempt();
      if (next !== null) return next.value;
    }
  } finally {
    state.fullWait.get();
    if (ticket !== null) withdraw(ticket);
  }
};
