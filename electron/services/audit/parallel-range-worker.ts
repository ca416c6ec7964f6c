// One of the verifier's worker threads (parallel-verify.ts): once the work arrives, takes chunks of entries.jsonl's
// lines one after another until none is left, examines each (core examineLines) and hashes it (its leaves and the
// subtrees inside it) into the shared levels, and hands each chunk's facts over on its port before marking the chunk
// done. The first worker first finds where each chunk's rows start in entries.csv.
import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { hashRangeIntoLevels, merkleHasher } from '../../../core/audit/merkle-hasher.ts';
import { examineLines } from '../../../core/audit/verify-lines.ts';
import { nodeSha256 } from './node-sha256.ts';
import { FAILED, NEXT_CHUNK, publishCsvChunkStarts, waitForCsvStart } from './parallel-verify.ts';

export type ChunkWorkerData = {
  readonly entries: SharedArrayBuffer;
  /** entries.csv, to hold each line's row against; null when the bundle has none. */
  readonly csv: SharedArrayBuffer | null;
  readonly starts: SharedArrayBuffer;
  readonly ends: SharedArrayBuffer;
  readonly levels: readonly SharedArrayBuffer[];
  readonly counters: SharedArrayBuffer;
  readonly chunkDone: SharedArrayBuffer;
  readonly csvStarts: SharedArrayBuffer;
  readonly chunkLines: number;
  readonly slot: number;
};

const { port } = workerData as { port: MessagePort };
const hasher = merkleHasher(nodeSha256);
// The work arrives as the first message, once the calling thread has split the lines (this thread loads meanwhile).
const data = await new Promise<ChunkWorkerData>((resolve) =>
  port.once('message', (message: ChunkWorkerData) => resolve(message)),
);
const entries = new Uint8Array(data.entries);
const starts = new Float64Array(data.starts);
const ends = new Float64Array(data.ends);
const levels = data.levels.map((buffer) => new Uint8Array(buffer));
const counters = new Int32Array(data.counters);
const chunkDone = new Int32Array(data.chunkDone);
const csvStarts = new Float64Array(data.csvStarts);
const csv = data.csv ? new Uint8Array(data.csv) : null;
const count = starts.length;
const chunks = Math.ceil(count / data.chunkLines);

// The first worker finds where each chunk's rows start in entries.csv, publishing them as it goes.
if (csv && data.slot === 0) publishCsvChunkStarts(csv, data.chunkLines, csvStarts, counters);
const stopIfFailed = (): void => {
  if (Atomics.load(counters, FAILED) > 0) throw new Error('another verifier thread failed');
};

for (;;) {
  const chunk = Atomics.add(counters, NEXT_CHUNK, 1);
  if (chunk >= chunks) break;
  const from = chunk * data.chunkLines;
  const to = Math.min(count, from + data.chunkLines);
  if (csv) waitForCsvStart(counters, chunk, stopIfFailed);
  const facts = examineLines(entries, starts, ends, from, to, csv ? { bytes: csv, start: csvStarts[chunk]! } : null);
  hashRangeIntoLevels(hasher, entries, starts, ends, levels, from, to);
  const buffers = [
    facts.failed,
    facts.sequence,
    facts.timeKey,
    facts.typeIndex,
    facts.logIndex,
    facts.previousKind,
    facts.previous,
    facts.hasCommitment,
  ].map((array) => array.buffer as ArrayBuffer);
  port.postMessage({ ...facts, chunk }, [...new Set(buffers)]);
  Atomics.store(chunkDone, chunk, 1);
  Atomics.notify(chunkDone, chunk);
}
