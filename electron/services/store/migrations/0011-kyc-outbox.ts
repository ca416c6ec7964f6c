// Migration 11: the KYC hand-off connector (decisions 0210–0214). The transactional outbox of KYC initiation events,
// the connector's configuration (its secrets live here, inside the encrypted database, never in the log) and the
// receipts of signed callbacks (replays and duplicates are refused by message id). These tables are the connector's
// working state, not projections: delivery attempts are not audit entries, so a rebuild from the log leaves them be.
import type { Migration } from './migration.ts';

export const migration0011KycOutbox: Migration = {
  version: 11,
  name: '0011-kyc-outbox',
  up: (db) => {
    db.exec(`
      CREATE TABLE kyc_outbox (
        event_id TEXT PRIMARY KEY,
        -- The lifecycle entry that took the path to QUALIFIED: one initiation per qualification, however often enqueued.
        path_sequence INTEGER NOT NULL UNIQUE,
        lead_id TEXT NOT NULL REFERENCES leads (id),
        product_id TEXT NOT NULL,
        jurisdiction TEXT NOT NULL,
        -- The thin event without its personal data (JCS), frozen at enqueue; the subject is read at delivery.
        body TEXT NOT NULL,
        queued_at TEXT NOT NULL,
        queued_seq INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at TEXT NOT NULL,
        -- A delivery pass holds an event until this time, so two passes (the host's job, the CLI) never send it at once.
        leased_until TEXT,
        last_attempt_at TEXT,
        last_error TEXT,
        connector TEXT,
        delivered_at TEXT,
        delivered_seq INTEGER,
        dead_at TEXT,
        -- The last KYC outcome applied for this event (not_started, pending, verified, failed).
        outcome TEXT,
        outcome_at TEXT
      ) STRICT;
      CREATE INDEX kyc_outbox_due ON kyc_outbox (state, next_attempt_at) WHERE state = 'pending';
      CREATE INDEX kyc_outbox_by_lead ON kyc_outbox (lead_id);
      CREATE INDEX kyc_outbox_by_state ON kyc_outbox (state, queued_seq);

      CREATE TABLE kyc_connector (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        kind TEXT NOT NULL CHECK (kind IN ('webhook', 'file_drop', 'none')),
        url TEXT,
        drop_dir TEXT,
        secret TEXT,
        callback_secret TEXT,
        configured_at TEXT NOT NULL,
        configured_seq INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE kyc_callback_receipts (
        message_id TEXT PRIMARY KEY,
        event_id TEXT,
        received_at TEXT NOT NULL,
        outcome TEXT NOT NULL,
        sequence INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
