// What the verifier screen shows for a verification or comparison: verdict, trust mode, first failure, summary, progress.
import { hasPermission } from '../../../../core/access/roles.ts';
import type { UserDto } from '../../../../core/api/contract.ts';
import type { FailureCode, TrustLevel, VerifyFailure, VerifySummary } from '../../../../core/audit/verify.ts';
import type { JobOutcome, ProgressStep } from './verifier-job.ts';

/**
 * Auditors, who verify what they are handed, and operations admins, who run the log and check an export before it
 * leaves or a bundle from another device (0081). The screen reads nothing from the workstation.
 */
export const mayUseVerifier = (user: UserDto): boolean =>
  hasPermission(user, 'audit.read') || (user.active && user.roles.includes('operations_admin'));

export const FAILURE_LABEL: Readonly<Record<FailureCode, string>> = {
  'missing-file': 'A file is missing',
  'unexpected-file': 'A file outside the export format',
  'file-hash': 'A file does not match its hash',
  manifest: 'The manifest is wrong',
  'entry-encoding': 'Entry is not readable text',
  'entry-not-canonical': 'Entry is not canonical JSON',
  'entry-schema': 'Entry does not match the entry schema',
  'entry-sequence': 'Entry is out of sequence',
  'entry-log': 'Entry belongs to another log',
  'entry-time-order': 'Entry time goes backwards',
  'entry-chain': 'Hash chain broken at this entry',
  'entry-altered': 'Entry altered',
  'tail-cut': 'Entries cut from the end',
  'tail-uncovered': 'Entries not covered by a checkpoint',
  'export-entry': 'The export entry is wrong',
  'checkpoint-format': 'Checkpoint is not a signed checkpoint',
  'checkpoint-origin': 'Checkpoint of another log',
  'checkpoint-misplaced': 'Checkpoint swapped or renamed',
  'checkpoint-order': 'Checkpoints out of order',
  'checkpoint-signature': 'Checkpoint signature does not verify',
  'checkpoint-unsigned': 'Checkpoint not signed by a log key',
  'checkpoint-key-window': 'Checkpoint signed outside the key’s validity window',
  'checkpoint-root': 'Checkpoint root does not match the entries',
  fork: 'Fork: two different logs of one size',
  consistency: 'Checkpoints are not consistent',
  rollback: 'Rollback: older than a checkpoint seen before',
  keys: 'keys.json does not match the log',
  'personal-data': 'Personal data does not open its commitment',
  csv: 'The CSV view differs from the entries',
  untrusted: 'Not signed by a trusted key',
};

export const TRUST_LABEL: Readonly<Record<TrustLevel, string>> = {
  'trust-established': 'Trust established: signed by a key you trust',
  'integrity-only': 'Integrity only: keys not independently trusted',
  'not-trusted': 'Not trusted: no covering checkpoint is signed by a key you trust',
};

/** What each trust mode means, in the screen's words (the library's note speaks of the CLI's --key). */
export const TRUST_EXPLANATION: Readonly<Record<TrustLevel, string>> = {
  'trust-established':
    'The checkpoint covering every entry is signed by a key you gave, or by a key it endorsed through the log’s own key rotations.',
  'integrity-only':
    'The bundle is consistent and signed by the keys it announces itself, but whoever made the bundle could have made those keys too. Paste the log’s verifier key, obtained separately, to establish trust.',
  'not-trusted':
    'No checkpoint covering the whole log is signed by a key you gave or one it endorsed: the bundle was signed by someone else, or the keys belong to another log.',
};

export type FailureView = {
  /** The entry's sequence number, when the failure is located at an entry. */
  readonly entry: string | null;
  /** File, line and field. */
  readonly location: string;
  readonly problem: string;
  readonly message: string;
};

export const failureView = (failure: VerifyFailure): FailureView => ({
  entry: failure.sequence,
  location: [
    failure.line !== null ? `${failure.file} line ${failure.line}` : failure.file,
    failure.field ? `field ${failure.field}` : null,
  ]
    .filter(Boolean)
    .join(', '),
  problem: FAILURE_LABEL[failure.code],
  message: failure.message,
});

export type SummaryView = {
  readonly logId: string;
  readonly origin: string;
  readonly entries: number;
  readonly firstTime: string | null;
  readonly lastTime: string | null;
  /** By event type, in alphabetical order. */
  readonly eventCounts: readonly (readonly [string, number])[];
  readonly checkpoints: readonly {
    readonly size: number;
    readonly root: string;
    readonly time: string;
    readonly signedBy: string;
  }[];
  readonly keys: readonly {
    readonly keyId: string;
    readonly name: string;
    readonly window: string;
    readonly announcedAt: string;
    readonly retiredAt: string;
    readonly trust: string;
  }[];
  readonly personalData: string;
};

