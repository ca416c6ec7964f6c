// The CSV view defuses spreadsheet formulas; tlog-proof files round-trip and fail when touched.
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../../core/audit/csv.ts';
import { CSV_FILE } from '../../../core/audit/bundle-format.ts';
import { inclusionProof } from '../../../core/audit/merkle.ts';
import { formatTlogProof, parseTlogProof, verifyTlogProof } from '../../../core/audit/tlog-proof.ts';
import { parseTrustedKeys, verifyAuditBundle } from '../../../core/audit/verify.ts';
import { formatVerifierKey, noteVerifierKeyFromSeed } from '../../../core/audit/note.ts';
import { buildTestLog, bytes, seedFrom, sha256, text } from './fixtures.ts';

describe('CSV view', () => {
  it('prefixes formula starters and quotes per RFC 4180', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('plain')).toBe('plain');
  });

  it('is derived from the entries, and a changed CSV fails verification', () => {
    const { files } = buildTestLog({ entries: 20 });
    const csv = text(files.get(CSV_FILE));
    expect(csv.startsWith('\ufeffsequence,time,type,actor')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(1 + 22 + 1); // header, 22 entries (log.created, 20, export), trailing empty
    const tampered = new Map(files);
    tampered.set(CSV_FILE, bytes(csv.replace('user:u-1', 'user:u-9')));
    const { report } = verifyAuditBundle(tampered, { sha256 });
    expect(report.verdict).toBe('invalid');
    expect(report.firstFailure?.code).toBe('csv');
  });

  it('is left out unless asked for, and the signed export entry says whether the bundle carries it', () => {
    const without = buildTestLog({ entries: 12, csv: false });
    expect(without.files.has(CSV_FILE)).toBe(false);
    expect(verifyAuditBundle(without.files, { sha256 }).report.verdict).toBe('valid');
    // A CSV added to a bundle exported without one is not among the files the export entry records.
    const added = new Map(without.files);
    added.set(CSV_FILE, buildTestLog({ entries: 12, csv: true }).files.get(CSV_FILE)!);
    const addedReport = verifyAuditBundle(added, { sha256 }).report;
    expect(addedReport.verdict).toBe('invalid');
    expect(addedReport.failures).toContainEqual(expect.objectContaining({ code: 'unexpected-file', file: CSV_FILE }));
    // A CSV removed from a bundle exported with one is missing.
    const withCsv = buildTestLog({ entries: 12, csv: true });
    const removed = new Map(withCsv.files);
    removed.delete(CSV_FILE);
    const removedReport = verifyAuditBundle(removed, { sha256 }).report;
    expect(removedReport.verdict).toBe('invalid');
    expect(removedReport.failures).toEqual([
      expect.objectContaining({
        code: 'missing-file',
        file: CSV_FILE,
        message: expect.stringMatching(/signed export entry/),
      }),
    ]);
  });
});

describe('tlog-proof', () => {
  const log = buildTestLog({ entries: 30, checkpointEvery: 7 });
  const verified = verifyAuditBundle(log.files, { sha256 });
  const checkpoint = verified.log.checkpoints.at(-1)!;
  const key = parseTrustedKeys([
    formatVerifierKey(noteVerifierKeyFromSeed(log.identity.origin, log.seeds[0]!, sha256)),
  ]);
  const proofFor = (index: number): string =>
    formatTlogProof({
      extra: verified.log.entryBytes(index),
      index,
      proof: inclusionProof(verified.log.tree.read, sha256, index, checkpoint.body.size),
      checkpoint: checkpoint.note,
    });

  it('round-trips and verifies every entry against the checkpoint and the key', () => {
    expect(key.ok).toBe(true);
    if (!key.ok) return;
    for (let index = 0; index < checkpoint.body.size; index++) {
      const proof = proofFor(index);
      const parsed = parseTlogProof(bytes(proof));
      expect(parsed.ok && parsed.value.index).toBe(index);
      const check = verifyTlogProof(bytes(proof), { sha256, keys: key.value });
      expect(check.ok, check.reason).toBe(true);
      expect(check.signature).toBe('verified');
    }
  });

  it('fails for another entry, another index, a flipped hash, or an untrusted key', () => {
    const proof = proofFor(5);
    expect(verifyTlogProof(bytes(proof), { sha256, entry: verified.log.entryBytes(6) }).ok).toBe(false);
    expect(verifyTlogProof(bytes(proof.replace('index 5', 'index 4')), { sha256 }).ok).toBe(false);
    const lines = proof.split('\n');
    lines[3] = lines[3]!.startsWith('A') ? `B${lines[3]!.slice(1)}` : `A${lines[3]!.slice(1)}`;
    expect(verifyTlogProof(bytes(lines.join('\n')), { sha256 }).ok).toBe(false);
    const stranger = parseTrustedKeys([
      formatVerifierKey(noteVerifierKeyFromSeed(log.identity.origin, seedFrom('stranger'), sha256)),
    ]);
    if (stranger.ok) expect(verifyTlogProof(bytes(proof), { sha256, keys: stranger.value }).signature).toBe('invalid');
  });
});
