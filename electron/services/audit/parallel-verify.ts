// The verifier on several threads: worker threads hash the lines and build the tree (parallel-merkle.ts) and examine
// ranges of lines on their own (parallel-lines-worker.ts), while the calling thread examines its own range and then
// judges every line in order. The ports block (Atomics.wait) until the workers are done; the verdict is the one the
// single-thread verifier gives, because every thread runs the same core functions on the same line split.
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { lineBounds } from '../../../core/audit/bytes.ts';
import type { LinesPort, MerklePort } from '../../../core/audit/verify.ts';
import { examineLines } from '../../../core/audit/verify-lines.ts';
import type { LineFacts } from '../../../core/audit/verify-lines.ts';
import { PARALLEL_MERKLE_MIN_LINES, sharedBytes, startParallelMerkle } from './parallel-merkle.ts';
import type { LinesWorkerData } from './parallel-lines-worker.ts';

const WAIT_MS = 30 * 60_000;

export type ParallelVerify = {
  readonly merkle: MerklePort;
  readonly lines: LinesPort;
  /** Worker threads hashing, and examining lines (the calling thread examines a range too). */
  readonly workers: { readonly merkle: number; readonly lines: number };
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

/**
 * Starts the workers over `entries` (the bytes of entries.jsonl); null when the file is too small to be worth it.
 * Pass `merkle` and `lines` as the verifier's options and `close` the workers afterwards.
 */
export const startParallelVerify = (
  entries: Uint8Array,
  /** entries.csv, which the workers hold each line's row against (null when the bundle has none). */
  csv: Uint8Array | null,
  options: {
    readonly lineWorkers?: number;
    readonly merkleWorkers?: 1 | 2;
    /** The part of the lines this thread examines itself (0 to 1); by default from the core count. */
    readonly ownShare?: number;
  } = {},
): ParallelVerify | null => {
  const { starts, ends } = lineBounds(entries);
  const count = starts.length;
  if (count < PARALLEL_MERKLE_MIN_LINES) return null;
  const cores = availableParallelism();
  // Two cores: one hashing worker, one line worker and this thread. More: two hashing, the rest examine lines.
  const merkleWorkers = options.merkleWorkers ?? (cores > 2 ? 2 : 1);
  const lineWorkers = Math.max(1, Math.min(8, options.lineWorkers ?? cores - merkleWorkers));
  const entriesBuffer = sharedBytes(entries);
  const shared = new Uint8Array(entriesBuffer);
  const merkle = startParallelMerkle(shared, { workers: merkleWorkers, lines: { starts, ends } })!;
  // This thread and each line worker take an equal range, except where the threads outnumber the cores: then a worker
  // shares its core with the hashing, and this thread (alone on its core) takes the larger part, 60% on two cores.
  const parts = lineWorkers + 1;
  const ownShare = options.ownShare ?? (cores >= parts + merkleWorkers ? 1 / parts : Math.min(0.6, 2 / (parts + 1)));
  const own = Math.round(ownShare * count);
  const bounds = [0, ...Array.from({ length: parts }, (_, k) => own + Math.round(((count - own) * k) / lineWorkers))];
  const done = new SharedArrayBuffer(4 * lineWorkers);
  const flags = new Int32Array(done);
  const csvBuffer = csv ? sharedBytes(csv) : null;
  const sharedCsv = csvBuffer ? new Uint8Array(csvBuffer) : null;
  const common = {
    entries: entriesBuffer,
    csv: csvBuffer,
    starts: sharedDoubles(starts),
    ends: sharedDoubles(ends),
    done,
  };
  const failures: string[] = [];
  const channels: MessagePort[] = [];
  const workers = Array.from({ length: lineWorkers }, (_, slot) => {
    const { port1, port2 } = new MessageChannel();
    channels.push(port1);
    const worker = new Worker(new URL('./parallel-lines-worker.ts', import.meta.url), {
      workerData: {
        ...common,
        slot,
        from: bounds[slot + 1]!,
        to: bounds[slot + 2]!,
        port: port2,
      } satisfies LinesWorkerData,
      transferList: [port2],
    });
    worker.unref();
    worker.on('error', (error) => {
      failures.push(String(error));
      Atomics.store(flags, slot, -1);
      Atomics.notify(flags, slot);
    });
    return worker;
  });

  const lines: LinesPort = (bytes, lineStarts, lineEnds, csvNow) => {
    // The workers must examine exactly the lines the verifier reads.
    if (bytes.length !== entries.length || lineStarts.length !== count)
      throw new Error('the line workers examine another file than the verifier read');
    for (let i = 0; i < count; i++)
      if (lineStarts[i] !== starts[i] || lineEnds[i] !== ends[i])
        throw new Error(`the line workers split line ${i + 1} differently`);
    // The CSV the workers match must be the one the verifier reads (the verifier passes none once its header differs).
    if (csvNow && (!sharedCsv || !sameBytes(csvNow, sharedCsv)))
      throw new Error('the line workers hold another entries.csv than the verifier read');
    const facts: LineFacts[] = [
      examineLines(shared, starts, ends, 0, bounds[1]!, csvNow && sharedCsv ? { bytes: sharedCsv, start: null } : null),
    ];
    for (let slot = 0; slot < lineWorkers; slot++) {
      if (Atomics.wait(flags, slot, 0, WAIT_MS) === 'timed-out' && Atomics.load(flags, slot) === 0)
        throw new Error('the line workers did not finish in time');
      if (Atomics.load(flags, slot) !== 1) throw new Error(`a line worker failed: ${failures.join('; ')}`);
      const received = receiveMessageOnPort(channels[slot]!);
      if (!received) throw new Error('a line worker finished without its facts');
      const part = received.message as LineFacts;
      if (part.from !== bounds[slot + 1] || part.to !== bounds[slot + 2])
        throw new Error(`a line worker examined lines ${part.from}..${part.to}`);
      facts.push(part);
    }
    return facts;
  };
  const close = async (): Promise<void> => {
    for (const channel of channels) channel.close();
    await Promise.all([...workers.map((worker) => worker.terminate()), merkle.close()]);
  };
  return { merkle: merkle.port, lines, workers: { merkle: merkle.workers, lines: lineWorkers }, close };
};
