// The commands a product path takes: each is checked by `decide` against the policy's conduct rules at a given time.
import * as z from 'zod';
import { Channel, ClientStatus, ContactBasis } from '../policy/conduct.ts';
import { Id } from '../policy/fields.ts';
import {
  ActorId,
  AmlDocumentation,
  CloseReason,
  ContactConsentSchema,
  DisclosureRefSchema,
  Instant,
  KycStatus,
  LossReason,
  OutreachContentSchema,
  TimeZone,
} from './model.ts';
import { CustomerType } from '../routing/lead.ts';

/**
 * A communication. Outbound: the rep contacts the prospect now, so every outreach gate applies; `basis` may name what
 * makes it other than cold (else the first one on record that a rule permits is used). Inbound: the prospect reached
 * the firm; it is recorded as it happened (at `now`) and is the prospect's own request for contact.
 */
export const RecordOutreachSchema = z.discriminatedUnion('direction', [
  z.strictObject({
    kind: z.literal('record_outreach'),
    direction: z.literal('outbound'),
    by: ActorId,
    channel: Channel,
    content: OutreachContentSchema,
    disclosures: z.array(DisclosureRefSchema).default([]),
    basis: ContactBasis.optional(),
  }),
  z.strictObject({
    kind: z.literal('record_outreach'),
    direction: z.literal('inbound'),
    by: ActorId,
    channel: Channel,
    content: OutreachContentSchema,
  }),
]);

/** Facts that change: any subset, each replacing the value on record. */
export const FactChangesSchema = z
  .strictObject({
    customerType: CustomerType,
    clientStatus: ClientStatus,
    requestedAt: Instant.nullable(),
    existingRelationship: z.boolean(),
    consents: z.array(ContactConsentSchema),
    kycStatus: KycStatus,
    amlDocumentation: AmlDocumentation,
    doNotContact: z.boolean(),
    timeZone: TimeZone.nullable(),
  })
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, 'name at least one fact to change');
export type FactChanges = z.infer<typeof FactChangesSchema>;

export const ConductCommandSchema = z.union([
  RecordOutreachSchema,
  /** CONTACTED is reached by the first recorded communication; QUALIFIED and PROPOSAL are advanced to. */
  z.strictObject({ kind: z.literal('advance'), by: ActorId, to: z.enum(['QUALIFIED', 'PROPOSAL']) }),
  z.strictObject({ kind: z.literal('win'), by: ActorId }),
  z.strictObject({ kind: z.literal('lose'), by: ActorId, reason: LossReason }),
  z.strictObject({ kind: z.literal('close'), by: ActorId, reason: CloseReason }),
  z.strictObject({ kind: z.literal('complete_checklist_item'), by: ActorId, item: Id }),
  z.strictObject({ kind: z.literal('update_facts'), by: ActorId, changes: FactChangesSchema }),
  z.strictObject({ kind: z.literal('reassign'), by: ActorId, to: ActorId }),
]);

export type ConductCommand = z.infer<typeof ConductCommandSchema>;
export type ConductCommandInput = z.input<typeof ConductCommandSchema>;
export type OutboundOutreach = Extract<ConductCommand, { kind: 'record_outreach'; direction: 'outbound' }>;
export type InboundOutreach = Extract<ConductCommand, { kind: 'record_outreach'; direction: 'inbound' }>;
