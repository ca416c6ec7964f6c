// The product paths of a lead.intake entry (decision 0263), written and read by the one pair of functions: each path's
// decision row, the case a refusal opens, and its trace in format 4 (by position in the cited policy, decision 0264),
// with the jurisdiction trace said once for the lead when every path has the same.
import type * as z from 'zod';
import type { JsonObject } from '../audit/entry.ts';
import type { IntakePathSchema } from '../audit/events/lead.ts';
import { openCaseFor } from '../cases/case.ts';
import type { CasePolicy } from '../cases/case.ts';
import type { PolicyBundle } from '../policy/schema.ts';
import { canonicalJson } from '../shared/canonical-json.ts';
import { auditTraceOf, compactAuditTrace, expandAuditTrace, traceRefsOf } from './audit-trace.ts';
import { decisionRowOf } from './decision-row.ts';
import type { RoutingDecision } from './route.ts';

export type IntakePath = z.infer<typeof IntakePathSchema>;

export type IntakePaths = {
  /** The jurisdiction trace of every path, when they all have the same (their traces then leave it out). */
  readonly tagging: JsonObject | undefined;
  readonly paths: IntakePath[];
};

/** The paths of one lead's routing run (all decided under one policy, at one time), as the entry holds them. */
export const intakePathsOf = (
  decisions: readonly RoutingDecision[],
  bundle: PolicyBundle,
  cases: CasePolicy,
  cursorOf: (teamId: string) => number,
): IntakePaths => {
  const refs = traceRefsOf(bundle);
  const paths = decisions.map((decision) => {
    const { outcome } = decision;
    const { leadId: _lead, ...row } = decisionRowOf(decision);
    const opened = openCaseFor(decision, cases, 'C-0');
    return {
      ...row,
      jurisdiction: decision.trace.jurisdiction.jurisdiction,
      cursor: outcome.kind === 'assigned' ? { teamId: outcome.teamId, next: cursorOf(outcome.teamId) } : null,
      notifications: decision.notifications.map((notification) => ({ ...notification })),
      case: opened ? { risk: opened.risk, jurisdiction: opened.jurisdiction, slaDueAt: opened.slaDueAt } : null,
      trace: compactAuditTrace(auditTraceOf(decision), refs),
    };
  });
  const taggings = paths.map((path) => canonicalJson(path.trace.jurisdiction ?? null));
  const first = paths[0]?.trace.jurisdiction;
  const shared = typeof first === 'object' && first !== null && taggings.every((one) => one === taggings[0]);
  if (!shared) return { tagging: undefined, paths };
  return {
    tagging: first as JsonObject,
    paths: paths.map(({ trace: { jurisdiction: _tagging, ...trace }, ...path }) => ({
      ...path,
      trace,
    })),
  };
};

/**
 * The format-3 trace of one path of a lead.intake payload, expanded with the bundle its rule version cites (null
 * when the entry has no path for that product).
 */
export const intakeTraceOf = (
  payload: Readonly<Record<string, unknown>>,
  productId: string,
  bundle: Pick<PolicyBundle, 'entities' | 'teams'>,
): JsonObject | null => {
  const path = (payload.paths as JsonObject[]).find((candidate) => candidate.productId === productId);
  if (!path) return null;
  return expandAuditTrace(path.trace as JsonObject, bundle, {
    ruleVersion: payload.ruleVersion as string,
    decidedAt: payload.decidedAt as string,
    tagging: payload.tagging as JsonObject | undefined,
  });
};
