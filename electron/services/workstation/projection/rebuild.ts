// Rebuilds every projection from the audit log (the source of truth), and snapshots them for comparison.
import { forgetTransactionMemos, inTransaction } from '../../store/transaction.ts';
import type { AuditEntry } from '../../../../core/audit/entry.ts';
import type { Database } from '../../store/database.ts';
import { PROJECTION_TABLES as WORKSTATION_TABLES } from '../../store/migrations/0002-workstation.ts';
import { META_PROJECTION_TABLES } from '../../store/migrations/0006-meta-approvals.ts';
import { MONITORING_PROJECTION_TABLES } from '../../store/migrations/0008-monitoring.ts';
import { LIFECYCLE_PROJECTION_TABLES } from '../../store/migrations/0010-path-lifecycle.ts';
import { SYNC_APPLY_PROJECTION_TABLES } from '../../store/migrations/0013-sync-apply.ts';
import { PLANNED_CONTACT_PROJECTION_TABLES } from '../../store/migrations/0012-planned-contacts.ts';

// Tables that reference leads first, so clearing them for a rebuild respects the foreign keys.
const PROJECTION_TABLES = [
  ...PLANNED_CONTACT_PROJECTION_TABLES,
  ...SYNC_APPLY_PROJECTION_TABLES,
  ...LIFECYCLE_PROJECTION_TABLES,
  ...MONITORING_PROJECTION_TABLES,
  ...META_PROJECTION_TABLES,
  ...WORKSTATION_TABLES,
];
import { projectEntry } from './projector.ts';

/**
 * Replays the audit entries from `fromSequence` on through the projector, in one transaction: the rebuild's loop, and
 * how a test brings a copy of the projections up to date with a log that grew (the crash test, decision 0170).
 */
export const projectEntriesFrom = (db: Database, fromSequence: number): { readonly entries: number } =>
  inTransaction(db, () => {
    let entries = 0;
    // In pages: the projector writes while we read, and SQLite allows no writes while a statement iterates.
    const page = db.prepare<[number, number], { sequence: number; canonical: Buffer }>(
      'SELECT sequence, canonical FROM audit_entries WHERE sequence >= ? ORDER BY sequence LIMIT ?',
    );
    for (let from = fromSequence; ;) {
      const rows = page.all(from, 5_000);
      if (rows.length === 0) break;
      for (const row of rows) projectEntry(db, JSON.parse(row.canonical.toString('utf8')) as AuditEntry, row.sequence);
      entries += rows.length;
      from = rows[rows.length - 1]!.sequence + 1;
    }
    return { entries };
  });

/** Empties the projection tables and replays every audit entry through the projector, in one transaction. */
export const rebuildProjections = (db: Database): { readonly entries: number } =>
  inTransaction(db, () => {
    // Working state that is no projection (the KYC outbox, decision 0210) keeps naming leads while their rows are
    // cleared and replayed: the foreign keys are checked at the commit, when every lead is back.
    db.pragma('defer_foreign_keys = ON');
    for (const table of PROJECTION_TABLES) db.prepare(`DELETE FROM ${table}`).run();
    forgetTransactionMemos(db);
    const replayed = projectEntriesFrom(db, 0);
    // case_counts rows that fell to zero are kept live but not recreated: drop them on both sides of a comparison.
    db.prepare('DELETE FROM case_counts WHERE count = 0').run();
    return replayed;
  });

/** Every projection row, in a stable order, for comparing live tables with a rebuild. */
export const projectionSnapshot = (db: Database): Record<string, unknown[]> =>
  Object.fromEntries(
    PROJECTION_TABLES.map((table) => [
      table,
      db.prepare(`SELECT * FROM ${table} ${table === 'case_counts' ? 'WHERE count <> 0' : ''} ORDER BY 1, 2`).all(),
    ]),
  );
