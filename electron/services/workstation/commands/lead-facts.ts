// Fact updates after intake: KYC and AML status, suitability, customer type, address and time zone, contact consent.
import { WorkstationError } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';
import type { KycOutcome } from './kyc-handoff.ts';

/** What one fact update did: the facts that changed and what became of each of the lead's product paths. */
export type FactUpdateResult = {
  readonly leadId: string;
  /** The `lead.facts_updated` entry; null when nothing changed (or the source event was applied before). */
  readonly sequence: number | null;
  readonly changed: readonly string[];
  /** True when this source event id was applied before: nothing is written again (exactly once). */
  readonly duplicate: boolean;
  readonly paths: readonly {
    readonly productId: string;
    /** closed (KYC failed), routed (a hold or wait lifted), held / unheld (a conduct hold), unchanged. */
    readonly effect: 'closed' | 'routed' | 'held' | 'unheld' | 'unchanged';
    readonly outcome: string | null;
  }[];
};

/**
 * The KYC connector's entry (webhook callback or result file): applies a KYC outcome to a lead through the same fact
 * update as the api and the CLI, in one transaction; idempotent by `source.kind` + `source.eventId`.
 */
export const applyKycOutcome = (session: Session, outcome: KycOutcome): FactUpdateResult => {
  void session;
  void outcome;
  throw new WorkstationError('invalid_input', 'not built yet');
};
