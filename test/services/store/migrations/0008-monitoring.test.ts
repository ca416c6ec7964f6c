// Migration 0008: the monitoring projections (runs, the allow-list, resolved hits) and the index a run reads leads by.
import { join } from 'node:path';
import Sqlite from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../electron/services/store/migrations/index.ts';
import { migrate } from '../../../../electron/services/store/migrations/runner.ts';
import {
  MONITORING_PROJECTION_TABLES,
  migration0008Monitoring as migration,
} from '../../../../electron/services/store/migrations/0008-monitoring.ts';
import { tempDir } from '../temp.ts';

const dir = tempDir('m-monitoring');

describe(`migration ${migration.name}`, () => {
  it('is in the list at its own version', () => {
    expect(MIGRATIONS[migration.version - 1]).toBe(migration);
  });

  it('adds the monitoring tables to a workstation database, with their checks, and indexes leads by ingestion', () => {
    const file = join(dir, 'upgrade.db');
    const db = new Sqlite(file);
    db.pragma('foreign_keys = ON');
    migrate(db, file, MIGRATIONS.slice(0, migration.version - 1));
    migrate(db, file, MIGRATIONS.slice(0, migration.version));
    for (const table of MONITORING_PROJECTION_TABLES)
      expect(db.prepare('SELECT count(*) AS n FROM ' + table).get()).toEqual({ n: 0 });
    expect(() =>
      db
        .prepare(
          `INSERT INTO monitoring_runs (id, list_id, version, content_sha256, added, changed, removed, leads_total,
             ingested_through, requested_by, started_at, started_seq, state) VALUES ('M-1', 'l', 'v', 'h', 0, 0, 0, 0, 0, 'ada', 't', 1, 'paused')`,
        )
        .run(),
    ).toThrow(/CHECK/);
    // An allow-list row names a lead of the projection.
    expect(() =>
      db
        .prepare(
          "INSERT INTO screening_allow_list (lead_id, list_id, entry_id, entry_version, list_version, case_id, cleared_at, cleared_seq) VALUES ('L-NONE', 'l', 'e', 'h', 'v', 'C-1', 't', 1)",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT id FROM leads WHERE ingested_seq > 5 ORDER BY ingested_seq LIMIT 10')
      .all() as { detail: string }[];
    expect(plan.map((step) => step.detail).join(' ')).toContain('leads_by_ingested_seq');
    db.close();
  });
});
