// The verifier on several threads. The lines of entries.jsonl are cut into chunks of 2^15 lines; whichever thread is
// free takes the next chunk and examines it (core examineLines: decode, canonical JSON, entry shape, CSV row) and
// hashes it (its RFC 6962 leaves and the subtrees inside it, with the batched SIMD hasher). Worker threads
// (parallel-range-worker.ts) do nothing else; the calling thread also judges every line in order as the chunks' facts
// come in, so a thread slowed by other work on the machine simply takes fewer chunks. The few nodes above the chunks
// are hashed at the end. The workers start loading at once and get the work when the verifier asks for its first
// facts, with the verifier's own bytes and line split; the verdict is the one the single-thread verifier gives.
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { hashLeaf, merkleTreeFromLevels } from '../../../core/audit/merkle.ts';
import { completeNodesAcross, hashRangeIntoLevels, merkleHasher } from '../../../core/audit/merkle-hasher.ts';
import type { LinesPort, MerklePort } from '../../../core/audit/verify.ts';
import { csvRowStart, examineLines } from '../../../core/audit/verify-lines.ts';
import type { LineFacts } from '../../../core/audit/verify-lines.ts';
import { nodeSha256 } from './node-sha256.ts';
import { PARALLEL_MERKLE_MIN_LINES, sharedBytes } from './parallel-merkle.ts';
import type { ChunkWorkerData } from './parallel-range-worker.ts';

const WAIT_MS = 30 * 60_000;
const SPOT_CHECKS = 64;
/** Lines per chunk: a power of two, so each chunk's subtrees are the tree's own. */
export const CHUNK_LINES = 1 << 15;
/** Shared counters: the next chunk to take, how many chunks' CSV starts are known, how many workers failed. */
export const NEXT_CHUNK = 0;
export const CSV_KNOWN = 1;
export const FAILED = 2;

export type ParallelVerify = {
  readonly merkle: MerklePort;
  readonly lines: LinesPort;
  /** Worker threads beside the calling one. */
  readonly workers: number;
  /** How the chunks were shared out so far: all of them, and those the workers did. */
  readonly chunks: () => { readonly total: number; readonly byWorkers: number };
  readonly close: () => Promise<void>;
};

const sharedDoubles = (values: readonly number[]): SharedArrayBuffer => {
  const buffer = new SharedArrayBuffer(values.length * 8);
  new Float64Array(buffer).set(values);
  return buffer;
};

/**
 * Where each chunk's first row starts in entries.csv (row c * chunkLines + 1; the header is row 0), published chunk by
 * chunk (counters[CSV_KNOWN] says how many are known) so that chunks can start before the scan ends.
 */
export const publishCsvChunkStarts = (
  csv: Uint8Array,
  chunkLines: number,
  into: Float64Array,
  counters: Int32Array,
): void => {
  let at = csvRowStart(csv, 1);
  for (let chunk = 0; chunk < into.length; chunk++) {
    into[chunk] = at;
    Atomics.store(counters, CSV_KNOWN, chunk + 1);
    Atomics.notify(counters, CSV_KNOWN);
    for (let row = 0; row < chunkLines && at < csv.length; row++) {
      const next = csv.indexOf(0x0a, at);
      at = next < 0 ? csv.length : next + 1;
    }
  }
};

/** Blocks until chunk's CSV start is known. */
export const waitForCsvStart = (counters: Int32Array, chunk: number, failed: () => void): void => {
  for (let known = Atomics.load(counters, CSV_KNOWN); known <= chunk; known = Atomics.load(counters, CSV_KNOWN)) {
    failed();
    Atomics.wait(counters, CSV_KNOWN, known, 100);
  }
};

type Run = {
  readonly entries: Uint8Array;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly csv: Uint8Array | null;
  readonly count: number;
  readonly chunks: number;
  readonly levels: readonly Uint8Array[];
  readonly counters: Int32Array;
  readonly chunkDone: Int32Array;
  readonly csvStarts: Float64Array;
};

/**
 * Starts the workers for a bundle whose entries.jsonl is `entries`; null when it is too small to be worth it. Pass
 * `merkle` and `lines` as the verifier's options and `close` the workers afterwards.
 */
