// A product path after routing: its stage, the facts the conduct gates read, and the record of outreach (zod + types).
import * as z from 'zod';
import { CONTACT_BASES, Channel, ClientStatus } from '../policy/conduct.ts';
import { Id } from '../policy/fields.ts';
import { CustomerType } from '../routing/lead.ts';
import { isTimeZone } from './local-time.ts';

/** NEW is the assigned path; WON, LOST and CLOSED end it. CLOSED is the end a gate or a refusal makes. */
export const STAGES = ['NEW', 'CONTACTED', 'QUALIFIED', 'PROPOSAL', 'WON', 'LOST', 'CLOSED'] as const;
export const Stage = z.enum(STAGES);
export type Stage = z.infer<typeof Stage>;
export type OpenStage = 'NEW' | 'CONTACTED' | 'QUALIFIED' | 'PROPOSAL';
export type EndStage = 'WON' | 'LOST' | 'CLOSED';

export const isOpenStage = (stage: Stage): stage is OpenStage =>
  stage === 'NEW' || stage === 'CONTACTED' || stage === 'QUALIFIED' || stage === 'PROPOSAL';

/** Position on the way to WON; LOST and CLOSED are off the way and rank nowhere. */
export const STAGE_RANK: Readonly<Record<Stage, number>> = {
  NEW: 0,
  CONTACTED: 1,
  QUALIFIED: 2,
  PROPOSAL: 3,
  WON: 4,
  LOST: -1,
  CLOSED: -1,
};

/** An instant: ISO 8601 in UTC (2026-12-08T14:02:00Z). The clock is always passed in. */
export const Instant = z.iso.datetime();
/** A user or rep id (who made the contact, who gave the command). */
export const ActorId = z.string().min(1).max(100);

export const KycStatus = z.enum(['not_started', 'pending', 'verified', 'failed']);
export type KycStatus = z.infer<typeof KycStatus>;
export const AmlDocumentation = z.enum(['missing', 'partial', 'complete']);
export type AmlDocumentation = z.infer<typeof AmlDocumentation>;

/** A disclosure document: template id and version (RW-CRYPTO, 2). */
export const DisclosureRefSchema = z.strictObject({ template: Id, version: z.number().int().min(1) });
export type DisclosureRef = z.infer<typeof DisclosureRefSchema>;

/** A disclosure the prospect has been sent: which one, when and on which channel. */
export const SentDisclosureSchema = z.strictObject({
  template: Id,
  version: z.number().int().min(1),
  at: Instant,
  channel: Channel,
});
export type SentDisclosure = z.infer<typeof SentDisclosureSchema>;

/** Documented consent to be contacted on the channels named; `reference` points at the consent record. */
export const ContactConsentSchema = z.strictObject({
  channels: z.array(Channel).min(1),
  at: Instant,
  reference: z.string().min(1).max(200),
});
export type ContactConsent = z.infer<typeof ContactConsentSchema>;

/** What a communication said: an approved template, or a summary in the rep's words (free text: personal data). */
export const OutreachContentSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('template'), template: Id, version: z.number().int().min(1) }),
  z.strictObject({ kind: z.literal('summary'), text: z.string().trim().min(1).max(2000) }),
]);
export type OutreachContent = z.infer<typeof OutreachContentSchema>;

/**
 * How a communication was authorised. Inbound communications are the prospect's own (`inbound_request`); an outbound
 * one names the basis that made it other than cold, or `unrestricted` when no cold-contact rule applied to it.
 */
export const OutreachAuthorisation = z.enum([...CONTACT_BASES, 'unrestricted']);
export type OutreachAuthorisation = z.infer<typeof OutreachAuthorisation>;

export const OutreachRecordSchema = z.strictObject({
  at: Instant,
  channel: Channel,
  direction: z.enum(['inbound', 'outbound']),
  /** The rep or user who made or took the contact. */
  by: ActorId,
  content: OutreachContentSchema,
  /** Disclosures sent with it (outbound only). */
  disclosures: z.array(DisclosureRefSchema),
  authorisation: OutreachAuthorisation,
});
export type OutreachRecord = z.infer<typeof OutreachRecordSchema>;

/** An IANA time zone name the runtime knows. */
export const TimeZone = z.string().refine(isTimeZone, 'an IANA time zone such as Europe/London or America/New_York');

