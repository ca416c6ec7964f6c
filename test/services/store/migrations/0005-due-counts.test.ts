// Migration 0005: case_due_counts and its triggers; an upgrade counts the active cases already in the database.
import { join } from 'node:path';
import Sqlite from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../electron/services/store/migrations/index.ts';
import { migrate } from '../../../../electron/services/store/migrations/runner.ts';
import { migration0005DueCounts as migration } from '../../../../electron/services/store/migrations/0005-due-counts.ts';
import { tempDir } from '../temp.ts';

const dir = tempDir('m-due-counts');

const addCase = (db: Sqlite.Database, id: string, status: string, jurisdiction: string | null, due: string): void => {
  db.prepare(
    `INSERT INTO cases (id, type, lead_id, product_id, reason, risk, risk_rank, jurisdiction, rule_version, opened_at,
       sla_due_at, status, subject, decision_seq, opened_seq)
     VALUES (?, 'compliance_review', 'L-1', 'cards', 'no_rule', 'low', 0, ?, 'sha256:x', '2026-11-20T09:00:00.000Z',
       ?, ?, 'L-1', 0, 0)`,
  ).run(id, jurisdiction, due, status);
};
const counts = (db: Sqlite.Database): unknown[] =>
  db.prepare('SELECT status, jurisdiction, due_day, count FROM case_due_counts ORDER BY 1, 2, 3').all();

describe(`migration ${migration.name}`, () => {
  it('is in the list at its own version', () => {
    expect(MIGRATIONS[migration.version - 1]).toBe(migration);
  });

  it('counts the active cases already there, then keeps the counts through inserts, updates and deletes', () => {
    const file = join(dir, 'upgrade.db');
    const db = new Sqlite(file);
    db.pragma('foreign_keys = ON');
    migrate(db, file, MIGRATIONS.slice(0, migration.version - 1));
    db.prepare(
      `INSERT INTO leads (id, source_system, source_id, facts, jurisdiction, scope, subject, status, ingested_at, ingested_seq)
       VALUES ('L-1', 'crm', 'L-1', '{}', 'GB', NULL, 'L-1', 'active', '2026-11-20T09:00:00.000Z', 0)`,
    ).run();
    addCase(db, 'C-1', 'open', 'GB', '2026-11-21T10:00:00.000Z');
    addCase(db, 'C-2', 'open', 'GB', '2026-11-21T23:59:59.999Z');
    addCase(db, 'C-3', 'closed', 'GB', '2026-11-21T10:00:00.000Z');
    migrate(db, file, MIGRATIONS.slice(0, migration.version));
    expect(counts(db)).toEqual([{ status: 'open', jurisdiction: 'GB', due_day: '2026-11-21', count: 2 }]);
    // A new active case, one without a jurisdiction, a claim, a moved due time, a closing and a reopening.
    addCase(db, 'C-4', 'open', null, '2026-11-24T08:00:00.000Z');
    db.prepare("UPDATE cases SET status = 'claimed' WHERE id = 'C-1'").run();
    db.prepare("UPDATE cases SET sla_due_at = '2026-11-22T01:00:00.000Z' WHERE id = 'C-2'").run();
    db.prepare("UPDATE cases SET status = 'open' WHERE id = 'C-3'").run();
    expect(counts(db)).toEqual([
      { status: 'claimed', jurisdiction: 'GB', due_day: '2026-11-21', count: 1 },
      { status: 'open', jurisdiction: '', due_day: '2026-11-24', count: 1 },
      { status: 'open', jurisdiction: 'GB', due_day: '2026-11-21', count: 1 },
      { status: 'open', jurisdiction: 'GB', due_day: '2026-11-22', count: 1 },
    ]);
    db.prepare("UPDATE cases SET status = 'closed'").run();
    expect(counts(db)).toEqual([]);
    db.prepare("UPDATE cases SET status = 'open' WHERE id = 'C-4'").run();
    db.prepare('DELETE FROM cases').run();
    expect(counts(db)).toEqual([]);
    db.close();
  });
});
