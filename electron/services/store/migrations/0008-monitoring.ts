// Migration 8: ongoing monitoring (decisions 0193–0195). Re-screening runs after list updates, the allow-list of
// cleared false positives (lead × listed entry × content version) and the hits resolved because their entry left the
// list (projections: every row is derived from the audit log and rebuilt from it); leads by their ingestion entry.
import type { Migration } from './migration.ts';

export const migration0008Monitoring: Migration = {
  version: 8,
  name: '0008-monitoring',
  up: (db) => {
    db.exec(`
      CREATE TABLE monitoring_runs (
        id TEXT PRIMARY KEY,
        list_id TEXT NOT NULL,
        version TEXT NOT NULL,
        content_sha256 TEXT NOT NULL,
        previous_sha256 TEXT,
        added INTEGER NOT NULL,
        changed INTEGER NOT NULL,
        removed INTEGER NOT NULL,
        leads_total INTEGER NOT NULL,
        ingested_through INTEGER NOT NULL,
        requested_by TEXT NOT NULL,
        started_at TEXT NOT NULL,
        started_seq INTEGER NOT NULL UNIQUE,
        state TEXT NOT NULL CHECK (state IN ('running', 'done', 'stopped')),
        stop_reason TEXT,
        -- What the run did so far, counted from its entries as they land (so a run carried on later adds up).
        leads_read INTEGER NOT NULL DEFAULT 0,
        read_through INTEGER,
        leads_with_hits INTEGER NOT NULL DEFAULT 0,
        hits INTEGER NOT NULL DEFAULT 0,
        suppressed INTEGER NOT NULL DEFAULT 0,
        resolved INTEGER NOT NULL DEFAULT 0,
        cases_opened INTEGER NOT NULL DEFAULT 0,
        completed_at TEXT,
        completed_seq INTEGER
      ) STRICT;

      CREATE TABLE screening_allow_list (
        lead_id TEXT NOT NULL REFERENCES leads (id),
        list_id TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        entry_version TEXT NOT NULL,
        list_version TEXT NOT NULL,
        case_id TEXT NOT NULL,
        cleared_at TEXT NOT NULL,
        cleared_seq INTEGER NOT NULL,
        suppressed INTEGER NOT NULL DEFAULT 0,
        last_suppressed_at TEXT,
        PRIMARY KEY (lead_id, list_id, entry_id, entry_version)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX screening_allow_list_by_list ON screening_allow_list (list_id);

      CREATE TABLE screening_resolutions (
        lead_id TEXT NOT NULL REFERENCES leads (id),
        list_id TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        list_version TEXT NOT NULL,
        reason TEXT NOT NULL,
        run_id TEXT NOT NULL,
        resolved_at TEXT NOT NULL,
        resolved_seq INTEGER NOT NULL,
        PRIMARY KEY (lead_id, list_id, entry_id, list_version)
      ) STRICT, WITHOUT ROWID;

      -- A run reads the leads in the order they came in, a chunk at a time.
      CREATE INDEX leads_by_ingested_seq ON leads (ingested_seq);
    `);
  },
};

/** The projection tables this migration adds, in an order that respects foreign keys when clearing them. */
export const MONITORING_PROJECTION_TABLES = [
  'monitoring_runs',
  'screening_allow_list',
  'screening_resolutions',
] as const;
