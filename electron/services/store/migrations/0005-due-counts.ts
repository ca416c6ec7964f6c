// Migration 5: active (not closed) cases counted per queue, status, jurisdiction and UTC day of their SLA due time,
// kept exact by triggers on every write to cases, so the overdue count of a queue sums a few counters and scans only
// the cases due earlier today, instead of every overdue case (decision 0050).
import type { Migration } from './migration.ts';

const key = (row: string): string =>
  `${row}.type, ${row}.status, coalesce(${row}.jurisdiction, ''), substr(${row}.sla_due_at, 1, 10)`;
const add = (row: string): string => `
  INSERT INTO case_due_counts (type, status, jurisdiction, due_day, count) VALUES (${key(row)}, 1)
  ON CONFLICT (type, due_day, status, jurisdiction) DO UPDATE SET count = count + 1;`;
// A decrement is an UPDATE of a row that exists (the case was counted there), so the CHECK never sees a negative row;
// a row that falls to zero goes, so the table holds at most one row per active case.
const remove = (row: string): string => `
  UPDATE case_due_counts SET count = count - 1
  WHERE (type, status, jurisdiction, due_day) = (${key(row)});
  DELETE FROM case_due_counts WHERE (type, status, jurisdiction, due_day) = (${key(row)}) AND count = 0;`;
const COUNTED = ['type', 'status', 'jurisdiction', 'sla_due_at'].join(', ');

export const migration0005DueCounts: Migration = {
  version: 5,
  name: '0005-due-counts',
  up: (db) => {
    db.exec(`
      CREATE TABLE case_due_counts (
        type TEXT NOT NULL,
        status TEXT NOT NULL,
        jurisdiction TEXT NOT NULL,
        due_day TEXT NOT NULL,
        count INTEGER NOT NULL CHECK (count >= 0),
        PRIMARY KEY (type, due_day, status, jurisdiction)
      ) STRICT, WITHOUT ROWID;

      INSERT INTO case_due_counts (type, status, jurisdiction, due_day, count)
      SELECT type, status, coalesce(jurisdiction, ''), substr(sla_due_at, 1, 10), count(*)
      FROM cases WHERE status <> 'closed'
      GROUP BY 1, 2, 3, 4;

      CREATE TRIGGER case_due_counts_insert AFTER INSERT ON cases WHEN NEW.status <> 'closed'
      BEGIN ${add('NEW')} END;

      CREATE TRIGGER case_due_counts_update_old AFTER UPDATE OF ${COUNTED} ON cases WHEN OLD.status <> 'closed'
      BEGIN ${remove('OLD')} END;

      CREATE TRIGGER case_due_counts_update_new AFTER UPDATE OF ${COUNTED} ON cases WHEN NEW.status <> 'closed'
      BEGIN ${add('NEW')} END;

      CREATE TRIGGER case_due_counts_delete AFTER DELETE ON cases WHEN OLD.status <> 'closed'
      BEGIN ${remove('OLD')} END;
    `);
  },
};
