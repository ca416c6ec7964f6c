// Runs a function in a transaction (a savepoint when one is open) through one wrapper per connection.
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';

// db.transaction() prepares its BEGIN/COMMIT/SAVEPOINT statements each time it is called: make it once per connection.
const wrappers = new WeakMap<BetterSqlite3.Database, (run: () => unknown) => unknown>();

export const inTransaction = <T>(db: BetterSqlite3.Database, run: () => T): T => {
  let wrapper = wrappers.get(db);
  if (!wrapper) {
    wrapper = db.transaction((inner: () => unknown) => inner());
    wrappers.set(db, wrapper);
  }
  return wrapper(run) as T;
};
