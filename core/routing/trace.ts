// The explanation trace: data first. Every constraint evaluated with its inputs, every candidate and why it fell out.
import type { RuleVersion } from '../policy/version.ts';

export type ConstraintCheck = {
  /** A stable name such as "licence.jurisdiction", "team.productAuthority" or "rule:R-12". */
  readonly constraint: string;
  readonly passed: boolean;
  readonly inputs: Readonly<Record<string, unknown>>;
};

export type JurisdictionEvidence = {
  readonly source: 'address' | 'kyc_prescreen' | 'stated_intent';
  readonly value: string;
  /** The code(s) the evidence resolved to, or null when it could not be resolved. */
  readonly resolvedTo: string | readonly string[] | null;
  readonly note: string;
};

export type TaggingStatus = 'tagged' | 'missing' | 'unknown' | 'conflict' | 'incomplete' | 'intent_conflict';

export type TaggingTrace = {
  readonly status: TaggingStatus;
  readonly jurisdiction: string | null;
  readonly markets: readonly string[];
  readonly evidence: readonly JurisdictionEvidence[];
  readonly resolution: string;
};

export type LicenceCheck = {
  readonly licenceId: string;
  readonly regulator: string;
  readonly regime: string;
  /** The regulator's reference for the licence (register number), when the policy records one. */
  readonly reference: string | null;
  readonly covers: boolean;
  /** home: held in its own right in the jurisdiction; passport: passported into it. */
  readonly via: 'home' | 'passport' | null;
  /** The first constraint the licence failed, when it does not cover the path. */
  readonly failed: ConstraintCheck | null;
};

export type EntityConsideration = {
  readonly entityId: string;
  readonly priority: number;
  readonly licensed: boolean;
  readonly coveringLicenceId: string | null;
  readonly licences: readonly LicenceCheck[];
};

export type TeamConsideration = {
  readonly teamId: string;
  readonly entityId: string;
  /** Licences of the team's entity that cover this path. */
  readonly licences: readonly string[];
  readonly checks: readonly ConstraintCheck[];
  /** The first constraint that excluded the team, or null when it stayed eligible. */
  readonly excludedBy: ConstraintCheck | null;
  readonly preference: { readonly score: number; readonly rules: readonly string[] };
};

/** A firm rule as this path met it: whether its `when` held (so it applied) and the lead facts `when` read. */
export type RuleApplication = {
  readonly ruleId: string;
  readonly effect: 'require' | 'forbid' | 'prefer';
  readonly applied: boolean;
  /** Each fact the rule's `when` read, with its value for this lead (null when the lead has none). */
  readonly facts: Readonly<Record<string, unknown>>;
};

/** Why one authorisation of a rep does not cover the path: the first dimension it fails, in licence order. */
export type AuthorisationGap = 'jurisdiction' | 'product' | 'customerType' | 'expired';

export type RepSkip = 'not_authorised' | 'unavailable' | 'absent' | 'at_capacity';

/** Every reason round-robin passes over a rep, for documentation checks. */
export const REP_SKIPS = Object.keys({
  not_authorised: true,
  unavailable: true,
  absent: true,
  at_capacity: true,
} satisfies Record<RepSkip, true>) as RepSkip[];

/** Every authorisation gap, for documentation checks. */
export const AUTHORISATION_GAPS = Object.keys({
  jurisdiction: true,
  product: true,
  customerType: true,
  expired: true,
} satisfies Record<AuthorisationGap, true>) as AuthorisationGap[];

/** Every tagging status. */
export const TAGGING_STATUSES = Object.keys({
  tagged: true,
  missing: true,
  unknown: true,
  conflict: true,
  incomplete: true,
  intent_conflict: true,
} satisfies Record<TaggingStatus, true>) as TaggingStatus[];

export type RepConsideration = {
  readonly repId: string;
  readonly teamId: string;
  readonly load: number;
  readonly capacity: number;
  /** Why round-robin passed over the rep, or null for the one chosen. */
  readonly skipped: RepSkip | null;
};

export type Choice = { readonly id: string; readonly why: string };

export type RoutingTrace = {
  readonly ruleVersion: RuleVersion;
  readonly decidedAt: string;
  readonly leadId: string;
  readonly productId: string;
  /** The gates in the order they were evaluated, ending at the one that decided (if any did). */
  readonly steps: readonly ConstraintCheck[];
  readonly jurisdiction: TaggingTrace;
  readonly entities: readonly EntityConsideration[];
  /** Every firm rule in policy order, applied or not (empty until team selection is reached). */
  readonly rules: readonly RuleApplication[];
  readonly teams: readonly TeamConsideration[];
  readonly reps: readonly RepConsideration[];
  readonly chosen: { readonly entity: Choice | null; readonly team: Choice | null; readonly rep: Choice | null };
};
