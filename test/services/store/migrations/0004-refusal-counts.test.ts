// Migration 0004: refusal_counts and its triggers; an upgrade counts the refusals already in the database.
import { join } from 'node:path';
import Sqlite from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../electron/services/store/migrations/index.ts';
import { migrate } from '../../../../electron/services/store/migrations/runner.ts';
import { migration0004RefusalCounts as migration } from '../../../../electron/services/store/migrations/0004-refusal-counts.ts';
import { tempDir } from '../temp.ts';

const dir = tempDir('m-refusal-counts');

const lead = (db: Sqlite.Database, id: string, jurisdiction: string | null): void => {
  db.prepare(
    `INSERT INTO leads (id, source_system, source_id, facts, jurisdiction, scope, subject, status, ingested_at, ingested_seq)
     VALUES (?, 'crm', ?, '{}', ?, NULL, ?, 'active', '2026-11-23T10:00:00.000Z', 0)`,
  ).run(id, id, jurisdiction, id);
};
const path = (db: Sqlite.Database, leadId: string, product: string, outcome: string, reason: string | null): void => {
  db.prepare(
    `INSERT INTO product_paths (lead_id, product_id, outcome, queue, reason, rule_version, decided_seq)
     VALUES (?, ?, ?, ?, ?, 'sha256:x', 0)`,
  ).run(leadId, product, outcome, reason === null ? null : 'compliance_review', reason);
};
const counts = (db: Sqlite.Database): unknown[] =>
  db.prepare('SELECT reason, jurisdiction, count FROM refusal_counts WHERE count > 0 ORDER BY 1, 2').all();

describe(`migration ${migration.name}`, () => {
  it('is in the list at its own version', () => {
    expect(MIGRATIONS[migration.version - 1]).toBe(migration);
  });

  it('counts refused paths already there, then keeps the counts through inserts, updates, moves and deletes', () => {
    const file = join(dir, 'upgrade.db');
    const db = new Sqlite(file);
    db.pragma('foreign_keys = ON');
    migrate(db, file, MIGRATIONS.slice(0, migration.version - 1));
    lead(db, 'L-1', 'GB');
    lead(db, 'L-2', null);
    path(db, 'L-1', 'cards', 'refused', 'no_rule');
    path(db, 'L-1', 'loans', 'assigned', null);
    path(db, 'L-2', 'cards', 'refused', 'no_rule');
    migrate(db, file, MIGRATIONS.slice(0, migration.version));
    expect(counts(db)).toEqual([
      { reason: 'no_rule', jurisdiction: '', count: 1 },
      { reason: 'no_rule', jurisdiction: 'GB', count: 1 },
    ]);
    // A lead that gets its jurisdiction moves its refusals with it.
    db.prepare("UPDATE leads SET jurisdiction = 'GB' WHERE id = 'L-2'").run();
    expect(counts(db)).toEqual([{ reason: 'no_rule', jurisdiction: 'GB', count: 2 }]);
    // A refused path decided (assigned) leaves the count; an assigned one refused joins it under its new reason.
    db.prepare(
      "UPDATE product_paths SET outcome = 'assigned', reason = NULL WHERE lead_id = 'L-1' AND product_id = 'cards'",
    ).run();
    db.prepare(
      "UPDATE product_paths SET outcome = 'refused', reason = 'unlicensed', queue = 'expansion_review' WHERE lead_id = 'L-1' AND product_id = 'loans'",
    ).run();
    expect(counts(db)).toEqual([
      { reason: 'no_rule', jurisdiction: 'GB', count: 1 },
      { reason: 'unlicensed', jurisdiction: 'GB', count: 1 },
    ]);
    db.prepare('DELETE FROM product_paths').run();
    expect(counts(db)).toEqual([]);
    // The counter never goes negative: the CHECK would abort the write.
    expect(db.prepare('SELECT count(*) AS n FROM refusal_counts WHERE count < 0').get()).toEqual({ n: 0 });
    db.close();
  });
});
