// What the early verifier's threads share (early-verify.ts, early-verify-worker.ts): the counters, how a thread waits
// for the next chunk's line split, and the work on one chunk.
import type { MessagePort } from 'node:worker_threads';
import type { MerkleHasher } from '../../../core/audit/merkle-hasher.ts';
import { hashRangeIntoLevels } from '../../../core/audit/merkle-hasher.ts';
import { examineLines } from '../../../core/audit/verify-lines.ts';
import type { LineFacts } from '../../../core/audit/verify-lines.ts';

/** Shared counters: the next chunk to take, chunks whose split is published, 1 once the split ended, failures. */
export const CHUNK_NEXT = 0;
export const CHUNK_READY = 1;
export const SPLIT_ENDED = 2;
export const CHUNK_FAILED = 3;
export const COUNTERS = 4;

export type EarlyWorkerData = {
  /** entries.jsonl's buffer, which the inflater fills while the workers read the lines already split. */
  readonly entries: SharedArrayBuffer;
  readonly counters: SharedArrayBuffer;
  readonly chunkDone: SharedArrayBuffer;
  readonly chunkLines: number;
  /** Chunks' line splits come in on it; each chunk's facts and levels go out on it. */
  readonly port: MessagePort;
};

/** One chunk's lines: line chunk * chunkLines + k is entries[starts[k], ends[k]) for k < count. */
export type ChunkBounds = {
  readonly chunk: number;
  readonly count: number;
  readonly starts: Float64Array;
  readonly ends: Float64Array;
};

const WAIT_SLICE_MS = 100;

/**
 * Blocks until `chunk`'s split is published (true) or the split has ended without it (false: no chunk is left).
 * Throws when another thread failed.
 */
export const nextReadyChunk = (counters: Int32Array, chunk: number): boolean => {
  for (;;) {
    if (Atomics.load(counters, CHUNK_FAILED) > 0) throw new Error('another verifier thread failed');
    const ready = Atomics.load(counters, CHUNK_READY);
    if (chunk < ready) return true;
    // The last chunk is published before the split is marked ended, so READY read after ENDED is final.
    if (Atomics.load(counters, SPLIT_ENDED) === 1) return chunk < Atomics.load(counters, CHUNK_READY);
    Atomics.wait(counters, CHUNK_READY, ready, WAIT_SLICE_MS);
  }
};

/**
 * Examines and hashes one chunk: the facts of its lines (numbered as in the whole file) and the levels of the subtree
 * over them (level l holds floor(count / 2^l) nodes; chunks start at multiples of chunkLines, a power of two, so these
 * are the whole tree's own nodes).
 */
export const examineAndHashChunk = (
  hasher: MerkleHasher,
  entries: Uint8Array,
  bounds: ChunkBounds,
  chunkLines: number,
): { readonly facts: LineFacts; readonly levels: Uint8Array[] } => {
  const { count, starts, ends } = bounds;
  const first = bounds.chunk * chunkLines;
  const local = examineLines(entries, starts, ends, 0, count, null);
  const facts: LineFacts = {
    ...local,
    from: first,
    to: first + count,
    failures: local.failures.map((failure) => ({ ...failure, line: failure.line + first })),
  };
  const levels: Uint8Array[] = [];
  for (let width = count; width > 0; width = Math.floor(width / 2)) levels.push(new Uint8Array(width * 32));
  hashRangeIntoLevels(hasher, entries, starts, ends, levels, 0, count);
  return { facts, levels };
};
