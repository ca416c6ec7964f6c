// Migration 0003: the saved_views table (per user, unique names ignoring case, a JSON filter), and an upgrade from the
// version before it that keeps the existing data.
import { join } from 'node:path';
import Sqlite from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../../../electron/services/store/database.ts';
import { MIGRATIONS } from '../../../../electron/services/store/migrations/index.ts';
import { migrate } from '../../../../electron/services/store/migrations/runner.ts';
import { migration0003SavedViews as migration } from '../../../../electron/services/store/migrations/0003-saved-views.ts';
import { randomKey, tempDir } from '../temp.ts';

const dir = tempDir('m-saved-views');

const errorOf = (run: () => unknown): string => {
  try {
    run();
    return '';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

const insert = "INSERT INTO saved_views VALUES (?, ?, ?, ?, '2026-11-23T10:00:00Z', '2026-11-23T10:00:00Z')";

describe(`migration ${migration.name}`, () => {
  it('is in the list at its own version', () => {
    expect(MIGRATIONS[migration.version - 1]).toBe(migration);
  });

  it('creates saved_views as a STRICT table keyed by user, with names unique per user ignoring case', () => {
    const db = createDatabase(join(dir, 'fresh.db'), randomKey());
    const sql = db
      .prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'saved_views'")
      .get()?.sql;
    expect(sql).toMatch(/STRICT/);
    db.prepare(insert).run('olga', 'V-1', 'Overdue', '{"queue":"screening_review"}');
    db.prepare(insert).run('sam', 'V-2', 'overdue', '{}');
    expect(errorOf(() => db.prepare(insert).run('olga', 'V-3', 'OVERDUE', '{}'))).toMatch(/UNIQUE/);
    expect(errorOf(() => db.prepare(insert).run('olga', 'V-1', 'Another', '{}'))).toMatch(/UNIQUE|PRIMARY/);
    expect(errorOf(() => db.prepare(insert).run('olga', 'V-4', 'Broken', '{not json'))).toMatch(/CHECK/);
    expect(errorOf(() => db.prepare(insert).run('olga', 'V-5', '', '{}'))).toMatch(/CHECK/);
    expect(errorOf(() => db.prepare(insert).run('olga', 'V-6', 'Typed', Buffer.from('{}')))).toMatch(/BLOB/);
    db.close();
  });

  it('upgrades a database at the previous version and keeps its data', () => {
    const path = join(dir, 'upgrade.db');
    const db = new Sqlite(path);
    expect(migrate(db, path, MIGRATIONS.slice(0, migration.version - 1))).toEqual({
      from: 0,
      to: migration.version - 1,
    });
    db.prepare("INSERT INTO workstation_meta VALUES ('kept', 'yes')").run();
    expect(errorOf(() => db.prepare('SELECT * FROM saved_views').all())).toMatch(/no such table/);
    expect(migrate(db, path, MIGRATIONS.slice(0, migration.version))).toEqual({
      from: migration.version - 1,
      to: migration.version,
    });
    expect(db.prepare('SELECT value FROM workstation_meta WHERE key = ?').get('kept')).toEqual({ value: 'yes' });
    expect(db.prepare('SELECT count(*) AS n FROM saved_views').get()).toEqual({ n: 0 });
    db.close();
  });
});
