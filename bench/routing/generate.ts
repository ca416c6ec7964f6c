// Generates a large, valid licensing map and leads for the routing benchmark, from a seed (deterministic).
import type { z } from 'zod';
import type { PolicyBundleSchema } from '../../core/policy/schema.ts';
import type { LeadInput } from '../../core/routing/lead.ts';
import { seededRandom } from '../../core/shared/seeded-random.ts';

export type PolicyInput = z.input<typeof PolicyBundleSchema>;

const COUNTRIES = [
  'GB',
  'FR',
  'DE',
  'NL',
  'IE',
  'ES',
  'IT',
  'SE',
  'DK',
  'FI',
  'NO',
  'PL',
  'PT',
  'BE',
  'AT',
  'CH',
  'AE',
  'SA',
  'QA',
  'SG',
  'HK',
  'JP',
  'AU',
  'NZ',
  'CA',
  'MX',
  'BR',
  'ZA',
  'IN',
  'KY',
];
const STATES = [
  'US-CA',
  'US-NY',
  'US-TX',
  'US-FL',
  'US-IL',
  'US-WA',
  'US-MA',
  'US-NJ',
  'US-GA',
  'US-CO',
  'US-AZ',
  'US-OR',
  'US-NV',
  'US-UT',
  'US-MN',
  'US-MI',
  'US-OH',
  'US-PA',
  'US-VA',
  'US-NC',
];
const CLASSES = [
  'payments',
  'card_issuing',
  'lending',
  'crypto',
  'open_banking',
  'investments',
  'insurance',
  'deposits',
  'fx',
] as const;
const TYPES = ['retail', 'professional', 'eligible_counterparty'] as const;

export type GeneratedScale = { markets: number; entities: number; teams: number; reps: number; products: number };
export const BENCH_SCALE: GeneratedScale = { markets: 50, entities: 20, teams: 200, reps: 2000, products: 20 };

export const generatePolicy = (seed: number, scale: GeneratedScale = BENCH_SCALE): PolicyInput => {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const some = <T>(items: readonly T[], min: number, max: number): T[] => {
    const count = min + Math.floor(random() * (max - min + 1));
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, Math.max(1, Math.min(count, copy.length)));
  };
  const places = [...COUNTRIES, ...STATES].slice(0, scale.markets);
  const markets = Object.fromEntries(places.map((code) => [`M-${code}`, [code]]));
  const products = Array.from({ length: scale.products }, (_, p) => ({
    id: `product-${p}`,
    name: `Product ${p}`,
    class: CLASSES[p % CLASSES.length]!,
    complexity: p % 5 === 0 ? ('complex' as const) : ('standard' as const),
    kycRequiredBeforeEngagement: p % 3 !== 0,
    amlDocumentationRequired: p % 4 === 0,
    suitability:
      p % 7 === 0 ? { retailRequiresAssessment: true, minNetWorth: 250000 } : { retailRequiresAssessment: false },
  }));
  const productIds = products.map((product) => product.id);
  const entities = Array.from({ length: scale.entities }, (_, e) => ({
    id: `entity-${e}`,
    name: `Entity ${e}`,
    legalForm: pick(['LLC', 'Limited', 'AB', 'GmbH', 'SAS']),
    home: 'GB',
    priority: Math.floor(random() * 5),
    licences: Array.from({ length: 2 + Math.floor(random() * 3) }, (_, l) => ({
      id: `licence-${e}-${l}`,
      regulator: `Regulator ${l}`,
      regime: `Regime ${e}.${l}`,
      jurisdictions: some(places, 5, 15),
      products: some(productIds, 4, 10),
      productClasses: random() < 0.3 ? [pick(CLASSES)] : [],
      customerTypes: some(TYPES, 1, 3),
      validFrom: '2020-01-01',
      ...(random() < 0.1 ? { validTo: '2025-12-31' } : {}),
    })),
  }));
  const teamsPerEntity = Math.floor(scale.teams / scale.entities);
  const teams = entities.flatMap((entity, e) =>
    Array.from({ length: teamsPerEntity }, (_, t) => {
      const licensedPlaces = [...new Set(entity.licences.flatMap((licence) => licence.jurisdictions))];
      const licensedProducts = [...new Set(entity.licences.flatMap((licence) => licence.products))];
      return {
        id: `team-${e}-${t}`,
        name: `Team ${e}.${t}`,
        entity: entity.id,
        products: some(licensedProducts, 4, 12),
        customerTypes: some(TYPES, 2, 3),
        jurisdictions: some(licensedPlaces, 6, 20).map((code) => `M-${code}`),
        attributes: { segment: pick(['sme', 'enterprise', 'private']), language: pick(['en', 'fr', 'de']) },
      };
    }),
  );
  const repsPerTeam = Math.floor(scale.reps / teams.length);
  const reps = teams.flatMap((team) =>
    Array.from({ length: repsPerTeam }, (_, r) => ({
      id: `rep-${team.id}-${r}`,
      name: `Rep ${team.id}.${r}`,
      team: team.id,
      capacity: 1_000_000,
      available: random() > 0.05,
      authorisations: [
        {
          products: some(team.products, Math.ceil(team.products.length / 2), team.products.length),
          jurisdictions: team.jurisdictions,
          customerTypes: team.customerTypes,
        },
      ],
    })),
  );
  return {
    schema: 'perimeter.policy/v1',
    name: `Generated map ${seed}`,
    firm: 'Benchmark firm',
    version: `gen-${seed}`,
    currency: 'USD',
    jurisdictions: { markets },
    tagging: { requireSubdivision: ['US'], statedIntent: 'advisory' },
    netWorthBands: [
      { id: 'low', min: 0, max: 250000 },
      { id: 'high', min: 250000 },
    ],
    entities,
    products,
    teams,
    reps,
    rules: [
      {
        id: 'R-prefer-enterprise',
        description: 'large firms to enterprise desks',
        effect: 'prefer',
        when: { fact: 'lead.attributes.employees', op: 'gte', value: 250 },
        condition: { fact: 'team.attributes.segment', op: 'eq', value: 'enterprise' },
        weight: 5,
      },
      {
        id: 'R-no-crypto-retail-private',
        description: 'private desks do not sell crypto to retail',
        effect: 'forbid',
        when: {
          all: [
            { fact: 'product.class', op: 'eq', value: 'crypto' },
            { fact: 'lead.customerType', op: 'eq', value: 'retail' },
          ],
        },
        condition: { fact: 'team.attributes.segment', op: 'eq', value: 'private' },
      },
      {
        id: 'R-french-speakers',
        description: 'French-speaking leads need a French-speaking team',
        effect: 'require',
        when: { fact: 'lead.attributes.language', op: 'eq', value: 'fr' },
        condition: { fact: 'team.attributes.language', op: 'in', value: ['fr', 'en'] },
      },
    ],
  };
};

