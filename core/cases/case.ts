// Review cases: what a refusal opens, its risk and SLA clock, and the dispositions each case type allows.
import type { z } from 'zod';
import type { CasePolicySchema, CaseTypeSchema, RiskLevelSchema } from '../policy/schema.ts';
import type { RefusalReason } from '../routing/outcome.ts';
import type { RoutingDecision } from '../routing/route.ts';
import type { HitId } from '../screening/case-hits.ts';

export type CaseType = z.infer<typeof CaseTypeSchema>;
export type RiskLevel = z.infer<typeof RiskLevelSchema>;
export type CasePolicy = z.infer<typeof CasePolicySchema>;

export type Disposition =
  | 'approve_assignment'
  | 'reject'
  | 'clear_false_positive'
  | 'confirm_match'
  | 'escalate'
  | 'request_information'
  | 'pursue_expansion'
  | 'decline_expansion';

export const DISPOSITIONS_BY_CASE_TYPE: Readonly<Record<CaseType, readonly Disposition[]>> = {
  screening_review: ['clear_false_positive', 'confirm_match', 'escalate', 'request_information'],
  enhanced_due_diligence: [
    'approve_assignment',
    'reject',
    'clear_false_positive',
    'confirm_match',
    'escalate',
    'request_information',
  ],
  compliance_review: ['approve_assignment', 'reject', 'escalate', 'request_information'],
  expansion_review: ['pursue_expansion', 'decline_expansion', 'escalate'],
  suitability_review: ['approve_assignment', 'reject', 'escalate', 'request_information'],
};

/** Dispositions that end the case; the others leave it open for more work. */
/**
 * The dispositions an officer may choose on a case of this queue: none on a sync conflict, which a senior officer
 * resolves instead (decision 0244).
 */
export const dispositionsFor = (queue: string): readonly Disposition[] =>
  Object.prototype.hasOwnProperty.call(DISPOSITIONS_BY_CASE_TYPE, queue)
    ? DISPOSITIONS_BY_CASE_TYPE[queue as CaseType]
    : [];

export const FINAL_DISPOSITIONS: ReadonlySet<Disposition> = new Set([
  'approve_assignment',
  'reject',
  'clear_false_positive',
  'confirm_match',
  'pursue_expansion',
  'decline_expansion',
]);

const RISK_BY_REASON: Readonly<Record<RefusalReason, RiskLevel>> = {
  not_screened: 'medium',
  sanctions_match: 'high',
  potential_sanctions_match: 'medium',
  pep_match: 'high',
  adverse_media_match: 'medium',
  blocklist_match: 'high',
  jurisdiction_missing: 'medium',
  jurisdiction_unknown: 'medium',
  jurisdiction_conflict: 'medium',
  jurisdiction_incomplete: 'low',
  stated_intent_conflict: 'medium',
  customer_type_unknown: 'low',
  product_unknown: 'low',
  kyc_failed: 'high',
  no_licensed_entity: 'low',
  booking_entity_unknown: 'medium',
  booking_entity_not_licensed: 'medium',
  no_eligible_team: 'medium',
  suitability_assessment_missing: 'medium',
  net_worth_below_threshold: 'medium',
  net_worth_unknown: 'low',
};

export type CaseStatus = 'open' | 'claimed' | 'awaiting_approval' | 'closed';

export type Assignment = { readonly entityId: string; readonly teamId: string; readonly repId: string };

export type MakerDecision = {
  readonly userId: string;
  readonly at: string;
  readonly disposition: Disposition;
  readonly reason: string;
  readonly assignment: Assignment | null;
  /** Set when the approved assignment deviates from what the licensing map allows, with the violations. */
  readonly override: { readonly violations: readonly string[] } | null;
  /** Screening cases: the hits the decision clears or confirms; absent on decisions made before it was recorded. */
  readonly hits?: readonly HitId[];
};

export type CheckerVerdict = {
  readonly userId: string;
  readonly at: string;
  readonly verdict: 'approved' | 'returned';
  readonly reason: string;
};

export type Case = {
  readonly id: string;
  readonly type: CaseType;
  readonly leadId: string;
  readonly productId: string;
  readonly reason: RefusalReason;
  readonly risk: RiskLevel;
  /** The lead's jurisdiction tag, or the best evidence of it for an untaggable lead; decides who may see the case. */
  readonly jurisdiction: string | null;
  readonly ruleVersion: string;
  readonly openedAt: string;
  readonly slaDueAt: string;
  readonly status: CaseStatus;
  readonly claimedBy: string | null;
  readonly claimedAt: string | null;
  readonly maker: MakerDecision | null;
  readonly checker: CheckerVerdict | null;
  readonly resolution: Disposition | null;
  readonly closedAt: string | null;
};

const addHours = (iso: string, hours: number): string => new Date(Date.parse(iso) + hours * 3_600_000).toISOString();

/** The jurisdiction a case is scoped to: the tag, else the address or KYC evidence. */
export const scopeJurisdictionOf = (decision: RoutingDecision): string | null => {
  const tagging = decision.trace.jurisdiction;
  if (tagging.jurisdiction) return tagging.jurisdiction;
  for (const evidence of tagging.evidence) {
    if (evidence.source !== 'stated_intent' && typeof evidence.resolvedTo === 'string') return evidence.resolvedTo;
  }
  return null;
};

/** Opens the case a refusal calls for; held, assigned and waiting paths open none. */
export const openCaseFor = (decision: RoutingDecision, policy: CasePolicy, caseId: string): Case | null => {
  if (decision.outcome.kind !== 'refused') return null;
  const type: CaseType = decision.outcome.queue;
  return {
    id: caseId,
    type,
    leadId: decision.leadId,
    productId: decision.productId,
    reason: decision.outcome.reason,
    risk: RISK_BY_REASON[decision.outcome.reason],
    jurisdiction: scopeJurisdictionOf(decision),
    ruleVersion: decision.ruleVersion,
    openedAt: decision.decidedAt,
    slaDueAt: addHours(decision.decidedAt, policy.slaHours[type]),
    status: 'open',
    claimedBy: null,
    claimedAt: null,
    maker: null,
    checker: null,
    resolution: null,
    closedAt: null,
  };
};

const RISK_ORDER: Readonly<Record<RiskLevel, number>> = { low: 0, medium: 1, high: 2 };

export const requiresFourEyes = (policy: CasePolicy, kase: Pick<Case, 'type' | 'risk'>): boolean =>
  policy.fourEyes.some((rule) => rule.caseType === kase.type && RISK_ORDER[kase.risk] >= RISK_ORDER[rule.minRisk]);

export const isOverdue = (kase: Pick<Case, 'status' | 'slaDueAt'>, now: string): boolean =>
  kase.status !== 'closed' && kase.slaDueAt < now;
