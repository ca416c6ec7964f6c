// The product-path lifecycle in the api contract (issue 14): My leads, the due-soon list, held and waiting paths, one
// path's gates, the lifecycle commands and fact updates. The methods themselves are listed in contract.ts.
import * as z from 'zod';
import { FactChangesSchema } from '../conduct/commands.ts';
import {
  CloseReason,
  DisclosureRefSchema,
  Instant,
  LossReason,
  OutreachContentSchema,
  Stage,
} from '../conduct/model.ts';
import { Channel, ContactBasis } from '../policy/conduct.ts';
import { Id as PolicyId } from '../policy/fields.ts';
import { AddressSchema } from '../routing/lead.ts';

const Id = z.string().trim().min(1).max(100);
const Text = z.string();
const PathRefShape = { leadId: Id, productId: PolicyId };

const RuleSchema = z.strictObject({ id: Text, citation: Text, source: Text });
export const GateDtoSchema = z.strictObject({
  kind: Text,
  rule: RuleSchema,
  status: z.enum(['met', 'pending', 'blocked']),
  why: Text,
  unblock: z.strictObject({ kind: Text, at: Text.nullable(), text: Text }).nullable(),
});
export const CoolingOffDtoSchema = z.strictObject({
  rule: Text,
  status: z.enum(['not_started', 'running', 'elapsed']),
  endsAt: Text.nullable(),
  remainingMs: z.number().nullable(),
  text: Text,
});

/** A warning for a planned contact: what the conduct rules would refuse at the planned time, and from when it is safe. */
export const PlanWarningDtoSchema = z.strictObject({
  kind: z.enum(['outside_outreach_window', 'cooling_off_not_over', 'would_be_refused']),
  rule: RuleSchema,
  message: Text,
  safeFrom: Text.nullable(),
});

/** A path's planned contact with its warnings, evaluated now for the planned time (decision 0239). */
export const PlannedContactDtoSchema = z.strictObject({
  channel: Text,
  at: Text,
  plannedBy: Text,
  warnings: z.array(PlanWarningDtoSchema),
});

/** A row of "My leads": the path, its stage, what is due and what blocks its next step, and why. */
export const MyLeadRowSchema = z.strictObject({
  leadId: Text,
  productId: Text,
  subject: Text,
  jurisdiction: Text,
  stage: Stage,
  openedAt: Text,
  stageChangedAt: Text,
  /** The next step: a first contact, or the next stage. */
  next: Text,
  /** The gates standing before the next step (blocked first, then pending). */
  blockedBy: z.array(GateDtoSchema),
  held: z.array(Text),
  coolingOff: CoolingOffDtoSchema.nullable(),
  planned: PlannedContactDtoSchema.nullable(),
});

const Page = {
  page: z.number().int().min(0).max(100_000).default(0),
  pageSize: z.number().int().min(1).max(200).default(50),
};

export const RefusalDtoSchema = z.strictObject({
  rule: RuleSchema,
  gate: Text,
  message: Text,
  unblock: z.strictObject({ kind: Text, at: Text.nullable(), text: Text }),
  gates: z.array(GateDtoSchema),
});

const ReroutedSchema = z.strictObject({
  leadId: Text,
  productId: Text,
  outcome: Text,
  repId: Text.nullable(),
  caseId: Text.nullable(),
});

export const LifecycleResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    leadId: Text,
    productId: Text,
    stage: Stage,
    owner: Text,
    sequences: z.array(z.number()),
    rerouted: z.array(ReroutedSchema),
    kycInitiationEnqueued: z.boolean(),
  }),
  z.strictObject({
    ok: z.literal(false),
    leadId: Text,
    productId: Text,
    refusal: RefusalDtoSchema,
    sequence: z.number(),
  }),
]);

export const FactUpdateResultSchema = z.strictObject({
  leadId: Text,
  sequence: z.number().nullable(),
  changed: z.array(Text),
  duplicate: z.boolean(),
  paths: z.array(
    z.strictObject({
      productId: Text,
      effect: z.enum(['closed', 'routed', 'held', 'unheld', 'unchanged']),
      outcome: Text.nullable(),
    }),
  ),
  rerouted: z.array(ReroutedSchema),
});

/** A communication to record: outbound (every outreach gate applies) or inbound (the prospect's own request). */
const OutreachRequest = z.discriminatedUnion('direction', [
  z.strictObject({
    ...PathRefShape,
    direction: z.literal('outbound'),
    channel: Channel,
    content: OutreachContentSchema,
    disclosures: z.array(DisclosureRefSchema).default([]),
    basis: ContactBasis.optional(),
  }),
  z.strictObject({
    ...PathRefShape,
    direction: z.literal('inbound'),
    channel: Channel,
    content: OutreachContentSchema,
  }),
]);

