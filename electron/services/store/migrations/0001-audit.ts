// Migration 1: the tamper-evident audit log (entries, Merkle nodes, checkpoints, signing keys, personal data).
import type { Migration } from './migration.ts';

const appendOnly = (table: string, what: string): string => `
  CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
  BEGIN SELECT RAISE(ABORT, '${what} are append-only'); END;
  CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
  BEGIN SELECT RAISE(ABORT, '${what} are append-only'); END;`;

export const migration0001Audit: Migration = {
  version: 1,
  name: '0001-audit',
  up: (db) => {
    db.exec(`
      CREATE TABLE audit_log (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        log_id TEXT NOT NULL,
        origin TEXT NOT NULL
      ) STRICT;
      ${appendOnly('audit_log', 'the log identity')}

      CREATE TABLE audit_entries (
        sequence INTEGER PRIMARY KEY CHECK (sequence >= 0),
        time TEXT NOT NULL,
        type TEXT NOT NULL,
        actor TEXT NOT NULL,
        canonical BLOB NOT NULL,
        leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32)
      ) STRICT;
      CREATE INDEX audit_entries_by_type ON audit_entries (type, time);
      CREATE TRIGGER audit_entries_in_sequence BEFORE INSERT ON audit_entries
      WHEN NEW.sequence IS NOT (SELECT coalesce(max(sequence), -1) + 1 FROM audit_entries)
      BEGIN SELECT RAISE(ABORT, 'audit entries are appended in sequence, without gaps'); END;
      ${appendOnly('audit_entries', 'audit entries')}

      CREATE TABLE audit_entry_subjects (
        subject TEXT NOT NULL,
        sequence INTEGER NOT NULL REFERENCES audit_entries (sequence),
        PRIMARY KEY (subject, sequence)
      ) STRICT, WITHOUT ROWID;
      ${appendOnly('audit_entry_subjects', 'audit entry subjects')}

      CREATE TABLE audit_tree_nodes (
        level INTEGER NOT NULL CHECK (level >= 0),
        idx INTEGER NOT NULL CHECK (idx >= 0),
        hash BLOB NOT NULL CHECK (length(hash) = 32),
        PRIMARY KEY (level, idx)
      ) STRICT, WITHOUT ROWID;
      ${appendOnly('audit_tree_nodes', 'Merkle tree nodes')}

      CREATE TABLE audit_checkpoints (
        size INTEGER PRIMARY KEY CHECK (size > 0),
        root BLOB NOT NULL CHECK (length(root) = 32),
        note TEXT NOT NULL
      ) STRICT;
      ${appendOnly('audit_checkpoints', 'signed checkpoints')}

      CREATE TABLE audit_signing_keys (
        key_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        verifier_key TEXT NOT NULL UNIQUE,
        valid_from TEXT NOT NULL,
        valid_until TEXT NOT NULL,
        announced_at INTEGER NOT NULL UNIQUE REFERENCES audit_entries (sequence),
        retired_at INTEGER REFERENCES audit_entries (sequence),
        seed BLOB CHECK (seed IS NULL OR length(seed) = 32),
        CHECK (retired_at IS NULL OR seed IS NULL)
      ) STRICT;
      CREATE TRIGGER audit_signing_keys_retire_only BEFORE UPDATE ON audit_signing_keys
      WHEN NEW.key_id IS NOT OLD.key_id OR NEW.name IS NOT OLD.name OR NEW.verifier_key IS NOT OLD.verifier_key
        OR NEW.valid_from IS NOT OLD.valid_from OR NEW.valid_until IS NOT OLD.valid_until
        OR NEW.announced_at IS NOT OLD.announced_at OR OLD.retired_at IS NOT NULL OR NEW.retired_at IS NULL
        OR NEW.seed IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'a signing key can only be retired (once), which destroys its seed'); END;
      CREATE TRIGGER audit_signing_keys_no_delete BEFORE DELETE ON audit_signing_keys
      BEGIN SELECT RAISE(ABORT, 'signing keys are kept (retired, without seed) for the record'); END;

      CREATE TABLE audit_personal_data (
        sequence INTEGER PRIMARY KEY REFERENCES audit_entries (sequence),
        subject TEXT NOT NULL,
        regime TEXT NOT NULL,
        commitment BLOB NOT NULL CHECK (length(commitment) = 32),
        salt BLOB CHECK (salt IS NULL OR length(salt) >= 16),
        data BLOB,
        erased_by INTEGER REFERENCES audit_entries (sequence),
        CHECK ((data IS NULL) = (salt IS NULL)),
        CHECK ((erased_by IS NULL) = (data IS NOT NULL))
      ) STRICT;
      CREATE INDEX audit_personal_data_by_subject ON audit_personal_data (subject);
      CREATE INDEX audit_personal_data_held ON audit_personal_data (regime, sequence) WHERE data IS NOT NULL;
      CREATE TRIGGER audit_personal_data_erase_only BEFORE UPDATE ON audit_personal_data
      WHEN NEW.sequence IS NOT OLD.sequence OR NEW.subject IS NOT OLD.subject OR NEW.regime IS NOT OLD.regime
        OR NEW.commitment IS NOT OLD.commitment OR OLD.data IS NULL OR NEW.data IS NOT NULL OR NEW.salt IS NOT NULL
        OR NEW.erased_by IS NULL
      BEGIN SELECT RAISE(ABORT, 'personal data can only be erased: data and salt deleted, a tombstone left'); END;
      CREATE TRIGGER audit_personal_data_no_delete BEFORE DELETE ON audit_personal_data
      BEGIN SELECT RAISE(ABORT, 'erasure keeps a tombstone row; rows are never deleted'); END;
    `);
  },
};
