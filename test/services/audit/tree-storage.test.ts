// Merkle nodes on the encrypted store: only every fourth level is stored, the rest recomputed, and the right-edge
// cache never serves a node from a rolled-back append. Every node must equal the one computed from the leaves alone.
import { describe, expect, it } from 'vitest';
import { appendAuditEvent } from '../../../electron/services/audit/audit-log.ts';
import { nodeSha256 } from '../../../electron/services/audit/node-sha256.ts';
import { isStoredLevel, sqliteAuditStore } from '../../../electron/services/audit/sqlite-store.ts';
import { hashChildren, rangeHash, treeRoot } from '../../../core/audit/merkle.ts';
import type { MerkleHash } from '../../../core/audit/merkle.ts';
import { bytesToHex } from '../../../core/audit/bytes.ts';
import { tempDir } from '../store/temp.ts';
import { auditDatabase, day, heldPayload } from './helpers.ts';

const dir = tempDir('tree-storage');

const event = (n: number, variant = 'kept') =>
  ({
    time: day(1),
    actor: 'user:u-1',
    type: 'routing.decided',
    subjects: [`lead:L-${n}`],
    payload: { ...heldPayload(n, { n }), reason: variant },
  }) as const;

/** Node (level, index) computed from the stored leaf hashes only: the reference. */
const reference = (leaves: readonly MerkleHash[], level: number, index: number): MerkleHash => {
  let hashes = leaves.slice(index * 2 ** level, (index + 1) * 2 ** level);
  while (hashes.length > 1) {
    const next: MerkleHash[] = [];
    for (let i = 0; i < hashes.length; i += 2) next.push(hashChildren(nodeSha256, hashes[i]!, hashes[i + 1]!));
    hashes = next;
  }
  return hashes[0]!;
};

describe('Merkle node storage', () => {
  it('stores only levels 4, 8, …, and every node read equals the one computed from the leaves, across rollbacks', () => {
    const { db } = auditDatabase(dir, 'sparse');
    let n = 0;
    // Appends in transactions of random-ish sizes, with rolled-back appends in between whose nodes must never be
    // served afterwards (the rolled-back entries differ from the ones that take their sequence numbers).
    for (let round = 0; round < 40; round += 1) {
      db.transaction(() => {
        for (let i = 0; i < 3 + ((round * 7) % 11); i += 1) appendAuditEvent(db, event((n += 1)));
      })();
      expect(() =>
        db.transaction(() => {
          for (let i = 0; i < 1 + (round % 9); i += 1) appendAuditEvent(db, event(n + i + 1, 'rolled back'));
          throw new Error('abandon');
        })(),
      ).toThrow('abandon');
      // Right after a rollback, the root read through the store is still the root of the committed leaves.
      const committed = (
        db.prepare('SELECT leaf_hash FROM audit_entries ORDER BY sequence').pluck().all() as Buffer[]
      ).map((hash) => new Uint8Array(hash));
      const fromCommitted = (level: number, index: number): MerkleHash => reference(committed, level, index);
      expect(bytesToHex(treeRoot(sqliteAuditStore(db).readNode, nodeSha256, committed.length))).toBe(
        bytesToHex(rangeHash(fromCommitted, nodeSha256, 0, committed.length)),
      );
    }
    const leaves = (db.prepare('SELECT leaf_hash FROM audit_entries ORDER BY sequence').pluck().all() as Buffer[]).map(
      (hash) => new Uint8Array(hash),
    );
    const size = leaves.length;
    expect(size).toBeGreaterThan(256);
    const levels = db.prepare('SELECT DISTINCT level FROM audit_tree_nodes ORDER BY level').pluck().all() as number[];
    expect(levels.length).toBeGreaterThan(0);
    for (const level of levels) expect(isStoredLevel(level)).toBe(true);

    const store = sqliteAuditStore(db);
    for (let level = 0; 2 ** level <= size; level += 1)
      for (let index = 0; (index + 1) * 2 ** level <= size; index += 1)
        expect(bytesToHex(store.readNode(level, index)), `node (${level}, ${index})`).toBe(
          bytesToHex(reference(leaves, level, index)),
        );
    // The root the store gives equals the root of the leaves alone, at every size.
    const fromLeaves = (level: number, index: number): MerkleHash => reference(leaves, level, index);
    for (const at of [1, 2, 15, 16, 17, 255, 256, size - 1, size])
      expect(bytesToHex(treeRoot(store.readNode, nodeSha256, at))).toBe(
        bytesToHex(rangeHash(fromLeaves, nodeSha256, 0, at)),
      );
    db.close();
  });
});
