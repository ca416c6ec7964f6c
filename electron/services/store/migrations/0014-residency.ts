// Migration 14: data residency and erasure propagation (issue 15, decisions 0248–0252). Each lead's residency region in
// the projection (filled from the lead.ingested entries already in the log), and the entries a hub withheld from this
// device on pull (leads outside its region or its users' markets): only their leaf hashes, so the pulled copy still
// checks against the cosigned root. The withheld table is device state, like the inbox: never rebuilt.
import type { Migration } from './migration.ts';

export const migration0014Residency: Migration = {
  version: 14,
  name: '0014-residency',
  up: (db) => {
    db.exec(`
      ALTER TABLE leads ADD COLUMN residency_region TEXT;
      UPDATE leads SET residency_region = (
        SELECT json_extract(CAST(e.canonical AS TEXT), '$.payload.residency.region')
        FROM audit_entries e WHERE e.sequence = leads.ingested_seq);
      CREATE TABLE sync_inbox_withheld (
        origin TEXT NOT NULL,
        seq INTEGER NOT NULL,
        leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),
        PRIMARY KEY (origin, seq)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
