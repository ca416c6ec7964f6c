// The verifier on several threads. The lines of entries.jsonl are cut into chunks of 2^15 lines; whichever thread is
// free takes the next chunk and examines it (core examineLines: decode, canonical JSON, entry shape, CSV row) and
// hashes it (its RFC 6962 leaves and the subtrees inside it, with the batched SIMD hasher). Worker threads
// (parallel-range-worker.ts) do nothing else; the calling thread also judges every line in order as the chunks' facts
// come in, so a thread slowed by other work on the machine simply takes fewer chunks. The few nodes above the chunks
// are hashed at the end. The verdict is the one the single-thread verifier gives: every thread runs the same core
// functions on the same line split.
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { lineBounds } from '../../../core/audit/bytes.ts';
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
/** The shared counters: [0] the next chunk to take, [1] 1 once the CSV's chunk starts are known, [2] failed workers. */
export const NEXT_CHUNK = 0;
export const CSV_READY = 1;
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

// Same length and the same bytes at 257 places spread over both (the copy was made from the same array).
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  for (let k = 0; k <= 256 && a.length > 0; k++) {
    const at = Math.min(a.length - 1, Math.floor((k * a.length) / 256));
    if (a[at] !== b[at]) return false;
  }
  return true;
};

const sharedDoubles = (values: readonly number[]): SharedArrayBuffer => {
  const buffer = new SharedArrayBuffer(values.length * 8);
  new Float64Array(buffer).set(values);
  return buffer;
};

/** Where each chunk's first row starts in entries.csv (row c * chunkLines + 1; the header is row 0). */
export const csvChunkStarts = (csv: Uint8Array, chunks: number, chunkLines: number, into: Float64Array): void => {
  let at = csvRowStart(csv, 1);
  for (let chunk = 0; chunk < chunks; chunk++) {
    into[chunk] = at;
    for (let row = 0; row < chunkLines && at < csv.length; row++) {
      const next = csv.indexOf(0x0a, at);
      at = next < 0 ? csv.length : next + 1;
    }
  }
};

/**
 * Starts the workers over `entries` (the bytes of entries.jsonl); null when the file is too small to be worth it.
 * Pass `merkle` and `lines` as the verifier's options and `close` the workers afterwards.
 */
