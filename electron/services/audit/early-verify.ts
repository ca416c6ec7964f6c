// The CLI's verifier, started while the bundle inflates (decision 0287). node:zlib inflates entries.jsonl on libuv's
// thread pool into shared memory; as each piece arrives this thread splits it into lines (core createLineSplitter,
// lineBounds' ranges) and publishes every 2^15 lines as a chunk; worker threads (early-verify-worker.ts) examine and
// hash the published chunks at once, behind the inflater, instead of waiting for the whole file. Once the zip is read
// the verifier runs as before with three ports: the line split already made, the chunks' facts in order (this thread
// takes chunks too until the one to judge next is done), and the tree from the chunks' subtrees. A bundle that carries
// entries.csv, and a directory, take the parallel verifier of parallel-verify.ts instead (the CSV rows are matched
// with the lines, and the CSV inflates beside them).
import { readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { CSV_FILE, ENTRIES_FILE } from '../../../core/audit/bundle-format.ts';
import { createLineSplitter } from '../../../core/audit/bytes.ts';
import { hashLeaf, merkleTreeFromLevels } from '../../../core/audit/merkle.ts';
import { completeNodesAcross, merkleHasher } from '../../../core/audit/merkle-hasher.ts';
import type { LinesPort, MerklePort } from '../../../core/audit/verify.ts';
import type { LineFacts } from '../../../core/audit/verify-lines.ts';
import {
  CHUNK_FAILED,
  CHUNK_NEXT,
  CHUNK_READY,
  COUNTERS,
  SPLIT_ENDED,
  examineAndHashChunk,
  nextReadyChunk,
} from './early-verify-chunk.ts';
import type { ChunkBounds, EarlyWorkerData } from './early-verify-chunk.ts';
import type { InflateWatcher } from './native-unzip.ts';
import { unzipBundleNativeWatched } from './native-unzip.ts';
import { nodeSha256 } from './node-sha256.ts';
import { PARALLEL_MERKLE_MIN_LINES } from './parallel-merkle.ts';
import { CHUNK_LINES, startParallelVerify } from './parallel-verify.ts';
import type { ParallelVerify } from './parallel-verify.ts';
import { readBundle } from './read-bundle.ts';
import type { BundleReadResult } from './read-bundle.ts';

const WAIT_MS = 30 * 60_000;
const SPOT_CHECKS = 64;

/** The verifier's ports for a bundle read by readBundleVerifyingEarly; lineBounds when the split was made early. */
export type EarlyParallelVerify = ParallelVerify & {
  readonly lineBounds?: (entries: Uint8Array) => { readonly starts: number[]; readonly ends: number[] };
};

type EarlyRun = {
  readonly watcher: InflateWatcher;
  /** Whether the split ended (every byte of entries.jsonl arrived). */
  readonly ended: () => boolean;
  readonly ports: EarlyParallelVerify;
};

/** Starts the workers for an entries.jsonl of `declaredSize` bytes that is about to inflate. */
const startEarly = (
  declaredSize: number,
  options: { readonly workers?: number; readonly chunkLines?: number },
): EarlyRun => {
  const chunkLines = options.chunkLines ?? CHUNK_LINES;
  if (!Number.isInteger(Math.log2(chunkLines))) throw new RangeError('chunkLines must be a power of two');
  const workerCount = Math.max(1, Math.min(8, options.workers ?? availableParallelism() - 1));
  // Every line but the last ends at a newline byte of its own: at most declaredSize + 1 lines.
  const maxChunks = Math.floor((declaredSize + 1) / chunkLines) + 1;
  const counters = new Int32Array(new SharedArrayBuffer(4 * COUNTERS));
  const chunkDone = new Int32Array(new SharedArrayBuffer(4 * maxChunks));
  const failures: string[] = [];
  const channels: MessagePort[] = [];
  let workers: Worker[] = [];
  let entries: Uint8Array | null = null;
  const boundsOf = new Map<number, ChunkBounds>();
  let chunks = 0;
  let count = 0;
  let ended = false;
  let starts = new Float64Array(new SharedArrayBuffer(8 * chunkLines));
  let ends = new Float64Array(new SharedArrayBuffer(8 * chunkLines));
  let filled = 0;

  const publish = (): void => {
    const part: ChunkBounds = { chunk: chunks, count: filled, starts, ends };
    boundsOf.set(chunks, part);
    for (const channel of channels) channel.postMessage(part);
    chunks++;
    Atomics.store(counters, CHUNK_READY, chunks);
    Atomics.notify(counters, CHUNK_READY);
    starts = new Float64Array(new SharedArrayBuffer(8 * chunkLines));
    ends = new Float64Array(new SharedArrayBuffer(8 * chunkLines));
    filled = 0;
  };
  // The verifier's own split, built while the bytes arrive (this thread waits for the inflater meanwhile).
  const allStarts: number[] = [];
  const allEnds: number[] = [];
  const splitter = createLineSplitter((start, end) => {
    allStarts.push(start);
    allEnds.push(end);
    starts[filled] = start;
    ends[filled] = end;
    filled++;
    count++;
    if (filled === chunkLines) publish();
  });

  const watcher: InflateWatcher = {
    start: (out) => {
      entries = out;
      workers = Array.from({ length: workerCount }, () => {
        const { port1, port2 } = new MessageChannel();
        channels.push(port1);
        const workerData: EarlyWorkerData = {
          entries: out.buffer as SharedArrayBuffer,
          counters: counters.buffer as SharedArrayBuffer,
          chunkDone: chunkDone.buffer as SharedArrayBuffer,
          chunkLines,
          port: port2,
        };
        const worker = new Worker(new URL('./early-verify-worker.ts', import.meta.url), {
          workerData,
          transferList: [port2],
        });
        // The workers end by themselves once the chunks are done; they never keep the process alive.
        worker.unref();
        worker.on('error', (error) => {
          failures.push(String(error));
          Atomics.add(counters, CHUNK_FAILED, 1);
          // Wake every thread wherever it waits.
          Atomics.notify(counters, CHUNK_READY);
          Atomics.notify(counters, CHUNK_FAILED);
          for (let chunk = 0; chunk < chunkDone.length; chunk++) Atomics.notify(chunkDone, chunk);
        });
        return worker;
      });
    },
    arrived: (out, written) => splitter.push(out, written),
    inflated: (out) => {
      splitter.finish(out.length);
      if (filled > 0) publish();
      ended = true;
      Atomics.store(counters, SPLIT_ENDED, 1);
      Atomics.notify(counters, CHUNK_READY);
    },
  };

  const close = async (): Promise<void> => {
    // Workers still waiting for chunks (a read that failed half way) are told there are none.
    Atomics.store(counters, SPLIT_ENDED, 1);
    Atomics.notify(counters, CHUNK_READY);
    for (const channel of channels) channel.close();
    await Promise.all(workers.map((worker) => worker.terminate()));
  };

  const checkFailures = (): void => {
    if (Atomics.load(counters, CHUNK_FAILED) > 0) throw new Error(`a verifier worker failed: ${failures.join('; ')}`);
  };
  const hasher = merkleHasher(nodeSha256);
  const factsOf = new Map<number, LineFacts>();
  const levelsOf = new Map<number, Uint8Array[]>();
  let byWorkers = 0;
  /** Takes the next chunk, if any is left, and does it here; false when none is left. */
  const doNextChunk = (bytes: Uint8Array): boolean => {
    const chunk = Atomics.add(counters, CHUNK_NEXT, 1);
    if (!nextReadyChunk(counters, chunk)) return false;
    const { facts, levels } = examineAndHashChunk(hasher, bytes, boundsOf.get(chunk)!, chunkLines);
    factsOf.set(chunk, facts);
    levelsOf.set(chunk, levels);
    Atomics.store(chunkDone, chunk, 1);
    return true;
  };
  const receive = (): void => {
    for (const channel of channels)
      for (let message = receiveMessageOnPort(channel); message; message = receiveMessageOnPort(channel)) {
        const part = message.message as { chunk: number; facts: LineFacts; levels: Uint8Array[] };
        factsOf.set(part.chunk, part.facts);
        levelsOf.set(part.chunk, part.levels);
        byWorkers++;
      }
  };
  const waitUntilDone = (chunk: number): void => {
    for (;;) {
      checkFailures();
      if (Atomics.load(chunkDone, chunk) !== 0) return;
      if (Atomics.wait(chunkDone, chunk, 0, WAIT_MS) === 'timed-out' && Atomics.load(chunkDone, chunk) === 0)
        throw new Error('the verifier workers did not finish in time');
    }
  };

  const split = { starts: allStarts, ends: allEnds };
  const lineBounds = (bytes: Uint8Array): { readonly starts: number[]; readonly ends: number[] } => {
    if (!ended || bytes !== entries) throw new Error('the early line split is of another file than the verifier read');
    return split;
  };
  const sameWork = (bytes: Uint8Array, lineStarts: readonly number[], lineEnds: readonly number[]): void => {
    if (bytes !== entries || !ended || lineStarts !== split.starts || lineEnds !== split.ends)
      throw new Error('the verifier workers examined another file or line split than the verifier read');
  };

  let linesAsked = false;
  const lines: LinesPort = function* (bytes, lineStarts, lineEnds, csv) {
    if (linesAsked) throw new Error('the verifier workers were asked for the lines twice');
    linesAsked = true;
    sameWork(bytes, lineStarts, lineEnds);
    if (csv) throw new Error('the early verifier does not match entries.csv (readBundleVerifyingEarly avoids it)');
    for (let chunk = 0; chunk < chunks; chunk++) {
      // Until the chunk to judge next is done, this thread does chunks too.
      while (Atomics.load(chunkDone, chunk) === 0 && doNextChunk(bytes));
      waitUntilDone(chunk);
      if (!factsOf.has(chunk)) receive();
      const part = factsOf.get(chunk);
      if (!part) throw new Error(`chunk ${chunk} was done without its facts`);
      factsOf.delete(chunk);
      const from = chunk * chunkLines;
      if (part.from !== from || part.to !== Math.min(count, from + chunkLines))
        throw new Error(`a verifier thread examined lines ${part.from}..${part.to} for chunk ${chunk}`);
      yield part;
    }
  };

  const merkle: MerklePort = (bytes, lineStarts, lineEnds) => {
    sameWork(bytes, lineStarts, lineEnds);
    while (doNextChunk(bytes));
    for (let chunk = 0; chunk < chunks; chunk++) waitUntilDone(chunk);
    receive();
    // The whole tree's levels from the chunks' subtrees, then the nodes that span chunks.
    const levels: Uint8Array[] = [];
    for (let level = 0, width = count; width > 0; level++, width = Math.floor(width / 2)) {
      const into = new Uint8Array(width * 32);
      for (let chunk = 0; chunk < chunks; chunk++) {
        const part = levelsOf.get(chunk);
        if (!part) throw new Error(`chunk ${chunk} was hashed without its levels`);
        const nodes = part[level];
        if (nodes) into.set(nodes, ((chunk * chunkLines) / 2 ** level) * 32);
      }
      levels.push(into);
    }
    completeNodesAcross(
      hasher,
      levels,
      count,
      Array.from({ length: Math.max(0, chunks - 1) }, (_, chunk) => (chunk + 1) * chunkLines),
    );
    // The leaves the workers computed must be the ones this thread computes: checked on a sample spread over the file.
    const leafHashes = levels[0] ?? new Uint8Array(0);
    for (let k = 0; k <= SPOT_CHECKS && count > 0; k++) {
      const i = Math.min(count - 1, Math.floor((k * count) / SPOT_CHECKS));
      const expected = hashLeaf(nodeSha256, bytes.subarray(lineStarts[i]!, lineEnds[i]!));
      const got = leafHashes.subarray(i * 32, i * 32 + 32);
      if (!expected.every((byte, at) => byte === got[at]))
        throw new Error(`the verifier workers' leaf ${i} is not the hash of line ${i + 1}`);
    }
    return { leafHashes, tree: merkleTreeFromLevels(nodeSha256, levels, count) };
  };

  return {
    watcher,
    ended: () => ended,
    ports: {
      merkle,
      lines,
      lineBounds,
      workers: workerCount,
      chunks: () => ({ total: chunks, byWorkers }),
      close,
    },
  };
};

/**
 * Reads a bundle (a zip, or a directory holding its files) and, unless `workers` is 0, starts the parallel verifier
 * on it: for a zip without entries.csv, while entries.jsonl inflates. Pass the ports as the verifier's options
 * (`merkle`, `lines` and, when present, `lineBounds`) and `close` them afterwards.
 */
export const readBundleVerifyingEarly = async (
  path: string,
  options: { readonly workers?: number; readonly chunkLines?: number } = {},
): Promise<{ readonly read: BundleReadResult; readonly parallel: EarlyParallelVerify | null }> => {
  const useWorkers = options.workers === undefined || options.workers > 0;
  const later = (read: BundleReadResult): { read: BundleReadResult; parallel: EarlyParallelVerify | null } => {
    const entries = read.ok ? read.value.files.get(ENTRIES_FILE) : undefined;
    return {
      read,
      parallel: entries && useWorkers ? startParallelVerify(entries, { ...options }) : null,
    };
  };
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    return {
      read: { ok: false, error: `${path}: ${error instanceof Error ? error.message : String(error)}` },
      parallel: null,
    };
  }
  if (stats.isDirectory()) return later(readBundle(path));
  let early: EarlyRun | null = null;
  const unzipped = await unzipBundleNativeWatched(new Uint8Array(readFileSync(path)), (name, declaredSize) => {
    if (!useWorkers || name !== ENTRIES_FILE || declaredSize < PARALLEL_MERKLE_MIN_LINES) return null;
    early = startEarly(declaredSize, options);
    return early.watcher;
  });
  const run = early as EarlyRun | null;
  const read: BundleReadResult = unzipped.ok ? unzipped : { ok: false, error: `${path}: ${unzipped.error}` };
  if (run && read.ok && run.ended() && !read.value.files.has(CSV_FILE)) return { read, parallel: run.ports };
  await run?.ports.close();
  return later(read);
};
