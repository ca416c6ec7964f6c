// Exporting from the encrypted store: one zip, audited as a meta-action, verifiable; tampering inside is caught.
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bundleSizeProblem, unzipBundle } from '../../../core/audit/bundle-assemble.ts';
import { ENTRIES_FILE, KEYS_FILE, MANIFEST_FILE } from '../../../core/audit/bundle-format.ts';
import { parseTrustedKeys, verifyAuditBundle } from '../../../core/audit/verify.ts';
import { appendAuditEvent } from '../../../electron/services/audit/audit-log.ts';
import type { AuditEvent } from '../../../electron/services/audit/audit-log.ts';
import { exportAuditBundle } from '../../../electron/services/audit/export.ts';
import { nodeEd25519Verify } from '../../../electron/services/audit/node-ed25519.ts';
import { nodeSha256 } from '../../../electron/services/audit/node-sha256.ts';
import { unzipBundleNative, unzipBundleNativeAsync } from '../../../electron/services/audit/native-unzip.ts';
import { tempDir } from '../store/temp.ts';
import { auditDatabase, claimedPayload, day, heldPayload } from './helpers.ts';

const dir = tempDir('export');

const verifyZip = (zip: Uint8Array, keys: string[] = []) => {
  const unzipped = unzipBundle(zip);
  if (!unzipped.ok) throw new Error(unzipped.error);
  const trusted = parseTrustedKeys(keys);
  if (!trusted.ok) throw new Error(trusted.error);
  return verifyAuditBundle(unzipped.value.files, {
    sha256: nodeSha256,
    ed25519Verify: nodeEd25519Verify,
    trustedKeys: trusted.value,
  }).report;
};

describe('exportAuditBundle', () => {
  const { db, verifierKey } = auditDatabase(dir, 'export');
  for (let n = 1; n <= 50; n++)
    appendAuditEvent(db, {
      time: day(n),
      actor: `user:u-${n % 4}`,
      type: n % 2 ? 'case.claimed' : 'routing.decided',
      subjects: [n % 2 ? `case:C-${n}` : `lead:L-${n}`],
      payload: n % 2 ? claimedPayload(`C-${n}`) : heldPayload(n),
    } as AuditEvent);
  const first = exportAuditBundle(db, { now: day(60), actor: 'user:auditor' });
  const second = exportAuditBundle(db, { now: day(61), actor: 'user:auditor' });

  it('refuses a bundle too large for a plain zip, leaving no audit.exported entry behind', () => {
    const size = (): unknown => db.prepare('SELECT count(*) AS n FROM audit_entries').get();
    const before = size();
    expect(() => exportAuditBundle(db, { now: day(62), actor: 'user:auditor', maxBundleBytes: 10_000 })).toThrow(
      /more than the 10,000 a zip without ZIP64 can carry; ZIP64 bundles are not supported yet, so nothing was exported/,
    );
    expect(size()).toEqual(before);
    expect(bundleSizeProblem(new Map([['a', new Uint8Array(10)]]), 10)).toBeNull();
    expect(bundleSizeProblem(new Map([['a', new Uint8Array(11)]]), 10)).toMatch(/11 bytes, more than the 10/);
  });

  it('writes one zip that verifies, with trust established by the device key', () => {
    const report = verifyZip(first.zip, [verifierKey]);
    expect(report.failures).toEqual([]);
    expect(report.trust).toBe('trust-established');
    expect(report.summary.entries).toBe(first.entries);
  });

  it('audits the export itself: the bundle ends with audit.exported, and the next export contains it', () => {
    const entries = new TextDecoder().decode(first.files.get(ENTRIES_FILE)).trimEnd().split('\n');
    expect(JSON.parse(entries.at(-1)!)).toMatchObject({
      type: 'audit.exported',
      actor: 'user:auditor',
      sequence: String(first.exportSequence),
    });
    const report = verifyZip(second.zip);
    expect(report.summary.eventCounts['audit.exported']).toBe(2);
    expect(second.exportSequence).toBe(first.exportSequence + 1);
  });

  it('catches a file changed inside the zip and repacked', () => {
    const files = unzipSync(first.zip);
    const entries = new TextDecoder().decode(files[ENTRIES_FILE]).replace('"claimedBy":"u-1"', '"claimedBy":"u-2"');
    files[ENTRIES_FILE] = new TextEncoder().encode(entries);
    const report = verifyZip(zipSync(files));
    expect(report.verdict).toBe('invalid');
    expect(report.firstFailure?.sequence).toBe('1');

    const keysOnly = unzipSync(first.zip);
    keysOnly[KEYS_FILE] = new TextEncoder().encode(
      new TextDecoder().decode(keysOnly[KEYS_FILE]).replace('"announcedAt":"0"', '"announcedAt":"1"'),
    );
    expect(verifyZip(zipSync(keysOnly)).firstFailure?.file).toBe(KEYS_FILE);

    const noManifest = unzipSync(first.zip);
    delete noManifest[MANIFEST_FILE];
    expect(verifyZip(zipSync(noManifest)).firstFailure?.code).toBe('missing-file');
  });

  it('reads a broken zip as unusable, not as a verdict', () => {
    const broken = first.zip.slice(0, first.zip.length - 30);
    expect(unzipBundle(broken).ok).toBe(false);
    expect(unzipBundle(new TextEncoder().encode('not a zip')).ok).toBe(false);
  });
});

describe('the native zip reader', () => {
  const { db } = auditDatabase(dir, 'native-zip');
  appendAuditEvent(db, {
    time: day(1),
    actor: 'user:u-1',
    type: 'case.claimed',
    subjects: ['case:C-1'],
    payload: claimedPayload('C-1'),
  });
  const stored = exportAuditBundle(db, { now: day(2), actor: 'user:auditor', level: 0 });
  const deflated = exportAuditBundle(db, { now: day(3), actor: 'user:auditor', level: 6 });
  db.close();

  it('reads exactly the files the portable reader reads, stored or deflated, inflating in one piece or streaming', async () => {
    for (const { zip } of [stored, deflated]) {
      const portable = unzipBundle(zip);
      for (const native of [unzipBundleNative(zip), await unzipBundleNativeAsync(zip)]) {
        if (!portable.ok || !native.ok) throw new Error('unreadable');
        expect([...native.value.files.keys()].sort()).toEqual([...portable.value.files.keys()].sort());
        for (const [path, bytes] of portable.value.files)
          expect(Buffer.from(native.value.files.get(path)!).equals(Buffer.from(bytes))).toBe(true);
      }
    }
  });

  it('reports damage in transit and files outside the format', async () => {
    const damaged = deflated.zip.slice();
    damaged[200] = damaged[200]! ^ 0xff;
    expect(unzipBundleNative(damaged).ok).toBe(false);
    expect((await unzipBundleNativeAsync(damaged)).ok).toBe(false);
    expect(unzipBundleNative(new TextEncoder().encode('not a zip')).ok).toBe(false);
    const files = unzipSync(stored.zip);
    files['notes/extra.txt'] = new TextEncoder().encode('hello');
    for (const extra of [unzipBundleNative(zipSync(files)), await unzipBundleNativeAsync(zipSync(files))])
      expect(extra.ok && extra.value.unexpected).toEqual(['notes/extra.txt']);
  });
});
