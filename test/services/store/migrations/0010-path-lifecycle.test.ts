// Migration 0010: the product-path lifecycle's projections (issue 14), after 0009 (the sync state).
import { join } from 'node:path';
import Sqlite from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../electron/services/store/migrations/index.ts';
import { migrate } from '../../../../electron/services/store/migrations/runner.ts';
import {
  LIFECYCLE_PROJECTION_TABLES,
  migration0010PathLifecycle as migration,
} from '../../../../electron/services/store/migrations/0010-path-lifecycle.ts';
import { migration0009Sync } from '../../../../electron/services/store/migrations/0009-sync.ts';
import { tempDir } from '../temp.ts';

const dir = tempDir('m-lifecycle');

describe(`migration ${migration.name}`, () => {
  it('is in the list at its own version, after 0009', () => {
    expect(MIGRATIONS[migration.version - 1]).toBe(migration);
    expect(MIGRATIONS[8]).toBe(migration0009Sync);
  });

  it('adds the lifecycle tables to a workstation database of version 8, with their checks and foreign keys', () => {
    const file = join(dir, 'upgrade.db');
    const db = new Sqlite(file);
    db.pragma('foreign_keys = ON');
    migrate(db, file, MIGRATIONS.slice(0, 8));
    expect(migrate(db, file, MIGRATIONS.slice(0, migration.version))).toEqual({ from: 8, to: 10 });
    for (const table of LIFECYCLE_PROJECTION_TABLES)
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    db.prepare(
      "INSERT INTO leads (id, source_system, source_id, facts, jurisdiction, scope, subject, status, ingested_at, ingested_seq) VALUES ('L-1', 's', 'L-1', '{}', 'GB', 'GB', 'x', 'active', 't', 1)",
    ).run();
    const insert = (stage: string, lead = 'L-1') =>
      db
        .prepare(
          `INSERT INTO path_lifecycle (lead_id, product_id, owner, stage, open, jurisdiction, opened_at, stage_changed_at, held, hold_reasons, state, updated_seq)
           VALUES (?, 'p', 'rep', ?, 1, 'GB', 't', 't', 0, '[]', '{}', 1)`,
        )
        .run(lead, stage);
    expect(() => insert('DONE')).toThrow(/CHECK/);
    expect(() => insert('NEW', 'L-NONE')).toThrow(/FOREIGN KEY/);
    insert('NEW');
    expect(() =>
      db.prepare("INSERT INTO fact_sources (kind, event_id, lead_id, seq) VALUES ('email', 'e', 'L-1', 1)").run(),
    ).toThrow(/CHECK/);
    const indexes = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('path_lifecycle', 'product_paths')",
      )
      .pluck()
      .all();
    expect(indexes).toEqual(
      expect.arrayContaining([
        'path_lifecycle_by_owner',
        'path_lifecycle_cooling_off',
        'path_lifecycle_owner_cooling_off',
        'product_paths_waiting',
      ]),
    );
    db.close();
  });
});
