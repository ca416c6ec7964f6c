// Migration 0013: the apply cursors, each case's version and the conflict it is held in, the conflicts, and what each
// decision changed (decisions 0242–0245).
import { join } from 'node:path';
import Sqlite from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../electron/services/store/migrations/index.ts';
import { migrate } from '../../../../electron/services/store/migrations/runner.ts';
import { migration0013SyncApply as migration } from '../../../../electron/services/store/migrations/0013-sync-apply.ts';
import { tempDir } from '../temp.ts';

const dir = tempDir('m-sync-apply');

describe(`migration ${migration.name}`, () => {
  it('is in the list at its own version', () => {
    expect(MIGRATIONS[migration.version - 1]).toBe(migration);
  });

  it('gives existing cases version 0 and no conflict, and keeps one cursor per origin and one effect per version', () => {
    const file = join(dir, 'upgrade.db');
    const db = new Sqlite(file);
    db.pragma('foreign_keys = ON');
    migrate(db, file, MIGRATIONS.slice(0, migration.version - 1));
    db.prepare(
      "INSERT INTO leads VALUES ('L-1', 'crm', 'c-1', '{}', 'GB', NULL, 'A. B.', 'active', 't', 1, NULL)",
    ).run();
    db.prepare(
      `INSERT INTO cases (id, type, lead_id, product_id, reason, risk, risk_rank, jurisdiction, rule_version, opened_at,
         sla_due_at, status, subject, decision_seq, opened_seq)
       VALUES ('C-1', 'expansion_review', 'L-1', 'p', 'r', 'low', 0, 'GB', 'v', 't', 't', 'open', 'A. B.', 1, 2)`,
    ).run();
    migrate(db, file, MIGRATIONS.slice(0, migration.version));
    expect(db.prepare("SELECT version, conflict_id FROM cases WHERE id = 'C-1'").get()).toEqual({
      version: 0,
      conflict_id: null,
    });
    const cursor = db.prepare('INSERT INTO sync_apply_cursors (origin, next) VALUES (?, ?)');
    cursor.run('example.org/a', 3);
    expect(() => cursor.run('example.org/a', 4)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => cursor.run('example.org/b', -1)).toThrow(/CHECK/);
    const effect = db.prepare(
      "INSERT INTO case_decision_effects (case_id, version, decision, before) VALUES ('C-1', ?, '{}', '{}')",
    );
    effect.run(0);
    expect(() => effect.run(0)).toThrow(/UNIQUE|PRIMARY/);
    db.prepare(
      "INSERT INTO case_conflicts (id, case_id, seen_version, entries, opened_seq) VALUES ('SC-C-1-v0', 'C-1', 0, '[]', 9)",
    ).run();
    expect(db.prepare('SELECT resolved_seq FROM case_conflicts').get()).toEqual({ resolved_seq: null });
    db.close();
  });
});