export const LIFECYCLE_API = {
  'paths.mine': {
    request: z.strictObject({
      ...Page,
      /** A supervisor may look at a rep's list; a rep sees their own. */
      owner: Id.optional(),
      sort: z.enum(['stage_changed_desc', 'stage_changed_asc']).default('stage_changed_desc'),
    }),
    response: z.strictObject({
      total: z.number(),
      page: z.number(),
      pageSize: z.number(),
      rows: z.array(MyLeadRowSchema),
    }),
  },
  'paths.dueSoon': {
    request: z.strictObject({
      horizonHours: z
        .number()
        .min(0)
        .max(24 * 31)
        .default(24),
      owner: Id.optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    response: z.strictObject({
      items: z.array(
        z.strictObject({
          leadId: Text,
          productId: Text,
          owner: Text,
          kind: Text,
          at: Text,
          remainingMs: z.number(),
          rule: Text,
          text: Text,
          /** A planned contact's warnings (kind planned_contact); empty for a cooling-off end. */
          warnings: z.array(PlanWarningDtoSchema),
        }),
      ),
    }),
  },
  'paths.heldAndWaiting': {
    request: z.strictObject({ ...Page }),
    response: z.strictObject({
      total: z.number(),
      rows: z.array(
        z.strictObject({
          leadId: Text,
          productId: Text,
          kind: z.enum(['held', 'waiting_for_capacity', 'engagement_held']),
          since: Text,
          owner: Text.nullable(),
          waitsFor: z.array(Text),
        }),
      ),
    }),
  },
  'paths.get': {
    request: z.strictObject(PathRefShape),
    response: z.strictObject({
      leadId: Text,
      productId: Text,
      owner: Text,
      stage: Stage,
      jurisdiction: Text,
      openedAt: Text,
      stageChangedAt: Text,
      gates: z.array(GateDtoSchema),
      coolingOff: CoolingOffDtoSchema.nullable(),
      held: z.array(Text),
      kycStatus: Text,
      amlDocumentation: Text,
      disclosures: z.array(z.strictObject({ template: Text, version: z.number(), at: Text, channel: Text })),
      outreach: z.array(
        z.strictObject({
          at: Text,
          channel: Text,
          direction: Text,
          by: Text,
          content: Text,
          disclosures: z.array(Text),
          authorisation: Text,
        }),
      ),
      checklist: z.array(z.strictObject({ item: Text, at: Text, by: Text })),
      planned: PlannedContactDtoSchema.nullable(),
      ending: z.strictObject({ stage: Text, at: Text, by: Text, reason: Text.nullable() }).nullable(),
    }),
  },
  'paths.transition': {
    request: z.discriminatedUnion('action', [
      z.strictObject({ ...PathRefShape, action: z.literal('advance'), to: z.enum(['QUALIFIED', 'PROPOSAL']) }),
      z.strictObject({ ...PathRefShape, action: z.literal('win') }),
      z.strictObject({ ...PathRefShape, action: z.literal('lose'), reason: LossReason }),
      z.strictObject({ ...PathRefShape, action: z.literal('close'), reason: CloseReason }),
    ]),
    response: LifecycleResultSchema,
  },
  'paths.recordOutreach': { request: OutreachRequest, response: LifecycleResultSchema },
  'paths.completeChecklistItem': {
    request: z.strictObject({ ...PathRefShape, item: PolicyId }),
    response: LifecycleResultSchema,
  },
  'paths.reassign': { request: z.strictObject({ ...PathRefShape, to: Id }), response: LifecycleResultSchema },
  'paths.reassignCandidates': {
    request: z.strictObject(PathRefShape),
    response: z.strictObject({
      owner: Text,
      candidates: z.array(
        z.strictObject({
          repId: Text,
          name: Text,
          teamId: Text,
          eligible: z.boolean(),
          whyNot: z.array(Text),
        }),
      ),
    }),
  },
  'paths.planContact': {
    request: z.strictObject({
      ...PathRefShape,
      /** null withdraws the plan. */
      plan: z.strictObject({ channel: Channel, at: Instant }).nullable(),
    }),
    response: z.strictObject({
      leadId: Text,
      productId: Text,
      plan: z.strictObject({ channel: Text, at: Text, plannedBy: Text }).nullable(),
      warnings: z.array(PlanWarningDtoSchema),
      sequence: z.number(),
    }),
  },
  'leads.updateFacts': {
    request: z.strictObject({
      leadId: Id,
      productId: PolicyId.nullable().optional(),
      facts: FactChangesSchema.optional(),
      suitability: z
        .strictObject({ productId: PolicyId, outcome: z.enum(['suitable', 'not_suitable']), at: Instant.optional() })
        .optional(),
      address: AddressSchema.nullable().optional(),
    }),
    response: FactUpdateResultSchema,
  },
} as const;