export const startParallelVerify = (
  entries: Uint8Array,
  /** entries.csv, which each line's row is held against (null when the bundle has none). */
  csv: Uint8Array | null,
  options: {
    /** Worker threads beside this one; by default one fewer than the cores (at most 8). */
    readonly workers?: number;
    /** Lines per chunk (a power of two); CHUNK_LINES unless a test wants more chunks. */
    readonly chunkLines?: number;
  } = {},
): ParallelVerify | null => {
  const chunkLines = options.chunkLines ?? CHUNK_LINES;
  if (!Number.isInteger(Math.log2(chunkLines))) throw new RangeError('chunkLines must be a power of two');
  // Fewer bytes than this surely hold fewer lines: not worth starting a thread.
  if (entries.length < PARALLEL_MERKLE_MIN_LINES) return null;
  const workerCount = Math.max(1, Math.min(8, options.workers ?? availableParallelism() - 1));
  // The workers start loading while this thread splits the lines.
  const channels: MessagePort[] = [];
  const workers = Array.from({ length: workerCount }, () => {
    const { port1, port2 } = new MessageChannel();
    channels.push(port1);
    const worker = new Worker(new URL('./parallel-range-worker.ts', import.meta.url), {
      workerData: { port: port2 },
      transferList: [port2],
    });
    // The workers end by themselves once the chunks are done; they never keep the process alive.
    worker.unref();
    return worker;
  });
  const close = async (): Promise<void> => {
    for (const channel of channels) channel.close();
    await Promise.all(workers.map((worker) => worker.terminate()));
  };
  const { starts, ends } = lineBounds(entries);
  const count = starts.length;
  if (count < PARALLEL_MERKLE_MIN_LINES) {
    void close();
    return null;
  }
  const chunks = Math.ceil(count / chunkLines);
  const chunkFrom = (chunk: number): number => chunk * chunkLines;
  const chunkTo = (chunk: number): number => Math.min(count, (chunk + 1) * chunkLines);
  const entriesBuffer = sharedBytes(entries);
  const shared = new Uint8Array(entriesBuffer);
  const csvBuffer = csv ? sharedBytes(csv) : null;
  const sharedCsv = csvBuffer ? new Uint8Array(csvBuffer) : null;
  const levelBuffers: SharedArrayBuffer[] = [];
  for (let width = count; width > 0; width = Math.floor(width / 2))
    levelBuffers.push(new SharedArrayBuffer(width * 32));
  const levels = levelBuffers.map((buffer) => new Uint8Array(buffer));
  const counters = new Int32Array(new SharedArrayBuffer(12));
  /** Per chunk: 0 to do or in hand, 1 examined and hashed (its facts on the port of the thread that did it). */
  const chunkDone = new Int32Array(new SharedArrayBuffer(4 * chunks));
  const csvStarts = new Float64Array(new SharedArrayBuffer(8 * chunks));
  const data: Omit<ChunkWorkerData, 'slot' | 'port'> = {
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
  const failures: string[] = [];
  workers.forEach((worker, slot) => {
    channels[slot]!.postMessage({ ...data, slot });
    worker.on('error', (error) => {
      failures.push(String(error));
      Atomics.add(counters, FAILED, 1);
      // Wake this thread wherever it waits.
      Atomics.notify(counters, CSV_READY);
      for (let chunk = 0; chunk < chunks; chunk++) Atomics.notify(chunkDone, chunk);
    });
  });

  const checkFailures = (): void => {
    if (Atomics.load(counters, FAILED) > 0) throw new Error(`a verifier worker failed: ${failures.join('; ')}`);
  };
  const waitUntil = (array: Int32Array, index: number): void => {
    for (;;) {
      checkFailures();
      if (Atomics.load(array, index) !== 0) return;
      if (Atomics.wait(array, index, 0, WAIT_MS) === 'timed-out' && Atomics.load(array, index) === 0)
        throw new Error('the verifier workers did not finish in time');
    }
  };

  const hasher = merkleHasher(nodeSha256);
  /** Facts of chunks this thread did, and of chunks received from the workers, until they are judged. */
  const factsOf = new Map<number, LineFacts>();
  let byWorkers = 0;
  /** Takes the next chunk, if any is left, and does it here; false when none is left. */
  const doNextChunk = (match: boolean): boolean => {
    const chunk = Atomics.add(counters, NEXT_CHUNK, 1);
    if (chunk >= chunks) return false;
    const from = chunkFrom(chunk);
    const to = chunkTo(chunk);
    const csvMatch = match && sharedCsv ? { bytes: sharedCsv, start: csvStarts[chunk]! } : null;
    factsOf.set(chunk, examineLines(shared, starts, ends, from, to, csvMatch));
    hashRangeIntoLevels(hasher, shared, starts, ends, levels, from, to);
    Atomics.store(chunkDone, chunk, 1);
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
    // The workers must examine exactly the lines the verifier reads, in the same split.
    if (entriesNow.length !== entries.length || !sameBytes(entriesNow, shared) || lineStarts.length !== count)
      throw new Error('the verifier workers hold another entries.jsonl than the verifier read');
    for (let i = 0; i < count; i++)
      if (lineStarts[i] !== starts[i] || lineEnds[i] !== ends[i])
        throw new Error(`the verifier workers split line ${i + 1} differently`);
    // The CSV the workers match must be the one the verifier reads (the verifier passes none once its header differs,
    // and then ignores the rows' findings).
    if (csvNow && (!sharedCsv || !sameBytes(csvNow, sharedCsv)))
      throw new Error('the verifier workers hold another entries.csv than the verifier read');
    const match = csvNow !== null;
    if (sharedCsv) waitUntil(counters, CSV_READY);
    for (let chunk = 0; chunk < chunks; chunk++) {
      // Until the chunk to judge next is done, this thread does chunks too.
      while (Atomics.load(chunkDone, chunk) === 0 && doNextChunk(match));
      waitUntil(chunkDone, chunk);
      if (!factsOf.has(chunk)) receive();
      const part = factsOf.get(chunk);
      if (!part) throw new Error(`chunk ${chunk} was done without its facts`);
      factsOf.delete(chunk);
      if (part.from !== chunkFrom(chunk) || part.to !== chunkTo(chunk))
        throw new Error(`a verifier thread examined lines ${part.from}..${part.to} for chunk ${chunk}`);
      yield part;
    }
  };

  const merkle: MerklePort = (bytes, lineStarts, lineEnds) => {
    if (bytes.length !== entries.length || lineStarts.length !== count)
      throw new Error('the verifier workers hashed another file than the verifier read');
    // Every chunk is hashed once the lines port has given every chunk's facts; if it was not run, do the rest here.
    while (doNextChunk(false));
    for (let chunk = 0; chunk < chunks; chunk++) waitUntil(chunkDone, chunk);
    completeNodesAcross(
      hasher,
      levels,
      count,
      Array.from({ length: chunks - 1 }, (_, chunk) => chunkTo(chunk)),
    );
    // The leaves the workers computed must be the ones this thread computes: checked on a sample spread over the file.
    const leafHashes = levels[0]!;
    for (let k = 0; k <= SPOT_CHECKS; k++) {
      const i = Math.min(count - 1, Math.floor((k * count) / SPOT_CHECKS));
      const expected = hashLeaf(nodeSha256, bytes.subarray(lineStarts[i]!, lineEnds[i]!));
      const got = leafHashes.subarray(i * 32, i * 32 + 32);
      if (!expected.every((byte, at) => byte === got[at]))
        throw new Error(`the verifier workers' leaf ${i} is not the hash of line ${i + 1}`);
    }
    return { leafHashes, tree: merkleTreeFromLevels(nodeSha256, levels, count) };
  };

  return { merkle, lines, workers: workerCount, chunks: () => ({ total: chunks, byWorkers }), close };
};
