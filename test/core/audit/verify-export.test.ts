// Verifying an export as read from its zip, trusted keys as text, and comparing two exports of one log.
import { describe, expect, it } from 'vitest';
import { formatVerifierKey, noteVerifierKeyFromSeed } from '../../../core/audit/note.ts';
import { exportLogBundle } from '../../../core/audit/log-engine.ts';
import {
  NOT_AN_EXPORT,
  checkExportConsistency,
  describeFailure,
  parseTrustedKeyText,
  verifyUnzippedBundle,
} from '../../../core/audit/verify-export.ts';
import type { VerifiedExport } from '../../../core/audit/verify-export.ts';
import { buildTestLog, bytes, sha256, text, timeAt } from './fixtures.ts';

const verified = (files: Map<string, Uint8Array>, unexpected: string[] = []): VerifiedExport => {
  const result = verifyUnzippedBundle({ files, unexpected }, { sha256 });
  if (!result.ok) throw new Error(result.error);
  return result.value;
};

describe('verifyUnzippedBundle', () => {
  const log = buildTestLog({ entries: 12, checkpointEvery: 5, label: 'zip' });

  it('verifies a good bundle and calls a zip without manifest or entries unusable', () => {
    expect(verified(log.files).report.verdict).toBe('valid');
    const other = verifyUnzippedBundle({ files: new Map([['README.txt', bytes('hi')]]), unexpected: [] });
    expect(other).toEqual({ ok: false, error: NOT_AN_EXPORT });
  });

  it('fails a bundle carrying a file outside the format, and names it', () => {
    const { report } = verified(log.files, ['extra.exe']);
    expect(report.verdict).toBe('invalid');
    expect(report.firstFailure?.code).toBe('unexpected-file');
    expect(report.failures.at(-1)?.file).toBe('extra.exe');
  });

  it('describes a failure by entry, file line and reason', () => {
    const files = new Map(log.files);
    const lines = text(files.get('entries.jsonl')).split('\n');
    lines[4] = lines[4]!.replace('"actor":"user:u-', '"actor":"user:x-');
    files.set('entries.jsonl', bytes(lines.join('\n')));
    const { report } = verified(files);
    expect(report.firstFailure?.sequence).toBe('4');
    expect(describeFailure(report.firstFailure!)).toMatch(/^entry 4, entries\.jsonl line 5: entry-/);
  });
});

describe('parseTrustedKeyText', () => {
  const key = formatVerifierKey(
    noteVerifierKeyFromSeed('perimeter.test/audit/zip', new Uint8Array(32).fill(7), sha256),
  );

  it('reads one key per line, skipping comments and blank lines', () => {
    const parsed = parseTrustedKeyText(`# the log's key\n\n  ${key}  # from the owner\n`, sha256);
    expect(parsed.ok && parsed.value.map((k) => k.name)).toEqual(['perimeter.test/audit/zip']);
    expect(parseTrustedKeyText('', sha256)).toEqual({ ok: true, value: [] });
  });

  it('names the line that is not a key', () => {
    const parsed = parseTrustedKeyText(`${key}\nnot-a-key\n`, sha256);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.line).toBe(2);
  });
});

describe('checkExportConsistency', () => {
  const log = buildTestLog({ entries: 20, checkpointEvery: 5, label: 'grow' });
  const earlier = verified(log.files);
  const later = verified(
    exportLogBundle(log.store, log.identity, { time: timeAt(30), actor: 'user:auditor', personalData: null }, sha256)
      .files,
  );

  it('accepts a later export of the same log, with a consistency proof', () => {
    const result = checkExportConsistency(
      { label: 'a.zip', verified: earlier },
      { label: 'b.zip', verified: later },
      sha256,
    );
    expect(result.problems).toEqual([]);
    expect(result.consistent).toBe(true);
    expect(result.old).toMatchObject({ bundle: 'a.zip', size: 22 });
    expect(result.new.size).toBeGreaterThan(22);
    expect(result.proof.length).toBeGreaterThan(0);
  });

  it('calls the reverse a rollback, another log different, and a bundle that fails not consistent', () => {
    const back = checkExportConsistency({ label: 'b', verified: later }, { label: 'a', verified: earlier }, sha256);
    expect(back.consistent).toBe(false);
    expect(back.problems[0]).toMatch(/^rollback/);
    const other = verified(buildTestLog({ entries: 20, checkpointEvery: 5, label: 'other' }).files);
    const different = checkExportConsistency(
      { label: 'a', verified: earlier },
      { label: 'o', verified: other },
      sha256,
    );
    expect(different.problems[0]).toMatch(/^different logs/);
    const broken = verified(log.files, ['extra.txt']);
    const failing = checkExportConsistency({ label: 'x', verified: broken }, { label: 'b', verified: later }, sha256);
    expect(failing.problems[0]).toMatch(/^x does not verify: extra\.txt: unexpected-file/);
  });
});
