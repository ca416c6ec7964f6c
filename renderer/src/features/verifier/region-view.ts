// What the verifier screen shows for a region export: the verdict, the region's logs, every problem (file, origin,
// entries) and every fork the export proves (decision 0275), in the same words as `perimeter verify-region`.
import type { RegionOutcome } from './verifier-job.ts';
import type { Verdict } from './verifier-view.ts';

export type RegionProblemView = {
  readonly file: string;
  readonly origin: string;
  readonly entries: string;
  readonly message: string;
};

export type RegionForkView = {
  readonly device: string;
  readonly origin: string;
  readonly what: string;
  readonly recordedAt: string;
  readonly evidence: string;
};

export type RegionView = {
  readonly name: string;
  readonly verdict: Verdict;
  /** One line under the verdict: what was verified, or how many checks failed. */
  readonly headline: string;
  readonly region: string;
  readonly devices: readonly { readonly device: string; readonly origin: string; readonly entries: number }[];
  readonly entries: number;
  readonly hubLogSize: number;
  readonly problems: readonly RegionProblemView[];
  readonly forks: readonly RegionForkView[];
};

export const regionView = (outcome: RegionOutcome): RegionView => {
  const { result } = outcome;
  const forks = result.forks.length;
  const forkWords = forks > 0 ? `; ${forks} fork${forks === 1 ? '' : 's'} recorded, with both signed checkpoints` : '';
  return {
    name: outcome.name,
    verdict: result.ok ? 'valid' : 'invalid',
    headline: result.ok
      ? `Region ${result.region} verified: ${result.devices} device logs, ${result.entries} entries, hub log of ${result.hubLogSize} entries; every accepted checkpoint is in the hub log${forkWords}`
      : `Region ${result.region} NOT verified: ${result.issues.length} check${result.issues.length === 1 ? '' : 's'} failed`,
    region: result.region ?? 'unknown',
    devices: result.deviceLogs.map((log) => ({ device: log.device, origin: log.origin, entries: log.size })),
    entries: result.entries,
    hubLogSize: result.hubLogSize,
    problems: result.issues.map((issue) => ({
      file: issue.file,
      origin: issue.origin ?? '—',
      entries: issue.entries ?? '—',
      message: issue.message,
    })),
    forks: result.forks.map((fork) => ({
      device: fork.device,
      origin: fork.origin,
      what: fork.sameSize
        ? `two checkpoints of size ${fork.conflictingSize} with different roots (accepted ${fork.acceptedRoot}, other ${fork.conflictingRoot})`
        : `a checkpoint of size ${fork.conflictingSize} (root ${fork.conflictingRoot}) that is not its mirrored log at that size`,
      recordedAt: fork.recordedAt || '—',
      evidence: fork.file,
    })),
  };
};
