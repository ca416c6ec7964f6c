// The KYC hand-off's wire formats (docs/kyc-connector.md): the initiation event the connectors deliver, the subject
// data a KYC system needs (decision 0211), the signed callback a KYC system sends back and the result file. Pure zod.
import * as z from 'zod';
import { KycEventId, KycOutcomeStatus } from '../audit/events/kyc.ts';
import { AddressSchema, LeadSchema } from '../routing/lead.ts';

export { KYC_EVENT_ID_PATTERN, KycEventId, KycOutcomeStatus } from '../audit/events/kyc.ts';

export const KYC_INITIATION_TYPE = 'kyc.initiation.requested';
export const KYC_OUTCOME_TYPE = 'kyc.outcome.reported';
export const KYC_EVENT_FORMAT = 1;

/**
 * What a KYC system needs to identify and verify the customer (decision 0211): the person's name, date of birth and
 * nationality, the company's name, registration country and number, and the address. Nothing else of the lead: not its
 * source system's id, free attributes, industry, net worth or screening hits (sharing those would be tipping-off risk).
 */
export const KycSubjectSchema = z.strictObject({
  person: LeadSchema.shape.person.unwrap().pick({ fullName: true, dateOfBirth: true, nationality: true }).optional(),
  company: LeadSchema.shape.company
    .unwrap()
    .pick({ name: true, registrationCountry: true, registrationNumber: true })
    .optional(),
  address: AddressSchema.optional(),
});
export type KycSubject = z.infer<typeof KycSubjectSchema>;

/** The event's data: pseudonymous ids and codes, and the subject (null in a file drop: decision 0212). */
export const KycInitiationDataSchema = z.strictObject({
  format: z.literal(KYC_EVENT_FORMAT),
  eventId: KycEventId,
  leadId: z.string().min(1).max(100),
  productId: z.string().min(1).max(100),
  jurisdiction: z.string().min(2).max(16),
  customerType: z.enum(['retail', 'professional', 'eligible_counterparty', 'unknown']),
  ruleVersion: z.string().min(1).max(200),
  requestedAt: z.iso.datetime(),
  subject: KycSubjectSchema.nullable(),
});
export type KycInitiationData = z.infer<typeof KycInitiationDataSchema>;

/** The event as delivered: the Standard Webhooks payload shape (type, timestamp, data). */
export const KycInitiationEventSchema = z.strictObject({
  type: z.literal(KYC_INITIATION_TYPE),
  timestamp: z.iso.datetime(),
  data: KycInitiationDataSchema,
});
export type KycInitiationEvent = z.infer<typeof KycInitiationEventSchema>;

/** The subject a KYC system needs, cut from a lead's personal data (anything else it holds is left out). */
export const kycSubjectOf = (personal: Readonly<Record<string, unknown>>): KycSubject => {
  const subject: Record<string, unknown> = {};
  const person = personal.person as Record<string, unknown> | undefined;
  if (person) subject.person = pick(person, ['fullName', 'dateOfBirth', 'nationality']);
  const company = personal.company as Record<string, unknown> | undefined;
  if (company) subject.company = pick(company, ['name', 'registrationCountry', 'registrationNumber']);
  if (personal.address !== undefined) subject.address = personal.address;
  return KycSubjectSchema.parse(subject);
};

const pick = (from: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(keys.filter((key) => from[key] !== undefined).map((key) => [key, from[key]]));

/** The names of the subject's fields a delivery disclosed (for the audit entry), e.g. person.fullName, address. */
export const disclosedFields = (subject: KycSubject | null): string[] => {
  if (subject === null) return [];
  const fields: string[] = [];
  for (const part of ['person', 'company'] as const)
    for (const key of Object.keys(subject[part] ?? {}).sort()) fields.push(`${part}.${key}`);
  if (subject.address) fields.push('address');
  return fields;
};

/** What a KYC system reports for one initiation event: the status of the customer's KYC. */
export const KycOutcomeDataSchema = z.strictObject({
  eventId: KycEventId,
  leadId: z.string().min(1).max(100),
  status: KycOutcomeStatus,
  /** When the KYC system reached this status. */
  completedAt: z.iso.datetime().optional(),
  /** The KYC system's own case reference: checked, not kept (the log and the outbox hold the status only). */
  reference: z.string().min(1).max(200).optional(),
});
export type KycOutcomeData = z.infer<typeof KycOutcomeDataSchema>;

/** A signed callback's body: the Standard Webhooks payload shape. */
export const KycCallbackSchema = z.strictObject({
  type: z.literal(KYC_OUTCOME_TYPE),
  timestamp: z.iso.datetime(),
  data: KycOutcomeDataSchema,
});
export type KycCallback = z.infer<typeof KycCallbackSchema>;

/** A message id as Standard Webhooks spells them (msg_…, evt_…): visible ASCII without spaces, at most 200. */
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
export const MessageId = z.string().regex(MESSAGE_ID_PATTERN, 'a message id: letters, digits, ".", "_", ":" or "-"');

/** A result file (offline sites): one record per outcome, each with its own id, so importing it twice applies nothing twice. */
export const KycResultFileSchema = z.strictObject({
  format: z.literal('perimeter.kyc-results'),
  version: z.literal(1),
  results: z
    .array(KycOutcomeDataSchema.extend({ id: MessageId }))
    .min(1)
    .max(100_000),
});
export type KycResultFile = z.infer<typeof KycResultFileSchema>;
