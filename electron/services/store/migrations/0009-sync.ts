// Migration 9: the device's sync state with its regional hub (issue 15, decisions 0215–0229): its enrolment and
// request-signing key, how far the hub has cosigned and mirrored its log, per-origin pull cursors, and the inbox of
// other devices' entries waiting to be applied through the one door. Device state, not projections: never rebuilt.
import type { Migration } from './migration.ts';

export const SYNC_TABLES = [
  'sync_device',
  'sync_push_state',
  'sync_cursors',
  'sync_inbox',
  'sync_inbox_personal_data',
] as const;

export const migration0009Sync: Migration = {
  version: 9,
  name: '0009-sync',
  up: (db) => {
    db.exec(`
      CREATE TABLE sync_device (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        device_id TEXT NOT NULL,
        region TEXT NOT NULL,
        hub_url TEXT NOT NULL,
        seed BLOB NOT NULL CHECK (length(seed) = 32),
        hub_witness_key TEXT NOT NULL,
        hub_mirror_key TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        requested_by TEXT NOT NULL
      ) STRICT;
      CREATE TABLE sync_push_state (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        witness_size INTEGER NOT NULL,
        mirror_size INTEGER NOT NULL,
        personal_through INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE sync_cursors (
        origin TEXT PRIMARY KEY,
        next INTEGER NOT NULL CHECK (next >= 0),
        checkpoint TEXT
      ) STRICT;
      CREATE TABLE sync_inbox (
        origin TEXT NOT NULL,
        seq INTEGER NOT NULL,
        bytes BLOB NOT NULL,
        applied_seq INTEGER,
        PRIMARY KEY (origin, seq)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE sync_inbox_personal_data (
        origin TEXT NOT NULL,
        seq INTEGER NOT NULL,
        subject TEXT NOT NULL,
        regime TEXT NOT NULL,
        salt BLOB NOT NULL,
        data BLOB,
        PRIMARY KEY (origin, seq)
      ) STRICT;
    `);
  },
};
