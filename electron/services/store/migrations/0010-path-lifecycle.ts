// Migration 10: the product-path lifecycle (issue 14). Each assigned path's stage and conduct state, the lead's facts
// after intake, and the source events already applied (a KYC callback or result file applies exactly once). Every
// row is a projection: derived from the audit log by the projector and rebuilt from it.
import type { Migration } from './migration.ts';

export const migration0010PathLifecycle: Migration = {
  version: 10,
  name: '0010-path-lifecycle',
  up: (db) => {
    db.exec(`
      CREATE TABLE path_lifecycle (
        lead_id TEXT NOT NULL REFERENCES leads (id),
        product_id TEXT NOT NULL,
        owner TEXT NOT NULL,
        stage TEXT NOT NULL CHECK (stage IN ('NEW', 'CONTACTED', 'QUALIFIED', 'PROPOSAL', 'WON', 'LOST', 'CLOSED')),
        open INTEGER NOT NULL CHECK (open IN (0, 1)),
        jurisdiction TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        stage_changed_at TEXT NOT NULL,
        -- When cooling-off ends under the policy in force when the row was last written (null: none running or due);
        -- the due-soon list reads candidates by it and re-checks each under the current policy.
        cooling_off_ends_at TEXT,
        -- Engagement held by the product's KYC or AML requirement (core/conduct holdOf), and why.
        held INTEGER NOT NULL CHECK (held IN (0, 1)),
        hold_reasons TEXT NOT NULL,
        -- The whole core/conduct PathState (canonical JSON); outreach summaries and consent references in it are
        -- personal data, emptied by an erasure like every other copy.
        state TEXT NOT NULL,
        updated_seq INTEGER NOT NULL,
        PRIMARY KEY (lead_id, product_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX path_lifecycle_by_owner ON path_lifecycle (owner, open, stage_changed_at);
      CREATE INDEX path_lifecycle_cooling_off ON path_lifecycle (open, cooling_off_ends_at)
        WHERE cooling_off_ends_at IS NOT NULL;
      CREATE INDEX path_lifecycle_owner_cooling_off ON path_lifecycle (owner, open, cooling_off_ends_at)
        WHERE cooling_off_ends_at IS NOT NULL;
      CREATE INDEX path_lifecycle_held ON path_lifecycle (held) WHERE held = 1;

      -- The lead's conduct facts after intake (those a path starts with), its suitability assessments and its address
      -- and time zone as updated (personal data, emptied by an erasure).
      CREATE TABLE lead_conduct (
        lead_id TEXT PRIMARY KEY REFERENCES leads (id),
        facts TEXT NOT NULL,
        suitability TEXT NOT NULL,
        address TEXT,
        updated_seq INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE fact_sources (
        kind TEXT NOT NULL CHECK (kind IN ('webhook', 'file')),
        event_id TEXT NOT NULL,
        lead_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (kind, event_id)
      ) STRICT, WITHOUT ROWID;

      -- Waiting-for-capacity paths are retried oldest first.
      CREATE INDEX product_paths_waiting ON product_paths (outcome, decided_seq) WHERE outcome IN ('waiting_for_capacity', 'held');
    `);
  },
};

/** The tables this migration adds, in the order a rebuild clears them (those naming leads first). */
export const LIFECYCLE_PROJECTION_TABLES = ['fact_sources', 'lead_conduct', 'path_lifecycle'] as const;
