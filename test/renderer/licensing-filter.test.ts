// The licensing screen's jurisdiction filter follows routing's one meaning of "inside": AE-DIFC is not in onshore AE.
import { describe, expect, it } from 'vitest';
import { LicensingMapSchema } from '../../core/api/licensing.ts';
import { licensingMapOf } from '../../core/policy/licensing-map.ts';
import { PolicyBundleSchema } from '../../core/policy/schema.ts';
import { filterMap } from '../../renderer/src/features/licensing/licensing-filter.ts';
import { zonesPolicy } from '../support/zones-policy.ts';

// The map as the renderer receives it: the service's map, validated by the api contract.
const map = LicensingMapSchema.parse(licensingMapOf(PolicyBundleSchema.parse(zonesPolicy()), { asOf: '2026-11-23' }));
const shown = (jurisdiction: string) => {
  const filtered = filterMap(map, '', jurisdiction);
  return {
    entities: filtered.entities.map((entity) => entity.id),
    teams: filtered.teams.map((team) => team.id),
    reps: filtered.reps.map((rep) => rep.id),
  };
};

describe('filtering the licensing map by jurisdiction', () => {
  it('shows only what names the DIFC when AE-DIFC is chosen, and only onshore when AE is', () => {
    expect(shown('AE-DIFC')).toEqual({ entities: ['difc'], teams: ['difc-team'], reps: ['fatima'] });
    expect(shown('AE')).toEqual({ entities: ['onshore'], teams: ['onshore-team'], reps: ['omar'] });
  });

  it('shows what covers a country when one of its ISO subdivisions is chosen', () => {
    expect(shown('US-CA')).toEqual({ entities: ['us'], teams: ['us-team'], reps: ['lucia'] });
  });
});
