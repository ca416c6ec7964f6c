// Capacity that comes back, and holds that lift: paths waiting for capacity are retried oldest first when a rep's
// open count falls, and a lead's held paths are re-routed when the facts that held them change. Both go through core
// routing and are audited as routing decisions; a retry whose outcome is unchanged writes nothing (decision 0203).
import type { Lead } from '../../../../core/routing/lead.ts';
import { startRoutingRun } from '../../../../core/routing/route.ts';
import type { RoutingDecision } from '../../../../core/routing/route.ts';
import { statement } from '../../store/statements.ts';
import { leadFromStore, listVersionsInForce, loadRoutingState, recordDecision } from './intake.ts';
import type { Appender, Workstation } from '../session/workstation.ts';

/** A routing decision a retry or a lifted hold recorded. */
export type Rerouted = {
  readonly leadId: string;
  readonly productId: string;
  readonly outcome: RoutingDecision['outcome']['kind'];
  readonly repId: string | null;
  readonly caseId: string | null;
};

/** How many waiting paths one freed slot may look at: each look is a pure routing of one path, no write. */
export const WAITING_SCAN_LIMIT = 2_000;

/** The lead as routing sees it now: its stored facts (updated after intake) and the address updated after intake. */
export const currentLead = (workstation: Workstation, leadId: string): Lead => {
  const lead = leadFromStore(workstation.db, leadId);
  const updated = statement<[string], { address: string | null }>(
    workstation.db,
    'SELECT address FROM lead_conduct WHERE lead_id = ?',
  ).get(leadId);
  return updated?.address ? { ...lead, address: JSON.parse(updated.address) as Lead['address'] } : lead;
};

const summaryOf = (decision: RoutingDecision, caseId: string | null): Rerouted => ({
  leadId: decision.leadId,
  productId: decision.productId,
  outcome: decision.outcome.kind,
  repId: decision.outcome.kind === 'assigned' ? decision.outcome.repId : null,
  caseId,
});

/**
 * Retries paths waiting for capacity, oldest decision first, until `slots` of them are assigned (or the scan limit is
 * reached). A path still waiting is left as it is, without an entry; any other outcome is recorded.
 */
export const retryWaitingForCapacity = (
  workstation: Workstation,
  append: Appender,
  actor: string,
  slots: number,
): Rerouted[] => {
  if (slots <= 0) return [];
  const waiting = statement<[number], { lead_id: string; product_id: string }>(
    workstation.db,
    "SELECT lead_id, product_id FROM product_paths WHERE outcome = 'waiting_for_capacity' ORDER BY decided_seq LIMIT ?",
  ).all(WAITING_SCAN_LIMIT);
  if (waiting.length === 0) return [];
  const policy = workstation.policy();
  const run = startRoutingRun(policy.compiled, loadRoutingState(workstation.db));
  const at = workstation.deps.now().toISOString();
  const rerouted: Rerouted[] = [];
  let assigned = 0;
  for (const path of waiting) {
    if (assigned >= slots) break;
    const lead = currentLead(workstation, path.lead_id);
    const decision = run.route({ ...lead, productInterests: [path.product_id] }, at)[0]!;
    if (decision.outcome.kind === 'waiting_for_capacity') continue;
    const recorded = recordDecision(
      append,
      policy,
      decision,
      run.cursorOf,
      actor,
      ['routing:capacity-retry'],
      listVersionsInForce(workstation),
    );
    rerouted.push(summaryOf(decision, recorded.caseId));
    if (decision.outcome.kind === 'assigned') assigned += 1;
  }
  return rerouted;
};

/**
 * Re-routes a lead's held and waiting paths after its facts changed (the facts are already projected): a hold the
 * update lifted routes the path on (assigned, waiting, or a refusal such as kyc_failed with its case); a path whose
 * outcome stays the same is left without an entry.
 */
export const rerouteHeldPaths = (
  workstation: Workstation,
  append: Appender,
  actor: string,
  leadId: string,
  productIds: readonly string[] | null,
): Rerouted[] => {
  const held = statement<[string], { product_id: string; outcome: string; reason: string | null }>(
    workstation.db,
    "SELECT product_id, outcome, reason FROM product_paths WHERE lead_id = ? AND outcome IN ('held', 'waiting_for_capacity') ORDER BY product_id",
  )
    .all(leadId)
    .filter((row) => productIds === null || productIds.includes(row.product_id));
  if (held.length === 0) return [];
  const policy = workstation.policy();
  const run = startRoutingRun(policy.compiled, loadRoutingState(workstation.db));
  const at = workstation.deps.now().toISOString();
  const lead = currentLead(workstation, leadId);
  const rerouted: Rerouted[] = [];
  for (const row of held) {
    const decision = run.route({ ...lead, productInterests: [row.product_id] }, at)[0]!;
    const { outcome } = decision;
    const same = outcome.kind === row.outcome && (outcome.kind !== 'held' || outcome.reason === row.reason);
    if (same) continue;
    const recorded = recordDecision(
      append,
      policy,
      decision,
      run.cursorOf,
      actor,
      ['routing:facts-updated'],
      listVersionsInForce(workstation),
    );
    rerouted.push(summaryOf(decision, recorded.caseId));
  }
  return rerouted;
};
