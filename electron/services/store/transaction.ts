// Runs a function in a write transaction (a savepoint when one is open) through one wrapper per connection. The
// outermost one takes the write lock up front (BEGIN IMMEDIATE) with a bounded wait: see write-lock.ts.
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { runWriteTransaction } from './write-lock.ts';

type Wrapper = ((run: () => unknown) => unknown) & { immediate: (run: () => unknown) => unknown };

// db.transaction() prepares its BEGIN/COMMIT/SAVEPOINT statements each time it is called: make it once per connection.
const wrappers = new WeakMap<BetterSqlite3.Database, Wrapper>();

export const inTransaction = <T>(db: BetterSqlite3.Database, run: () => T): T => {
  let wrapper = wrappers.get(db);
  if (!wrapper) {
    wrapper = db.transaction((inner: () => unknown) => inner()) as unknown as Wrapper;
    wrappers.set(db, wrapper);
  }
  if (db.inTransaction) return wrapper(run) as T;
  // A deferred BEGIN would take the lock at the first write and, finding it taken, fail at once (SQLITE_BUSY without
  // waiting, as its snapshot may be stale): IMMEDIATE waits for it before anything is read.
  const immediate = wrapper.immediate;
  return runWriteTransaction(db, (body) => immediate(body) as T, run);
};
