// The RFC 6962 hashes in bulk: many leaves (0x00 ‖ line) or interior nodes (0x01 ‖ left ‖ right) per call. The SIMD
// WebAssembly module (sha256-simd-module.ts) hashes four messages at once and costs no call per hash; where
// WebAssembly or its SIMD is unavailable (or a content security policy refuses to compile it), a SHA-256 port does
// the same one hash at a time.
import type { Sha256 } from '../shared/sha256.ts';
import { portableSha256 } from '../shared/sha256.ts';
import { bytesEqual } from './bytes.ts';
import type { MerkleTreeReader } from './merkle.ts';
import { merkleTreeFromLevels } from './merkle.ts';
import { SHA256_SIMD_DATA_START, sha256SimdModuleBytes } from './sha256-simd-module.ts';

export type MerkleHasher = {
  /** 'simd': the WebAssembly module; 'port': one SHA-256 call per hash. */
  readonly kind: 'simd' | 'port';
  /** Writes SHA-256(0x00 ‖ bytes[starts[i], ends[i])) for i in [from, to) into out, 32 bytes each from outAt. */
  readonly hashLeaves: (
    bytes: Uint8Array,
    starts: ArrayLike<number>,
    ends: ArrayLike<number>,
    from: number,
    to: number,
    out: Uint8Array,
    outAt: number,
  ) => void;
  /** Writes SHA-256(0x01 ‖ pairs[pairsAt + 64j, + 64)) for j < count into out, 32 bytes each from outAt. */
  readonly hashNodes: (pairs: Uint8Array, pairsAt: number, count: number, out: Uint8Array, outAt: number) => void;
};

/** One SHA-256 call per hash. */
export const portMerkleHasher = (sha256: Sha256): MerkleHasher => {
  let scratch = new Uint8Array(1024);
  const node = new Uint8Array(65);
  return {
    kind: 'port',
    hashLeaves: (bytes, starts, ends, from, to, out, outAt) => {
      for (let i = from; i < to; i++) {
        const length = ends[i]! - starts[i]!;
        if (scratch.length < length + 1) scratch = new Uint8Array(length * 2 + 1);
        scratch[0] = 0;
        scratch.set(bytes.subarray(starts[i]!, ends[i]!), 1);
        out.set(sha256(scratch.subarray(0, length + 1)), outAt + (i - from) * 32);
      }
    },
    hashNodes: (pairs, pairsAt, count, out, outAt) => {
      node[0] = 1;
      for (let j = 0; j < count; j++) {
        node.set(pairs.subarray(pairsAt + 64 * j, pairsAt + 64 * j + 64), 1);
        out.set(sha256(node), outAt + 32 * j);
      }
    },
  };
};

// What core needs of the WebAssembly API (core is type-checked without DOM or Node types).
type WasmMemory = { readonly buffer: ArrayBuffer; grow: (pages: number) => number };
type WasmApi = {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
};
type Exports = {
  readonly memory: WasmMemory;
  readonly leaves: (starts: number, ends: number, count: number, out: number) => void;
  readonly nodes: (input: number, count: number, out: number, unused: number) => void;
};

const PAGE = 65_536;
/** Lines or pairs per call: small calls let the engine move the functions to its optimising tier early. */
const BATCH_LINES = 512;
const BATCH_BYTES = 1 << 18;

const simdHasherFrom = (exports: Exports): MerkleHasher => {
  const memory = exports.memory;
  let heap = new Uint8Array(memory.buffer);
  let words = new Int32Array(memory.buffer);
  /** Makes memory[0, bytes) usable and returns the current view. */
  const reserve = (bytes: number): void => {
    if (heap.byteLength === 0 || heap.buffer !== memory.buffer) {
      heap = new Uint8Array(memory.buffer);
      words = new Int32Array(memory.buffer);
    }
    if (bytes <= heap.length) return;
    memory.grow(Math.ceil((bytes - heap.length) / PAGE));
    heap = new Uint8Array(memory.buffer);
    words = new Int32Array(memory.buffer);
  };
  const hashLeaves: MerkleHasher['hashLeaves'] = (bytes, starts, ends, from, to, out, outAt) => {
    for (let first = from; first < to;) {
      // A batch of lines whose bytes span at most BATCH_BYTES (or one longer line on its own).
      let low = starts[first]!;
      let high = ends[first]!;
      let last = first + 1;
      while (last < to && last - first < BATCH_LINES) {
        const nextLow = Math.min(low, starts[last]!);
        const nextHigh = Math.max(high, ends[last]!);
        if (nextHigh - nextLow > BATCH_BYTES) break;
        low = nextLow;
        high = nextHigh;
        last++;
      }
      const count = last - first;
      // The span one byte after DATA_START (the module reads the byte before a line and masks it), then the bounds.
      const base = SHA256_SIMD_DATA_START + 1 - low;
      const startsAt = (SHA256_SIMD_DATA_START + 1 + (high - low) + 3) & ~3;
      const endsAt = startsAt + 4 * count;
      const outputAt = endsAt + 4 * count;
      reserve(outputAt + 32 * count);
      heap.set(bytes.subarray(low, high), SHA256_SIMD_DATA_START + 1);
      for (let i = 0; i < count; i++) {
        words[startsAt / 4 + i] = base + starts[first + i]!;
        words[endsAt / 4 + i] = base + ends[first + i]!;
      }
      exports.leaves(startsAt, endsAt, count, outputAt);
      out.set(heap.subarray(outputAt, outputAt + 32 * count), outAt + (first - from) * 32);
      first = last;
    }
  };
  const hashNodes: MerkleHasher['hashNodes'] = (pairs, pairsAt, count, out, outAt) => {
    for (let first = 0; first < count; first += BATCH_LINES) {
      const batch = Math.min(BATCH_LINES, count - first);
      const input = SHA256_SIMD_DATA_START;
      // The module reads up to 3 bytes past the last pair: the output starts well after it.
      const outputAt = input + 64 * batch + 64;
      reserve(outputAt + 32 * batch);
      heap.set(pairs.subarray(pairsAt + 64 * first, pairsAt + 64 * (first + batch)), input);
      exports.nodes(input, batch, outputAt, 0);
      out.set(heap.subarray(outputAt, outputAt + 32 * batch), outAt + 32 * first);
    }
  };
  return { kind: 'simd', hashLeaves, hashNodes };
};

