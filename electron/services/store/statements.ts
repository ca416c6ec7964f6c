// Prepared statements cached per connection: preparing is far dearer than running, and hot paths run the same SQL.
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';

const caches = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

/** The prepared statement for `sql` on this connection, prepared once. */
export const statement = <Params extends unknown[] = unknown[], Row = unknown>(
  db: BetterSqlite3.Database,
  sql: string,
): BetterSqlite3.Statement<Params, Row> => {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared as unknown as BetterSqlite3.Statement<Params, Row>;
};
