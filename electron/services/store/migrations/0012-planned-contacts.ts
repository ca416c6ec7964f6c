// Migration 12: planned contacts and proposed KYC connector changes (issue 14). A path owner's planned contact (channel,
// time) is a projection of `path.contact_planned` entries, rebuilt from the log like the other lifecycle tables; the
// due-soon list reads it by time. A proposed connector change waits here for a second operations admin (decision
// 0240): its URL and secrets are working state inside the encrypted database, never in the log, and go when the
// request is approved or rejected.
import type { Migration } from './migration.ts';

export const migration0012PlannedContacts: Migration = {
  version: 12,
  name: '0012-planned-contacts',
  up: (db) => {
    db.exec(`
      CREATE TABLE planned_contacts (
        lead_id TEXT NOT NULL REFERENCES leads (id),
        product_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        -- The planned time, ISO 8601 UTC.
        at TEXT NOT NULL,
        planned_by TEXT NOT NULL,
        planned_seq INTEGER NOT NULL,
        PRIMARY KEY (lead_id, product_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX planned_contacts_at ON planned_contacts (at);

      CREATE TABLE kyc_connector_proposals (
        request_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('webhook', 'file_drop', 'none')),
        url TEXT,
        drop_dir TEXT,
        secret TEXT,
        callback_secret TEXT
      ) STRICT, WITHOUT ROWID;
    `);
  },
};

/** The projection this migration adds (rebuilt from the log); the proposals are working state, left by a rebuild. */
export const PLANNED_CONTACT_PROJECTION_TABLES = ['planned_contacts'] as const;
