// Migration 6: separation of duties for meta-actions (decisions 0160, 0161). Who requested each account's creation
// (the person rule), the meta-action requests as a projection, and the key slots a pending request will install.
import type { Migration } from './migration.ts';

export const migration0006MetaApprovals: Migration = {
  version: 6,
  name: '0006-meta-approvals',
  up: (db) => {
    db.exec(`
      ALTER TABLE users ADD COLUMN requested_by TEXT;
      -- Who chose the account's current initial passphrase, when an admin re-enrolled or reactivated it with one.
      ALTER TABLE users ADD COLUMN passphrase_by TEXT;

      -- Accounts created before this migration were created by their entry's actor (system:setup: nobody).
      UPDATE users SET requested_by = (
        SELECT substr(e.actor, 6) FROM audit_entries e WHERE e.sequence = users.created_seq AND e.actor LIKE 'user:%'
      );

      CREATE TABLE meta_requests (
        id TEXT PRIMARY KEY,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        change TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        requested_seq INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
        decided_by TEXT,
        decided_at TEXT,
        decided_seq INTEGER
      ) STRICT;
      CREATE INDEX meta_requests_pending ON meta_requests (requested_seq) WHERE status = 'pending';

      -- Not a projection: the key slot (the database key wrapped under the initial passphrase) a pending user.create or
      -- user.reactivate installs on approval. key_check tells whether the database key changed since (a rotation).
      CREATE TABLE meta_request_slots (
        request_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        slot TEXT NOT NULL,
        key_check TEXT NOT NULL
      ) STRICT;
    `);
  },
};

/** The projection tables this migration adds (rebuilt from the log with the others). */
export const META_PROJECTION_TABLES = ['meta_requests'] as const;
