// Events of a lead: intake, screening, routing and the review cases routing opens.
import * as z from 'zod';
import { LeadSchema, ScreeningHitSchema } from '../../routing/lead.ts';
import { SequenceText, UtcTime } from '../fields.ts';
import { Code, defineEvent, FreeText, PayloadVersion, v1Reader } from './define.ts';

const Nullable = Code.nullable();

/** The routing facts of a lead that are not personal: the hashed entry's `facts`. */
export const LeadFactsSchema = z.strictObject({
  customerType: Code,
  kycStatus: Code,
  amlDocumentation: Code,
  suitabilityAssessed: z.boolean(),
  netWorthBand: Nullable,
  targetMarket: Nullable,
  kycPrescreenJurisdiction: Nullable,
  /** Present only when the lead names its booking entity, so the bytes of other leads' entries are unchanged. */
  bookingEntity: Code.optional(),
  productInterests: z.array(Code).min(1),
  parties: z.array(z.enum(['person', 'company'])),
});

/** What of a lead is personal: its parties, address, free attributes and the source system's id for it. */
export const LeadPersonalDataSchema = z.strictObject({
  sourceId: FreeText.describe("the source system's id of the lead"),
  person: LeadSchema.shape.person,
  company: LeadSchema.shape.company,
  address: LeadSchema.shape.address,
  attributes: LeadSchema.shape.attributes.optional(),
});

/** A screening hit as the hashed entry holds it: the listed entry's name stays beside the log. */
export const LoggedHitSchema = ScreeningHitSchema.omit({ entryName: true });

const Thresholds = z.strictObject({ potential: z.number().min(0).max(1), strong: z.number().min(0).max(1) });
const ListVersions = z.array(z.strictObject({ listId: Code, version: Code }));

const NotificationSchema = z.strictObject({
  kind: Code,
  audience: Code,
  jurisdiction: Code,
  productId: Code,
  message: z.string().min(1).max(2000),
});

/**
 * Where the lead's data must reside (decision 0248): present only when the policy maps residency, so the bytes of
 * other leads' entries are unchanged. A regional hub refuses a lead whose region is not its own (decision 0249).
 */
export const LeadResidencySchema = z.strictObject({
  region: Nullable.describe('the residency region; null when the policy maps neither the entity nor a market'),
  basis: z.enum(['booking_entity', 'market', 'unresolved']),
  markets: z
    .array(Code)
    .describe("the firm's markets the lead's jurisdiction is inside (a hub serves devices by them)"),
});

export const LEAD_EVENTS = {
  'lead.ingested': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      leadId: Code,
      source: z.enum(['file', 'form', 'sync', 'api']),
      sourceSystem: Code,
      facts: LeadFactsSchema,
      scope: Nullable,
      residency: LeadResidencySchema.optional(),
    }),
    personal: LeadPersonalDataSchema,
    v1: v1Reader({ source: z.enum(['file', 'form', 'sync', 'api']) }),
  }),
  'lead.screened': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      leadId: Code,
      outcome: z.enum(['clear', 'potential', 'strong', 'cleared']),
      screening: z.strictObject({ screenedAt: z.string().min(1).max(40), hits: z.array(LoggedHitSchema) }),
      thresholds: Thresholds.optional(),
      listVersions: ListVersions.optional(),
      clearedBy: Code.optional().describe('the case whose decision cleared the hits'),
    }),
    // The names of the listed entries hit, in the order of the payload's hits.
    personal: z.strictObject({ entryNames: z.array(FreeText) }),
    personalRequired: false,
    v1: v1Reader({ outcome: z.string().min(1).max(500) }),
  }),
  'routing.decided': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      leadId: Code,
      productId: Code,
      outcome: z.enum(['assigned', 'refused', 'held', 'waiting_for_capacity']),
      queue: Nullable,
      reason: Nullable.describe('the refusal or hold reason code'),
      entityId: Nullable,
      teamId: Nullable,
      repId: Nullable,
      licenceId: Nullable,
      jurisdiction: Nullable,
      ruleVersion: Code,
      cursor: z.strictObject({ teamId: Code, next: z.number().int().min(0) }).nullable(),
      notifications: z.array(NotificationSchema),
      trace: z.record(z.string(), z.unknown()).describe('the explanation trace (its own `format` versions it)'),
    }),
    v1: v1Reader({
      outcome: z.enum(['assigned', 'refused', 'held', 'waiting_for_capacity']),
      ruleVersion: z.string().min(1).max(500),
      trace: z.record(z.string(), z.unknown()),
    }),
  }),
  'case.opened': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      caseId: Code,
      queue: Code,
      leadId: Code,
      productId: Code,
      reason: Code,
      risk: z.enum(['low', 'medium', 'high']),
      jurisdiction: Nullable,
      ruleVersion: Code,
      openedAt: UtcTime.or(z.iso.datetime()),
      slaDueAt: UtcTime.or(z.iso.datetime()),
      decisionSequence: SequenceText,
    }),
    v1: v1Reader({ queue: z.string().min(1).max(500) }),
  }),
} as const;
