// The policy bundle (the licensing map): its zod schema, from which the JSON Schema and the docs are generated.
import * as z from 'zod';
import { ConditionSchema } from './conditions.ts';
import { META_ACTIONS } from '../access/duties.ts';
import { ConductPolicySchema } from './conduct.ts';
import { Id, IsoDate, JurisdictionRef, Name, PolicyCustomerType, ProductClass } from './fields.ts';

export const POLICY_SCHEMA_ID = 'perimeter.policy/v1';

export { PolicyCustomerType, ProductClass } from './fields.ts';

export const CustomZoneSchema = z.strictObject({
  code: z.string().regex(/^[A-Z]{2}-[A-Z0-9]{2,12}$/, 'a custom zone code is COUNTRY-NAME, e.g. AE-DIFC'),
  name: Name,
  /** The country the zone lies in geographically. A licence for that country does not cover the zone. */
  within: z.string().regex(/^[A-Z]{2}$/),
  /** Words in an address (case-insensitive, whole words) that place it in this zone rather than onshore. */
  addressMarkers: z.array(z.string().min(2)).default([]),
});

export const JurisdictionsSchema = z.strictObject({
  customZones: z.array(CustomZoneSchema).default([]),
  /** Named groups of jurisdictions, e.g. EEA. Members are codes, zones or other groups. */
  groups: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9-]{2,40}$/), z.array(JurisdictionRef).min(1)).default({}),
  /** The firm's market vocabulary, e.g. UK, EU-Passported, GCC, mapped onto codes, zones and groups. */
  markets: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9-]{1,40}$/), z.array(JurisdictionRef).min(1)).default({}),
});

export const TaggingSchema = z.strictObject({
  /** When the address and the KYC pre-screen name different jurisdictions. */
  conflict: z.enum(['refuse', 'prefer_address', 'prefer_kyc']).default('refuse'),
  /** Whether the lead's stated target market must include the tagged jurisdiction. */
  statedIntent: z.enum(['must_agree', 'advisory']).default('must_agree'),
  /** Countries licensed per subdivision (US states): a tag at country level there is incomplete. */
  requireSubdivision: z.array(z.string().regex(/^[A-Z]{2}$/)).default([]),
});

/** How long a cleared false positive holds a hit back when the policy does not say (decision 0197): a year. */
export const DEFAULT_ALLOW_LIST_REVIEW_DAYS = 365;

export const ScreeningPolicySchema = z
  .strictObject({
    /** A lead that has not been screened cannot be routed. */
    required: z.boolean().default(true),
    potentialMatchThreshold: z.number().min(0).max(1).default(0.85),
    strongMatchThreshold: z.number().min(0).max(1).default(0.93),
    /**
     * A cleared false positive holds a hit back for this many days from its clearance; after that, re-screening raises
     * the hit again for a fresh review (decision 0197). Absent: DEFAULT_ALLOW_LIST_REVIEW_DAYS.
     */
    allowListReviewDays: z.number().int().min(1).max(3650).optional(),
  })
  .refine((s) => s.potentialMatchThreshold < s.strongMatchThreshold, {
    message: 'potentialMatchThreshold must be below strongMatchThreshold',
    path: ['potentialMatchThreshold'],
  });

export const NetWorthBandSchema = z.strictObject({
  id: Id,
  /** Lower bound, inclusive, in the policy's currency. */
  min: z.number().nonnegative(),
  /** Upper bound, exclusive; absent for the top band. */
  max: z.number().positive().optional(),
});

export const PassportingSchema = z.strictObject({
  /** The group the passport is valid in, e.g. EEA. */
  area: z.string().min(1),
  /** The states the licence has been passported into (notified), each inside the area. */
  into: z.array(JurisdictionRef).min(1),
  validFrom: IsoDate.optional(),
});

export const LicenceSchema = z
  .strictObject({
    id: Id,
    regulator: Name,
    regime: Name,
    reference: z.string().max(100).optional(),
    /** Where the licence is held in its own right. */
    jurisdictions: z.array(JurisdictionRef).min(1),
    passporting: PassportingSchema.optional(),
    /** Product ids the licence permits. */
    products: z.array(Id).default([]),
    /** Regulatory classes the licence permits: every product of such a class is covered. */
    productClasses: z.array(ProductClass).default([]),
    customerTypes: z.array(PolicyCustomerType).min(1),
    validFrom: IsoDate,
    validTo: IsoDate.optional(),
  })
  .refine((licence) => licence.products.length + licence.productClasses.length > 0, {
    message: 'a licence must permit at least one product or product class',
    path: ['products'],
  });

