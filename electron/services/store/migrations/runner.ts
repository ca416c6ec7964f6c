// Applies pending migrations in order, one transaction each; refuses a database written by a newer app.
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { StoreError } from '../errors.ts';
import { MIGRATIONS } from './index.ts';
import type { Migration } from './migration.ts';

/** Versions must be 1, 2, 3…: they only grow, with no gaps, so user_version names exactly what was applied. */
export const checkMigrationOrder = (migrations: readonly Migration[]): void => {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1)
      throw new StoreError(
        'bad-migrations',
        `migration ${migration.name} has version ${migration.version}; position ${index + 1} needs version ${index + 1}`,
      );
  });
};

export type MigrationResult = { readonly from: number; readonly to: number };

export const migrate = (
  db: BetterSqlite3.Database,
  path: string | null = null,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrationResult => {
  checkMigrationOrder(migrations);
  const latest = migrations.length;
  const from = Number(db.pragma('user_version', { simple: true }));
  if (from > latest)
    throw new StoreError(
      'too-new',
      `${path ?? 'the database'} is at schema version ${from}, newer than this app understands (${latest}): update Perimeter`,
      path,
    );
  for (const migration of migrations.slice(from)) {
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return { from, to: latest };
};
