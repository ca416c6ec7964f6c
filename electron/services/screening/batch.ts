// Batch screening on worker threads, each with its own index; results come back in input order.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ListSnapshot } from '../../../core/screening/model.ts';
import type { Party, PartyResult, Thresholds } from '../../../core/screening/screen.ts';

export type WorkerSource =
  { readonly dir: string; readonly listIds?: readonly string[] } | { readonly snapshots: readonly ListSnapshot[] };

export type WorkerSetup = { readonly source: WorkerSource; readonly thresholds: Thresholds; readonly maxHits: number };
export type WorkerRequest = { readonly batch: number; readonly parties: readonly Party[] };
type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'results'; readonly batch: number; readonly results: PartyResult[] };

export type BatchScreener = {
  readonly workers: number;
  /** Milliseconds until every worker had built its index. */
  readonly readyMs: number;
  readonly screen: (parties: readonly Party[]) => Promise<PartyResult[]>;
  readonly close: () => Promise<void>;
};

const BATCH_SIZE = 256;

/** Starts `workers` threads (default: the machine's parallelism) that each hold an index of the lists. */
export const startBatchScreener = async (
  source: WorkerSource,
  thresholds: Thresholds,
  options: { readonly workers?: number; readonly maxHits?: number } = {},
): Promise<BatchScreener> => {
  const count = Math.max(1, options.workers ?? availableParallelism());
  const setup: WorkerSetup = { source, thresholds, maxHits: options.maxHits ?? 10 };
  const started = performance.now();
  const workers = Array.from(
    { length: count },
    () => new Worker(new URL('./worker.ts', import.meta.url), { workerData: setup }),
  );
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const onMessage = (reply: WorkerReply): void => {
              worker.off('message', onMessage);
              if (reply.type === 'ready') resolve();
              else reject(new Error(reply.type === 'failed' ? reply.message : 'worker answered before it was ready'));
            };
            worker.on('message', onMessage);
            worker.once('error', reject);
          }),
      ),
    );
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw error;
  }
  const readyMs = performance.now() - started;

  const screen = async (parties: readonly Party[]): Promise<PartyResult[]> => {
    const batches: Party[][] = [];
    for (let i = 0; i < parties.length; i += BATCH_SIZE) batches.push(parties.slice(i, i + BATCH_SIZE));
    const results: PartyResult[][] = new Array<PartyResult[]>(batches.length);
    let next = 0;
    // Each worker pulls the next batch when it finishes one, so a slow batch does not hold the others up.
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = (): void => {
              if (next >= batches.length) {
                worker.off('message', onMessage);
                worker.off('error', reject);
                resolve();
                return;
              }
              const batch = next;
              next += 1;
              worker.postMessage({ batch, parties: batches[batch]! } satisfies WorkerRequest);
            };
            const onMessage = (reply: WorkerReply): void => {
              if (reply.type !== 'results') return reject(new Error('unexpected reply from a screening worker'));
              results[reply.batch] = reply.results;
              send();
            };
            worker.on('message', onMessage);
            worker.once('error', reject);
            send();
          }),
      ),
    );
    return results.flat();
  };

  return {
    workers: count,
    readyMs,
    screen,
    close: async () => {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
};
