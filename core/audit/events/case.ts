// Events of a review case after it opened: claim, release, the maker's decision, the checker's approval or return.
import * as z from 'zod';
import { Code, defineEvent, PayloadVersion, ReasonData, v1Reader } from './define.ts';

const Nullable = Code.nullable();
const Assignment = z.strictObject({ entityId: Code, teamId: Code, repId: Code });

/** The maker's decision as the hashed entry holds it; the reason given stays beside the log. */
export const LoggedMakerSchema = z.strictObject({
  userId: Code,
  at: Code,
  disposition: Code,
  assignment: Assignment.nullable(),
  override: z.strictObject({ violations: z.array(Code) }).nullable(),
});

/** The checker's verdict as the hashed entry holds it; the reason given stays beside the log. */
export const LoggedCheckerSchema = z.strictObject({
  userId: Code,
  at: Code,
  verdict: z.enum(['approved', 'returned']),
});

/** The case's state after the event: what the projection's row becomes. */
export const CaseStateSchema = z.strictObject({
  status: z.enum(['open', 'claimed', 'awaiting_approval', 'closed']),
  claimedBy: Nullable,
  claimedAt: Nullable,
  maker: LoggedMakerSchema.nullable(),
  checker: LoggedCheckerSchema.nullable(),
  resolution: Nullable,
  closedAt: Nullable,
});

/** What a closed case does to its product path or lead, written in the entry that closes it. */
export const CaseEffectSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('path'),
    leadId: Code,
    productId: Code,
    outcome: z.enum(['assigned', 'rejected', 'expansion_pursued']),
    reason: Code,
    entityId: Nullable,
    teamId: Nullable,
    repId: Nullable,
    override: z.boolean(),
  }),
  z.strictObject({ kind: z.literal('lead_blocked'), leadId: Code }),
]);

const caseFields = { pv: PayloadVersion, caseId: Code, state: CaseStateSchema };

/**
 * What a decision was taken under on its device (decision 0255): the active policy's rule version and the list versions
 * in force. Optional: entries written before them carry neither.
 */
const decidedUnder = {
  ruleVersion: Code.optional().describe('the rule version of the policy active on the device when it decided'),
  listVersions: z
    .array(z.strictObject({ listId: Code, version: Code }))
    .optional()
    .describe('the list versions in force on the device when it decided'),
};

/**
 * Version 3 of the payloads that decide (decided, approved, returned): they name the case version the officer saw
 * (decision 0243), so two decisions taken offline on the same version are found as a conflict, never overwritten.
 * Version 2 entries (written before sync) carry no version and are applied as they were. (The writer always pairs
 * version 3 with `caseVersion`; the apply of another device's entries refuses a version 3 decision without it. Not a
 * refinement here, so the fast entry reader keeps reading these payloads without zod.)
 */
export const CASE_DECISION_PAYLOAD_VERSION = 3 as const;
const decisionFields = {
  ...caseFields,
  pv: z
    .union([PayloadVersion, z.literal(CASE_DECISION_PAYLOAD_VERSION)])
    .describe('payload version: 3 names caseVersion'),
  caseVersion: z.number().int().nonnegative().optional().describe('the case version the decision saw (version 3)'),
};

export const CASE_EVENTS = {
  'case.claimed': defineEvent({
    payload: z.strictObject({ ...caseFields, action: z.literal('claim') }),
    // Version 1 also logged releases here, as action "release".
    v1: v1Reader({}),
  }),
  'case.released': defineEvent({
    payload: z.strictObject({
      ...caseFields,
      claimedBy: Code.optional().describe('whose claim it was, when someone else released it (a deactivation)'),
    }),
    // A release by someone else says why (the deactivation's reason); one's own release needs none.
    personal: ReasonData,
    personalRequired: false,
  }),
  'case.decided': defineEvent({
    payload: z.strictObject({
      ...decisionFields,
      decision: Code,
      violations: z.array(Code),
      effect: CaseEffectSchema.optional(),
      /** Screening cases: the hits the decision clears or confirms (decision 0180). */
      // Unbounded like the lead's own hits (core/routing/lead.ts), so any hit a lead carries can be decided.
      hits: z.array(z.strictObject({ listId: Code, entryId: Code, listVersion: Code })).optional(),
      ...decidedUnder,
    }),
    personal: ReasonData,
    v1: v1Reader({ decision: z.string().min(1).max(500) }),
  }),
  'case.approved': defineEvent({
    payload: z.strictObject({
      ...decisionFields,
      decision: Code,
      effect: CaseEffectSchema.optional(),
      ...decidedUnder,
    }),
    personal: ReasonData,
    // Version 1 also logged returns for rework here, as verdict "returned".
    v1: v1Reader({ decision: z.string().min(1).max(500) }),
  }),
  'case.returned': defineEvent({
    payload: z.strictObject({ ...decisionFields, decision: Code }),
    personal: ReasonData,
  }),
  // Sync conflicts (decisions 0243–0245): a senior officer's resolution of two decisions taken on the same version.
  'case.conflict_resolved': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      conflictId: Code,
      caseId: Code,
      /** The decision that stands, by its entry (origin and sequence); null: neither, the case is open again. */
      chosen: z.strictObject({ origin: Code, seq: z.number().int().nonnegative() }).nullable(),
    }),
    personal: ReasonData,
  }),
} as const;
