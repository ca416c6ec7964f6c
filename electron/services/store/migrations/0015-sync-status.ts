// Migration 15: what the workstation knows of its last sync attempts (issue 15, decision 0258): per kind (enrol,
// push, pull) the last attempt's time, outcome in words and whether it reached the hub, the last success, and the
// device's standing at the hub as last heard (pending, approved, revoked). Device state, not projections.
import type { Migration } from './migration.ts';

export const migration0015SyncStatus: Migration = {
  version: 15,
  name: '0015-sync-status',
  up: (db) => {
    db.exec(`
      CREATE TABLE sync_attempts (
        kind TEXT PRIMARY KEY CHECK (kind IN ('enrol', 'push', 'pull')),
        at TEXT NOT NULL,
        ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
        reached_hub INTEGER NOT NULL CHECK (reached_hub IN (0, 1)),
        code TEXT,
        message TEXT NOT NULL,
        entries INTEGER NOT NULL CHECK (entries >= 0),
        last_ok_at TEXT,
        -- Which attempt came last, whatever the clocks say (two attempts may share a second).
        serial INTEGER NOT NULL
      ) STRICT;
      ALTER TABLE sync_device ADD COLUMN standing TEXT NOT NULL DEFAULT 'pending'
        CHECK (standing IN ('pending', 'approved', 'revoked'));
      ALTER TABLE sync_device ADD COLUMN standing_at TEXT;
    `);
  },
};
