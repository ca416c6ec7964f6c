// The demo's generated leads: deterministic from a seed, spread over the example fintech policy's markets, customer
// types, products and KYC states, with a few parties named after entries of the demo's sanctions extract.
import type { LeadInput } from '../../../core/routing/lead.ts';
import { seededRandom } from '../../../core/shared/seeded-random.ts';

type Place = {
  readonly country: string;
  /** The ISO 3166-2 subdivision, where the policy needs one (the US). */
  readonly subdivision?: string;
  readonly cities: readonly string[];
  readonly suffix: string;
  /** Relative weight among the places. */
  readonly weight: number;
  readonly market?: string;
};

// The fintech example's markets (UK, EU-Passported, US-CA, Federal-Regulated, Switzerland, Offshore, GCC) and a few
// places outside them, so routing assigns, refuses to expansion review and asks for compliance review.
const PLACES: readonly Place[] = [
  {
    country: 'GB',
    cities: ['London', 'Manchester', 'Leeds', 'Bristol', 'Edinburgh'],
    suffix: 'Ltd',
    weight: 28,
    market: 'UK',
  },
  { country: 'FR', cities: ['Paris', 'Lyon', 'Lille'], suffix: 'SARL', weight: 8, market: 'EU-Passported' },
  { country: 'DE', cities: ['Berlin', 'Hamburg', 'Munich'], suffix: 'GmbH', weight: 8, market: 'EU-Passported' },
  { country: 'NL', cities: ['Amsterdam', 'Rotterdam', 'Utrecht'], suffix: 'B.V.', weight: 6, market: 'EU-Passported' },
  { country: 'IE', cities: ['Dublin', 'Cork'], suffix: 'Limited', weight: 5, market: 'EU-Passported' },
  { country: 'SE', cities: ['Stockholm', 'Gothenburg'], suffix: 'AB', weight: 4, market: 'EU-Passported' },
  { country: 'ES', cities: ['Madrid', 'Barcelona'], suffix: 'S.L.', weight: 3, market: 'EU-Passported' },
  { country: 'IT', cities: ['Milan', 'Rome'], suffix: 'S.r.l.', weight: 2 },
  {
    country: 'US',
    subdivision: 'CA',
    cities: ['San Francisco', 'Los Angeles', 'San Diego'],
    suffix: 'Inc',
    weight: 12,
    market: 'US-CA',
  },
  { country: 'US', subdivision: 'NY', cities: ['New York', 'Buffalo'], suffix: 'LLC', weight: 6 },
  { country: 'US', subdivision: 'TX', cities: ['Austin', 'Houston'], suffix: 'Inc', weight: 2 },
  { country: 'CH', cities: ['Zurich', 'Geneva'], suffix: 'AG', weight: 3, market: 'Switzerland' },
  { country: 'KY', cities: ['George Town'], suffix: 'Ltd', weight: 1, market: 'Offshore' },
  { country: 'AE', cities: ['Dubai', 'Abu Dhabi'], suffix: 'LLC', weight: 3, market: 'GCC' },
  { country: 'SG', cities: ['Singapore'], suffix: 'Pte Ltd', weight: 1 },
  { country: 'BR', cities: ['Sao Paulo'], suffix: 'Ltda', weight: 1 },
];

