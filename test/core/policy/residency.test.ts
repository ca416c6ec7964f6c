// A lead's residency region from the policy (decision 0248): booking entity first, then markets in the written order.
import { describe, expect, it } from 'vitest';
import { leadResidency } from '../../../core/policy/residency.ts';
import { PolicyBundleSchema } from '../../../core/policy/schema.ts';
import { validatePolicySemantics } from '../../../core/policy/validate.ts';
import { buildVocabulary } from '../../../core/policy/vocabulary.ts';
import { loadExamplePolicy } from '../../support/examples.ts';

describe('lead residency', () => {
  const policy = loadExamplePolicy('bank-insurer').policy;
  const vocabulary = buildVocabulary(policy);

  it("takes the booking entity's region when the policy maps the entity, whatever the jurisdiction", () => {
    expect(leadResidency(policy, vocabulary, { jurisdiction: 'GB', bookingEntity: 'harbour-capital-difc' })).toEqual({
      region: 'me-central',
      basis: 'booking_entity',
      markets: ['UK'],
    });
  });

  it('otherwise takes the first market, in the written order, that the jurisdiction is inside', () => {
    // AE-DIFC is inside DIFC and GCC; DIFC comes first. US-NY is inside US-Insurance-States.
    expect(leadResidency(policy, vocabulary, { jurisdiction: 'AE-DIFC' })).toEqual({
      region: 'me-central',
      basis: 'market',
      markets: ['DIFC', 'GCC'],
    });
    expect(leadResidency(policy, vocabulary, { jurisdiction: 'US-NY' })?.region).toBe('us-east');
    expect(leadResidency(policy, vocabulary, { jurisdiction: 'GB', bookingEntity: 'no-such-entity' })?.basis).toBe(
      'market',
    );
  });

  it('leaves a lead neither maps unresolved, and says nothing when the policy has no residency section', () => {
    expect(leadResidency(policy, vocabulary, { jurisdiction: 'JP' })).toEqual({
      region: null,
      basis: 'unresolved',
      markets: [],
    });
    expect(leadResidency(policy, vocabulary, { jurisdiction: null })?.basis).toBe('unresolved');
    expect(leadResidency({}, vocabulary, { jurisdiction: 'GB' })).toBeNull();
  });

  it('refuses a residency section that names an unknown entity or market, or a malformed region', () => {
    const bad = PolicyBundleSchema.parse({
      ...policy,
      residency: { entities: { 'harbour-nowhere': 'eu-west' }, markets: { Atlantis: 'eu-west', UK: 'eu-west' } },
    });
    const messages = validatePolicySemantics(bad).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(messages).toContain('residency.entities.harbour-nowhere: unknown entity "harbour-nowhere"');
    expect(messages).toContain('residency.markets.Atlantis: "Atlantis" is not a declared market');
    expect(PolicyBundleSchema.safeParse({ ...policy, residency: { markets: { UK: 'eu west' } } }).success).toBe(false);
  });
});