/** What the gates read about the prospect. Every field can change through an `update_facts` command. */
export const PathFactsSchema = z.strictObject({
  /** `unknown` is treated as retail by every rule. */
  customerType: CustomerType,
  /** Whether the prospect is new to the firm; cooling-off periods apply to new clients. */
  clientStatus: ClientStatus,
  /** When the prospect asked for the product (the direct offer): cooling-off is counted from it. */
  requestedAt: Instant.nullable(),
  /** An existing client relationship that envisages this kind of contact (COBS 4.8.2R(1)). */
  existingRelationship: z.boolean(),
  consents: z.array(ContactConsentSchema),
  kycStatus: KycStatus,
  amlDocumentation: AmlDocumentation,
  /** The prospect asked not to be contacted: no outbound contact of any kind. */
  doNotContact: z.boolean(),
  /** The prospect's IANA time zone; outreach windows are kept in it, and fail closed without it. */
  timeZone: TimeZone.nullable(),
});
export type PathFacts = z.infer<typeof PathFactsSchema>;

export const LOSS_REASONS = ['no_response', 'not_interested', 'chose_competitor', 'not_suitable', 'other'] as const;
export const CLOSE_REASONS = [
  'kyc_failed',
  'prospect_declined',
  'do_not_contact',
  'compliance_decision',
  'other',
] as const;
export const LossReason = z.enum(LOSS_REASONS);
export type LossReason = z.infer<typeof LossReason>;
export const CloseReason = z.enum(CLOSE_REASONS);
export type CloseReason = z.infer<typeof CloseReason>;

export const PathEndingSchema = z.discriminatedUnion('stage', [
  z.strictObject({ stage: z.literal('WON'), at: Instant, by: ActorId }),
  z.strictObject({ stage: z.literal('LOST'), at: Instant, by: ActorId, reason: LossReason }),
  z.strictObject({ stage: z.literal('CLOSED'), at: Instant, by: ActorId, reason: CloseReason }),
]);
export type PathEnding = z.infer<typeof PathEndingSchema>;

export const PathStateSchema = z.strictObject({
  leadId: z.string().min(1).max(100),
  productId: Id,
  /** The jurisdiction tag routing gave the path (GB, US-NY, AE-DIFC). */
  jurisdiction: z.string().min(2).max(16),
  /** The rep who owns the path. */
  owner: ActorId,
  stage: Stage,
  openedAt: Instant,
  stageChangedAt: Instant,
  facts: PathFactsSchema,
  outreach: z.array(OutreachRecordSchema),
  /** Every disclosure sent, in order (also listed on the outreach record that carried it). */
  disclosures: z.array(SentDisclosureSchema),
  /** Checklist items done, by item id. */
  checklist: z.array(z.strictObject({ item: Id, at: Instant, by: ActorId })),
  /** How the path ended; null while it is open. */
  ending: PathEndingSchema.nullable(),
});
export type PathState = z.infer<typeof PathStateSchema>;

export type NewPathInput = {
  readonly leadId: string;
  readonly productId: string;
  readonly jurisdiction: string;
  readonly owner: string;
  /** When routing assigned the path. */
  readonly openedAt: string;
  readonly facts?: Partial<PathFacts> | undefined;
};

/** Facts a path starts with unless told otherwise: the safe side of every gate (a new client, nothing on record). */
export const DEFAULT_FACTS: PathFacts = {
  customerType: 'unknown',
  clientStatus: 'new',
  requestedAt: null,
  existingRelationship: false,
  consents: [],
  kycStatus: 'not_started',
  amlDocumentation: 'missing',
  doNotContact: false,
  timeZone: null,
};

/**
 * The path as routing hands it over: NEW, owned by the assigned rep. The assignment is already the rep's workload
 * (routing counts it), so making the state has no effect of its own.
 */
export const newPathState = (input: NewPathInput): PathState => ({
  leadId: input.leadId,
  productId: input.productId,
  jurisdiction: input.jurisdiction,
  owner: input.owner,
  stage: 'NEW',
  openedAt: input.openedAt,
  stageChangedAt: input.openedAt,
  facts: { ...DEFAULT_FACTS, ...input.facts },
  outreach: [],
  disclosures: [],
  checklist: [],
  ending: null,
});

/** Treats an unknown customer type as retail, as every conduct rule does. */
export const effectiveCustomerType = (facts: PathFacts): 'retail' | 'professional' | 'eligible_counterparty' =>
  facts.customerType === 'unknown' ? 'retail' : facts.customerType;