export const EntitySchema = z.strictObject({
  id: Id,
  name: Name,
  /** LLC, Limited, AB, … */
  legalForm: z.string().min(1).max(40),
  home: z.string().regex(/^[A-Z]{2}$/, 'home is an ISO 3166-1 alpha-2 country code'),
  /** Lower routes first when several entities are licensed for the same path. */
  priority: z.number().int().min(0).default(100),
  licences: z.array(LicenceSchema).min(1),
});

export const SuitabilitySchema = z.strictObject({
  /** Retail customers need a suitability assessment on record before this product is offered. */
  retailRequiresAssessment: z.boolean().default(false),
  /** Minimum net worth (lower bound of the lead's band) in the policy's currency, e.g. for HNW products. */
  minNetWorth: z.number().nonnegative().optional(),
});

export const ProductSchema = z.strictObject({
  id: Id,
  name: Name,
  class: ProductClass,
  complexity: z.enum(['standard', 'complex']).default('standard'),
  suitability: SuitabilitySchema.default({ retailRequiresAssessment: false }),
  /** KYC must be verified before engagement (otherwise the path is held). */
  kycRequiredBeforeEngagement: z.boolean().default(true),
  /** AML documentation must be complete before engagement (otherwise the path is held). */
  amlDocumentationRequired: z.boolean().default(false),
});

export const TeamSchema = z.strictObject({
  id: Id,
  name: Name,
  entity: Id,
  /** Product ids this team has authority to sell. */
  products: z.array(Id).min(1),
  customerTypes: z.array(PolicyCustomerType).min(1),
  jurisdictions: z.array(JurisdictionRef).min(1),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});

export const AuthorisationSchema = z.strictObject({
  products: z.array(Id).min(1),
  jurisdictions: z.array(JurisdictionRef).min(1),
  customerTypes: z.array(PolicyCustomerType).min(1),
  validTo: IsoDate.optional(),
});

export const RepSchema = z.strictObject({
  id: Id,
  name: Name,
  team: Id,
  authorisations: z.array(AuthorisationSchema).min(1),
  /** Most open assignments the rep may hold at once. */
  capacity: z.number().int().min(0),
  available: z.boolean().default(true),
  absences: z.array(z.strictObject({ from: IsoDate, to: IsoDate })).default([]),
});

export const RuleSchema = z.strictObject({
  id: Id,
  description: z.string().min(1).max(500),
  /** require: teams failing the condition are excluded; forbid: teams meeting it are excluded; prefer: they rank higher. */
  effect: z.enum(['require', 'forbid', 'prefer']),
  /** When the rule applies (over lead and product facts); absent means always. */
  when: ConditionSchema.optional(),
  condition: ConditionSchema,
  /** For prefer: how much a matching team gains. */
  weight: z.number().int().min(1).max(1000).default(1),
});

export const CaseTypeSchema = z.enum([
  'screening_review',
  'enhanced_due_diligence',
  'compliance_review',
  'expansion_review',
  'suitability_review',
]);
export const RiskLevelSchema = z.enum(['low', 'medium', 'high']);

export const CasePolicySchema = z.strictObject({
  /** Hours from opening to the SLA due time, per case type. */
  slaHours: z
    .strictObject({
      screening_review: z.number().positive().default(24),
      enhanced_due_diligence: z.number().positive().default(72),
      compliance_review: z.number().positive().default(48),
      expansion_review: z.number().positive().default(240),
      suitability_review: z.number().positive().default(48),
    })
    .default({
      screening_review: 24,
      enhanced_due_diligence: 72,
      compliance_review: 48,
      expansion_review: 240,
      suitability_review: 48,
    }),
  /** How long an officer's claim on a case holds (a lease; decision 0246). Absent: 8 hours. */
  claimLeaseHours: z.number().positive().max(720).optional(),
  /** Decisions that need a second officer's approval: by case type, from a risk level up. */
  fourEyes: z.array(z.strictObject({ caseType: CaseTypeSchema, minRisk: RiskLevelSchema.default('low') })).default([
    { caseType: 'screening_review', minRisk: 'high' },
    { caseType: 'enhanced_due_diligence', minRisk: 'low' },
  ]),
});

