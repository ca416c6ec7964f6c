// One meaning of "inside a jurisdiction": a subdivision is inside its country, a custom zone only inside what names it.
import { describe, expect, it } from 'vitest';
import { PolicyBundleSchema } from '../../../core/policy/schema.ts';
import { validatePolicySemantics } from '../../../core/policy/validate.ts';
import { buildVocabulary, isInside } from '../../../core/policy/vocabulary.ts';
import { basePolicy } from '../../support/policy-builder.ts';
import { zonesPolicy } from '../../support/zones-policy.ts';

const vocabulary = buildVocabulary(PolicyBundleSchema.parse(zonesPolicy()));

describe('isInside, the one answer', () => {
  const cases: [string, string[], boolean][] = [
    ['AE', ['AE'], true],
    ['US-CA', ['US'], true],
    ['US-CA', ['US-CA'], true],
    ['US', ['US-CA'], false],
    ['US-NY', ['US-CA'], false],
    ['AE-DIFC', ['AE'], false],
    ['AE', ['AE-DIFC'], false],
    ['AE-DIFC', ['AE-DIFC'], true],
    ['AE-DIFC', ['AE', 'AE-DIFC'], true],
    // A zone code the policy no longer declares is still no subdivision of its country.
    ['AE-ADGM', ['AE'], false],
    ['GB', ['FR', 'DE'], false],
  ];
  it.each(cases)('%s inside %j is %s', (jurisdiction, area, expected) => {
    expect(isInside(jurisdiction, new Set(area))).toBe(expected);
  });
});

describe('the vocabulary answers with it for every kind of area', () => {
  it('keeps a custom zone out of its country, its country groups and its country markets', () => {
    expect(vocabulary.within('AE-DIFC', 'AE')).toBe(false);
    expect(vocabulary.within('AE-DIFC', 'UAE-Onshore')).toBe(false);
    expect(vocabulary.within('AE', 'DIFC')).toBe(false);
    expect(vocabulary.within('AE-DIFC', 'DIFC')).toBe(true);
    expect(vocabulary.within('AE-DIFC', 'AE-DIFC')).toBe(true);
    expect(vocabulary.within('AE-DIFC', 'Gulf')).toBe(true);
    expect(vocabulary.within('AE-DU', 'UAE-Onshore')).toBe(true);
    expect(vocabulary.within('AE-DU', 'DIFC')).toBe(false);
  });

  it('keeps an ISO subdivision inside its country, and not the other way round', () => {
    expect(vocabulary.within('US-CA', 'US')).toBe(true);
    expect(vocabulary.within('US-CA', 'USA')).toBe(true);
    expect(vocabulary.within('US', 'California')).toBe(false);
    expect(vocabulary.within('US-NY', 'California')).toBe(false);
  });

  it('lists a lead in the markets that name its zone, not in its country market', () => {
    expect(vocabulary.marketsOf('AE-DIFC')).toEqual(['DIFC', 'Gulf']);
    expect(vocabulary.marketsOf('AE')).toEqual(['UAE-Onshore', 'Gulf']);
    expect(vocabulary.marketsOf('AE-DU')).toEqual(['UAE-Onshore', 'Gulf']);
    expect(vocabulary.marketsOf('US-CA')).toEqual(['California', 'USA']);
  });
});

describe('a custom zone cannot be an ISO subdivision', () => {
  it('refuses a zone whose code is an ISO 3166-2 code, naming the field', () => {
    const policy = PolicyBundleSchema.parse(
      basePolicy({
        jurisdictions: { customZones: [{ code: 'AE-DU', name: 'Dubai zone', within: 'AE', addressMarkers: [] }] },
      }),
    );
    expect(validatePolicySemantics(policy)).toContainEqual({
      path: ['jurisdictions', 'customZones', 0, 'code'],
      message: expect.stringContaining('ISO 3166-2 subdivision'),
    });
  });
});

describe('a passport target must lie inside the passport area, by the same answer', () => {
  const withPassport = (area: string, into: string[]) =>
    validatePolicySemantics(
      PolicyBundleSchema.parse(
        zonesPolicy({
          entities: [
            {
              id: 'eu',
              name: 'EU AB',
              legalForm: 'AB',
              home: 'SE',
              licences: [
                {
                  id: 'eu-licence',
                  regulator: 'FI',
                  regime: 'PSD2',
                  jurisdictions: ['SE'],
                  passporting: { area, into },
                  productClasses: ['payments'],
                  customerTypes: ['professional'],
                  validFrom: '2020-01-01',
                },
              ],
            },
          ],
          teams: [],
          reps: [],
        }),
      ),
    ).filter((issue) => issue.path.includes('passporting'));

  it('accepts a subdivision of a member country, and refuses a custom zone the area does not name', () => {
    expect(withPassport('EEA', ['FR', 'FR-IDF'])).toEqual([]);
    expect(withPassport('Gulf-Onshore', ['AE-DU'])).toEqual([]);
    expect(withPassport('Gulf-Onshore', ['AE-DIFC']).map((issue) => issue.message)).toEqual([
      '"AE-DIFC" is outside the passport area Gulf-Onshore',
    ]);
    expect(withPassport('UAE-All', ['AE-DIFC'])).toEqual([]);
  });
});