const COMPANY_WORDS = [
  ['Amber', 'Beacon', 'Cedar', 'Delta', 'Ember', 'Fjord', 'Granite', 'Harbour', 'Iris', 'Juniper', 'Kestrel', 'Lumen'],
  ['Meadow', 'Nimbus', 'Orchard', 'Pioneer', 'Quarry', 'Riverside', 'Summit', 'Tidewater', 'Union', 'Vertex'],
  ['Bakery', 'Logistics', 'Studios', 'Software', 'Trading', 'Engineering', 'Foods', 'Analytics', 'Clinics', 'Print'],
];
const FIRST_NAMES = ['Alice', 'Bruno', 'Chloe', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kemi'];
const LAST_NAMES = [
  'Andersson',
  'Baker',
  'Costa',
  'Dubois',
  'Evans',
  'Fischer',
  'Garcia',
  'Hughes',
  'Ivanova',
  'Jones',
];
const INDUSTRIES = ['retail', 'software', 'logistics', 'hospitality', 'manufacturing', 'consulting'];

/** A name on a list the demo screens against, for the leads that should come back as hits. */
export type ListedName = { readonly name: string; readonly type: 'person' | 'company' };

export type DemoLeadOptions = {
  readonly seed: number;
  readonly count: number;
  /** Names from the demo's lists; about one lead in forty takes one of them, so screening has real hits. */
  readonly listed: readonly ListedName[];
};

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const weighted = <T>(random: () => number, items: readonly (readonly [T, number])[]): T => {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [item, weight] of items) {
    roll -= weight;
    if (roll < 0) return item;
  }
  return items[items.length - 1]![0];
};

/** Generated leads with ids L-DEMO-00001…; the same seed gives the same leads. */
export const generateDemoLeads = (options: DemoLeadOptions): LeadInput[] => {
  const random = seededRandom(options.seed);
  const places = PLACES.map((place) => [place, place.weight] as const);
  const listedPeople = options.listed.filter((entry) => entry.type === 'person');
  const listedCompanies = options.listed.filter((entry) => entry.type === 'company');
  const leads: LeadInput[] = [];
  for (let index = 1; index <= options.count; index += 1) {
    const place = weighted(random, places);
    const isPerson = random() < 0.3;
    const listed = random() < 0.025 ? (isPerson ? listedPeople : listedCompanies) : [];
    const listedName = listed.length > 0 ? pick(random, listed).name : null;
    // Corporate cards are a UK product in the example policy: asked for mostly there. Crypto custody is licensed
    // nowhere, so its few leads go to expansion review.
    const products = weighted(random, [
      [['business-payments'], place.country === 'GB' ? 62 : 84],
      [['corporate-cards'], place.country === 'GB' ? 14 : 2],
      [['business-payments', 'corporate-cards'], place.country === 'GB' ? 14 : 2],
      [['crypto-custody'], 4],
      [['business-payments', 'crypto-custody'], 4],
    ] as const);
    const city = pick(random, place.cities);
    const jurisdiction = place.subdivision ? `${place.country}-${place.subdivision}` : place.country;
    const lead: LeadInput = {
      id: `L-DEMO-${String(index).padStart(5, '0')}`,
      customerType: weighted(random, [
        ['professional', 68],
        ['retail', 27],
        ['unknown', 5],
      ] as const),
      kycStatus: weighted(random, [
        ['verified', 84],
        ['pending', 8],
        ['not_started', 5],
        ['failed', 3],
      ] as const),
      amlDocumentation: weighted(random, [
        ['complete', 88],
        ['partial', 8],
        ['missing', 4],
      ] as const),
      productInterests: [...products],
      address: {
        line1: `${1 + Math.floor(random() * 200)} ${pick(random, COMPANY_WORDS[1]!)} Street`,
        city,
        ...(place.subdivision ? { subdivision: place.subdivision } : {}),
        country: place.country,
      },
      kycPrescreenJurisdiction: jurisdiction,
      ...(place.market !== undefined && random() < 0.3 ? { targetMarket: place.market } : {}),
    };
    if (isPerson) {
      const fullName = listedName ?? `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`;
      leads.push({ ...lead, person: { fullName, nationality: place.country } });
    } else {
      const name =
        listedName ??
        `${pick(random, COMPANY_WORDS[0]!)} ${pick(random, COMPANY_WORDS[1]!)} ${pick(random, COMPANY_WORDS[2]!)} ${place.suffix}`;
      leads.push({
        ...lead,
        company: { name, registrationCountry: place.country, industry: pick(random, INDUSTRIES) },
      });
    }
  }
  return leads;
};