/**
 * How long personal data recorded under a regime (a licence's regime, or `prospects` for leads no licence took) is kept.
 * `required: true` makes `years` a legal record-keeping minimum (AML record retention): an erasure request inside it is
 * refused unless two senior officers override it; `basis` names the law. Either way the data is purged once it expires.
 */
export const RetentionSchema = z
  .strictObject({
    regime: Name,
    years: z.number().int().min(1).max(100),
    required: z.boolean().default(false),
    basis: Name.optional(),
  })
  .refine((rule) => !rule.required || rule.basis !== undefined, {
    message: 'a required retention period names its legal basis (basis: "UK MLR 2017 reg. 40")',
    path: ['basis'],
  });

/** A data-residency region: the name a regional hub serves (the same letters, digits and "-" as a hub's region). */
export const RegionName = z.string().regex(/^[A-Za-z0-9-]{1,32}$/, 'a region name: 1 to 32 letters, digits or "-"');

/**
 * Where a lead's data must reside (issue 15, decision 0248): its booking entity's region when the entity is mapped,
 * else the region of the first market, in the order written, that the lead's jurisdiction is inside. A lead neither
 * maps is unresolved and never leaves its workstation. Optional with no default, so a bundle without it keeps its
 * content hash.
 */
export const ResidencyPolicySchema = z.strictObject({
  entities: z.record(Id, RegionName).default({}),
  markets: z.record(z.string().min(1).max(64), RegionName).default({}),
});

/**
 * Meta-actions that need a second operations admin's approval (decision 0160). Optional with no default, so a bundle
 * without the section keeps its content hash (rule version) and its meaning: no meta-action needs a second approval.
 */
export const ApprovalsPolicySchema = z.strictObject({
  meta: z
    .array(z.enum(META_ACTIONS))
    .refine((actions) => new Set(actions).size === actions.length, 'each meta-action at most once'),
});

export const PolicyBundleSchema = z.strictObject({
  schema: z.literal(POLICY_SCHEMA_ID),
  name: Name,
  firm: Name,
  /** A label for people; the content hash is the rule version. */
  version: z.string().min(1).max(64),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'),
  jurisdictions: JurisdictionsSchema.default({ customZones: [], groups: {}, markets: {} }),
  tagging: TaggingSchema.default({ conflict: 'refuse', statedIntent: 'must_agree', requireSubdivision: [] }),
  screening: ScreeningPolicySchema.default({
    required: true,
    potentialMatchThreshold: 0.85,
    strongMatchThreshold: 0.93,
  }),
  netWorthBands: z.array(NetWorthBandSchema).default([]),
  entities: z.array(EntitySchema).min(1),
  products: z.array(ProductSchema).min(1),
  teams: z.array(TeamSchema).default([]),
  reps: z.array(RepSchema).default([]),
  rules: z.array(RuleSchema).default([]),
  retention: z.array(RetentionSchema).default([]),
  cases: CasePolicySchema.default({
    slaHours: {
      screening_review: 24,
      enhanced_due_diligence: 72,
      compliance_review: 48,
      expansion_review: 240,
      suitability_review: 48,
    },
    fourEyes: [
      { caseType: 'screening_review', minRisk: 'high' },
      { caseType: 'enhanced_due_diligence', minRisk: 'low' },
    ],
  }),
  approvals: ApprovalsPolicySchema.optional(),
  /** Conduct-of-business rules for the lifecycle after routing (core/conduct). Optional: absent keeps the rule version. */
  conduct: ConductPolicySchema.optional(),
  /** Data residency: which region's hub a lead's data belongs to (decision 0248). Optional: absent keeps the rule version. */
  residency: ResidencyPolicySchema.optional(),
});

export type PolicyBundle = z.infer<typeof PolicyBundleSchema>;
export type Entity = z.infer<typeof EntitySchema>;
export type Licence = z.infer<typeof LicenceSchema>;
export type Team = z.infer<typeof TeamSchema>;
export type Rep = z.infer<typeof RepSchema>;
export type Product = z.infer<typeof ProductSchema>;
export type Rule = z.infer<typeof RuleSchema>;
export type CustomZone = z.infer<typeof CustomZoneSchema>;
export type ResidencyPolicy = z.infer<typeof ResidencyPolicySchema>;
