// The verifier on good bundles: portable hashing and signatures, the summary, trust modes, personal data.
import { describe, expect, it } from 'vitest';
import { PERSONAL_DATA_FILE } from '../../../core/audit/bundle-format.ts';
import { formatVerifierKey, noteVerifierKeyFromSeed } from '../../../core/audit/note.ts';
import { parseTrustedKeys, verifyAuditBundle } from '../../../core/audit/verify.ts';
import { portableSha256 } from '../../../core/shared/sha256.ts';
import { buildTestLog, bytes, sha256, text } from './fixtures.ts';

describe('verifying a good bundle', () => {
  const log = buildTestLog({
    entries: 30,
    checkpointEvery: 10,
    rotateAfter: [15],
    withPersonalData: true,
    label: 'good',
  });

  it('is valid with the portable SHA-256 and Ed25519 (the browser path), integrity only without keys', () => {
    const progress: number[] = [];
    const { report } = verifyAuditBundle(log.files, {
      sha256: portableSha256,
      onProgress: (p) => progress.push(p.done),
    });
    expect(report.failures).toEqual([]);
    expect(report.verdict).toBe('valid');
    expect(report.trust).toBe('integrity-only');
    expect(report.trustNote).toContain('integrity only: keys not independently trusted');
    expect(progress.length).toBeGreaterThan(0);
  });

  it('summarises entries, time span, event counts, checkpoints and keys', () => {
    const { summary } = verifyAuditBundle(log.files, { sha256 }).report;
    expect(summary.entries).toBe(33); // log.created, 30 events, key.rotated, audit.exported
    expect(summary.firstTime).toBe('2025-01-01T00:00:00.000Z');
    expect(summary.lastTime).toBe('2025-01-01T00:31:00.000Z');
    expect(summary.eventCounts['log.created']).toBe(1);
    expect(summary.eventCounts['key.rotated']).toBe(1);
    expect(summary.eventCounts['audit.exported']).toBe(1);
    expect(Object.values(summary.eventCounts).reduce((a, b) => a + b, 0)).toBe(33);
    expect(summary.checkpoints.at(-1)?.size).toBe(33);
    expect(summary.keys).toHaveLength(2);
    expect(summary.keys[0]?.retiredAt).toBe('16');
    expect(summary.exportEntry).toBe('32');
    expect(summary.personalData).toEqual({ included: true, present: 4, erased: 0 }); // lead.ingested every 7th event
  });

  it('establishes trust with the current key and refuses a key that never signed this log', () => {
    const current = parseTrustedKeys([
      formatVerifierKey(noteVerifierKeyFromSeed(log.identity.origin, log.seeds[1]!, sha256)),
    ]);
    const stranger = parseTrustedKeys([
      formatVerifierKey(noteVerifierKeyFromSeed(log.identity.origin, new Uint8Array(32).fill(3), sha256)),
    ]);
    if (!current.ok || !stranger.ok) throw new Error('keys');
    expect(verifyAuditBundle(log.files, { sha256, trustedKeys: current.value }).report.trust).toBe('trust-established');
    const untrusted = verifyAuditBundle(log.files, { sha256, trustedKeys: stranger.value }).report;
    expect(untrusted.verdict).toBe('invalid');
    expect(untrusted.trust).toBe('not-trusted');
  });

  it('checks that personal data opens each commitment', () => {
    const lines = text(log.files.get(PERSONAL_DATA_FILE)).split('\n');
    lines[0] = lines[0]!.replace('Person', 'Persom');
    const files = new Map(log.files);
    files.set(PERSONAL_DATA_FILE, bytes(lines.join('\n')));
    const { report } = verifyAuditBundle(files, { sha256 });
    expect(report.verdict).toBe('invalid');
    expect(report.firstFailure?.file).toBe(PERSONAL_DATA_FILE);
    expect(report.firstFailure?.message).toContain('does not open');
  });

  it('rejects files the format does not have', () => {
    const files = new Map(log.files);
    files.set('schema/extra.schema.json', bytes('{}'));
    const { report } = verifyAuditBundle(files, { sha256 });
    expect(report.firstFailure?.code).toBe('unexpected-file');
  });
});
