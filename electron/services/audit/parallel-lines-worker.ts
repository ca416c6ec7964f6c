// One of the verifier's line workers (parallel-verify.ts): examines lines [from, to) of entries.jsonl on their own
// (core examineLines), hands the facts over on its port, then raises its done flag.
import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { examineLines } from '../../../core/audit/verify-lines.ts';

export type LinesWorkerData = {
  readonly entries: SharedArrayBuffer;
  /** entries.csv, to hold each line's row against; null when the bundle has none. */
  readonly csv: SharedArrayBuffer | null;
  readonly starts: SharedArrayBuffer;
  readonly ends: SharedArrayBuffer;
  readonly done: SharedArrayBuffer;
  readonly slot: number;
  readonly from: number;
  readonly to: number;
  readonly port: MessagePort;
};

const data = workerData as LinesWorkerData;
const facts = examineLines(
  new Uint8Array(data.entries),
  new Float64Array(data.starts),
  new Float64Array(data.ends),
  data.from,
  data.to,
  data.csv ? { bytes: new Uint8Array(data.csv), start: null } : null,
);
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
data.port.postMessage(facts, [...new Set(buffers)]);
const flags = new Int32Array(data.done);
Atomics.store(flags, data.slot, 1);
Atomics.notify(flags, data.slot);
