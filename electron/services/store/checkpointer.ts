// A background checkpointer for long write runs (bulk intake): a worker thread with its own connection copies the
// committed WAL into the database file while the writer goes on, instead of the writer's COMMIT doing it (SQLite's
// automatic checkpoint runs inside the COMMIT that crosses wal_autocheckpoint pages). Decision 0049.
//
// Everything is synchronous for the writer: it starts the worker and waits (briefly) until its connection is open,
// asks for a checkpoint after each commit without waiting, and on stop waits until the worker has closed its
// connection. If the worker cannot start or open the file, or fails later, the writer's automatic checkpoint is
// simply switched back on: nothing depends on the worker but speed.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Database } from './database.ts';

export const CHECKPOINT_SLOTS = { state: 0, requests: 1, done: 2, stop: 3 } as const;
export const CHECKPOINTER_STATE = { starting: 0, ready: 1, closed: 2, failed: 3 } as const;

export type CheckpointerData = {
  readonly path: string;
  /**
   * A copy of the database key for the worker's connection; the worker zeroes it once the file is open. Null only for
   * the benchmark's unencrypted twin.
   */
  readonly key: Uint8Array | null;
  readonly control: SharedArrayBuffer;
};

/** How a workstation starts one (WorkstationDeps.checkpointer). */
export type CheckpointerFactory = (db: Database, path: string, key: Uint8Array) => BackgroundCheckpointer | null;

export type BackgroundCheckpointer = {
  /** Asks for a checkpoint of what is committed so far; returns at once. */
  readonly request: () => void;
  /** Waits until the worker has finished and closed its connection, and switches automatic checkpoints back on. */
  readonly stop: () => void;
  /** Waits until the worker has served every request made so far (or has failed); for tests. */
  readonly settle: () => void;
  /** The number of the last request the worker has served. */
  readonly completed: () => number;
};

const START_WAIT_MS = 5_000;
const STOP_WAIT_MS = 120_000;

/** Starts a checkpointer for `db` (at `path`, opened with `key`); null when no worker could be started. */
export const startBackgroundCheckpointer = (
  db: Database,
  path: string,
  key: Uint8Array | null,
): BackgroundCheckpointer | null => {
  // A missing worker file (the Electron build bundles the main process into one file and leaves workers out, as it
  // does the screening workers) would only fail on a later turn of the event loop: look first.
  const script = new URL('./checkpoint-worker.ts', import.meta.url);
  if (script.protocol !== 'file:' || !existsSync(fileURLToPath(script))) return null;
  const control = new SharedArrayBuffer(4 * 4);
  const flags = new Int32Array(control);
  let worker: Worker;
  try {
    worker = new Worker(script, {
      workerData: { path, key: key ? Uint8Array.from(key) : null, control } satisfies CheckpointerData,
    });
  } catch {
    return null;
  }
  worker.unref();
  // An error event only arrives on a later turn of the event loop, which a synchronous writer never gives it.
  worker.on('error', () => undefined);
  Atomics.wait(flags, CHECKPOINT_SLOTS.state, CHECKPOINTER_STATE.starting, START_WAIT_MS);
  if (Atomics.load(flags, CHECKPOINT_SLOTS.state) !== CHECKPOINTER_STATE.ready) {
    void worker.terminate();
    return null;
  }
  const automatic = Number(db.pragma('wal_autocheckpoint', { simple: true }));
  db.pragma('wal_autocheckpoint = 0');
  let stopped = false;
  const restore = (): void => {
    if (db.open) db.pragma(`wal_autocheckpoint = ${automatic}`);
  };
  const signal = (): void => {
    Atomics.add(flags, CHECKPOINT_SLOTS.requests, 1);
    Atomics.notify(flags, CHECKPOINT_SLOTS.requests);
  };
  return {
    request: () => {
      if (stopped) return;
      if (Atomics.load(flags, CHECKPOINT_SLOTS.state) !== CHECKPOINTER_STATE.ready) {
        // The worker failed: the writer checkpoints by itself again.
        stopped = true;
        restore();
        return;
      }
      signal();
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      Atomics.store(flags, CHECKPOINT_SLOTS.stop, 1);
      signal();
      Atomics.wait(flags, CHECKPOINT_SLOTS.state, CHECKPOINTER_STATE.ready, STOP_WAIT_MS);
      restore();
      if (Atomics.load(flags, CHECKPOINT_SLOTS.state) === CHECKPOINTER_STATE.ready) void worker.terminate();
    },
    settle: () => {
      const target = Atomics.load(flags, CHECKPOINT_SLOTS.requests);
      for (let done = Atomics.load(flags, CHECKPOINT_SLOTS.done); done < target;) {
        if (Atomics.load(flags, CHECKPOINT_SLOTS.state) !== CHECKPOINTER_STATE.ready) return;
        if (Atomics.wait(flags, CHECKPOINT_SLOTS.done, done, STOP_WAIT_MS) === 'timed-out') return;
        done = Atomics.load(flags, CHECKPOINT_SLOTS.done);
      }
    },
    completed: () => Atomics.load(flags, CHECKPOINT_SLOTS.done),
  };
};