/** Whether the hasher gives SHA-256's answers on leaves and nodes of lengths around every block boundary. */
const agreesWith = (hasher: MerkleHasher, sha256: Sha256): boolean => {
  const lengths = [0, 1, 54, 55, 56, 63, 64, 65, 118, 119, 120, 127, 128, 200];
  const bytes = Uint8Array.from({ length: lengths.reduce((sum, length) => sum + length + 1, 0) }, (_, k) => k * 7);
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const length of lengths) {
    starts.push(at);
    ends.push(at + length);
    at += length + 1;
  }
  const leaves = new Uint8Array(32 * lengths.length);
  hasher.hashLeaves(bytes, starts, ends, 0, lengths.length, leaves, 0);
  const nodes = new Uint8Array(32 * 5);
  hasher.hashNodes(bytes, 1, 5, nodes, 0);
  const reference = portMerkleHasher(sha256);
  const expectedLeaves = new Uint8Array(leaves.length);
  reference.hashLeaves(bytes, starts, ends, 0, lengths.length, expectedLeaves, 0);
  const expectedNodes = new Uint8Array(nodes.length);
  reference.hashNodes(bytes, 1, 5, expectedNodes, 0);
  return bytesEqual(leaves, expectedLeaves) && bytesEqual(nodes, expectedNodes);
};

let simd: MerkleHasher | null | undefined;

/**
 * The SIMD WebAssembly hasher of this thread (made once), or null where it cannot run: no WebAssembly, no SIMD, a
 * policy that refuses to compile it, or answers that differ from SHA-256 on a self-test (then nothing uses it).
 */
export const simdMerkleHasher = (): MerkleHasher | null => {
  if (simd !== undefined) return simd;
  simd = null;
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm) return null;
  try {
    const instance = new wasm.Instance(new wasm.Module(sha256SimdModuleBytes()), {});
    const hasher = simdHasherFrom(instance.exports as unknown as Exports);
    if (agreesWith(hasher, portableSha256)) simd = hasher;
  } catch {
    simd = null;
  }
  return simd;
};

/** The fastest hasher here: the SIMD one when it runs, else one call of `sha256` per hash. */
export const merkleHasher = (sha256: Sha256): MerkleHasher => simdMerkleHasher() ?? portMerkleHasher(sha256);

/**
 * Every level of the tree over `count` leaf hashes (level 0 is `leaves`; level l holds floor(count / 2^l) nodes), and
 * the tree reader over them. `sha256` serves the roots and proofs of sizes that are not a power of two.
 */
export const merkleTreeOfLeaves = (
  hasher: MerkleHasher,
  sha256: Sha256,
  leaves: Uint8Array,
  count: number,
): MerkleTreeReader => {
  const levels: Uint8Array[] = [leaves.subarray(0, count * 32)];
  for (let width = Math.floor(count / 2); width > 0; width = Math.floor(width / 2)) {
    const below = levels[levels.length - 1]!;
    const level = new Uint8Array(width * 32);
    hasher.hashNodes(below, 0, width, level, 0);
    levels.push(level);
  }
  return merkleTreeFromLevels(sha256, levels, count);
};

/**
 * The leaves of lines [from, to) and every node above them that lies wholly inside the range, written into `levels`
 * (level l holds the tree's floor(count / 2^l) nodes, 32 bytes each). Ranges that tile the lines can be hashed on
 * separate threads into shared levels; completeNodesAcross then fills in the nodes that span their boundaries.
 */
export const hashRangeIntoLevels = (
  hasher: MerkleHasher,
  bytes: Uint8Array,
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
  levels: readonly Uint8Array[],
  from: number,
  to: number,
): void => {
  hasher.hashLeaves(bytes, starts, ends, from, to, levels[0]!, from * 32);
  for (let level = 1; level < levels.length; level++) {
    const width = 2 ** level;
    const first = Math.ceil(from / width);
    const last = Math.floor(to / width);
    if (last <= first) break;
    hasher.hashNodes(levels[level - 1]!, first * 64, last - first, levels[level]!, first * 32);
  }
};

/** The nodes that span a boundary between ranges hashed apart (each from its two children, lowest level first). */
export const completeNodesAcross = (
  hasher: MerkleHasher,
  levels: readonly Uint8Array[],
  count: number,
  boundaries: readonly number[],
): void => {
  for (let level = 1; level < levels.length; level++) {
    const width = 2 ** level;
    const nodes = Math.floor(count / width);
    const done = new Set<number>();
    for (const boundary of boundaries) {
      const index = Math.floor(boundary / width);
      if (boundary % width === 0 || index >= nodes || done.has(index)) continue;
      done.add(index);
      hasher.hashNodes(levels[level - 1]!, index * 64, 1, levels[level]!, index * 32);
    }
  }
};
