// The audit log engine's storage port over the encrypted SQLite database (tables of migration 0001).
import type { AuditEntry, LogHead } from '../../../core/audit/entry.ts';
import type { AuditLogStore, StoredCheckpoint, StoredKey } from '../../../core/audit/log-engine.ts';
import type { Database } from '../store/database.ts';
import { hashChildren } from '../../../core/audit/merkle.ts';
import type { MerkleHash } from '../../../core/audit/merkle.ts';
import { nodeSha256 } from './node-sha256.ts';

/**
 * Merkle nodes are stored on every STORED_LEVEL_STEP-th level only (4, 8, 12…); leaves are the entries' leaf hashes and
 * the levels between are recomputed from at most 2^(STORED_LEVEL_STEP-1) stored nodes below them (decision 0033).
 */
export const STORED_LEVEL_STEP = 4;
export const isStoredLevel = (level: number): boolean => level > 0 && level % STORED_LEVEL_STEP === 0;

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
  const leafRange = db
    .prepare<[number, number], Buffer>(
      'SELECT leaf_hash FROM audit_entries WHERE sequence >= ? AND sequence < ? ORDER BY sequence',
    )
    .pluck();
  const nodeRange = db
    .prepare<[number, number, number], Buffer>(
      'SELECT hash FROM audit_tree_nodes WHERE level = ? AND idx >= ? AND idx < ? ORDER BY idx',
    )
    .pluck();
  // The last two nodes completed on each level: appending only ever needs these (the tree's right edge), so the hot
  // path reads no node from the database. Served by exact index only, so a rolled-back append can never be served
  // from here: a node is only read after its last leaf is appended again, which replaces the cached one.
  type Edge = { readonly index: number; readonly hash: MerkleHash };
  const rightEdge: Edge[][] = [];

  const missing = (level: number, index: number): never => {
    throw new RangeError(`Merkle node (${level}, ${index}) is missing from the database`);
  };
  const readNode = (level: number, index: number): MerkleHash => {
    const edges = rightEdge[level] ?? [];
    for (let k = edges.length - 1; k >= 0; k -= 1) if (edges[k]!.index === index) return edges[k]!.hash;
    if (isStoredLevel(level)) return node.get(level, index) ?? missing(level, index);
    // Recompute from the stored level below: 2^span hashes folded pairwise.
    const base = level - (level % STORED_LEVEL_STEP);
    const span = level - base;
    const first = index * 2 ** span;
    const count = 2 ** span;
    let hashes: MerkleHash[] =
      base === 0 ? leafRange.all(first, first + count) : nodeRange.all(base, first, first + count);
    if (hashes.length !== count) missing(level, index);
    while (hashes.length > 1) {
      const next: MerkleHash[] = [];
      for (let i = 0; i < hashes.length; i += 2) next.push(hashChildren(nodeSha256, hashes[i]!, hashes[i + 1]!));
      hashes = next;
    }
    return hashes[0]!;
  };
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
    readNode,
    putNode: (level, index, hash) => {
      const edge = { index, hash: Uint8Array.from(hash) };
      const previous = rightEdge[level]?.at(-1);
      rightEdge[level] = previous === undefined ? [edge] : [previous, edge];
      if (isStoredLevel(level)) insertNode.run(level, index, hash);
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
