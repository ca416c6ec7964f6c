// Routing outcomes: a closed union. There is no outcome that means "anyone".
export type ReviewQueue =
  'screening_review' | 'enhanced_due_diligence' | 'compliance_review' | 'expansion_review' | 'suitability_review';

export type RefusalReason =
  | 'not_screened'
  | 'sanctions_match'
  | 'potential_sanctions_match'
  | 'pep_match'
  | 'adverse_media_match'
  | 'blocklist_match'
  | 'jurisdiction_missing'
  | 'jurisdiction_unknown'
  | 'jurisdiction_conflict'
  | 'jurisdiction_incomplete'
  | 'stated_intent_conflict'
  | 'customer_type_unknown'
  | 'product_unknown'
  | 'kyc_failed'
  | 'no_licensed_entity'
  | 'booking_entity_unknown'
  | 'booking_entity_not_licensed'
  | 'no_eligible_team'
  | 'suitability_assessment_missing'
  | 'net_worth_below_threshold'
  | 'net_worth_unknown';

export type HoldReason = 'kyc_not_verified' | 'aml_documentation_incomplete';

/** Every hold reason, for documentation checks (the record type makes the compiler list them all). */
export const HOLD_REASONS = Object.keys({
  kyc_not_verified: true,
  aml_documentation_incomplete: true,
} satisfies Record<HoldReason, true>) as HoldReason[];

/** The queue each refusal lands in: one place, so a reason can never drift into the wrong queue. */
export const QUEUE_FOR_REFUSAL: Readonly<Record<RefusalReason, ReviewQueue>> = {
  not_screened: 'screening_review',
  sanctions_match: 'screening_review',
  potential_sanctions_match: 'screening_review',
  pep_match: 'enhanced_due_diligence',
  adverse_media_match: 'enhanced_due_diligence',
  blocklist_match: 'compliance_review',
  jurisdiction_missing: 'compliance_review',
  jurisdiction_unknown: 'compliance_review',
  jurisdiction_conflict: 'compliance_review',
  jurisdiction_incomplete: 'compliance_review',
  stated_intent_conflict: 'compliance_review',
  customer_type_unknown: 'compliance_review',
  product_unknown: 'compliance_review',
  kyc_failed: 'compliance_review',
  no_licensed_entity: 'expansion_review',
  booking_entity_unknown: 'compliance_review',
  booking_entity_not_licensed: 'compliance_review',
  no_eligible_team: 'compliance_review',
  suitability_assessment_missing: 'suitability_review',
  net_worth_below_threshold: 'suitability_review',
  net_worth_unknown: 'suitability_review',
};

export type Outcome =
  | {
      readonly kind: 'assigned';
      readonly entityId: string;
      readonly teamId: string;
      readonly repId: string;
      readonly licenceId: string;
    }
  | { readonly kind: 'refused'; readonly reason: RefusalReason; readonly queue: ReviewQueue }
  | { readonly kind: 'held'; readonly reason: HoldReason; readonly entityId: string; readonly teamId: string }
  | { readonly kind: 'waiting_for_capacity'; readonly entityId: string; readonly teamIds: readonly string[] };

export type Notification = {
  readonly kind: 'expansion_demand';
  readonly audience: 'operations_admin';
  readonly jurisdiction: string;
  readonly productId: string;
  readonly message: string;
};

export const refuse = (reason: RefusalReason): Outcome => ({
  kind: 'refused',
  reason,
  queue: QUEUE_FOR_REFUSAL[reason],
});
