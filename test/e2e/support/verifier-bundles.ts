// Audit export bundles for the verifier tests: two real exports of one workstation's log and a tampered copy.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipBundle, zipBundle } from '../../../core/audit/bundle-assemble.ts';
import { ENTRIES_FILE } from '../../../core/audit/bundle-format.ts';
import { verifyAuditBundle } from '../../../core/audit/verify.ts';
import { auditSigningKeys } from '../../../electron/services/audit/audit-log.ts';
import { exportAuditBundle } from '../../../electron/services/audit/export.ts';
import { nodeSha256 } from '../../../electron/services/audit/node-sha256.ts';
import type { Database } from '../../../electron/services/store/database.ts';

export type VerifierBundles = {
  /** An export, and a later one of the same log (it also holds the first export's audit.exported entry). */
  readonly earlier: string;
  readonly later: string;
  readonly earlierEntries: number;
  readonly laterEntries: number;
  /** The later export with one entry's bytes changed in entries.jsonl (its actor rewritten), rezipped. */
  readonly tampered: string;
  readonly tamperedSequence: string;
  /** What the verifier library says of the tampered copy: the first failure's code and message. */
  readonly tamperedCode: string;
  readonly tamperedMessage: string;
  /** The log's active verifier key, as an auditor would receive it out of band. */
  readonly verifierKey: string;
};

/** Exports the log twice as `actor`, writes both and a tampered copy into `dir`. Appends two audit.exported entries. */
export const writeVerifierBundles = (db: Database, dir: string, now: Date, actor: string): VerifierBundles => {
  const first = exportAuditBundle(db, { now, actor });
  const second = exportAuditBundle(db, { now, actor });
  const earlier = join(dir, 'audit-export-earlier.zip');
  const later = join(dir, 'audit-export-later.zip');
  writeFileSync(earlier, first.zip);
  writeFileSync(later, second.zip);

  // Rewrite who did something in an entry from the middle of the log; the line stays canonical JSON.
  const unzipped = unzipBundle(second.zip);
  if (!unzipped.ok) throw new Error(unzipped.error);
  const files = new Map(unzipped.value.files);
  const lines = new TextDecoder().decode(files.get(ENTRIES_FILE)).split('\n');
  const index = Math.floor(second.entries / 2);
  const original = lines[index] ?? '';
  const changed = original.replace(/"actor":"[^"]*"/, '"actor":"user:mallory"');
  if (changed === original) throw new Error(`entry ${index} has no actor to rewrite`);
  lines[index] = changed;
  files.set(ENTRIES_FILE, new TextEncoder().encode(lines.join('\n')));
  const tampered = join(dir, 'audit-export-tampered.zip');
  writeFileSync(tampered, zipBundle(files, { mtime: now }));

  const failure = verifyAuditBundle(files, { sha256: nodeSha256 }).report.firstFailure;
  if (failure === null || failure.sequence !== String(index))
    throw new Error(`the tampered bundle should fail at entry ${index}, not ${JSON.stringify(failure)}`);
  const key = auditSigningKeys(db).find((candidate) => candidate.active);
  if (key === undefined) throw new Error('the log has no active signing key');
  return {
    earlier,
    later,
    earlierEntries: first.entries,
    laterEntries: second.entries,
    tampered,
    tamperedSequence: String(index),
    tamperedCode: failure.code,
    tamperedMessage: failure.message,
    verifierKey: key.verifierKey,
  };
};
