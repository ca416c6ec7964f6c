// Our tree's roots and proofs against a naive RFC 6962 MTH, and our proofs against our verifiers, for many sizes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  createMemoryMerkleTree,
  emptyTreeHash,
  hashChildren,
  hashLeaf,
  inclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../../../core/audit/merkle.ts';
import { portableSha256 } from '../../../core/shared/sha256.ts';
import { sha256 } from './fixtures.ts';

const leaves = (n: number): Uint8Array[] =>
  Array.from({ length: n }, (_, i) => hashLeaf(sha256, new TextEncoder().encode(`leaf ${i}`)));

// MTH straight from RFC 6962 §2.1.
const naiveRoot = (hashes: readonly Uint8Array[]): Uint8Array => {
  if (hashes.length === 0) return emptyTreeHash(sha256);
  if (hashes.length === 1) return hashes[0]!;
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return hashChildren(sha256, naiveRoot(hashes.slice(0, k)), naiveRoot(hashes.slice(k)));
};

const treeOf = (hashes: readonly Uint8Array[]): ReturnType<typeof createMemoryMerkleTree> => {
  const tree = createMemoryMerkleTree(sha256, 4);
  for (const hash of hashes) tree.append(hash);
  return tree;
};

describe('Merkle tree', () => {
  it('hashes leaves and nodes with the RFC 6962 prefixes', () => {
    const leaf = hashLeaf(sha256, new Uint8Array(0));
    expect(Buffer.from(leaf).toString('hex')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(Buffer.from(emptyTreeHash(sha256)).toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(Buffer.from(hashChildren(portableSha256, leaf, leaf))).toEqual(
      Buffer.from(hashChildren(sha256, leaf, leaf)),
    );
  });

  it('computes the same root as the naive MTH at every size up to 70', () => {
    const all = leaves(70);
    const tree = treeOf(all);
    for (let size = 0; size <= 70; size++)
      expect(Buffer.from(tree.root(size))).toEqual(Buffer.from(naiveRoot(all.slice(0, size))));
  });

  it('proves inclusion of every leaf, and the proof fails for any other leaf or index', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), (size, pick) => {
        const all = leaves(size);
        const tree = treeOf(all);
        const index = pick % size;
        const proof = inclusionProof(tree.read, sha256, index, size);
        const root = tree.root(size);
        expect(verifyInclusion(sha256, index, size, all[index]!, proof, root).ok).toBe(true);
        if (size > 1) {
          const other = (index + 1) % size;
          expect(verifyInclusion(sha256, other, size, all[index]!, proof, root).ok).toBe(false);
          expect(verifyInclusion(sha256, index, size, all[other]!, proof, root).ok).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('proves consistency between any two sizes, and rejects a changed old root', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), (a, b) => {
        const [m, n] = a <= b ? [a, b] : [b, a];
        const all = leaves(n);
        const tree = treeOf(all);
        const proof = consistencyProof(tree.read, sha256, m, n);
        expect(verifyConsistency(sha256, m, n, proof, tree.root(m), tree.root(n)).ok).toBe(true);
        if (m < n) {
          const forged = naiveRoot([...all.slice(0, m - 1), hashLeaf(sha256, new Uint8Array([1]))]);
          expect(verifyConsistency(sha256, m, n, proof, forged, tree.root(n)).ok).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuses sizes beyond 2^53 rather than rounding them', () => {
    const leaf = hashLeaf(sha256, new Uint8Array(0));
    expect(verifyInclusion(sha256, 0, 2 ** 64, leaf, [], leaf).ok).toBe(false);
    expect(verifyConsistency(sha256, 1, 2 ** 60, [leaf], leaf, leaf).ok).toBe(false);
  });
});
