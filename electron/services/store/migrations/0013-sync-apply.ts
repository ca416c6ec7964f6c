// Migration 13: applying other devices' entries and their conflicts (issue 15, decisions 0242–0247). Device state: a
// per-origin apply cursor (how far the inbox is applied; never rebuilt). Projections: each case's version and the
// sync conflict it is held in, the conflicts themselves, and what each decision changed (so a conflict found later
// can take a decision's effect back, the same way on every device).
import type { Migration } from './migration.ts';

/** Projection tables of this migration, cleared and replayed by a rebuild. */
export const SYNC_APPLY_PROJECTION_TABLES = ['case_conflicts', 'case_decision_effects'] as const;

export const migration0013SyncApply: Migration = {
  version: 13,
  name: '0013-sync-apply',
  up: (db) => {
    db.exec(`
      CREATE TABLE sync_apply_cursors (
        origin TEXT PRIMARY KEY,
        next INTEGER NOT NULL CHECK (next >= 0)
      ) STRICT;
      ALTER TABLE cases ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE cases ADD COLUMN conflict_id TEXT;
      CREATE TABLE case_conflicts (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL,
        seen_version INTEGER NOT NULL,
        -- JSON array of the decisions in conflict, sorted by origin and sequence: origin, seq, type, actor, time,
        -- decision, reason (personal: erased with the lead), state and effect.
        entries TEXT NOT NULL,
        opened_seq INTEGER NOT NULL,
        resolved_by TEXT,
        resolved_at TEXT,
        chosen TEXT,
        resolved_seq INTEGER
      ) STRICT;
      CREATE INDEX case_conflicts_case ON case_conflicts (case_id);
      CREATE TABLE case_decision_effects (
        case_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        -- JSON: the decision (origin, seq, type, actor, time, decision, reason, state, effect) and the rows its effect
        -- changed as they were before it (the lead's status and paths, rep loads, lifecycle rows it created).
        decision TEXT NOT NULL,
        before TEXT NOT NULL,
        PRIMARY KEY (case_id, version)
      ) STRICT;
    `);
  },
};
