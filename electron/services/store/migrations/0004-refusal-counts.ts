// Migration 4: refused product paths counted by (reason, queue, lead jurisdiction), kept exact by triggers on every
// write to product_paths and to a lead's jurisdiction, so the dashboard never scans product_paths (decision 0035).
import type { Migration } from './migration.ts';

// The jurisdiction a path is counted under: its lead's, '' while the lead has none.
const leadJurisdiction = (leadId: string): string =>
  `coalesce((SELECT jurisdiction FROM leads WHERE id = ${leadId}), '')`;
const add = (reason: string, queue: string, jurisdiction: string): string => `
  INSERT INTO refusal_counts (reason, queue, jurisdiction, count)
  VALUES (coalesce(${reason}, ''), coalesce(${queue}, ''), ${jurisdiction}, 1)
  ON CONFLICT (reason, queue, jurisdiction) DO UPDATE SET count = count + 1;`;
// A decrement is an UPDATE of a row that exists (the path was counted there), so the CHECK never sees a negative row.
const remove = (reason: string, queue: string, jurisdiction: string): string => `
  UPDATE refusal_counts SET count = count - 1
  WHERE reason = coalesce(${reason}, '') AND queue = coalesce(${queue}, '') AND jurisdiction = ${jurisdiction};`;

export const migration0004RefusalCounts: Migration = {
  version: 4,
  name: '0004-refusal-counts',
  up: (db) => {
    db.exec(`
      CREATE TABLE refusal_counts (
        reason TEXT NOT NULL,
        queue TEXT NOT NULL,
        jurisdiction TEXT NOT NULL,
        count INTEGER NOT NULL CHECK (count >= 0),
        PRIMARY KEY (reason, queue, jurisdiction)
      ) STRICT, WITHOUT ROWID;

      INSERT INTO refusal_counts (reason, queue, jurisdiction, count)
      SELECT coalesce(p.reason, ''), coalesce(p.queue, ''), coalesce(l.jurisdiction, ''), count(*)
      FROM product_paths p JOIN leads l ON l.id = p.lead_id
      WHERE p.outcome = 'refused'
      GROUP BY 1, 2, 3;

      CREATE TRIGGER refusal_counts_path_insert AFTER INSERT ON product_paths WHEN NEW.outcome = 'refused'
      BEGIN ${add('NEW.reason', 'NEW.queue', leadJurisdiction('NEW.lead_id'))} END;

      CREATE TRIGGER refusal_counts_path_update_old AFTER UPDATE ON product_paths WHEN OLD.outcome = 'refused'
      BEGIN ${remove('OLD.reason', 'OLD.queue', leadJurisdiction('OLD.lead_id'))} END;

      CREATE TRIGGER refusal_counts_path_update_new AFTER UPDATE ON product_paths WHEN NEW.outcome = 'refused'
      BEGIN ${add('NEW.reason', 'NEW.queue', leadJurisdiction('NEW.lead_id'))} END;

      CREATE TRIGGER refusal_counts_path_delete AFTER DELETE ON product_paths WHEN OLD.outcome = 'refused'
      BEGIN ${remove('OLD.reason', 'OLD.queue', leadJurisdiction('OLD.lead_id'))} END;

      CREATE TRIGGER refusal_counts_lead_moved AFTER UPDATE OF jurisdiction ON leads
      WHEN OLD.jurisdiction IS NOT NEW.jurisdiction
      BEGIN
        UPDATE refusal_counts SET count = count - (
          SELECT count(*) FROM product_paths p
          WHERE p.lead_id = NEW.id AND p.outcome = 'refused'
            AND coalesce(p.reason, '') = refusal_counts.reason AND coalesce(p.queue, '') = refusal_counts.queue)
        WHERE jurisdiction = coalesce(OLD.jurisdiction, '')
          AND (reason, queue) IN (
            SELECT coalesce(reason, ''), coalesce(queue, '') FROM product_paths
            WHERE lead_id = NEW.id AND outcome = 'refused');
        INSERT INTO refusal_counts (reason, queue, jurisdiction, count)
        SELECT coalesce(reason, ''), coalesce(queue, ''), coalesce(NEW.jurisdiction, ''), count(*)
        FROM product_paths WHERE lead_id = NEW.id AND outcome = 'refused' GROUP BY 1, 2 HAVING count(*) > 0
        ON CONFLICT (reason, queue, jurisdiction) DO UPDATE SET count = count + excluded.count;
      END;
    `);
  },
};
