// Subtree consistency proofs (draft-ietf-plants-merkle-tree-certs §4.4): the producing side of verifySubtreeConsistency.
import type { Sha256 } from '../shared/sha256.ts';
import { isValidSubtree, rangeHash } from './merkle.ts';
import type { MerkleHash, NodeReader } from './merkle.ts';

/** The largest power of two strictly below n (n ≥ 2). */
const splitPoint = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/**
 * SUBTREE_PROOF(start, end, D[0:size]): proves the subtree [start, end) is part of the tree of `size` leaves. It is
 * RFC 6962's consistency proof generalised to a subtree that need not start at 0; `read` reads the tree's nodes.
 */
export const subtreeConsistencyProof = (
  read: NodeReader,
  sha256: Sha256,
  start: number,
  end: number,
  size: number,
): MerkleHash[] => {
  if (!isValidSubtree(start, end) || end > size)
    throw new RangeError(`[${start}, ${end}) is not a valid subtree of a tree of size ${size}`);
  const proof: MerkleHash[] = [];
  const subproof = (lo: number, hi: number, from: number, to: number, known: boolean): void => {
    if (from === lo && to === hi) {
      if (!known) proof.push(rangeHash(read, sha256, lo, hi));
      return;
    }
    const k = splitPoint(hi - lo);
    if (to <= lo + k) {
      subproof(lo, lo + k, from, to, known);
      proof.push(rangeHash(read, sha256, lo + k, hi));
    } else if (from >= lo + k) {
      subproof(lo + k, hi, from, to, known);
      proof.push(rangeHash(read, sha256, lo, lo + k));
    } else {
      // A valid subtree straddling the split starts at lo: its left half is the whole left side, known to neither.
      subproof(lo + k, hi, lo + k, to, false);
      proof.push(rangeHash(read, sha256, lo, lo + k));
    }
  };
  subproof(0, size, start, end, true);
  return proof;
};
