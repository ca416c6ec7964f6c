// A small licensing map with an onshore country, a custom zone in it and a per-state country, for the zone tests.
import { basePolicy } from './policy-builder.ts';
import type { PolicyInput } from './policy-builder.ts';

const licence = (id: string, jurisdictions: string[]) => ({
  id,
  regulator: `${id} regulator`,
  regime: 'bank',
  jurisdictions,
  productClasses: ['payments' as const],
  customerTypes: ['professional' as const],
  validFrom: '2020-01-01',
});

const entity = (id: string, home: string, jurisdictions: string[]) => ({
  id,
  name: `${id} entity`,
  legalForm: 'Ltd',
  home,
  licences: [licence(`${id}-licence`, jurisdictions)],
});

const team = (id: string, entityId: string, jurisdictions: string[], segment: string) => ({
  id,
  name: `${id} team`,
  entity: entityId,
  products: ['pay'],
  customerTypes: ['professional' as const],
  jurisdictions,
  attributes: { segment },
});

const rep = (id: string, teamId: string, jurisdictions: string[]) => ({
  id,
  name: `${id} rep`,
  team: teamId,
  capacity: 5,
  authorisations: [{ products: ['pay'], jurisdictions, customerTypes: ['professional' as const] }],
});

/**
 * Onshore UAE (AE), the DIFC (AE-DIFC, a custom zone geographically in AE) and California (US-CA, an ISO subdivision
 * of US), each licensed, staffed and authorised on its own; markets name each, and Gulf names both AE and AE-DIFC.
 */
export const zonesPolicy = (overrides: Partial<PolicyInput> = {}): PolicyInput =>
  basePolicy({
    jurisdictions: {
      customZones: [{ code: 'AE-DIFC', name: 'DIFC', within: 'AE', addressMarkers: ['DIFC', 'Gate Village'] }],
      groups: { 'UAE-All': ['AE', 'AE-DIFC'], 'Gulf-Onshore': ['AE', 'SA'], EEA: ['FR', 'DE', 'SE', 'NL'] },
      markets: {
        'UAE-Onshore': ['AE'],
        DIFC: ['AE-DIFC'],
        Gulf: ['UAE-All'],
        California: ['US-CA'],
        USA: ['US'],
      },
    },
    tagging: { requireSubdivision: ['US'] },
    entities: [
      entity('onshore', 'AE', ['AE']),
      entity('difc', 'AE', ['AE-DIFC']),
      entity('us', 'US', ['US']),
      ...basePolicy().entities!,
    ],
    teams: [
      team('onshore-team', 'onshore', ['AE'], 'onshore'),
      team('difc-team', 'difc', ['AE-DIFC'], 'difc'),
      team('us-team', 'us', ['US'], 'us'),
      ...basePolicy().teams!,
    ],
    reps: [
      rep('omar', 'onshore-team', ['AE']),
      rep('fatima', 'difc-team', ['AE-DIFC']),
      rep('lucia', 'us-team', ['US']),
      ...basePolicy().reps!,
    ],
    ...overrides,
  });

export const DIFC_ADDRESS = { line1: 'Building 3, Gate Village', city: 'Dubai', country: 'AE' };
export const ONSHORE_ADDRESS = { line1: 'Sheikh Zayed Road', city: 'Dubai', subdivision: 'DU', country: 'AE' };
export const CALIFORNIA_ADDRESS = { line1: '1 Market St', city: 'San Francisco', subdivision: 'CA', country: 'US' };
