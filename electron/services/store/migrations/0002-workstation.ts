// Migration 2: the workstation's projections (users, leads, product paths, cases, routing state, notifications).
// Every row here is derived from the audit log by the projector and can be rebuilt from it.
import type { Migration } from './migration.ts';

export const migration0002Workstation: Migration = {
  version: 2,
  name: '0002-workstation',
  up: (db) => {
    db.exec(`
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        roles TEXT NOT NULL,
        markets TEXT NOT NULL,
        active INTEGER NOT NULL CHECK (active IN (0, 1)),
        created_seq INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE leads (
        id TEXT PRIMARY KEY,
        source_system TEXT NOT NULL,
        source_id TEXT NOT NULL,
        facts TEXT NOT NULL,
        jurisdiction TEXT,
        scope TEXT,
        subject TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'blocked')),
        ingested_at TEXT NOT NULL,
        ingested_seq INTEGER NOT NULL,
        screening TEXT,
        UNIQUE (source_system, source_id)
      ) STRICT;

      CREATE TABLE product_paths (
        lead_id TEXT NOT NULL REFERENCES leads (id),
        product_id TEXT NOT NULL,
        outcome TEXT NOT NULL,
        queue TEXT,
        reason TEXT,
        entity_id TEXT,
        team_id TEXT,
        rep_id TEXT,
        rule_version TEXT NOT NULL,
        decided_seq INTEGER NOT NULL,
        override INTEGER NOT NULL DEFAULT 0 CHECK (override IN (0, 1)),
        PRIMARY KEY (lead_id, product_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        lead_id TEXT NOT NULL REFERENCES leads (id),
        product_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        risk TEXT NOT NULL,
        risk_rank INTEGER NOT NULL,
        jurisdiction TEXT,
        rule_version TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        sla_due_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'claimed', 'awaiting_approval', 'closed')),
        claimed_by TEXT,
        claimed_at TEXT,
        maker TEXT,
        maker_id TEXT,
        checker TEXT,
        checker_id TEXT,
        resolution TEXT,
        closed_at TEXT,
        subject TEXT NOT NULL,
        subject_key TEXT NOT NULL GENERATED ALWAYS AS (lower(subject)) VIRTUAL,
        decision_seq INTEGER NOT NULL,
        opened_seq INTEGER NOT NULL
      ) STRICT;
      -- Work queues read open cases only: partial indexes keep the million closed ones out of every page query. Each
      -- carries jurisdiction and status, so scope and status are checked in the index without fetching the row.
      CREATE INDEX cases_open_by_queue_due ON cases (type, sla_due_at, jurisdiction, status, id) WHERE status <> 'closed';
      CREATE INDEX cases_open_by_due ON cases (sla_due_at, type, jurisdiction, status, id) WHERE status <> 'closed';
      CREATE INDEX cases_open_by_queue_opened ON cases (type, opened_at, jurisdiction, status, id) WHERE status <> 'closed';
      CREATE INDEX cases_open_by_queue_risk ON cases (type, risk_rank, jurisdiction, status, id) WHERE status <> 'closed';
      CREATE INDEX cases_awaiting_by_due ON cases (sla_due_at, maker_id, jurisdiction, status, id) WHERE status = 'awaiting_approval';
      CREATE INDEX cases_awaiting_by_maker ON cases (maker_id, jurisdiction, status) WHERE status = 'awaiting_approval';
      CREATE INDEX cases_by_queue_status_due ON cases (type, status, sla_due_at, id);
      CREATE INDEX cases_by_lead ON cases (lead_id);
      CREATE INDEX cases_by_subject ON cases (subject_key, sla_due_at);
      CREATE INDEX cases_open_by_subject ON cases (subject_key, sla_due_at, status) WHERE status <> 'closed';
      -- Maintained counters per queue, status and jurisdiction ('' when unknown): queue badges without scanning cases.
      CREATE TABLE case_counts (
        type TEXT NOT NULL,
        status TEXT NOT NULL,
        jurisdiction TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (type, status, jurisdiction)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE routing_cursors (
        team_id TEXT PRIMARY KEY,
        cursor INTEGER NOT NULL CHECK (cursor >= 0)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE rep_load (
        rep_id TEXT PRIMARY KEY,
        open INTEGER NOT NULL CHECK (open >= 0)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE notifications (
        id TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        audience TEXT NOT NULL,
        kind TEXT NOT NULL,
        message TEXT NOT NULL,
        lead_id TEXT,
        seq INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX notifications_by_time ON notifications (audience, at DESC);

      CREATE TABLE policies (
        rule_version TEXT PRIMARY KEY,
        bundle TEXT NOT NULL,
        label TEXT NOT NULL,
        published_at TEXT NOT NULL,
        published_seq INTEGER NOT NULL UNIQUE
      ) STRICT;

      CREATE TABLE workstation_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `);
  },
};

/** The projection tables, in an order that respects foreign keys when clearing them for a rebuild. */
export const PROJECTION_TABLES = [
  'policies',
  'notifications',
  'rep_load',
  'routing_cursors',
  'case_counts',
  'cases',
  'product_paths',
  'leads',
  'users',
] as const;
