// The policy's conduct section: the rules that gate a product path's lifecycle after routing (docs/policy.md#conduct).
import * as z from 'zod';
import { Id, JurisdictionRef, Name, PolicyCustomerType, ProductClass } from './fields.ts';

/** How a communication reaches the prospect, or the prospect reaches the firm (`web`: a form or portal request). */
export const CHANNELS = ['phone', 'visit', 'video', 'email', 'sms', 'letter', 'chat', 'web'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

/**
 * What makes an outbound contact other than cold (COBS 4.8.2R): the prospect asked for it (an inbound communication
 * is on record), documented consent to contact on that channel, an existing relationship that envisages such
 * contact, or the prospect is a professional client (or an eligible counterparty).
 */
export const CONTACT_BASES = ['inbound_request', 'consent', 'existing_relationship', 'professional_client'] as const;
export const ContactBasis = z.enum(CONTACT_BASES);
export type ContactBasis = z.infer<typeof ContactBasis>;

/** Whether the prospect is new to the firm (cooling-off periods apply to new clients) or already a client. */
export const ClientStatus = z.enum(['new', 'existing']);
export type ClientStatus = z.infer<typeof ClientStatus>;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const Weekday = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof Weekday>;

/** The stages a gate can stand before: the path cannot reach that stage (or any later one) until the gate is met. */
export const GatedStage = z.enum(['qualified', 'proposal', 'won']);
export type GatedStage = z.infer<typeof GatedStage>;

const TIME_OF_DAY = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const TimeOfDay = z.string().regex(TIME_OF_DAY, 'a time of day is "HH:MM" (quoted), from 00:00 to 24:00');
/** Minutes after local midnight of an "HH:MM" time of day. */
export const minutesOfDay = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

const Citation = Name.describe('the rule the entry encodes, as a person would cite it: "FCA COBS 4.8.2R"');
const Description = z.string().min(1).max(500);

/**
 * Where a rule applies: absent fields match everything. A path matches when its product is named in `products` or is
 * of a class in `productClasses` (either list, when one is given), its jurisdiction is inside one of `jurisdictions`
 * (by the coverage rules of decision 0110), and its customer type is in `customerTypes`. A path whose customer type is
 * unknown is matched as retail.
 */
const scope = {
  products: z.array(Id).min(1).optional(),
  productClasses: z.array(ProductClass).min(1).optional(),
  jurisdictions: z.array(JurisdictionRef).min(1).optional(),
  customerTypes: z.array(PolicyCustomerType).min(1).optional(),
};
const rule = { id: Id, citation: Citation, description: Description.optional() };

/** Outbound contact on these channels is permitted only with one of `permittedBy`; an empty list permits none. */
export const ColdContactRuleSchema = z.strictObject({
  ...rule,
  ...scope,
  channels: z.array(Channel).min(1),
  permittedBy: z.array(ContactBasis),
});

export const OutreachHoursSchema = z
  .strictObject({
    days: z
      .array(Weekday)
      .min(1)
      .default([...WEEKDAYS]),
    /** Local time in the prospect's time zone; `from` inclusive, `to` exclusive. */
    from: TimeOfDay,
    to: TimeOfDay,
  })
  // Only two valid times can be out of order: a malformed one is reported on its own.
  .refine(
    (hours) =>
      !TIME_OF_DAY.test(hours.from) || !TIME_OF_DAY.test(hours.to) || minutesOfDay(hours.from) < minutesOfDay(hours.to),
    {
      message: '"from" must be before "to" (a window does not run past midnight: split it in two)',
      path: ['to'],
    },
  );

/** Outbound contact on these channels only inside one of `hours`, in the prospect's local time. */
export const OutreachWindowRuleSchema = z.strictObject({
  ...rule,
  ...scope,
  channels: z.array(Channel).min(1),
  hours: z.array(OutreachHoursSchema).min(1),
});

/**
 * A document the prospect must receive: with (or before) the first contact, or before the proposal. A later version
 * than `version` also satisfies it; an earlier one is a gap.
 */
export const DisclosureRuleSchema = z.strictObject({
  ...rule,
  ...scope,
  kind: z.enum(['risk_warning', 'product_disclosure', 'pre_contract_information', 'terms']),
  template: Id,
  version: z.number().int().min(1),
  title: Name,
  requiredBefore: z.enum(['first_contact', 'proposal']).default('first_contact'),
});

/** The path cannot reach PROPOSAL until `hours` after the client's request (for clients of a `clientStatus`). */
export const CoolingOffRuleSchema = z.strictObject({
  ...rule,
  ...scope,
  clientStatus: z.array(ClientStatus).min(1).default(['new']),
  hours: z
    .number()
    .positive()
    .max(24 * 90),
});

/** KYC must be verified before the path reaches `verifiedBefore`. */
export const KycRuleSchema = z.strictObject({
  ...rule,
  ...scope,
  verifiedBefore: GatedStage.default('proposal'),
});

/** Product-specific steps that must all be done before the path reaches `completeBefore`. */
export const ChecklistRuleSchema = z.strictObject({
  ...rule,
  ...scope,
  completeBefore: GatedStage.default('proposal'),
  items: z.array(z.strictObject({ id: Id, label: Name })).min(1),
});

/**
 * Optional with no default, like `approvals` (decision 0160): a bundle without it keeps its rule version. Absent, the
 * lifecycle still applies its built-in gates (an ended path, stage order, failed KYC, the product's KYC and AML holds,
 * do-not-contact) and no policy rule.
 */
export const ConductPolicySchema = z.strictObject({
  coldContact: z.array(ColdContactRuleSchema).default([]),
  outreachWindows: z.array(OutreachWindowRuleSchema).default([]),
  disclosures: z.array(DisclosureRuleSchema).default([]),
  coolingOff: z.array(CoolingOffRuleSchema).default([]),
  kyc: z.array(KycRuleSchema).default([]),
  checklists: z.array(ChecklistRuleSchema).default([]),
});

export type ConductSection = z.infer<typeof ConductPolicySchema>;
export type ColdContactRule = z.infer<typeof ColdContactRuleSchema>;
export type OutreachWindowRule = z.infer<typeof OutreachWindowRuleSchema>;
export type OutreachHours = z.infer<typeof OutreachHoursSchema>;
export type DisclosureRule = z.infer<typeof DisclosureRuleSchema>;
export type CoolingOffRule = z.infer<typeof CoolingOffRuleSchema>;
export type KycRule = z.infer<typeof KycRuleSchema>;
export type ChecklistRule = z.infer<typeof ChecklistRuleSchema>;
export type ConductRuleScope = {
  readonly products?: readonly string[] | undefined;
  readonly productClasses?: readonly ProductClass[] | undefined;
  readonly jurisdictions?: readonly string[] | undefined;
  readonly customerTypes?: readonly PolicyCustomerType[] | undefined;
};

/** The sections of the conduct policy, in the order validation and the docs name them. */
export const CONDUCT_SECTIONS = [
  'coldContact',
  'outreachWindows',
  'disclosures',
  'coolingOff',
  'kyc',
  'checklists',
] as const satisfies readonly (keyof ConductSection)[];
