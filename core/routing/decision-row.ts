// The one mapping from a routing decision to its flat row: what the log's routing.decided entry, the api's answer and
// the CLI's output all say about one product path (decision 0143).
import type { CaseType } from '../cases/case.ts';
import type { RoutingDecision } from './route.ts';

export type DecisionRow = {
  readonly leadId: string;
  readonly productId: string;
  readonly outcome: RoutingDecision['outcome']['kind'];
  readonly queue: CaseType | null;
  /** The refusal or hold reason code. */
  readonly reason: string | null;
  readonly entityId: string | null;
  readonly teamId: string | null;
  readonly repId: string | null;
  readonly licenceId: string | null;
};

export const decisionRowOf = (decision: RoutingDecision): DecisionRow => {
  const { outcome } = decision;
  return {
    leadId: decision.leadId,
    productId: decision.productId,
    outcome: outcome.kind,
    queue: outcome.kind === 'refused' ? outcome.queue : null,
    reason: outcome.kind === 'refused' || outcome.kind === 'held' ? outcome.reason : null,
    entityId: outcome.kind === 'refused' ? null : outcome.entityId,
    teamId: outcome.kind === 'assigned' || outcome.kind === 'held' ? outcome.teamId : null,
    repId: outcome.kind === 'assigned' ? outcome.repId : null,
    licenceId: outcome.kind === 'assigned' ? outcome.licenceId : null,
  };
};
