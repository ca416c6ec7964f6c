// Verifying an export as it was read from its zip, and comparing two exports: shared by the CLI and the verifier screen.
import type { Sha256 } from '../shared/sha256.ts';
import { portableSha256 } from '../shared/sha256.ts';
import { bytesEqual, bytesToBase64 } from './bytes.ts';
import type { UnzippedBundle } from './bundle-assemble.ts';
import { ENTRIES_FILE, MANIFEST_FILE } from './bundle-format.ts';
import { consistencyProof, verifyConsistency } from './merkle.ts';
import type { NoteVerifierKey } from './note.ts';
import { parseTrustedKeys, verifyAuditBundle } from './verify.ts';
import type { AuditVerification, VerifiedLog, VerifyFailure, VerifyOptions } from './verify.ts';

export type VerifiedExport = { readonly report: AuditVerification; readonly log: VerifiedLog };

export const NOT_AN_EXPORT = 'not a Perimeter audit export (no manifest.json, no entries.jsonl)';

/**
 * Verifies an unzipped bundle. Files outside the format fail it (someone added them); a zip with neither a manifest
 * nor entries is unusable input, not an invalid export.
 */
export const verifyUnzippedBundle = (
  bundle: UnzippedBundle,
  options: VerifyOptions = {},
): { ok: true; value: VerifiedExport } | { ok: false; error: string } => {
  const { files, unexpected } = bundle;
  if (!files.has(MANIFEST_FILE) && !files.has(ENTRIES_FILE)) return { ok: false, error: NOT_AN_EXPORT };
  const result = verifyAuditBundle(files, options);
  if (unexpected.length === 0) return { ok: true, value: result };
  const extra: VerifyFailure[] = unexpected.map((file) => ({
    code: 'unexpected-file',
    file,
    sequence: null,
    line: null,
    field: null,
    message: `${file} is not part of the export format`,
  }));
  return {
    ok: true,
    value: {
      log: result.log,
      report: {
        ...result.report,
        verdict: 'invalid',
        failures: [...result.report.failures, ...extra],
        failureCount: result.report.failureCount + extra.length,
        firstFailure: result.report.firstFailure ?? extra[0] ?? null,
      },
    },
  };
};

/** One line naming where a failure is and why: "entry 7, entries.jsonl line 8: entry-chain: …". */
export const describeFailure = (failure: VerifyFailure): string => {
  const where = [
    failure.sequence !== null ? `entry ${failure.sequence}` : null,
    failure.line !== null ? `${failure.file} line ${failure.line}` : failure.file,
    failure.field ? `field ${failure.field}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return `${where}: ${failure.code}: ${failure.message}`;
};

/**
 * Trusted keys written as text: one note verifier key per line, "#" starts a comment, blank lines are skipped
 * (the format of a --key file). The error names the line.
 */
export const parseTrustedKeyText = (
  text: string,
  sha256: Sha256 = portableSha256,
): { ok: true; value: NoteVerifierKey[] } | { ok: false; line: number; error: string } => {
  const keys: NoteVerifierKey[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? '').replace(/#.*/, '').trim();
    if (line === '') continue;
    const parsed = parseTrustedKeys([line], sha256);
    if (!parsed.ok) return { ok: false, line: index + 1, error: parsed.error };
    keys.push(...parsed.value);
  }
  return { ok: true, value: keys };
};

/** One side of a comparison: the bundle's name (a path or file name) and its last checkpoint. */
export type ExportEnd = { readonly bundle: string; readonly size: number | null; readonly root: string | null };

export type ExportConsistency = {
  readonly old: ExportEnd;
  readonly new: ExportEnd;
  readonly consistent: boolean;
  /** The RFC 6962 consistency proof from the old checkpoint to the new one (base64 hashes), when one was made. */
  readonly proof: readonly string[];
  readonly problems: readonly string[];
  /** The newer export's trust note. */
  readonly trust: string;
};

/**
 * Whether a newer export extends an older one: both verify, same log, no rollback, the older export's last
 * checkpoint is consistent with the newer one's (a proof from the newer export's recomputed tree, checked against
 * both signed roots), and every entry of the older export is byte-identical in the newer one.
 */
export const checkExportConsistency = (
  older: { readonly label: string; readonly verified: VerifiedExport },
  newer: { readonly label: string; readonly verified: VerifiedExport },
  sha256: Sha256 = portableSha256,
): ExportConsistency => {
  const problems: string[] = [];
  for (const side of [older, newer])
    if (side.verified.report.verdict !== 'valid') {
      const first = side.verified.report.firstFailure;
      problems.push(`${side.label} does not verify: ${first ? describeFailure(first) : ''}`);
    }
  const oldLog = older.verified.log;
  const newLog = newer.verified.log;
  const oldCheckpoint = oldLog.checkpoints.at(-1);
  const newCheckpoint = newLog.checkpoints.at(-1);
  let proof: Uint8Array[] = [];
  if (problems.length === 0 && oldCheckpoint && newCheckpoint) {
    if (oldLog.origin !== newLog.origin) problems.push(`different logs: ${oldLog.origin} and ${newLog.origin}`);
    else if (oldCheckpoint.body.size > newCheckpoint.body.size)
      problems.push(
        `rollback: the new export has ${newCheckpoint.body.size} entries, the old one ${oldCheckpoint.body.size}`,
      );
    else {
      const size1 = oldCheckpoint.body.size;
      const size2 = newCheckpoint.body.size;
      proof = consistencyProof(newLog.tree.read, sha256, size1, size2);
      const check = verifyConsistency(sha256, size1, size2, proof, oldCheckpoint.body.root, newCheckpoint.body.root);
      if (!check.ok)
        problems.push(
          `fork: the old checkpoint (size ${size1}) is not consistent with the new one (size ${size2}): ${check.reason}`,
        );
      for (let i = 0; i < size1 && problems.length === 0; i++)
        if (!bytesEqual(oldLog.entryBytes(i), newLog.entryBytes(i)))
          problems.push(`entry ${i} differs between the exports`);
    }
  }
  const end = (bundle: string, checkpoint: typeof oldCheckpoint): ExportEnd => ({
    bundle,
    size: checkpoint?.body.size ?? null,
    root: checkpoint ? bytesToBase64(checkpoint.body.root) : null,
  });
  return {
    old: end(older.label, oldCheckpoint),
    new: end(newer.label, newCheckpoint),
    consistent: problems.length === 0,
    proof: proof.map((hash) => bytesToBase64(hash)),
    problems,
    trust: newer.verified.report.trustNote,
  };
};