export const generateLeads = (seed: number, count: number, scale: GeneratedScale = BENCH_SCALE): LeadInput[] => {
  const random = seededRandom(seed ^ 0x9e3779b9);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const places = [...COUNTRIES, ...STATES].slice(0, scale.markets);
  const elsewhere = ['BR', 'AR', 'EG', 'KE', 'TH'];
  return Array.from({ length: count }, (_, i) => {
    const place = random() < 0.9 ? pick(places) : pick(elsewhere);
    const products = [`product-${Math.floor(random() * scale.products)}`];
    if (random() < 0.3) {
      const second = `product-${Math.floor(random() * scale.products)}`;
      if (second !== products[0]) products.push(second);
    }
    const hit = random() < 0.02;
    return {
      id: `lead-${i}`,
      company: { name: `Company ${i}`, industry: pick(['retail', 'software', 'manufacturing']) },
      address: place.includes('-')
        ? { line1: `${i} Main St`, country: place.slice(0, 2), subdivision: place }
        : { line1: `${i} Main St`, country: place },
      kycPrescreenJurisdiction: random() < 0.8 ? place : undefined,
      customerType: pick(['retail', 'professional', 'professional', 'eligible_counterparty']),
      netWorthBand: pick(['low', 'high']),
      kycStatus: random() < 0.9 ? 'verified' : 'pending',
      amlDocumentation: random() < 0.9 ? 'complete' : 'partial',
      suitabilityAssessed: random() < 0.5,
      attributes: { employees: Math.floor(random() * 2000), language: pick(['en', 'fr', 'de']) },
      screening: {
        screenedAt: '2026-11-01T00:00:00Z',
        hits: hit
          ? [
              {
                party: 'company',
                listKind: 'sanctions',
                strength: 'potential',
                listId: 'ofac-sdn',
                listVersion: 'v1',
                entryId: '1',
                entryName: 'X',
                score: 0.85,
              },
            ]
          : [],
      },
      productInterests: products,
    } satisfies LeadInput;
  });
};