export const summaryView = (summary: VerifySummary): SummaryView => ({
  logId: summary.logId ?? 'unknown',
  origin: summary.origin ?? 'unknown',
  entries: summary.entries,
  firstTime: summary.firstTime,
  lastTime: summary.lastTime,
  eventCounts: Object.entries(summary.eventCounts)
    .map(([type, count]) => [type, count ?? 0] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  checkpoints: summary.checkpoints.map((checkpoint) => ({
    size: checkpoint.size,
    root: checkpoint.root,
    time: checkpoint.time ?? '—',
    signedBy:
      [
        checkpoint.signedBy.join(', '),
        checkpoint.unknownSignatures > 0 ? `${checkpoint.unknownSignatures} unknown signature(s)` : '',
      ]
        .filter(Boolean)
        .join('; ') || 'no valid signature',
  })),
  keys: summary.keys.map((key) => ({
    keyId: key.keyId,
    name: key.name,
    window: `${key.validFrom} to ${key.validUntil}`,
    announcedAt: `entry ${key.announcedAt}`,
    retiredAt: key.retiredAt === null ? 'active' : `entry ${key.retiredAt}`,
    trust: key.trusted
      ? 'trusted (you gave it)'
      : key.endorsed
        ? 'endorsed by a trusted key'
        : 'announced by the log only',
  })),
  personalData: summary.personalData.included
    ? `${summary.personalData.present} held, ${summary.personalData.erased} erased`
    : 'not included',
});

export type Verdict = 'valid' | 'invalid' | 'unusable';

export const VERDICT_LABEL: Readonly<Record<Verdict, string>> = {
  valid: 'Valid',
  invalid: 'Invalid',
  unusable: 'Unusable input',
};

export type BundleView = {
  readonly name: string | null;
  readonly verdict: Verdict;
  /** Why the input could not be used (unusable only). */
  readonly error: string | null;
  readonly trust: { readonly level: TrustLevel; readonly label: string; readonly note: string } | null;
  readonly firstFailure: FailureView | null;
  readonly failures: readonly FailureView[];
  /** Failures found beyond those listed. */
  readonly unlisted: number;
  readonly summary: SummaryView | null;
};

/** A verification's outcome (a comparison's is not expected here and shows as unusable). */
export const bundleView = (outcome: JobOutcome): BundleView => {
  if (outcome.kind !== 'verified')
    return {
      name: outcome.kind === 'unusable' ? outcome.name : null,
      verdict: 'unusable',
      error:
        outcome.kind === 'compared'
          ? 'the verifier answered with a comparison'
          : outcome.kind === 'region'
            ? 'the verifier answered with a region export'
            : outcome.error,
      trust: null,
      firstFailure: null,
      failures: [],
      unlisted: 0,
      summary: null,
    };
  const { report } = outcome;
  return {
    name: outcome.name,
    verdict: report.verdict,
    error: null,
    trust: { level: report.trust, label: TRUST_LABEL[report.trust], note: TRUST_EXPLANATION[report.trust] },
    firstFailure: report.firstFailure ? failureView(report.firstFailure) : null,
    failures: report.failures.map(failureView),
    unlisted: Math.max(0, report.failureCount - report.failures.length),
    summary: summaryView(report.summary),
  };
};

export type CompareView = {
  readonly status: 'consistent' | 'inconsistent' | 'unusable';
  readonly label: string;
  readonly problems: readonly string[];
  readonly older: { readonly name: string; readonly size: number | null; readonly root: string | null };
  readonly newer: { readonly name: string; readonly size: number | null; readonly root: string | null };
  readonly proofHashes: number;
  /** The newer bundle's trust mode. */
  readonly trust: string | null;
};

/** A comparison's outcome (a single verification's is not expected here and shows as unusable). */
export const compareView = (outcome: JobOutcome): CompareView => {
  if (outcome.kind !== 'compared')
    return {
      status: 'unusable',
      label: 'Unusable input',
      problems: [
        outcome.kind === 'verified' || outcome.kind === 'region'
          ? 'the verifier answered with a single verification'
          : outcome.error,
      ],
      older: { name: '', size: null, root: null },
      newer: { name: '', size: null, root: null },
      proofHashes: 0,
      trust: null,
    };
  const { consistency } = outcome;
  if (consistency === null)
    return {
      status: 'unusable',
      label: 'Unusable input',
      problems: [outcome.older, outcome.newer].flatMap((side) =>
        side.kind === 'unusable' ? [`${side.name}: ${side.error}`] : [],
      ),
      older: { name: outcome.older.name, size: null, root: null },
      newer: { name: outcome.newer.name, size: null, root: null },
      proofHashes: 0,
      trust: null,
    };
  return {
    status: consistency.consistent ? 'consistent' : 'inconsistent',
    label: consistency.consistent ? 'Consistent: the newer bundle extends the older one' : 'Not consistent',
    problems: consistency.problems,
    older: { name: consistency.old.bundle, size: consistency.old.size, root: consistency.old.root },
    newer: { name: consistency.new.bundle, size: consistency.new.size, root: consistency.new.root },
    proofHashes: consistency.proof.length,
    trust: outcome.newer.kind === 'verified' ? TRUST_LABEL[outcome.newer.report.trust] : null,
  };
};

/** Where in a bundle's verification the phases fall on the bar: the unzip, the entries, then the checkpoints. */
const PHASE_SPAN: Readonly<Record<ProgressStep['phase'], readonly [number, number]>> = {
  reading: [0, 5],
  entries: [5, 90],
  checkpoints: [90, 100],
};

/** A whole percentage for the progress bar; a comparison puts the older bundle in the first half. */
export const progressPercent = (step: ProgressStep): number => {
  const [from, to] = PHASE_SPAN[step.phase];
  const fraction = step.total > 0 ? Math.min(1, Math.max(0, step.done / step.total)) : 1;
  const within = from + (to - from) * fraction;
  const overall = step.bundle === 'single' ? within : step.bundle === 'older' ? within / 2 : 50 + within / 2;
  return Math.floor(overall);
};

export const progressText = (step: ProgressStep): string => {
  const which = step.bundle === 'older' ? 'older bundle: ' : step.bundle === 'newer' ? 'newer bundle: ' : '';
  if (step.phase === 'reading') return `${which}reading the bundle`;
  return `${which}checking ${step.phase} (${step.done.toLocaleString('en')} of ${step.total.toLocaleString('en')})`;
};
