// The background checkpointer's thread: its own connection to the database, which copies committed WAL frames into the
// database file (PRAGMA wal_checkpoint(PASSIVE)) each time the writer asks, so the writer's COMMIT does not.
// Control is by Atomics over a shared Int32Array (see checkpointer.ts), so the writer never waits for an event loop.
import { workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { openDatabase } from './database.ts';
import type { Database } from './database.ts';
import { CHECKPOINT_SLOTS, CHECKPOINTER_STATE } from './checkpointer.ts';
import type { CheckpointerData } from './checkpointer.ts';

const { path, key, control } = workerData as CheckpointerData;
const flags = new Int32Array(control);

const setState = (state: number): void => {
  Atomics.store(flags, CHECKPOINT_SLOTS.state, state);
  Atomics.notify(flags, CHECKPOINT_SLOTS.state);
};

let db: Database | null = null;
try {
  // No integrity check and no migration: the writer opened, checked and migrated this file a moment ago.
  if (key) db = openDatabase(path, key, { check: 'none', migrate: false });
  else {
    // The benchmark's unencrypted twin (bench/store/intake.ts) only.
    db = new BetterSqlite3(path, { fileMustExist: true });
    db.pragma('synchronous = FULL');
  }
} catch {
  setState(CHECKPOINTER_STATE.failed);
} finally {
  key?.fill(0);
}
if (db) {
  setState(CHECKPOINTER_STATE.ready);
  let seen = 0;
  try {
    for (;;) {
      Atomics.wait(flags, CHECKPOINT_SLOTS.requests, seen);
      seen = Atomics.load(flags, CHECKPOINT_SLOTS.requests);
      if (Atomics.load(flags, CHECKPOINT_SLOTS.stop) === 1) break;
      db.pragma('wal_checkpoint(PASSIVE)');
      Atomics.store(flags, CHECKPOINT_SLOTS.done, seen);
      Atomics.notify(flags, CHECKPOINT_SLOTS.done);
    }
    db.close();
    setState(CHECKPOINTER_STATE.closed);
  } catch {
    if (db.open) db.close();
    setState(CHECKPOINTER_STATE.failed);
  }
}
