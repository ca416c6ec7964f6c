// The licensing map and policy publication in the api contract: the map as the screen shows it, the preview with its
// validation issues or readable diff, and the publication. The methods themselves are listed in contract.ts.
import * as z from 'zod';
import { PendingSchema } from './approvals.ts';

const Text = z.string();
const Texts = z.array(z.string());
const Reason = z.string().trim().min(5, 'a reason of at least 5 characters is required').max(2000);
/** A policy file's text: YAML or JSON, as read from the file the user picked. */
const PolicyText = z
  .string()
  .min(1)
  .max(4 * 1024 * 1024);
const RuleVersion = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'a rule version is sha256: and 64 hex digits');

const CoverStatusSchema = z.enum(['in_force', 'not_yet_in_force', 'expired']);

export const LicenceCoverSchema = z.strictObject({
  licenceId: Text,
  regulator: Text,
  basis: z.enum(['held', 'passported']),
  via: Text,
  customerTypes: Texts,
  validFrom: Text,
  validTo: Text.nullable(),
  status: CoverStatusSchema,
  summary: Text,
});

export const LicensingMapSchema = z.strictObject({
  products: z.array(z.strictObject({ id: Text, name: Text, class: Text })),
  entities: z.array(
    z.strictObject({
      id: Text,
      name: Text,
      legalForm: Text,
      home: Text,
      priority: z.number(),
      licences: z.array(
        z.strictObject({
          id: Text,
          regulator: Text,
          regime: Text,
          reference: Text.nullable(),
          jurisdictions: Texts,
          passporting: z.strictObject({ area: Text, into: Texts, validFrom: Text.nullable() }).nullable(),
          products: Texts,
          productClasses: Texts,
          customerTypes: Texts,
          validFrom: Text,
          validTo: Text.nullable(),
          status: CoverStatusSchema,
        }),
      ),
      rows: z.array(
        z.strictObject({
          jurisdiction: Text,
          description: Text,
          codes: Texts,
          cells: z.array(z.strictObject({ productId: Text, covers: z.array(LicenceCoverSchema) })),
        }),
      ),
    }),
  ),
  teams: z.array(
    z.strictObject({
      id: Text,
      name: Text,
      entityId: Text,
      entityName: Text,
      products: Texts,
      customerTypes: Texts,
      jurisdictions: Texts,
      codes: Texts,
      attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    }),
  ),
  reps: z.array(
    z.strictObject({
      id: Text,
      name: Text,
      teamId: Text,
      teamName: Text,
      entityId: Text,
      capacity: z.number(),
      available: z.boolean(),
      absences: z.array(z.strictObject({ from: Text, to: Text })),
      authorisations: z.array(
        z.strictObject({ products: Texts, jurisdictions: Texts, customerTypes: Texts, validTo: Text.nullable() }),
      ),
      codes: Texts,
    }),
  ),
});

export const PublicationSchema = z.strictObject({
  ruleVersion: Text,
  label: Text,
  publishedAt: Text,
  /** The actor of the policy.published entry: "user:ada", or "system:setup". */
  publishedBy: Text,
  reason: Text.nullable(),
  previousRuleVersion: Text.nullable(),
  sequence: z.number(),
});

const ChangeSchema = z.enum(['added', 'removed', 'changed']);
const FieldChangeSchema = z.strictObject({ path: Text, before: Text.nullable(), after: Text.nullable() });
const ItemChangeSchema = z.strictObject({
  change: ChangeSchema,
  id: Text,
  name: Text,
  fields: z.array(FieldChangeSchema),
});

export const PolicyDiffSchema = z.strictObject({
  label: z.strictObject({ before: Text, after: Text }).nullable(),
  licences: z.array(
    z.strictObject({
      change: ChangeSchema,
      entityId: Text,
      entityName: Text,
      jurisdiction: Text,
      productId: Text,
      productName: Text,
      before: Texts,
      after: Texts,
    }),
  ),
  entities: z.array(ItemChangeSchema),
  products: z.array(ItemChangeSchema),
  teams: z.array(ItemChangeSchema),
  reps: z.array(ItemChangeSchema),
  rules: z.array(ItemChangeSchema),
  settings: z.array(FieldChangeSchema),
  identical: z.boolean(),
});

export const PolicyIssueSchema = z.strictObject({
  line: z.number().nullable(),
  column: z.number().nullable(),
  path: Text,
  message: Text,
});

export const LICENSING_API = {
  'policy.current': {
    request: z.strictObject({}),
    response: z.strictObject({
      name: Text,
      firm: Text,
      label: Text,
      ruleVersion: Text,
      /** The date the statuses were judged at (the workstation's today, UTC). */
      asOf: Text,
      /** True when the map is cut to the reader's markets. */
      scoped: z.boolean(),
      /** Whether this reader may import and publish a new version. */
      mayPublish: z.boolean(),
      published: PublicationSchema,
      /** Earlier publications, newest first (at most 20). */
      history: z.array(PublicationSchema),
      map: LicensingMapSchema,
    }),
  },
  'policy.preview': {
    request: z.strictObject({ fileName: z.string().min(1).max(260), text: PolicyText }),
    response: z.discriminatedUnion('valid', [
      z.strictObject({ valid: z.literal(false), fileName: Text, issues: z.array(PolicyIssueSchema) }),
      z.strictObject({
        valid: z.literal(true),
        fileName: Text,
        ruleVersion: Text,
        label: Text,
        /** The active policy the diff was computed against: publish names it, so a newer publication is not overwritten blind. */
        activeRuleVersion: Text,
        activeLabel: Text,
        /** The candidate is already the active policy: nothing to publish. */
        alreadyActive: z.boolean(),
        diff: PolicyDiffSchema,
      }),
    ]),
  },
  'policy.publish': {
    request: z.strictObject({
      fileName: z.string().min(1).max(260),
      text: PolicyText,
      /** The rule version the user previewed: the text must still hash to it. */
      ruleVersion: RuleVersion,
      /** The active rule version the preview was compared with: publication is refused when it has changed since. */
      activeRuleVersion: RuleVersion,
      reason: Reason,
    }),
    /** Pending when the active policy puts policy.publish under a second operations admin's approval. */
    response: z.union([PublicationSchema, PendingSchema]),
  },
} as const;
