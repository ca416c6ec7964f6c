// The audit log engine's storage port over the encrypted SQLite database (tables of migration 0001).
import type { AuditEntry, LogHead } from '../../../core/audit/entry.ts';
import type { AuditLogStore, StoredCheckpoint, StoredKey } from '../../../core/audit/log-engine.ts';
import type { Database } from '../store/database.ts';

type KeyRow = {
  key_id: string;
  name: string;
  verifier_key: string;
  valid_from: string;
  valid_until: string;
  announced_at: number;
  retired_at: number | null;
  seed: Buffer | null;
};

const statementsByDatabase = new WeakMap<Database, AuditLogStore>();

const toKey = (row: KeyRow): StoredKey => ({
  name: row.name,
  keyId: row.key_id,
  verifierKey: row.verifier_key,
  validFrom: row.valid_from,
  validUntil: row.valid_until,
  announcedAt: row.announced_at,
  retiredAt: row.retired_at,
  seed: row.seed === null ? null : new Uint8Array(row.seed),
});

/** The store for one database; statements are prepared once and reused. Runs inside the caller's transaction. */
export const sqliteAuditStore = (db: Database): AuditLogStore => {
  const cached = statementsByDatabase.get(db);
  if (cached) return cached;
  const head = db.prepare<[], { sequence: number; leaf_hash: Buffer; time: string }>(
    'SELECT sequence, leaf_hash, time FROM audit_entries ORDER BY sequence DESC LIMIT 1',
  );
  const insertEntry = db.prepare(
    'INSERT INTO audit_entries (sequence, time, type, actor, canonical, leaf_hash) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertSubject = db.prepare('INSERT OR IGNORE INTO audit_entry_subjects (subject, sequence) VALUES (?, ?)');
  const allEntries = db.prepare<[], Buffer>('SELECT canonical FROM audit_entries ORDER BY sequence').pluck();
  const node = db
    .prepare<[number, number], Buffer>('SELECT hash FROM audit_tree_nodes WHERE level = ? AND idx = ?')
    .pluck();
  const insertNode = db.prepare('INSERT INTO audit_tree_nodes (level, idx, hash) VALUES (?, ?, ?)');
  const checkpoints = db.prepare<[], { size: number; root: Buffer; note: string }>(
    'SELECT size, root, note FROM audit_checkpoints ORDER BY size',
  );
  const lastCheckpoint = db.prepare<[], { size: number; root: Buffer; note: string }>(
    'SELECT size, root, note FROM audit_checkpoints ORDER BY size DESC LIMIT 1',
  );
  const insertCheckpoint = db.prepare('INSERT INTO audit_checkpoints (size, root, note) VALUES (?, ?, ?)');
  const keys = db.prepare<[], KeyRow>('SELECT * FROM audit_signing_keys ORDER BY announced_at');
  const insertKey = db.prepare(
    `INSERT INTO audit_signing_keys (key_id, name, verifier_key, valid_from, valid_until, announced_at, retired_at, seed)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const retireKey = db.prepare('UPDATE audit_signing_keys SET retired_at = ?, seed = NULL WHERE key_id = ?');

  const toCheckpoint = (row: { size: number; root: Buffer; note: string }): StoredCheckpoint => ({
    size: row.size,
    root: new Uint8Array(row.root),
    note: row.note,
  });

  const store: AuditLogStore = {
    head: (): LogHead | null => {
      const row = head.get();
      return row ? { sequence: row.sequence, leafHash: new Uint8Array(row.leaf_hash), time: row.time } : null;
    },
    putEntry: (entry: AuditEntry, bytes, leafHash) => {
      const sequence = Number(entry.sequence);
      insertEntry.run(sequence, entry.time, entry.type, entry.actor, bytes, leafHash);
      for (const subject of entry.subjects) insertSubject.run(subject, sequence);
    },
    entryBytes: () => allEntries.all(),
    readNode: (level, index) => {
      const hash = node.get(level, index);
      if (!hash) throw new RangeError(`Merkle node (${level}, ${index}) is missing from the database`);
      return hash;
    },
    putNode: (level, index, hash) => {
      insertNode.run(level, index, hash);
    },
    checkpoints: () => checkpoints.all().map(toCheckpoint),
    lastCheckpoint: () => {
      const row = lastCheckpoint.get();
      return row ? toCheckpoint(row) : null;
    },
    putCheckpoint: (checkpoint) => {
      insertCheckpoint.run(checkpoint.size, checkpoint.root, checkpoint.note);
    },
    keys: () => keys.all().map(toKey),
    putKey: (key) => {
      insertKey.run(
        key.keyId,
        key.name,
        key.verifierKey,
        key.validFrom,
        key.validUntil,
        key.announcedAt,
        key.retiredAt,
        key.seed,
      );
    },
    retireKey: (keyId, retiredAt) => {
      retireKey.run(retiredAt, keyId);
    },
  };
  statementsByDatabase.set(db, store);
  return store;
};
