// The migration runner: versions only grow, one transaction each, and a database from a newer app is refused.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDatabase, openDatabase } from '../../../electron/services/store/database.ts';
import { StoreError } from '../../../electron/services/store/errors.ts';
import { MIGRATIONS } from '../../../electron/services/store/migrations/index.ts';
import { checkMigrationOrder, migrate } from '../../../electron/services/store/migrations/runner.ts';
import { randomKey, tempDir } from './temp.ts';

const dir = tempDir('migrations');

describe('migrations', () => {
  it('are numbered 1, 2, 3… in order', () => {
    expect(() => checkMigrationOrder(MIGRATIONS)).not.toThrow();
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(() => checkMigrationOrder([{ version: 2, name: 'x', up: () => {} }])).toThrow(StoreError);
  });

  it('apply once and are idempotent afterwards', () => {
    const path = join(dir, 'idem.db');
    const db = createDatabase(path, randomKey());
    expect(migrate(db, path)).toEqual({ from: MIGRATIONS.length, to: MIGRATIONS.length });
    db.close();
  });

  it('roll a failing migration back whole, leaving the version where it was', () => {
    const path = join(dir, 'fail.db');
    const db = createDatabase(path, randomKey());
    const failing = [
      ...MIGRATIONS,
      {
        version: MIGRATIONS.length + 1,
        name: 'broken',
        up: (d: typeof db) => {
          d.exec('CREATE TABLE half_done (x INTEGER) STRICT');
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(db, path, failing)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    db.close();
  });

  it('refuse a database written by a newer app', () => {
    const path = join(dir, 'future.db');
    const key = randomKey();
    const db = createDatabase(path, key);
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    db.close();
    try {
      openDatabase(path, key);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe('too-new');
      expect((error as StoreError).message).toContain('newer than this app');
    }
  });
});
