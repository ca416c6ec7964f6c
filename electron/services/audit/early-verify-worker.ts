// One of the early verifier's worker threads (early-verify.ts): started as entries.jsonl begins to inflate, it takes
// chunks of lines one after another as the calling thread publishes their line split, examines each (core
// examineLines) and hashes it (its leaves and the subtree over them), and hands the facts and the subtree's levels over
// on its port before marking the chunk done. It ends when the split has ended and no chunk is left.
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { merkleHasher } from '../../../core/audit/merkle-hasher.ts';
import { nodeSha256 } from './node-sha256.ts';
import { CHUNK_FAILED, CHUNK_NEXT, examineAndHashChunk, nextReadyChunk } from './early-verify-chunk.ts';
import type { ChunkBounds, EarlyWorkerData } from './early-verify-chunk.ts';

const data = workerData as EarlyWorkerData;
const hasher = merkleHasher(nodeSha256);
const entries = new Uint8Array(data.entries);
const counters = new Int32Array(data.counters);
const chunkDone = new Int32Array(data.chunkDone);
const bounds = new Map<number, ChunkBounds>();

const boundsOf = (chunk: number): ChunkBounds => {
  for (;;) {
    const known = bounds.get(chunk);
    if (known) {
      bounds.delete(chunk);
      return known;
    }
    const message = receiveMessageOnPort(data.port);
    if (message) {
      const part = message.message as ChunkBounds;
      bounds.set(part.chunk, part);
    } else Atomics.wait(counters, CHUNK_FAILED, 0, 1);
  }
};

for (;;) {
  const chunk = Atomics.add(counters, CHUNK_NEXT, 1);
  if (!nextReadyChunk(counters, chunk)) break;
  const { facts, levels } = examineAndHashChunk(hasher, entries, boundsOf(chunk), data.chunkLines);
  const buffers = [
    facts.failed,
    facts.sequence,
    facts.timeKey,
    facts.typeIndex,
    facts.logIndex,
    facts.previousKind,
    facts.previous,
    facts.hasCommitment,
    ...levels,
  ].map((array) => array.buffer as ArrayBuffer);
  data.port.postMessage({ facts, levels, chunk }, [...new Set(buffers)]);
  Atomics.store(chunkDone, chunk, 1);
  Atomics.notify(chunkDone, chunk);
}
