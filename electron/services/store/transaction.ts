// Runs a function in a write transaction (a savepoint when one is open) through one wrapper per connection. The
// outermost one takes the write lock up front (BEGIN IMMEDIATE) with a bounded wait: see write-lock.ts. It also owns
// the transaction's memos: values read once per transaction and kept in step by their writers (transactionMemo).
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { runWriteTransaction } from './write-lock.ts';

type Wrapper = ((run: () => unknown) => unknown) & { immediate: (run: () => unknown) => unknown };

// db.transaction() prepares its BEGIN/COMMIT/SAVEPOINT statements each time it is called: make it once per connection.
const wrappers = new WeakMap<BetterSqlite3.Database, Wrapper>();

// Per connection, the memos of the transaction that is open: forgotten when it ends (committed or rolled back) and
// when a savepoint inside it rolls back, since the rows they mirror may then have changed back under them.
const memos = new WeakMap<BetterSqlite3.Database, Map<object, unknown>>();

export const inTransaction = <T>(db: BetterSqlite3.Database, run: () => T): T => {
  let wrapper = wrappers.get(db);
  if (!wrapper) {
    wrapper = db.transaction((inner: () => unknown) => inner()) as unknown as Wrapper;
    wrappers.set(db, wrapper);
  }
  if (db.inTransaction) {
    try {
      return wrapper(run) as T;
    } catch (error) {
      memos.delete(db);
      throw error;
    }
  }
  // A deferred BEGIN would take the lock at the first write and, finding it taken, fail at once (SQLITE_BUSY without
  // waiting, as its snapshot may be stale): IMMEDIATE waits for it before anything is read.
  const immediate = wrapper.immediate;
  try {
    return runWriteTransaction(db, (body) => immediate(body) as T, run);
  } finally {
    memos.delete(db);
  }
};

/**
 * A value derived from the database, read once per write transaction: `load` runs the first time it is asked for in a
 * transaction, and every writer of the rows it mirrors must keep it in step (through `openTransactionMemo`). Outside a
 * transaction nothing is kept and `load` runs each time.
 */
export const transactionMemo = <T>(db: BetterSqlite3.Database, key: object, load: () => T): T => {
  if (!db.inTransaction) return load();
  let open = memos.get(db);
  if (!open) {
    open = new Map();
    memos.set(db, open);
  }
  if (open.has(key)) return open.get(key) as T;
  const value = load();
  open.set(key, value);
  return value;
};

/** The memo under `key` if this transaction has read it, for a writer to keep it in step; otherwise null. */
export const openTransactionMemo = <T>(db: BetterSqlite3.Database, key: object): T | null =>
  db.inTransaction ? ((memos.get(db)?.get(key) as T | undefined) ?? null) : null;

/** Forgets every memo of the open transaction (after a bulk rewrite of the rows they mirror, such as a rebuild). */
export const forgetTransactionMemos = (db: BetterSqlite3.Database): void => void memos.delete(db);
