// One of the two Merkle workers (parallel-merkle.ts): the leaves of lines [from, to) and every tree node above them
// inside that range, written into the shared levels (with node:crypto, one call per hash, or the batched SIMD
// hasher); then it raises its done flag.
import { hash } from 'node:crypto';
import { workerData } from 'node:worker_threads';
import type { MerkleWorkerData } from './parallel-merkle.ts';

const data = workerData as MerkleWorkerData;
const entries = new Uint8Array(data.entries);
const starts = new Float64Array(data.starts);
const ends = new Float64Array(data.ends);
const levels = data.levels.map((buffer) => new Uint8Array(buffer));
const flags = new Int32Array(data.done);

// Loaded only when asked for, so that the node:crypto tree (the benchmark's floor) costs what it always did.
const batched = data.simd ? await import('../../../core/audit/merkle-hasher.ts') : null;
const simd = batched ? batched.simdMerkleHasher() : null;
if (data.simd && !simd) throw new Error('the SIMD hasher does not run here');
let scratch = new Uint8Array(4096);
const leaves = levels[0]!;
if (batched && simd) batched.hashRangeIntoLevels(simd, entries, starts, ends, levels, data.from, data.to);
else
  for (let i = data.from; i < data.to; i++) {
    const length = ends[i]! - starts[i]!;
    if (scratch.length < length + 1) scratch = new Uint8Array(length * 2 + 1);
    scratch[0] = 0x00;
    scratch.set(entries.subarray(starts[i]!, ends[i]!), 1);
    leaves.set(hash('sha256', scratch.subarray(0, length + 1), 'buffer'), i * 32);
  }
const node = new Uint8Array(65);
node[0] = 0x01;
for (let level = 1; level < levels.length && !simd; level++) {
  const below = levels[level - 1]!;
  const here = levels[level]!;
  // This range's complete nodes on this level: the range starts on a multiple of 2^level (or ends the tree).
  const first = data.from / 2 ** level;
  const last = Math.floor(data.to / 2 ** level);
  if (!Number.isInteger(first)) break;
  for (let j = first; j < last; j++) {
    node.set(below.subarray(2 * j * 32, 2 * j * 32 + 64), 1);
    here.set(hash('sha256', node, 'buffer'), j * 32);
  }
}
Atomics.store(flags, data.slot, 1);
Atomics.notify(flags, data.slot);
