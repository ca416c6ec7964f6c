// Builds small valid policies and leads in code, for unit and property tests.
import { PolicyBundleSchema } from '../../core/policy/schema.ts';
import type { PolicyBundle } from '../../core/policy/schema.ts';
import { validatePolicySemantics } from '../../core/policy/validate.ts';
import { ruleVersionOf } from '../../core/policy/version.ts';
import { compilePolicy } from '../../core/routing/compile.ts';
import type { CompiledPolicy } from '../../core/routing/compile.ts';
import { LeadSchema } from '../../core/routing/lead.ts';
import type { Lead, LeadInput } from '../../core/routing/lead.ts';
import type { z } from 'zod';

export type PolicyInput = z.input<typeof PolicyBundleSchema>;

export const compileInput = (input: PolicyInput): CompiledPolicy => {
  const policy: PolicyBundle = PolicyBundleSchema.parse(input);
  const issues = validatePolicySemantics(policy);
  if (issues.length > 0) throw new Error(`test policy is invalid: ${JSON.stringify(issues)}`);
  return compilePolicy(policy, ruleVersionOf(policy));
};

export const basePolicy = (overrides: Partial<PolicyInput> = {}): PolicyInput => ({
  schema: 'perimeter.policy/v1',
  name: 'Test map',
  firm: 'Test firm',
  version: 't1',
  currency: 'EUR',
  jurisdictions: { groups: { EEA: ['FR', 'DE', 'SE', 'NL'] }, markets: { UK: ['GB'], EU: ['EEA'] } },
  tagging: { requireSubdivision: ['US'] },
  entities: [
    {
      id: 'uk',
      name: 'UK Ltd',
      legalForm: 'Limited',
      home: 'GB',
      priority: 1,
      licences: [
        {
          id: 'fca',
          regulator: 'FCA',
          regime: 'EMR',
          jurisdictions: ['GB'],
          productClasses: ['payments'],
          customerTypes: ['retail', 'professional'],
          validFrom: '2020-01-01',
        },
      ],
    },
  ],
  products: [{ id: 'pay', name: 'Payments', class: 'payments', kycRequiredBeforeEngagement: true }],
  teams: [
    {
      id: 'uk-team',
      name: 'UK team',
      entity: 'uk',
      products: ['pay'],
      customerTypes: ['retail', 'professional'],
      jurisdictions: ['GB'],
    },
  ],
  reps: [
    {
      id: 'r1',
      name: 'Rep One',
      team: 'uk-team',
      capacity: 2,
      authorisations: [{ products: ['pay'], jurisdictions: ['GB'], customerTypes: ['retail', 'professional'] }],
    },
    {
      id: 'r2',
      name: 'Rep Two',
      team: 'uk-team',
      capacity: 2,
      authorisations: [{ products: ['pay'], jurisdictions: ['GB'], customerTypes: ['retail', 'professional'] }],
    },
  ],
  ...overrides,
});

export const lead = (overrides: Partial<LeadInput> = {}): Lead =>
  LeadSchema.parse({
    id: 'L1',
    company: { name: 'Acme Ltd' },
    address: { line1: '1 High St', city: 'London', country: 'GB' },
    customerType: 'professional',
    kycStatus: 'verified',
    amlDocumentation: 'complete',
    screening: { screenedAt: '2026-11-01T00:00:00Z', hits: [] },
    productInterests: ['pay'],
    ...overrides,
  });
