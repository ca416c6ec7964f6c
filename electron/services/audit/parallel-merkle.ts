// The verifier's Merkle port on worker threads (one, or two on more than two cores): they hash every line of entries.jsonl (RFC 6962 leaves) and build
// the tree over them while the calling thread parses and checks the same lines. Two workers split the tree at the
// largest power of two below the line count, so each one's nodes are exactly the global tree's nodes over its range.
// The port blocks (Atomics.wait) until they are done, then checks their line split and a sample of leaves itself.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { lineBounds } from '../../../core/audit/bytes.ts';
import { hashChildren, hashLeaf, merkleTreeFromLevels } from '../../../core/audit/merkle.ts';
import type { MerklePort } from '../../../core/audit/verify.ts';
import { nodeSha256 } from './node-sha256.ts';

/** Below this many lines one thread is as fast as starting two workers. */
export const PARALLEL_MERKLE_MIN_LINES = 16_384;
const SPOT_CHECKS = 64;
const WAIT_MS = 30 * 60_000;

export type MerkleWorkerData = {
  readonly entries: SharedArrayBuffer;
  readonly starts: SharedArrayBuffer;
  readonly ends: SharedArrayBuffer;
  readonly levels: readonly SharedArrayBuffer[];
  readonly done: SharedArrayBuffer;
  readonly slot: number;
  readonly from: number;
  readonly to: number;
  /** Hash with the batched SIMD hasher instead of one node:crypto call per hash. */
  readonly simd: boolean;
};

export type ParallelMerkle = {
  readonly port: MerklePort;
  readonly workers: number;
  readonly close: () => Promise<void>;
};

/** The bytes in shared memory: their own buffer when it is already a whole SharedArrayBuffer, else a copy. */
export const sharedBytes = (bytes: Uint8Array): SharedArrayBuffer => {
  if (
    bytes.buffer instanceof SharedArrayBuffer &&
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength
  )
    return bytes.buffer;
  const buffer = new SharedArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  return buffer;
};

const shared = (values: Float64Array): SharedArrayBuffer => {
  const buffer = new SharedArrayBuffer(values.byteLength);
  new Float64Array(buffer).set(values);
  return buffer;
};

/**
 * Starts hashing `entries` (the bytes of entries.jsonl) on two worker threads; null when the file is too small to be
 * worth it. Pass `port` as the verifier's `merkle` option and `close` the workers afterwards.
 */
export const startParallelMerkle = (
  entries: Uint8Array,
  options: {
    readonly workers?: 1 | 2;
    /** The line split (core lineBounds of `entries`) when the caller has it already. */
    readonly lines?: { readonly starts: readonly number[]; readonly ends: readonly number[] };
    /** Hash with the batched SIMD hasher (what the verifier uses) instead of node:crypto. */
    readonly simd?: boolean;
  } = {},
): ParallelMerkle | null => {
  // The calling thread keeps one core busy parsing: one worker on a two-core machine, two where there are more.
  const workerCount = options.workers ?? (availableParallelism() > 2 ? 2 : 1);
  // The verifier's own line split (core lineBounds), handed to the workers as shared doubles.
  const lines = options.lines ?? lineBounds(entries);
  const starts = Float64Array.from(lines.starts);
  const ends = Float64Array.from(lines.ends);
  const count = starts.length;
  if (count < PARALLEL_MERKLE_MIN_LINES) return null;
  const entriesBuffer = sharedBytes(entries);
  // Two workers split at the largest power of two below the line count; one takes every line.
  let split = 1;
  while (split * 2 < count) split *= 2;
  if (workerCount === 1) split = count;
  // Level l holds floor(count / 2^l) nodes; the left worker's 2^k leaves make a perfect subtree up to level k.
  const levels: SharedArrayBuffer[] = [];
  for (let level = 0; Math.floor(count / 2 ** level) > 0; level++)
    levels.push(new SharedArrayBuffer(Math.floor(count / 2 ** level) * 32));
  const done = new SharedArrayBuffer(8);
  const flags = new Int32Array(done);
  const common = { entries: entriesBuffer, starts: shared(starts), ends: shared(ends), levels, done };
  const ranges =
    workerCount === 1
      ? [{ slot: 0, from: 0, to: count }]
      : [
          { slot: 0, from: 0, to: split },
          { slot: 1, from: split, to: count },
        ];
  const workers = ranges.map(
    (range) =>
      new Worker(new URL('./parallel-merkle-worker.ts', import.meta.url), {
        workerData: { ...common, ...range, simd: options.simd ?? false } satisfies MerkleWorkerData,
      }),
  );
  const failures: string[] = [];
  // The workers end by themselves once their part is hashed; they never keep the process alive.
  for (const worker of workers) worker.unref();
  for (const [slot, worker] of workers.entries())
    worker.on('error', (error) => {
      failures.push(String(error));
      Atomics.store(flags, slot, -1);
      Atomics.notify(flags, slot);
    });

  const port: MerklePort = (bytes, lineStarts, lineEnds) => {
    for (let slot = 0; slot < ranges.length; slot++) {
      if (Atomics.wait(flags, slot, 0, WAIT_MS) === 'timed-out' && Atomics.load(flags, slot) === 0)
        throw new Error('the Merkle workers did not finish in time');
      if (Atomics.load(flags, slot) !== 1) throw new Error(`a Merkle worker failed: ${failures.join('; ')}`);
    }
    // The workers must have hashed exactly the lines the verifier read, and the leaves they computed must be the
    // ones this thread computes: checked on the line split and on a sample spread over the whole file.
    if (bytes.length !== entries.length || lineStarts.length !== count)
      throw new Error('the Merkle workers hashed another file than the verifier read');
    for (let i = 0; i < count; i++)
      if (lineStarts[i] !== starts[i] || lineEnds[i] !== ends[i])
        throw new Error(`the Merkle workers split line ${i + 1} differently`);
    // Nodes above the split cover leaves of both workers: the few there are are hashed here, level by level.
    const views = levels.map((buffer) => new Uint8Array(buffer));
    for (let level = workerCount === 1 ? views.length : Math.log2(split) + 1; level < views.length; level++)
      for (let j = 0; j < Math.floor(count / 2 ** level); j++)
        views[level]!.set(
          hashChildren(
            nodeSha256,
            views[level - 1]!.subarray(2 * j * 32, 2 * j * 32 + 32),
            views[level - 1]!.subarray(2 * j * 32 + 32, 2 * j * 32 + 64),
          ),
          j * 32,
        );
    const leafHashes = views[0]!;
    for (let k = 0; k <= SPOT_CHECKS; k++) {
      const i = Math.min(count - 1, Math.floor((k * count) / SPOT_CHECKS));
      const expected = hashLeaf(nodeSha256, bytes.subarray(lineStarts[i]!, lineEnds[i]!));
      const got = leafHashes.subarray(i * 32, i * 32 + 32);
      if (!expected.every((byte, at) => byte === got[at]))
        throw new Error(`the Merkle workers' leaf ${i} is not the hash of line ${i + 1}`);
    }
    return {
      leafHashes,
      tree: merkleTreeFromLevels(nodeSha256, views, count),
    };
  };
  const close = async (): Promise<void> => {
    await Promise.all(workers.map((worker) => worker.terminate()));
  };
  return { port, workers: workers.length, close };
};
