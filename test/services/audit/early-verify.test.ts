// The verifier started while the zip inflates (chunks examined and hashed behind the inflater, decision 0287) gives
// exactly the report and the tree the single-thread verifier gives on the same zip read from disk: on a valid export
// and on copies tampered early, late, across a chunk boundary and at the file's end. A bundle with entries.csv, and
// one too small for workers, take the other verifiers.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unzipBundle, zipBundle } from '../../../core/audit/bundle-assemble.ts';
import type { BundleFiles } from '../../../core/audit/bundle-assemble.ts';
import { CSV_FILE, ENTRIES_FILE } from '../../../core/audit/bundle-format.ts';
import { bytesToHex } from '../../../core/audit/bytes.ts';
import { verifyAuditBundle } from '../../../core/audit/verify.ts';
import { appendAuditEvent } from '../../../electron/services/audit/audit-log.ts';
import { readBundleVerifyingEarly } from '../../../electron/services/audit/early-verify.ts';
import { exportAuditBundle } from '../../../electron/services/audit/export.ts';
import { nodeEd25519Verify } from '../../../electron/services/audit/node-ed25519.ts';
import { nodeSha256 } from '../../../electron/services/audit/node-sha256.ts';
import { PARALLEL_MERKLE_MIN_LINES } from '../../../electron/services/audit/parallel-merkle.ts';
import { readBundle } from '../../../electron/services/audit/read-bundle.ts';
import { tempDir } from '../store/temp.ts';
import { auditDatabase, day, heldPayload } from './helpers.ts';

const dir = tempDir('early-verify');
const encoder = new TextEncoder();
let zips = 0;

const options = { sha256: nodeSha256, ed25519Verify: nodeEd25519Verify };

/** The zip written to disk, verified early with `workers` workers, and on one thread from the same file. */
const verifyBoth = async (files: BundleFiles, workers: number) => {
  const path = join(dir, `bundle-${zips++}.zip`);
  writeFileSync(path, zipBundle(files, { level: 1, mtime: day(2) }));
  const { read, parallel } = await readBundleVerifyingEarly(path, { workers, chunkLines: 1024 });
  if (!read.ok) throw new Error(read.error);
  try {
    const early = verifyAuditBundle(read.value.files, {
      ...options,
      ...(parallel
        ? {
            merkle: parallel.merkle,
            lines: parallel.lines,
            ...(parallel.lineBounds ? { lineBounds: parallel.lineBounds } : {}),
          }
        : {}),
    });
    const reread = readBundle(path);
    if (!reread.ok) throw new Error(reread.error);
    const one = verifyAuditBundle(reread.value.files, options);
    return { early, one, parallel, chunks: parallel?.chunks() ?? { total: 0, byWorkers: 0 } };
  } finally {
    await parallel?.close();
  }
};

const exportedFiles = (count: number, csv: boolean): BundleFiles => {
  const { db } = auditDatabase(dir, 'early-lines');
  db.transaction(() => {
    for (let n = 1; n <= count; n++)
      appendAuditEvent(db, {
        time: day(1),
        actor: `user:u-${n % 7}`,
        type: 'routing.decided',
        subjects: [`lead:L-${n}`],
        payload: heldPayload(n, { decision: n % 3 ? 'approve' : 'reject', n }),
      });
  })();
  const exported = exportAuditBundle(db, { now: day(2), actor: 'user:auditor', level: 0, csv });
  db.close();
  const unzipped = unzipBundle(zipBundle(exported.files, { level: 0, mtime: day(2) }));
  if (!unzipped.ok) throw new Error(unzipped.error);
  return unzipped.value.files;
};

describe('the verifier started while the bundle inflates', () => {
  it('gives the report one thread gives, valid or tampered anywhere', async () => {
    const files = exportedFiles(PARALLEL_MERKLE_MIN_LINES + 500, false);
    expect(files.has(CSV_FILE)).toBe(false);
    const lines = new TextDecoder().decode(files.get(ENTRIES_FILE)!).split('\n');
    const early = 1_000;
    const late = lines.length - 900;
    const split = 8 * 1024; // the first line of a chunk
    const at = (changes: Record<number, (line: string) => string>): string[] =>
      lines.map((line, i) => (changes[i] ? changes[i](line) : line));
    const variants: [string, string][] = [
      ['valid', lines.join('\n')],
      ['not canonical, late', at({ [late]: (line) => line.replace('{"actor"', '{ "actor"') }).join('\n')],
      ['a duplicate key, early', at({ [early]: (line) => line.replace('"v":1}', '"v":1,"v":1}') }).join('\n')],
      [
        'a schema failure at the split',
        at({ [split]: (line) => line.replace('"type":"routing.decided"', '"type":"routing.nope"') }).join('\n'),
      ],
      [
        'a moved time, late',
        at({ [late]: (line) => line.replace(/"time":"[^"]+"/, '"time":"2020-01-01T00:00:00.000Z"') }).join('\n'),
      ],
      ['an altered payload, late', at({ [late]: (line) => line.replace(/"n":\d+/, '"n":7') }).join('\n')],
      ['a deleted entry, early', lines.filter((_, i) => i !== early).join('\n')],
      [
        'two swapped entries across the split',
        at({ [split - 1]: () => lines[split]!, [split]: () => lines[split - 1]! }).join('\n'),
      ],
      ['an empty line inserted at the split', at({ [split]: (line) => `\n${line}` }).join('\n')],
      ['the last newline cut off', lines.join('\n').replace(/\n$/, '')],
    ];
    for (const [what, text] of variants) {
      const changed = new Map(files);
      changed.set(ENTRIES_FILE, encoder.encode(text));
      for (const workers of [1, 3]) {
        const label = `${what}, ${workers} workers`;
        const { early: report, one, parallel, chunks } = await verifyBoth(changed, workers);
        expect(parallel?.lineBounds, label).toBeTypeOf('function');
        expect(chunks.total, label).toBe(Math.ceil(one.log.entryCount / 1024));
        if (what === 'valid') expect(one.report.verdict, label).toBe('valid');
        else expect(one.report.verdict, label).toBe('invalid');
        expect(report.report, label).toEqual(one.report);
        expect(bytesToHex(report.log.tree.root()), label).toBe(bytesToHex(one.log.tree.root()));
      }
    }
  }, 180_000);

  it('takes the parallel verifier for a bundle with entries.csv, and none for a small one', async () => {
    const withCsv = exportedFiles(PARALLEL_MERKLE_MIN_LINES + 10, true);
    expect(withCsv.has(CSV_FILE)).toBe(true);
    const changed = new Map(withCsv);
    const csv = new TextDecoder().decode(withCsv.get(CSV_FILE)!);
    changed.set(CSV_FILE, encoder.encode(csv.replace('\r\n900,', '\r\n900,x')));
    for (const files of [withCsv, changed]) {
      const { early, one, parallel } = await verifyBoth(files, 1);
      expect(parallel).not.toBeNull();
      expect(parallel?.lineBounds).toBeUndefined();
      expect(early.report).toEqual(one.report);
    }
    const small = await verifyBoth(exportedFiles(10, false), 1);
    expect(small.parallel).toBeNull();
    expect(small.early.report).toEqual(small.one.report);
    expect(small.one.report.verdict).toBe('valid');
  }, 120_000);
});
