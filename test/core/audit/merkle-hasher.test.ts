// The batched RFC 6962 hashes equal node:crypto's SHA-256, message for message: random leaves of every length around
// the block boundaries and far beyond, interior nodes in every lane position, batches that split and lines longer
// than a batch; and the tree built from them equals the appendable tree node for node.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryMerkleTree, hashLeaf } from '../../../core/audit/merkle.ts';
import {
  merkleHasher,
  merkleTreeOfLeaves,
  portMerkleHasher,
  simdMerkleHasher,
} from '../../../core/audit/merkle-hasher.ts';
import type { MerkleHasher } from '../../../core/audit/merkle-hasher.ts';
import { sha256 } from './fixtures.ts';

const nodeCrypto = (...parts: Uint8Array[]): Buffer => {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(part);
  return digest.digest();
};

/** Lines of the given lengths laid out as a JSON Lines file would be (each followed by a newline). */
const linesOf = (lengths: readonly number[]): { bytes: Uint8Array; starts: number[]; ends: number[] } => {
  const bytes = new Uint8Array(lengths.reduce((sum, length) => sum + length + 1, 0));
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const length of lengths) {
    bytes.set(randomBytes(length), at);
    starts.push(at);
    ends.push(at + length);
    at += length;
    bytes[at++] = 0x0a;
  }
  return { bytes, starts, ends };
};

const checkLeaves = (hasher: MerkleHasher, lengths: readonly number[]): void => {
  const { bytes, starts, ends } = linesOf(lengths);
  const out = new Uint8Array(32 * lengths.length + 7).fill(0xee);
  hasher.hashLeaves(bytes, starts, ends, 0, lengths.length, out, 7);
  for (let i = 0; i < lengths.length; i++) {
    const expected = nodeCrypto(Uint8Array.of(0), bytes.subarray(starts[i]!, ends[i]!));
    expect(Buffer.from(out.subarray(7 + 32 * i, 7 + 32 * i + 32)).toString('hex'), `leaf of ${lengths[i]} bytes`).toBe(
      expected.toString('hex'),
    );
  }
};

const hashers = (): [string, MerkleHasher][] => [
  ['simd', simdMerkleHasher()!],
  ['port', portMerkleHasher(sha256)],
];

describe('the batched Merkle hasher', () => {
  it('is the SIMD WebAssembly one on Node (so these tests prove the module, not the fallback)', () => {
    expect(simdMerkleHasher()?.kind).toBe('simd');
    expect(merkleHasher(sha256).kind).toBe('simd');
  });

  for (const [name, hasher] of hashers()) {
    it(`${name}: leaves of every length from 0 to 300 bytes, each in every lane position`, () => {
      const lengths = Array.from({ length: 301 }, (_, n) => n);
      for (let shift = 0; shift < 4; shift++)
        checkLeaves(hasher, [...lengths.slice(shift), ...lengths.slice(0, shift)]);
    });

    it(`${name}: leaves around block boundaries up to 4 KiB, mixed lengths in one group, odd group sizes`, () => {
      const edges = [54, 55, 56, 57, 62, 63, 64, 65, 118, 119, 120, 121, 127, 128, 129, 511, 512, 513, 4095, 4096];
      for (let count = 1; count <= 9; count++) checkLeaves(hasher, edges.slice(0, count));
      checkLeaves(hasher, [0, 4096, 1, 2000, 63, 64, 55, 56]);
      checkLeaves(
        hasher,
        Array.from({ length: 2000 }, () => Math.floor(Math.random() * 700)),
      );
    });

    it(`${name}: a line longer than a batch, and batches of many short lines`, () => {
      checkLeaves(hasher, [10, 300_000, 20, 600_000, 5]);
      checkLeaves(
        hasher,
        Array.from({ length: 5000 }, (_, n) => n % 70),
      );
    });

    it(`${name}: leaves of a range [from, to), and lines that are not adjacent`, () => {
      const { bytes, starts, ends } = linesOf([30, 40, 50, 60, 70, 80, 90]);
      const out = new Uint8Array(32 * 4);
      hasher.hashLeaves(bytes, starts, ends, 2, 6, out, 0);
      for (let i = 2; i < 6; i++)
        expect(Buffer.from(out.subarray(32 * (i - 2), 32 * (i - 1)))).toEqual(
          nodeCrypto(Uint8Array.of(0), bytes.subarray(starts[i]!, ends[i]!)),
        );
      const reordered = [starts[5]!, starts[0]!, starts[3]!];
      const reorderedEnds = [ends[5]!, ends[0]!, ends[3]!];
      const three = new Uint8Array(96);
      hasher.hashLeaves(bytes, reordered, reorderedEnds, 0, 3, three, 0);
      for (let i = 0; i < 3; i++)
        expect(Buffer.from(three.subarray(32 * i, 32 * i + 32))).toEqual(
          nodeCrypto(Uint8Array.of(0), bytes.subarray(reordered[i]!, reorderedEnds[i]!)),
        );
    });

    it(`${name}: interior nodes over random pairs, in every lane position and across batches`, () => {
      for (const count of [1, 2, 3, 4, 5, 7, 8, 9, 511, 512, 513, 1500]) {
        const pairs = randomBytes(64 * count + 3);
        const out = new Uint8Array(32 * count);
        hasher.hashNodes(pairs, 3, count, out, 0);
        for (let j = 0; j < count; j++)
          expect(Buffer.from(out.subarray(32 * j, 32 * j + 32)).toString('hex')).toBe(
            nodeCrypto(Uint8Array.of(1), pairs.subarray(3 + 64 * j, 3 + 64 * j + 64)).toString('hex'),
          );
      }
    });

    it(`${name}: the tree over the leaves is the appendable tree, node for node and root for root`, () => {
      for (const count of [1, 2, 3, 5, 8, 13, 64, 100, 1025]) {
        const { bytes, starts, ends } = linesOf(Array.from({ length: count }, (_, n) => 20 + (n % 90)));
        const leaves = new Uint8Array(32 * count);
        hasher.hashLeaves(bytes, starts, ends, 0, count, leaves, 0);
        const tree = merkleTreeOfLeaves(hasher, sha256, leaves, count);
        const reference = createMemoryMerkleTree(sha256, count);
        for (let i = 0; i < count; i++) reference.append(hashLeaf(sha256, bytes.subarray(starts[i]!, ends[i]!)));
        for (let level = 0; 2 ** level <= count; level++)
          for (let index = 0; index < Math.floor(count / 2 ** level); index++)
            expect(tree.read(level, index)).toEqual(reference.read(level, index));
        for (const size of [1, Math.ceil(count / 3), count]) expect(tree.root(size)).toEqual(reference.root(size));
      }
    });
  }
});
