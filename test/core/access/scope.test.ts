// Market scopes: an officer scoped to onshore UAE does not see the DIFC, and the reverse, unless a scope names both.
import { describe, expect, it } from 'vitest';
import { inScope } from '../../../core/access/roles.ts';
import type { User } from '../../../core/access/roles.ts';
import { licensingMapOf, marketScope } from '../../../core/policy/licensing-map.ts';
import { PolicyBundleSchema } from '../../../core/policy/schema.ts';
import { buildVocabulary } from '../../../core/policy/vocabulary.ts';
import { zonesPolicy } from '../../support/zones-policy.ts';

const policy = PolicyBundleSchema.parse(zonesPolicy());
const vocabulary = buildVocabulary(policy);
const officer = (markets: string[]): User => ({
  id: 'o',
  name: 'O',
  roles: ['compliance_officer'],
  markets,
  active: true,
});

describe('a user market scope', () => {
  it('scoped to onshore UAE sees onshore cases and not DIFC cases', () => {
    for (const markets of [['UAE-Onshore'], ['AE']]) {
      expect(inScope(officer(markets), 'AE', vocabulary)).toBe(true);
      expect(inScope(officer(markets), 'AE-DU', vocabulary)).toBe(true);
      expect(inScope(officer(markets), 'AE-DIFC', vocabulary)).toBe(false);
    }
  });

  it('scoped to the DIFC sees DIFC cases and not onshore ones', () => {
    for (const markets of [['DIFC'], ['AE-DIFC']]) {
      expect(inScope(officer(markets), 'AE-DIFC', vocabulary)).toBe(true);
      expect(inScope(officer(markets), 'AE', vocabulary)).toBe(false);
      expect(inScope(officer(markets), 'AE-DU', vocabulary)).toBe(false);
    }
  });

  it('sees both when the scope names both', () => {
    for (const markets of [['Gulf'], ['UAE-Onshore', 'DIFC']]) {
      expect(inScope(officer(markets), 'AE-DIFC', vocabulary)).toBe(true);
      expect(inScope(officer(markets), 'AE-DU', vocabulary)).toBe(true);
    }
  });

  it('scoped to a country sees its subdivisions', () => {
    expect(inScope(officer(['USA']), 'US-CA', vocabulary)).toBe(true);
    expect(inScope(officer(['California']), 'US-NY', vocabulary)).toBe(false);
  });
});

describe('the licensing map cut to a market scope', () => {
  const refsSeen = (markets: string[]): string[] =>
    licensingMapOf(policy, { asOf: '2026-11-23', inScope: marketScope(vocabulary, markets) }).teams.map(
      (team) => team.id,
    );

  it('shows an onshore officer the onshore team, not the DIFC team, and the reverse', () => {
    expect(refsSeen(['UAE-Onshore'])).toEqual(['onshore-team']);
    expect(refsSeen(['DIFC'])).toEqual(['difc-team']);
    expect(refsSeen(['Gulf'])).toEqual(['onshore-team', 'difc-team']);
    expect(refsSeen(['California'])).toEqual(['us-team']);
  });
});
