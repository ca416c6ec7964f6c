// The verifier on worker threads (each examining and hashing chunks of lines as they come) gives exactly the report
// and the tree the single-thread verifier gives: on a valid export and on copies tampered early, late and across a
// chunk boundary.
import { describe, expect, it } from 'vitest';
import { unzipBundle, zipBundle } from '../../../core/audit/bundle-assemble.ts';
import { CSV_FILE, ENTRIES_FILE } from '../../../core/audit/bundle-format.ts';
import { bytesToHex } from '../../../core/audit/bytes.ts';
import { verifyAuditBundle } from '../../../core/audit/verify.ts';
import { appendAuditEvent } from '../../../electron/services/audit/audit-log.ts';
import { exportAuditBundle } from '../../../electron/services/audit/export.ts';
import { nodeEd25519Verify } from '../../../electron/services/audit/node-ed25519.ts';
import { nodeSha256 } from '../../../electron/services/audit/node-sha256.ts';
import { PARALLEL_MERKLE_MIN_LINES } from '../../../electron/services/audit/parallel-merkle.ts';
import { startParallelVerify } from '../../../electron/services/audit/parallel-verify.ts';
import { tempDir } from '../store/temp.ts';
import { auditDatabase, day, heldPayload } from './helpers.ts';

const dir = tempDir('parallel-verify');
const encoder = new TextEncoder();

const verify = async (files: ReadonlyMap<string, Uint8Array>, workers: number, callerTakesChunks = true) => {
  const parallel =
    workers > 0
      ? startParallelVerify(files.get(ENTRIES_FILE)!, { workers, chunkLines: 1024, callerTakesChunks })
      : null;
  if (workers > 0) expect(parallel).not.toBeNull();
  try {
    const verified = verifyAuditBundle(files, {
      sha256: nodeSha256,
      ed25519Verify: nodeEd25519Verify,
      ...(parallel ? { merkle: parallel.merkle, lines: parallel.lines } : {}),
    });
    return { ...verified, chunks: parallel?.chunks() ?? { total: 0, byWorkers: 0 } };
  } finally {
    await parallel?.close();
  }
};

describe('the verifier on worker threads', () => {
  it('gives the report one thread gives, valid or tampered anywhere', async () => {
    const { db } = auditDatabase(dir, 'parallel-lines');
    const count = PARALLEL_MERKLE_MIN_LINES + 500;
    db.transaction(() => {
      for (let n = 1; n <= count; n++)
        appendAuditEvent(db, {
          time: day(1),
          actor: `user:u-${n % 7}`,
          type: 'routing.decided',
          subjects: [`lead:L-${n}`],
          payload: heldPayload(n, {
            decision: n % 3 ? 'approve' : 'reject',
            n,
            note: n % 11 === 0 ? 'says "why", with a comma' : 'ok',
          }),
        });
    })();
    const exported = exportAuditBundle(db, { now: day(2), actor: 'user:auditor', level: 0 });
    db.close();
    const unzipped = unzipBundle(zipBundle(exported.files, { level: 0, mtime: day(2) }));
    if (!unzipped.ok) throw new Error(unzipped.error);
    const files = unzipped.value.files;
    const lines = new TextDecoder().decode(files.get(ENTRIES_FILE)!).split('\n');
    // Chunks of 1,024 lines: this thread and the workers take them as they come, so changes land in any thread's.
    const early = 1_000;
    const late = lines.length - 900;
    const split = 8 * 1024; // the first line of a chunk
    const at = (changes: Record<number, (line: string) => string>): string[] =>
      lines.map((line, i) => (changes[i] ? changes[i](line) : line));
    const variants: [string, string[], ((csv: string) => string)?][] = [
      ['valid', lines],
      ['not canonical, late', at({ [late]: (line) => line.replace('{"actor"', '{ "actor"') })],
      ['a duplicate key, early', at({ [early]: (line) => line.replace('"v":1}', '"v":1,"v":1}') })],
      [
        'a schema failure at the split',
        at({ [split]: (line) => line.replace('"type":"routing.decided"', '"type":"routing.nope"') }),
      ],
      [
        'a moved time, late',
        at({ [late]: (line) => line.replace(/"time":"[^"]+"/, '"time":"2020-01-01T00:00:00.000Z"') }),
      ],
      ['another log id, late', at({ [late]: (line) => line.replace(/"log":"[^"]+"/, '"log":"other-device"') })],
      ['an altered payload, late', at({ [late]: (line) => line.replace(/"n":\d+/, '"n":7') })],
      ['a deleted entry, early', lines.filter((_, i) => i !== early)],
      [
        'two swapped entries across the split',
        at({ [split - 1]: () => lines[split]!, [split]: () => lines[split - 1]! }),
      ],
      ['valid entries, an altered CSV row late', lines, (csv) => csv.replace(`\r\n${late},`, `\r\n${late},x`)],
      ['valid entries, an altered CSV row early', lines, (csv) => csv.replace(`\r\n${early},`, `\r\n${early + 1},`)],
    ];
    for (const [what, variant, csvChange] of variants) {
      const changed = new Map(files);
      changed.set(ENTRIES_FILE, encoder.encode(variant.join('\n')));
      if (csvChange) changed.set(CSV_FILE, encoder.encode(csvChange(new TextDecoder().decode(files.get(CSV_FILE)!))));
      const one = await verify(changed, 0);
      if (what === 'valid') expect(one.report.verdict).toBe('valid');
      else expect(one.report.verdict, what).toBe('invalid');
      for (const workers of [1, 3])
        for (const callerTakesChunks of [true, false]) {
          const parallel = await verify(changed, workers, callerTakesChunks);
          const label = `${what}, ${workers} workers${callerTakesChunks ? '' : ' doing every chunk'}`;
          if (!callerTakesChunks) expect(parallel.chunks.byWorkers, label).toBe(parallel.chunks.total);
          expect(parallel.chunks.total, label).toBe(17);
          expect(parallel.report, label).toEqual(one.report);
          expect(bytesToHex(parallel.log.tree.root()), label).toBe(bytesToHex(one.log.tree.root()));
        }
    }
  }, 120_000);
});