export const startParallelVerify = (
  entries: Uint8Array,
  options: {
    /** Worker threads beside this one; by default one fewer than the cores (at most 8). */
    readonly workers?: number;
    /** Lines per chunk (a power of two); CHUNK_LINES unless a test wants more chunks. */
    readonly chunkLines?: number;
    /** false: this thread only judges and the workers do every chunk (tests hold the workers' work to one thread's). */
    readonly callerTakesChunks?: boolean;
  } = {},
): ParallelVerify | null => {
  const chunkLines = options.chunkLines ?? CHUNK_LINES;
  if (!Number.isInteger(Math.log2(chunkLines))) throw new RangeError('chunkLines must be a power of two');
  // Fewer bytes than this surely hold fewer lines: not worth starting a thread.
  if (entries.length < PARALLEL_MERKLE_MIN_LINES) return null;
  const workerCount = Math.max(1, Math.min(8, options.workers ?? availableParallelism() - 1));
  const callerTakesChunks = options.callerTakesChunks ?? true;
  const channels: MessagePort[] = [];
  const failures: string[] = [];
  let run: Run | null = null;
  const workers = Array.from({ length: workerCount }, () => {
    const { port1, port2 } = new MessageChannel();
    channels.push(port1);
    const worker = new Worker(new URL('./parallel-range-worker.ts', import.meta.url), {
      workerData: { port: port2 },
      transferList: [port2],
    });
    // The workers end by themselves once the chunks are done; they never keep the process alive.
    worker.unref();
    worker.on('error', (error) => {
      failures.push(String(error));
      if (!run) return;
      Atomics.add(run.counters, FAILED, 1);
      // Wake this thread wherever it waits.
      Atomics.notify(run.counters, CSV_KNOWN);
      for (let chunk = 0; chunk < run.chunks; chunk++) Atomics.notify(run.chunkDone, chunk);
    });
    return worker;
  });
  const close = async (): Promise<void> => {
    for (const channel of channels) channel.close();
    await Promise.all(workers.map((worker) => worker.terminate()));
  };

  /** The work, shared out once the verifier hands over its bytes and line split. */
  const setUp = (
    entriesNow: Uint8Array,
    starts: readonly number[],
    ends: readonly number[],
    csvNow: Uint8Array | null,
  ): Run => {
    const count = starts.length;
    const chunks = Math.ceil(count / chunkLines);
    // The verifier's bytes themselves when they are already shared memory (the CLI's inflater writes them there).
    const entriesBuffer = sharedBytes(entriesNow);
    const csvBuffer = csvNow ? sharedBytes(csvNow) : null;
    const levelBuffers: SharedArrayBuffer[] = [];
    for (let width = count; width > 0; width = Math.floor(width / 2))
      levelBuffers.push(new SharedArrayBuffer(width * 32));
    const counters = new Int32Array(new SharedArrayBuffer(12));
    const chunkDone = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, chunks)));
    const csvStarts = new Float64Array(new SharedArrayBuffer(8 * Math.max(1, chunks)));
    const data: Omit<ChunkWorkerData, 'slot'> = {
      entries: entriesBuffer,
      csv: csvBuffer,
      starts: sharedDoubles(starts),
      ends: sharedDoubles(ends),
      levels: levelBuffers,
      counters: counters.buffer as SharedArrayBuffer,
      chunkDone: chunkDone.buffer as SharedArrayBuffer,
      csvStarts: csvStarts.buffer as SharedArrayBuffer,
      chunkLines,
    };
    run = {
      entries: new Uint8Array(entriesBuffer),
      starts,
      ends,
      csv: csvBuffer ? new Uint8Array(csvBuffer) : null,
      count,
      chunks,
      levels: levelBuffers.map((buffer) => new Uint8Array(buffer)),
      counters,
      chunkDone,
      csvStarts,
    };
    if (failures.length > 0) Atomics.add(counters, FAILED, failures.length);
    channels.forEach((channel, slot) => channel.postMessage({ ...data, slot } satisfies ChunkWorkerData));
    return run;
  };

  const checkFailures = (counters: Int32Array): void => {
    if (Atomics.load(counters, FAILED) > 0) throw new Error(`a verifier worker failed: ${failures.join('; ')}`);
  };
  const waitUntilDone = (work: Run, chunk: number): void => {
    for (;;) {
      checkFailures(work.counters);
      if (Atomics.load(work.chunkDone, chunk) !== 0) return;
      if (Atomics.wait(work.chunkDone, chunk, 0, WAIT_MS) === 'timed-out' && Atomics.load(work.chunkDone, chunk) === 0)
        throw new Error('the verifier workers did not finish in time');
    }
  };

  const hasher = merkleHasher(nodeSha256);
  /** Facts of chunks this thread did, and of chunks received from the workers, until they are judged. */
  const factsOf = new Map<number, LineFacts>();
  let byWorkers = 0;
  const chunkFrom = (chunk: number): number => chunk * chunkLines;
  const chunkTo = (work: Run, chunk: number): number => Math.min(work.count, (chunk + 1) * chunkLines);
  /** Takes the next chunk, if any is left, and does it here; false when none is left. */
  const doNextChunk = (work: Run): boolean => {
    const chunk = Atomics.add(work.counters, NEXT_CHUNK, 1);
    if (chunk >= work.chunks) return false;
    const from = chunkFrom(chunk);
    const to = chunkTo(work, chunk);
    if (work.csv) waitForCsvStart(work.counters, chunk, () => checkFailures(work.counters));
    const match = work.csv ? { bytes: work.csv, start: work.csvStarts[chunk]! } : null;
    factsOf.set(chunk, examineLines(work.entries, work.starts, work.ends, from, to, match));
    hashRangeIntoLevels(hasher, work.entries, work.starts, work.ends, work.levels, from, to);
    Atomics.store(work.chunkDone, chunk, 1);
    return true;
  };
  const receive = (): void => {
    for (const channel of channels)
      for (let message = receiveMessageOnPort(channel); message; message = receiveMessageOnPort(channel)) {
        const part = message.message as LineFacts & { chunk: number };
        factsOf.set(part.chunk, part);
        byWorkers++;
      }
  };

  const lines: LinesPort = function* (entriesNow, lineStarts, lineEnds, csvNow) {
    if (run) throw new Error('the verifier workers were asked for the lines twice');
    const work = setUp(entriesNow, lineStarts, lineEnds, csvNow);
    for (let chunk = 0; chunk < work.chunks; chunk++) {
      // Until the chunk to judge next is done, this thread does chunks too.
      while (callerTakesChunks && Atomics.load(work.chunkDone, chunk) === 0 && doNextChunk(work));
      waitUntilDone(work, chunk);
      if (!factsOf.has(chunk)) receive();
      const part = factsOf.get(chunk);
      if (!part) throw new Error(`chunk ${chunk} was done without its facts`);
      factsOf.delete(chunk);
      if (part.from !== chunkFrom(chunk) || part.to !== chunkTo(work, chunk))
        throw new Error(`a verifier thread examined lines ${part.from}..${part.to} for chunk ${chunk}`);
      yield part;
    }
  };

  const merkle: MerklePort = (bytes, lineStarts, lineEnds) => {
    const work = run ?? setUp(bytes, lineStarts, lineEnds, null);
    // The workers hashed exactly the bytes and lines the verifier reads: the very arrays it handed over.
    if (bytes.length !== work.entries.length || lineStarts !== work.starts || lineEnds !== work.ends)
      throw new Error('the verifier workers hashed another file than the verifier read');
    while (doNextChunk(work));
    for (let chunk = 0; chunk < work.chunks; chunk++) waitUntilDone(work, chunk);
    completeNodesAcross(
      hasher,
      work.levels,
      work.count,
      Array.from({ length: Math.max(0, work.chunks - 1) }, (_, chunk) => chunkTo(work, chunk)),
    );
    // The leaves the workers computed must be the ones this thread computes: checked on a sample spread over the file.
    const leafHashes = work.levels[0] ?? new Uint8Array(0);
    for (let k = 0; k <= SPOT_CHECKS && work.count > 0; k++) {
      const i = Math.min(work.count - 1, Math.floor((k * work.count) / SPOT_CHECKS));
      const expected = hashLeaf(nodeSha256, bytes.subarray(lineStarts[i]!, lineEnds[i]!));
      const got = leafHashes.subarray(i * 32, i * 32 + 32);
      if (!expected.every((byte, at) => byte === got[at]))
        throw new Error(`the verifier workers' leaf ${i} is not the hash of line ${i + 1}`);
    }
    return { leafHashes, tree: merkleTreeFromLevels(nodeSha256, work.levels, work.count) };
  };

  return {
    merkle,
    lines,
    workers: workerCount,
    chunks: () => ({ total: run?.chunks ?? 0, byWorkers }),
    close,
  };
};
