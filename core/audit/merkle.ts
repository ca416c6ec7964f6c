// RFC 6962 / RFC 9162 Merkle trees: leaf and node hashes, roots, inclusion and consistency proofs and their checks.
import type { Sha256 } from '../shared/sha256.ts';
import { bytesEqual } from './bytes.ts';

export type MerkleHash = Uint8Array;

/** Reads the hash of a perfect subtree: `level` 0 is a leaf, and node (level, index) covers 2^level leaves. */
export type NodeReader = (level: number, index: number) => MerkleHash;

export type ProofCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: ProofCheck = { ok: true };
const failed = (reason: string): ProofCheck => ({ ok: false, reason });

/** SHA-256 over 0x00 ‖ bytes: the RFC 6962 leaf hash, so a leaf can never pass for an interior node. */
export const hashLeaf = (sha256: Sha256, data: Uint8Array): MerkleHash => {
  // Entries are small: one scratch buffer serves them all (the port hashes synchronously and keeps no reference),
  // so hashing a batch allocates nothing but the hashes.
  if (data.length < leafScratch.length) {
    leafScratch.set(data, 1);
    return sha256(leafScratch.subarray(0, data.length + 1));
  }
  const input = new Uint8Array(data.length + 1);
  input.set(data, 1);
  return sha256(input);
};

const leafScratch = new Uint8Array(65_536);

const nodeInput = new Uint8Array(65);

/** SHA-256 over 0x01 ‖ left ‖ right. */
export const hashChildren = (sha256: Sha256, left: MerkleHash, right: MerkleHash): MerkleHash => {
  if (left.length !== 32 || right.length !== 32) {
    const input = new Uint8Array(1 + left.length + right.length);
    input[0] = 1;
    input.set(left, 1);
    input.set(right, 1 + left.length);
    return sha256(input);
  }
  nodeInput[0] = 1;
  nodeInput.set(left, 1);
  nodeInput.set(right, 33);
  return sha256(nodeInput);
};

export const emptyTreeHash = (sha256: Sha256): MerkleHash => sha256(new Uint8Array(0));

/** The largest power of two strictly below n (n ≥ 2). */
const splitPoint = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

const isPowerOfTwo = (n: number): boolean => {
  if (!Number.isSafeInteger(n) || n <= 0) return false;
  let x = n;
  while (x > 1) {
    if (x % 2 !== 0) return false;
    x /= 2;
  }
  return true;
};

/** MTH(D[lo:hi]) for a range that the RFC 6962 recursion produces (lo aligned to the split). */
export const rangeHash = (read: NodeReader, sha256: Sha256, lo: number, hi: number): MerkleHash => {
  const width = hi - lo;
  if (isPowerOfTwo(width) && lo % width === 0) return read(Math.log2(width), lo / width);
  const k = splitPoint(width);
  return hashChildren(sha256, rangeHash(read, sha256, lo, lo + k), rangeHash(read, sha256, lo + k, hi));
};

/** The RFC 6962 root of the first `size` leaves (the empty tree hashes to SHA-256 of nothing). */
export const treeRoot = (read: NodeReader, sha256: Sha256, size: number): MerkleHash =>
  size === 0 ? emptyTreeHash(sha256) : rangeHash(read, sha256, 0, size);

/** PATH(index, D[0:size]) of RFC 6962 §2.1.1: sibling hashes from the leaf up. */
export const inclusionProof = (read: NodeReader, sha256: Sha256, index: number, size: number): MerkleHash[] => {
  if (!(index >= 0 && index < size)) throw new RangeError(`leaf ${index} is not in a tree of size ${size}`);
  const proof: MerkleHash[] = [];
  const walk = (lo: number, hi: number): void => {
    if (hi - lo === 1) return;
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      walk(lo, lo + k);
      proof.push(rangeHash(read, sha256, lo + k, hi));
    } else {
      walk(lo + k, hi);
      proof.push(rangeHash(read, sha256, lo, lo + k));
    }
  };
  walk(0, size);
  return proof;
};

/** PROOF(m, D[0:n]) of RFC 6962 §2.1.2: proves the tree of size m is a prefix of the tree of size n. */
export const consistencyProof = (read: NodeReader, sha256: Sha256, m: number, n: number): MerkleHash[] => {
  if (!(m > 0 && m <= n)) throw new RangeError(`no consistency proof from size ${m} to size ${n}`);
  const proof: MerkleHash[] = [];
  const subproof = (lo: number, hi: number, complete: boolean): void => {
    if (m === hi) {
      // The old tree ends exactly here.
      if (!complete) proof.push(rangeHash(read, sha256, lo, hi));
      return;
    }
    const k = splitPoint(hi - lo);
    if (m <= lo + k) {
      subproof(lo, lo + k, complete);
      proof.push(rangeHash(read, sha256, lo + k, hi));
    } else {
      subproof(lo + k, hi, false);
      proof.push(rangeHash(read, sha256, lo, lo + k));
    }
  };
  subproof(0, n, true);
  return proof;
};

