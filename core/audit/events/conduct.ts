// Events of a product path after routing (the lifecycle under conduct rules, issue 14) and of a lead's facts after
// intake. Codes, stages, template ids and times sit in the hashed entry; outreach summaries, consent references, the
// prospect's address and time zone sit beside the log.
import * as z from 'zod';
import { Code, defineEvent, FreeText, PayloadVersion } from './define.ts';

const StageCode = z.enum(['NEW', 'CONTACTED', 'QUALIFIED', 'PROPOSAL', 'WON', 'LOST', 'CLOSED']);
const Path = {
  leadId: Code,
  productId: Code,
  ruleVersion: Code.describe('the policy version the command was decided under'),
};
const Template = z.strictObject({ template: Code, version: z.number().int().min(1) });

/** A contact consent as the hashed entry holds it: its channels and time; its reference stays beside the log. */
const LoggedConsent = z.strictObject({ channels: z.array(Code).min(1), at: Code });

/** A suitability assessment: who assessed, when, with what outcome, for which product. */
export const SuitabilityAssessmentSchema = z.strictObject({
  productId: Code,
  outcome: z.enum(['suitable', 'not_suitable']),
  by: Code,
  at: Code,
});

/** The coded facts of a lead or path before or after an update: only the fields the update names. */
export const LoggedFactsSchema = z.strictObject({
  customerType: Code.optional(),
  clientStatus: Code.optional(),
  requestedAt: Code.nullable().optional(),
  existingRelationship: z.boolean().optional(),
  consents: z.array(LoggedConsent).optional(),
  kycStatus: Code.optional(),
  amlDocumentation: Code.optional(),
  doNotContact: z.boolean().optional(),
  suitability: SuitabilityAssessmentSchema.nullable().optional(),
  /** Whether a time zone / an address is on record; the values themselves are personal data beside the log. */
  timeZoneOnRecord: z.boolean().optional(),
  addressOnRecord: z.boolean().optional(),
});

/** The personal facts of an update, before and after: time zone, address, consent references. */
const PersonalFacts = z.strictObject({
  timeZone: z.string().max(100).nullable().optional(),
  address: z.record(z.string(), z.string().max(300)).nullable().optional(),
  consentReferences: z.array(FreeText).optional(),
});

/** A refusal as the log keeps it: the rule, the gate, what unblocks it and every gate in the way. */
const LoggedRule = z.strictObject({ id: Code, citation: Code, source: Code });

export const CONDUCT_EVENTS = {
  'path.outreach_recorded': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      ...Path,
      channel: Code,
      direction: z.enum(['inbound', 'outbound']),
      by: Code.describe('the rep or user who made or took the contact'),
      content: z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('template'), template: Code, version: z.number().int().min(1) }),
        z.strictObject({ kind: z.literal('summary') }),
      ]),
      disclosures: z.array(Template),
      authorisation: Code.describe(
        'inbound_request, consent, existing_relationship, professional_client or unrestricted',
      ),
      stage: z.strictObject({ from: StageCode, to: StageCode }).nullable(),
    }),
    personal: z.strictObject({ summary: FreeText }),
    personalRequired: false,
  }),
  'path.stage_changed': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      ...Path,
      command: z.enum(['advance', 'win', 'lose', 'close', 'kyc_failed']),
      from: StageCode,
      to: StageCode,
      reason: Code.nullable().describe('the loss or close reason code'),
      owner: Code.describe('the rep who owns the path'),
      kycInitiationDue: z.boolean().describe('QUALIFIED with KYC not started: the KYC hand-off is enqueued with it'),
    }),
  }),
  'path.checklist_item_done': defineEvent({
    payload: z.strictObject({ pv: PayloadVersion, ...Path, item: Code }),
  }),
  'path.reassigned': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      ...Path,
      from: Code,
      to: Code,
      teamId: Code.describe("the new owner's team, checked against the licensing map"),
    }),
  }),
  'path.contact_planned': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      ...Path,
      plan: z
        .strictObject({ channel: Code, at: Code.describe('the planned time, ISO 8601 UTC') })
        .nullable()
        .describe('null: the plan withdrawn'),
      warnings: z
        .array(z.strictObject({ kind: Code, rule: Code, safeFrom: Code.nullable() }))
        .describe('what the conduct rules would refuse at the planned time, as the owner was warned when planning'),
    }),
  }),
  'path.command_refused': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      ...Path,
      command: Code,
      target: Code.nullable().describe('the stage or channel the command aimed at'),
      rule: LoggedRule,
      gate: Code,
      unblock: z.strictObject({ kind: Code, at: Code.nullable(), text: z.string().max(2000) }),
      gates: z.array(z.strictObject({ kind: Code, status: Code, rule: Code })),
      message: z.string().max(4000),
    }),
  }),
  'lead.facts_updated': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      leadId: Code,
      productId: Code.nullable().describe('the one path the update is for; null for the lead and every path'),
      fields: z.array(Code).min(1),
      before: LoggedFactsSchema,
      after: LoggedFactsSchema,
      source: z.strictObject({
        kind: z.enum(['user', 'file', 'webhook']),
        eventId: Code.nullable().describe("the KYC system's event id (webhook-id) or the result file's record id"),
      }),
    }),
    personal: z.strictObject({ before: PersonalFacts, after: PersonalFacts }),
    personalRequired: false,
  }),
} as const;
