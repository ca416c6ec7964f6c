// The verifier's work, free of the Worker API so tests run it directly: unzip, verify, compare, reporting progress.
import { unzipBundle } from '../../../../core/audit/bundle-assemble.ts';
import { readBundleZipAsync } from '../../../../core/audit/bundle-zip.ts';
import type { ZipReadResult } from '../../../../core/audit/bundle-zip.ts';
import type { NoteVerifierKey } from '../../../../core/audit/note.ts';
import type { AuditVerification, VerifyProgress } from '../../../../core/audit/verify.ts';
import {
  checkExportConsistency,
  parseTrustedKeyText,
  verifyUnzippedBundle,
} from '../../../../core/audit/verify-export.ts';
import type { ExportConsistency, VerifiedExport } from '../../../../core/audit/verify-export.ts';
import { portableSha256 } from '../../../../core/shared/sha256.ts';
import { isRegionExport, verifyRegionExportZip } from '../../../../core/sync/region-verify.ts';
import type { RegionVerification } from '../../../../core/sync/region-verify.ts';
import { STREAM_ZIP_INFLATE } from './stream-inflate.ts';

/** Which bundle a progress step is about: the one being verified, or one side of a comparison. */
export type BundleRole = 'single' | 'older' | 'newer';

export type ProgressStep = {
  readonly bundle: BundleRole;
  /** Reading is the unzip (no finer steps); entries and checkpoints come from the verifier. */
  readonly phase: 'reading' | VerifyProgress['phase'];
  readonly done: number;
  readonly total: number;
};

export type BundleOutcome =
  | { readonly kind: 'verified'; readonly name: string; readonly report: AuditVerification }
  | { readonly kind: 'unusable'; readonly name: string; readonly error: string };

export type CompareOutcome = {
  readonly kind: 'compared';
  readonly older: BundleOutcome;
  readonly newer: BundleOutcome;
  /** Null when either bundle could not be read at all (its outcome says why). */
  readonly consistency: ExportConsistency | null;
};

export type KeysProblem = { readonly kind: 'keys'; readonly error: string };

/** A region export (`perimeter hub export`), verified by the same core code as `perimeter verify-region`. */
export type RegionOutcome = { readonly kind: 'region'; readonly name: string; readonly result: RegionVerification };

export type JobOutcome = BundleOutcome | CompareOutcome | KeysProblem | RegionOutcome;

/**
 * A chosen file's bytes; `unzipped` when the worker has already read the zip with the browser's native inflater
 * (asynchronous, so before the job), otherwise the job reads it with the portable one.
 */
export type BundleBytes = { readonly name: string; readonly bytes: Uint8Array; readonly unzipped?: ZipReadResult };

/** Whether a chosen file is a region export: its manifest says so (the audit bundle's reader inflates the manifest). */
const isRegionZip = (bundle: BundleBytes): boolean => {
  const unzipped = bundle.unzipped ?? unzipBundle(bundle.bytes);
  return unzipped.ok && isRegionExport(unzipped.value.files);
};

/** A region export's verification: the whole zip read (its members are outside the audit bundle's format). */
const verifyRegion = (bundle: BundleBytes, post: (message: WorkerMessage) => void): BundleOutcome | RegionOutcome => {
  post({ kind: 'progress', step: { bundle: 'single', phase: 'reading', done: 0, total: 1 } });
  const verified = verifyRegionExportZip(bundle.bytes, sha256);
  post({ kind: 'progress', step: { bundle: 'single', phase: 'checkpoints', done: 1, total: 1 } });
  return verified.kind === 'unusable'
    ? { kind: 'unusable', name: bundle.name, error: verified.error }
    : { kind: 'region', name: bundle.name, result: verified.result };
};

export type JobRequest =
  | { readonly kind: 'verify'; readonly keys: string; readonly bundle: BundleBytes }
  | { readonly kind: 'compare'; readonly keys: string; readonly older: BundleBytes; readonly newer: BundleBytes };

/** A chosen file as the worker hands it to the job: its zip read with the browser's native inflater. */
export const readChosenBundle = async (name: string, bytes: Uint8Array): Promise<BundleBytes> => ({
  name,
  bytes,
  unzipped: await readBundleZipAsync(bytes, { inflate: STREAM_ZIP_INFLATE }),
});

/** What the worker posts back: progress while it works, then one outcome. */
export type WorkerMessage =
  | { readonly kind: 'progress'; readonly step: ProgressStep }
  | { readonly kind: 'done'; readonly outcome: JobOutcome }
  | { readonly kind: 'crashed'; readonly error: string };

/**
 * SHA-256 inside the worker: @noble/hashes through core's portable port. WebCrypto is asynchronous and the verifier
 * hashes synchronously; measured at 3.5 µs per 300-byte message against WebCrypto's 11.7 µs even when batched (0080).
 */
const sha256 = portableSha256;

const parseKeys = (text: string): { ok: true; value: NoteVerifierKey[] } | { ok: false; error: string } => {
  const parsed = parseTrustedKeyText(text, sha256);
  return parsed.ok
    ? parsed
    : { ok: false, error: `Trusted keys, line ${parsed.line}: not a note verifier key: ${parsed.error}` };
};

const verifyBytes = (
  bundle: BundleBytes,
  role: BundleRole,
  trustedKeys: readonly NoteVerifierKey[],
  post: (message: WorkerMessage) => void,
): { outcome: BundleOutcome; verified: VerifiedExport | null } => {
  post({ kind: 'progress', step: { bundle: role, phase: 'reading', done: 0, total: 1 } });
  const unzipped = bundle.unzipped ?? unzipBundle(bundle.bytes);
  if (!unzipped.ok) return { outcome: { kind: 'unusable', name: bundle.name, error: unzipped.error }, verified: null };
  post({ kind: 'progress', step: { bundle: role, phase: 'reading', done: 1, total: 1 } });
  const verified = verifyUnzippedBundle(unzipped.value, {
    sha256,
    trustedKeys,
    onProgress: (progress) => post({ kind: 'progress', step: { bundle: role, ...progress } }),
  });
  if (!verified.ok) return { outcome: { kind: 'unusable', name: bundle.name, error: verified.error }, verified: null };
  return { outcome: { kind: 'verified', name: bundle.name, report: verified.value.report }, verified: verified.value };
};

/** Runs one request to its end; everything it learns goes through `post`, the outcome last. */
export const runVerifierJob = (request: JobRequest, post: (message: WorkerMessage) => void): void => {
  // A region export carries its own keys in its manifest (an auditor compares them with the hub's published identity).
  if (request.kind === 'verify' && isRegionZip(request.bundle))
    return post({ kind: 'done', outcome: verifyRegion(request.bundle, post) });
  const keys = parseKeys(request.keys);
  if (!keys.ok) return post({ kind: 'done', outcome: { kind: 'keys', error: keys.error } });
  if (request.kind === 'verify')
    return post({ kind: 'done', outcome: verifyBytes(request.bundle, 'single', keys.value, post).outcome });
  const older = verifyBytes(request.older, 'older', keys.value, post);
  const newer = verifyBytes(request.newer, 'newer', keys.value, post);
  const consistency =
    older.verified && newer.verified
      ? checkExportConsistency(
          { label: request.older.name, verified: older.verified },
          { label: request.newer.name, verified: newer.verified },
          sha256,
        )
      : null;
  post({ kind: 'done', outcome: { kind: 'compared', older: older.outcome, newer: newer.outcome, consistency } });
};
