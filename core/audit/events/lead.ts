// Events of a lead: intake, screening, routing and the review cases routing opens.
import * as z from 'zod';
import { LeadSchema, ScreeningHitSchema } from '../../routing/lead.ts';
import { SequenceText, UtcTime } from '../fields.ts';
import { Code, defineEvent, FreeText, PayloadVersion, v1Reader } from './define.ts';
import { LEAD_INTAKE_PAYLOAD_VERSION } from '../../cases/intake-case-ids.ts';

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

const Outcome = z.enum(['assigned', 'refused', 'held', 'waiting_for_capacity']);
const Cursor = z.strictObject({ teamId: Code, next: z.number().int().min(0) }).nullable();
const ScreeningOutcome = z.enum(['clear', 'potential', 'strong', 'cleared']);
const LoggedScreening = z.strictObject({ screenedAt: z.string().min(1).max(40), hits: z.array(LoggedHitSchema) });

/** One product path's decision inside a lead.intake entry: routing.decided's fields, and the case it opens. */
export const IntakePathSchema = z.strictObject({
  productId: Code,
  outcome: Outcome,
  queue: Nullable,
  reason: Nullable.describe('the refusal or hold reason code'),
  entityId: Nullable,
  teamId: Nullable,
  repId: Nullable,
  licenceId: Nullable,
  jurisdiction: Nullable,
  cursor: Cursor,
  notifications: z.array(NotificationSchema),
  /** The review case a refusal opens (its id is derived from the entry: decision 0263); null for none. */
  case: z
    .strictObject({
      risk: z.enum(['low', 'medium', 'high']),
      jurisdiction: Nullable,
      slaDueAt: UtcTime.or(z.iso.datetime()),
    })
    .nullable(),
  trace: z
    .record(z.string(), z.unknown())
    .describe('the explanation trace (format 4: by position in the cited policy)'),
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
      listVersions: ListVersions.optional().describe('the list versions in force on the device when it decided'),
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
  // One entry per lead (decision 0263): its ingestion, screening and every product path's routing decision, with the
  // cases the refusals open (derived by the projector), instead of lead.ingested, lead.screened, routing.decided and
  // case.opened entries. Those types stay readable and are still written by re-screening and re-routing.
  'lead.intake': defineEvent({
    payload: z.strictObject({
      pv: z
        .union([PayloadVersion, z.literal(LEAD_INTAKE_PAYLOAD_VERSION)])
        .describe('payload version: from 3 its case ids name the log (decision 0265)'),
      leadId: Code,
      source: z.enum(['file', 'form', 'sync', 'api']),
      sourceSystem: Code,
      facts: LeadFactsSchema,
      scope: Nullable,
      residency: LeadResidencySchema.optional(),
      /** lead.screened's fields; null when the lead was not screened. */
      screening: z
        .strictObject({
          outcome: ScreeningOutcome,
          screening: LoggedScreening,
          thresholds: Thresholds.optional(),
          listVersions: ListVersions.optional(),
        })
        .nullable(),
      /** The policy every path was decided under, and when: the traces name its entities, licences and teams by position. */
      ruleVersion: Code,
      decidedAt: UtcTime.or(z.iso.datetime()),
      /** The jurisdiction trace, once, when every path's is the same (their traces then leave it out). */
      tagging: z.record(z.string(), z.unknown()).optional(),
      paths: z.array(IntakePathSchema),
    }),
    // The lead's personal data, and the names of the listed entries its screening hit (in the order of the hits).
    personal: LeadPersonalDataSchema.extend({ entryNames: z.array(FreeText).optional() }),
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
  // A pinned workstation refuses, at intake, a lead the policy places in another region (decision 0270): the record is
  // not taken in (no lead, no personal data kept), and this entry says which record, which region and why.
  'lead.residency_refused': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      source: z.enum(['file', 'form', 'sync', 'api']),
      sourceSystem: Code,
      line: z
        .number()
        .int()
        .nonnegative()
        .describe("the record's line in the file read (its position for other sources)"),
      region: Code.describe("the lead's residency region, as the policy derives it"),
      basis: z.enum(['booking_entity', 'market']),
      markets: z.array(Code),
      pinnedRegion: Code.describe('the region this workstation is pinned to at enrolment'),
      ruleVersion: Code,
    }),
  }),
} as const;
