// The seam between the product-path lifecycle and the KYC connector: the hand-off at QUALIFIED (enqueued in the
// command's own transaction) and the outcome a connector brings back (applied through the one fact-update path).
import type { KycStatus } from '../../../../core/conduct/model.ts';
import type { Database } from '../../store/database.ts';
import type { Appender } from '../session/workstation.ts';

/** The open write transaction of a lifecycle command: its database handle and its audit appender. */
export type LifecycleTransaction = { readonly db: Database; readonly append: Appender };

/**
 * A KYC initiation to hand to the KYC system: thin on purpose (pseudonymous ids and codes only). `pathSequence` is the
 * sequence of the `path.stage_changed` entry that took the path to QUALIFIED, a stable idempotency key for the event.
 */
export type KycInitiation = {
  readonly leadId: string;
  readonly productId: string;
  readonly jurisdiction: string;
  /** The rule version the path was qualified under. */
  readonly ruleVersion: string;
  /** The user who qualified the path (`user:<id>`). */
  readonly requestedBy: string;
  /** ISO 8601 UTC, the command's `now`. */
  readonly at: string;
  readonly pathSequence: number;
};

/**
 * Enqueues a KYC initiation inside the caller's transaction (the outbox row commits or rolls back with the transition).
 * It must not open its own transaction or commit; it may append audit events through `tx.append`.
 */
export type EnqueueKycInitiation = (tx: LifecycleTransaction, initiation: KycInitiation) => void;

/** Where a KYC outcome came from: a verified callback (its webhook-id) or an imported result file (its event id). */
export type KycOutcomeSource = { readonly kind: 'webhook' | 'file'; readonly eventId: string };

/** A KYC outcome as a connector delivers it, validated by the connector before the call. */
export type KycOutcome = { readonly leadId: string; readonly status: KycStatus; readonly source: KycOutcomeSource };
