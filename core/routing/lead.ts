// The lead as routing sees it: the documented input record (docs/leads.md), validated with zod.
import * as z from 'zod';
import { err, ok } from '../shared/result.ts';
import type { Result } from '../shared/result.ts';
import { firstTextFlaw } from '../shared/text-flaws.ts';
import { Id } from '../policy/fields.ts';

/** The limits of a lead record (docs/leads.md, decision 0120). */
export const LEAD_LIMITS = {
  /** Lead ids: visible ASCII, no spaces, as the audit log's subject ids (lead:<id>) require. */
  idPattern: /^[\x21-\x7e]{1,100}$/,
  /** Attribute names: what a rule names as lead.attributes.NAME; a letter first, so no __proto__ or constructor. */
  attributeNamePattern: /^[A-Za-z][A-Za-z0-9_]{0,63}$/,
  attributes: 50,
  attributeValueChars: 1000,
  productInterests: 50,
  screeningHits: 200,
} as const;

const Text = z.string().trim().min(1).max(300);

export const CustomerType = z.enum(['retail', 'professional', 'eligible_counterparty', 'unknown']);
export type CustomerType = z.infer<typeof CustomerType>;

export const ScreeningHitSchema = z.strictObject({
  party: z.enum(['person', 'company']),
  listKind: z.enum(['sanctions', 'pep', 'adverse_media', 'blocklist']),
  strength: z.enum(['potential', 'strong']),
  listId: z.string().min(1),
  listVersion: z.string().min(1),
  entryId: z.string().min(1),
  entryName: z.string().min(1),
  score: z.number().min(0).max(1),
  /** A person has cleared this hit as a false positive. */
  cleared: z.boolean().default(false),
});
export type ScreeningHit = z.infer<typeof ScreeningHitSchema>;

export const ScreeningSummarySchema = z.strictObject({
  screenedAt: z.iso.datetime(),
  hits: z
    .array(ScreeningHitSchema)
    .max(LEAD_LIMITS.screeningHits, `at most ${LEAD_LIMITS.screeningHits} screening hits`)
    .default([]),
});
export type ScreeningSummary = z.infer<typeof ScreeningSummarySchema>;

export const AddressSchema = z.strictObject({
  line1: Text.optional(),
  line2: Text.optional(),
  city: Text.optional(),
  /** ISO 3166-2 subdivision, either the full code (US-CA) or the part after the country (CA). */
  subdivision: z.string().trim().min(1).max(10).optional(),
  postalCode: z.string().trim().min(1).max(20).optional(),
  /** ISO 3166-1 alpha-2. */
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'country is an ISO 3166-1 alpha-2 code such as FR'),
});
export type Address = z.infer<typeof AddressSchema>;

export const LeadSchema = z
  .strictObject({
    id: z
      .string()
      .trim()
      .regex(
        LEAD_LIMITS.idPattern,
        'a lead id is 1 to 100 visible ASCII characters (letters, digits, punctuation), without spaces',
      ),
    person: z
      .strictObject({
        fullName: Text,
        dateOfBirth: z.iso.date().optional(),
        nationality: z
          .string()
          .regex(/^[A-Z]{2}$/)
          .optional(),
      })
      .optional(),
    company: z
      .strictObject({
        name: Text,
        registrationCountry: z
          .string()
          .regex(/^[A-Z]{2}$/)
          .optional(),
        registrationNumber: z.string().max(60).optional(),
        industry: z.string().max(100).optional(),
      })
      .optional(),
    address: AddressSchema.optional(),
    /** A market of the firm's vocabulary (EU-Passported) or a jurisdiction code the prospect says it wants served in. */
    targetMarket: z.string().trim().min(1).max(64).optional(),
    /** The jurisdiction a KYC pre-screen returned. */
    kycPrescreenJurisdiction: z.string().trim().toUpperCase().min(2).max(16).optional(),
    customerType: CustomerType,
    /**
     * The legal entity of the firm the client is commercially booked with (an entity id of the policy). When given,
     * routing considers that entity's licences alone (decision 0230).
     */
    bookingEntity: Id.optional(),
    /** A band id from the policy's netWorthBands. */
    netWorthBand: z.string().min(1).max(64).optional(),
    kycStatus: z.enum(['not_started', 'pending', 'verified', 'failed']).default('not_started'),
    amlDocumentation: z.enum(['missing', 'partial', 'complete']).default('missing'),
    suitabilityAssessed: z.boolean().default(false),
    attributes: z
      .record(
        z
          .string()
          .regex(
            LEAD_LIMITS.attributeNamePattern,
            'an attribute name is a letter then up to 63 letters, digits or "_"',
          ),
        z.union([
          z
            .string()
            .max(
              LEAD_LIMITS.attributeValueChars,
              `an attribute value has at most ${LEAD_LIMITS.attributeValueChars} characters`,
            ),
          z.number(),
          z.boolean(),
        ]),
      )
      .refine((attributes) => Object.keys(attributes).length <= LEAD_LIMITS.attributes, {
        message: `at most ${LEAD_LIMITS.attributes} attributes`,
      })
      .default({}),
    /** Absent means the lead has not been screened. */
    screening: ScreeningSummarySchema.optional(),
    productInterests: z
      .array(z.string().min(1).max(64))
      .min(1, 'a lead needs at least one product interest')
      .max(LEAD_LIMITS.productInterests, `at most ${LEAD_LIMITS.productInterests} product interests`),
  })
  .refine((lead) => lead.person !== undefined || lead.company !== undefined, {
    message: 'a lead names a person, a company or both',
    path: ['person'],
  })
  .refine((lead) => new Set(lead.productInterests).size === lead.productInterests.length, {
    message: 'each product interest is listed once',
    path: ['productInterests'],
  });

export type LeadRecordIssue = { readonly path: readonly PropertyKey[]; readonly message: string };

/**
 * A lead record as received (a file's record, a form): its text checked as given, then its shape. Text first, on the
 * raw record: zod drops a "__proto__" key without a word, and the audit log cannot encode a lone surrogate, so either
 * would otherwise surface later as a lost value or an `internal` failure in the middle of a transaction.
 */
export const parseLeadRecord = (raw: unknown): Result<Lead, LeadRecordIssue[]> => {
  const flaw = firstTextFlaw(raw, { controls: true });
  if (flaw) return err([flaw]);
  const parsed = LeadSchema.safeParse(raw);
  return parsed.success
    ? ok(parsed.data)
    : err(parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message })));
};

export type Lead = z.infer<typeof LeadSchema>;
export type LeadInput = z.input<typeof LeadSchema>;