// Bit operations on sizes up to 2^53: JavaScript's bitwise operators are 32-bit, so halve arithmetically.
const odd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

const validSize = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/** RFC 9162 §2.1.3.2: checks that `leafHash` is leaf `index` of the tree of `size` leaves whose root is `root`. */
export const verifyInclusion = (
  sha256: Sha256,
  index: number,
  size: number,
  leafHash: MerkleHash,
  proof: readonly MerkleHash[],
  root: MerkleHash,
): ProofCheck => {
  if (!validSize(index) || !validSize(size)) return failed('index or size out of range');
  if (index >= size) return failed(`index ${index} is not below tree size ${size}`);
  if (leafHash.length !== 32 || root.length !== 32) return failed('the leaf hash and the root must be 32 bytes');
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return failed('the proof has more hashes than the tree has levels');
    if (p.length !== 32) return failed('a proof hash is not 32 bytes');
    if (odd(fn) || fn === sn) {
      r = hashChildren(sha256, p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildren(sha256, r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return failed('the proof has fewer hashes than the tree has levels');
  return bytesEqual(r, root) ? OK : failed('the computed root does not match');
};

/** RFC 9162 §2.1.4.2: checks that the tree (size1, root1) is a prefix of the tree (size2, root2). */
export const verifyConsistency = (
  sha256: Sha256,
  size1: number,
  size2: number,
  proof: readonly MerkleHash[],
  root1: MerkleHash,
  root2: MerkleHash,
): ProofCheck => {
  if (!validSize(size1) || !validSize(size2)) return failed('size out of range');
  if (size2 < size1) return failed(`size2 ${size2} is smaller than size1 ${size1}`);
  // RFC 9162 defines consistency from a non-empty tree only: every tree "extends" the empty one, which proves nothing.
  if (size1 === 0) return failed('consistency from the empty tree proves nothing');
  if (size1 === size2) {
    if (proof.length !== 0) return failed('equal sizes need an empty proof');
    return bytesEqual(root1, root2) ? OK : failed('equal sizes but different roots');
  }
  if (proof.length === 0) return failed('empty proof');
  for (const p of proof) if (p.length !== 32) return failed('a proof hash is not 32 bytes');
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return failed('the proof has more hashes than needed');
    if (odd(fn) || fn === sn) {
      fr = hashChildren(sha256, c, fr);
      sr = hashChildren(sha256, c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(sha256, sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return failed('the proof has fewer hashes than needed');
  if (!bytesEqual(fr, root1)) return failed('the proof does not lead to root1');
  if (!bytesEqual(sr, root2)) return failed('the proof does not lead to root2');
  return OK;
};

/** A valid subtree [start, end) of draft-ietf-plants-merkle-tree-certs §4.1: start is a multiple of BIT_CEIL(end - start). */
export const isValidSubtree = (start: number, end: number): boolean => {
  if (!validSize(start) || !validSize(end) || end <= start) return false;
  let ceil = 1;
  while (ceil < end - start) ceil *= 2;
  return start % ceil === 0;
};

/** Subtree inclusion (merkle-tree-certs §4.3): leaf `index` is inside the subtree [start, end) with hash `subtreeRoot`. */
export const verifySubtreeInclusion = (
  sha256: Sha256,
  index: number,
  start: number,
  end: number,
  leafHash: MerkleHash,
  proof: readonly MerkleHash[],
  subtreeRoot: MerkleHash,
): ProofCheck => {
  if (!isValidSubtree(start, end)) return failed(`[${start}, ${end}) is not a valid subtree`);
  if (!validSize(index) || index < start || index >= end) return failed(`index ${index} is not in [${start}, ${end})`);
  return verifyInclusion(sha256, index - start, end - start, leafHash, proof, subtreeRoot);
};

/** Subtree consistency (merkle-tree-certs §4.4): the subtree [start, end) with hash `subtreeRoot` is part of the tree (size, root). */
export const verifySubtreeConsistency = (
  sha256: Sha256,
  start: number,
  end: number,
  size: number,
  proof: readonly MerkleHash[],
  subtreeRoot: MerkleHash,
  root: MerkleHash,
): ProofCheck => {
  if (!validSize(start) || !validSize(end) || !validSize(size)) return failed('size out of range');
  if (start === end) {
    // The empty subtree is part of any tree; its hash is the empty-tree hash and nothing needs proving.
    if (end > size) return failed('the empty subtree lies beyond the tree');
    if (proof.length !== 0) return failed('an empty subtree needs an empty proof');
    return bytesEqual(subtreeRoot, emptyTreeHash(sha256)) ? OK : failed('the empty subtree hash is wrong');
  }
  if (!isValidSubtree(start, end)) return failed(`[${start}, ${end}) is not a valid subtree`);
  if (end > size) return failed(`the subtree ends at ${end}, beyond tree size ${size}`);
  for (const p of proof) if (p.length !== 32) return failed('a proof hash is not 32 bytes');
  let fn = start;
  let sn = end - 1;
  let tn = size - 1;
  if (sn === tn) {
    while (fn !== sn) {
      fn = half(fn);
      sn = half(sn);
      tn = half(tn);
    }
  } else {
    while (fn !== sn && odd(sn)) {
      fn = half(fn);
      sn = half(sn);
      tn = half(tn);
    }
  }
  let rest = proof;
  let fr: MerkleHash;
  let sr: MerkleHash;
  if (fn === sn) {
    fr = subtreeRoot;
    sr = subtreeRoot;
  } else {
    if (rest.length === 0) return failed('empty proof for a subtree that is not a single node');
    fr = rest[0]!;
    sr = rest[0]!;
    rest = rest.slice(1);
  }
  for (const c of rest) {
    if (tn === 0) return failed('the proof has more hashes than needed');
    if (odd(sn) || sn === tn) {
      if (fn < sn) fr = hashChildren(sha256, c, fr);
      sr = hashChildren(sha256, c, sr);
      while (!odd(sn) && sn !== 0) {
        fn = half(fn);
        sn = half(sn);
        tn = half(tn);
      }
    } else {
      sr = hashChildren(sha256, sr, c);
    }
    fn = half(fn);
    sn = half(sn);
    tn = half(tn);
  }
  if (tn !== 0) return failed('the proof has fewer hashes than needed');
  if (!bytesEqual(fr, subtreeRoot)) return failed('the proof does not lead to the subtree hash');
  if (!bytesEqual(sr, root)) return failed('the proof does not lead to the tree root');
  return OK;
};

/** An append-only in-memory tree that keeps every perfect node, so roots and proofs for any size are cheap. */
/** A complete tree held in memory, as a verifier reads it: its size, any complete node, the root at any size. */
export type MerkleTreeReader = {
  readonly size: () => number;
  readonly read: NodeReader;
  readonly root: (size?: number) => MerkleHash;
};

export type MemoryMerkleTree = MerkleTreeReader & { readonly append: (leafHash: MerkleHash) => void };

/**
 * A tree given as its levels: level l holds floor(leaves / 2^l) complete nodes of 32 bytes, level 0 the leaf hashes
 * (how a parallel hasher hands over the tree it built; reads are checked exactly as the appendable tree checks them).
 */
export const merkleTreeFromLevels = (
  sha256: Sha256,
  levels: readonly Uint8Array[],
  leaves: number,
): MerkleTreeReader => {
  const nodeAt = (level: number, index: number): Uint8Array => {
    const buffer = levels[level];
    if (!buffer || !Number.isInteger(index) || index < 0 || index >= Math.floor(leaves / 2 ** level))
      throw new RangeError(`node (${level}, ${index}) is not complete yet`);
    return buffer.subarray(index * 32, index * 32 + 32);
  };
  return { size: () => leaves, read: nodeAt, root: (at = leaves) => treeRoot(nodeAt, sha256, at) };
};

export const createMemoryMerkleTree = (sha256: Sha256, expectedLeaves = 1024): MemoryMerkleTree => {
  // One flat buffer per level; level l holds floor(size / 2^l) complete nodes of 32 bytes each.
  const levels: Uint8Array[] = [];
  const counts: number[] = [];
  const ensure = (level: number, count: number): Uint8Array => {
    let buffer = levels[level];
    if (!buffer) {
      buffer = new Uint8Array(Math.max(64, Math.ceil(expectedLeaves / 2 ** level) + 1) * 32);
      levels[level] = buffer;
      counts[level] = 0;
    }
    if (count * 32 > buffer.length) {
      const grown = new Uint8Array(Math.max(count * 32, buffer.length * 2));
      grown.set(buffer);
      levels[level] = grown;
      buffer = grown;
    }
    return buffer;
  };
  const nodeAt = (level: number, index: number): Uint8Array => {
    const buffer = levels[level];
    if (!buffer || index >= (counts[level] ?? 0)) throw new RangeError(`node (${level}, ${index}) is not complete yet`);
    return buffer.subarray(index * 32, index * 32 + 32);
  };
  const append = (leafHash: MerkleHash): void => {
    let level = 0;
    let hash = leafHash;
    for (;;) {
      const index = counts[level] ?? 0;
      const buffer = ensure(level, index + 1);
      buffer.set(hash, index * 32);
      counts[level] = index + 1;
      if (index % 2 === 0) return;
      hash = hashChildren(
        sha256,
        buffer.subarray((index - 1) * 32, index * 32),
        buffer.subarray(index * 32, index * 32 + 32),
      );
      level++;
    }
  };
  const size = (): number => counts[0] ?? 0;
  return {
    size,
    append,
    read: nodeAt,
    root: (at = size()) => treeRoot(nodeAt, sha256, at),
  };
};
