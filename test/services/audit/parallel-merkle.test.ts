// The verifier's Merkle port on worker threads gives the same verdicts, reports and tree as the single-thread one:
// on a valid export and on tampered copies, at sizes around the split between the two workers.
import { describe, expect, it } from 'vitest';
import { unzipBundle, zipBundle } from '../../../core/audit/bundle-assemble.ts';
import { ENTRIES_FILE } from '../../../core/audit/bundle-format.ts';
import { createMemoryMerkleTree, hashLeaf, treeRoot } from '../../../core/audit/merkle.ts';
import { verifyAuditBundle } from '../../../core/audit/verify.ts';
import { appendAuditEvent } from '../../../electron/services/audit/audit-log.ts';
import { exportAuditBundle } from '../../../electron/services/audit/export.ts';
import { nodeEd25519Verify } from '../../../electron/services/audit/node-ed25519.ts';
import { nodeSha256 } from '../../../electron/services/audit/node-sha256.ts';
import { PARALLEL_MERKLE_MIN_LINES, startParallelMerkle } from '../../../electron/services/audit/parallel-merkle.ts';
import { bytesToHex, lineBounds } from '../../../core/audit/bytes.ts';
import { tempDir } from '../store/temp.ts';
import { auditDatabase, day, heldPayload } from './helpers.ts';

const dir = tempDir('parallel-merkle');

const verify = async (files: ReadonlyMap<string, Uint8Array>, parallel: 0 | 1 | 2) => {
  const workers = parallel ? startParallelMerkle(files.get(ENTRIES_FILE)!, { workers: parallel }) : null;
  if (parallel) expect(workers).not.toBeNull();
  try {
    return verifyAuditBundle(files, {
      sha256: nodeSha256,
      ed25519Verify: nodeEd25519Verify,
      ...(workers ? { merkle: workers.port } : {}),
    });
  } finally {
    await workers?.close();
  }
};

describe('the parallel Merkle port', () => {
  it('builds every node of the tree the single-thread port builds, whatever the line count', async () => {
    for (const count of [
      PARALLEL_MERKLE_MIN_LINES,
      PARALLEL_MERKLE_MIN_LINES + 1,
      2 * PARALLEL_MERKLE_MIN_LINES - 1,
      2 * PARALLEL_MERKLE_MIN_LINES,
      40_000,
    ]) {
      const lines = Array.from({ length: count }, (_, i) => `{"line":${i},"pad":"${'x'.repeat(i % 97)}"}`);
      const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
      for (const workerCount of [1, 2] as const) {
        const workers = startParallelMerkle(bytes, { workers: workerCount })!;
        const { starts, ends } = lineBounds(bytes);
        const { leafHashes, tree } = workers.port(bytes, starts, ends);
        await workers.close();
        const reference = createMemoryMerkleTree(nodeSha256, count);
        for (const line of lines) reference.append(hashLeaf(nodeSha256, new TextEncoder().encode(line)));
        expect(tree.size()).toBe(count);
        for (let level = 0; 2 ** level <= count; level++)
          for (let index = 0; (index + 1) * 2 ** level <= count; index += 1 + Math.floor(count / 2 ** level / 50))
            expect(bytesToHex(tree.read(level, index)), `${count}: node (${level}, ${index})`).toBe(
              bytesToHex(reference.read(level, index)),
            );
        expect(bytesToHex(leafHashes.subarray(0, 32))).toBe(bytesToHex(reference.read(0, 0)));
        for (const size of [1, count - 1, count])
          expect(bytesToHex(treeRoot(tree.read, nodeSha256, size))).toBe(bytesToHex(reference.root(size)));
      }
    }
  });

  it('gives the same report as one thread on a valid export and on tampered copies', async () => {
    const { db } = auditDatabase(dir, 'parallel');
    db.transaction(() => {
      for (let n = 1; n <= PARALLEL_MERKLE_MIN_LINES + 300; n++)
        appendAuditEvent(db, {
          time: day(1),
          actor: `user:u-${n % 7}`,
          type: 'routing.decided',
          subjects: [`lead:L-${n}`],
          payload: heldPayload(n, { decision: n % 3 ? 'approve' : 'reject', n }),
        });
    })();
    const exported = exportAuditBundle(db, { now: day(2), actor: 'user:auditor', level: 0 });
    const unzipped = unzipBundle(zipBundle(exported.files, { level: 0, mtime: day(2) }));
    if (!unzipped.ok) throw new Error(unzipped.error);
    const files = unzipped.value.files;
    const lines = new TextDecoder().decode(files.get(ENTRIES_FILE)!).split('\n');
    const variants: [string, string[]][] = [
      ['valid', lines],
      ['an altered entry', lines.map((line, i) => (i === 9_000 ? line.replace(/"n":\d+/, '"n":99999999') : line))],
      ['a deleted entry', lines.filter((_, i) => i !== 12_345)],
      ['two swapped entries', lines.map((line, i) => (i === 20 ? lines[21]! : i === 21 ? lines[20]! : line))],
      ['a cut tail', lines.slice(0, lines.length - 40).concat([''])],
    ];
    for (const [what, variant] of variants) {
      const changed = new Map(files);
      changed.set(ENTRIES_FILE, new TextEncoder().encode(variant.join('\n')));
      const one = await verify(changed, 0);
      for (const workers of [1, 2] as const) {
        const parallel = await verify(changed, workers);
        expect(parallel.report, `${what}, ${workers} workers`).toEqual(one.report);
        expect(bytesToHex(parallel.log.tree.root()), what).toBe(bytesToHex(one.log.tree.root()));
      }
      if (what === 'valid') expect(one.report.verdict).toBe('valid');
      else expect(one.report.verdict, what).toBe('invalid');
    }
    db.close();
  });
});
