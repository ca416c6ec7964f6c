// The jurisdiction vocabulary: ISO codes, declared custom zones, groups and market names, and what covers what.
import { ISO_3166_1, ISO_3166_2 } from './iso3166-data.ts';
import type { CustomZone, PolicyBundle } from './schema.ts';

export type RefKind = 'country' | 'subdivision' | 'zone' | 'group' | 'market';

export type Vocabulary = {
  /** What a reference names, or undefined when it names nothing known. */
  readonly kindOf: (ref: string) => RefKind | undefined;
  /** The concrete codes (countries, subdivisions, zones) a reference stands for; undefined if unknown or cyclic. */
  readonly expand: (ref: string) => ReadonlySet<string> | undefined;
  readonly zone: (code: string) => CustomZone | undefined;
  /** Markets of the firm's vocabulary this jurisdiction is inside (by `isInside`). */
  readonly marketsOf: (code: string) => readonly string[];
  /** Is the jurisdiction inside the container (code, zone, group or market)? `isInside` over the container's codes. */
  readonly within: (code: string, container: string) => boolean;
  /**
   * Location evidence only: does `precise` name a place inside `broad` on the map (equal, a subdivision or a custom
   * zone of the country)? Tagging uses it to reconcile an address with a KYC result; coverage never does.
   */
  readonly locatesWithin: (precise: string, broad: string) => boolean;
};

export const isCountryCode = (code: string): boolean => ISO_3166_1.has(code);
export const isSubdivisionCode = (code: string): boolean => ISO_3166_2.has(code);
export const countryName = (code: string): string | undefined => ISO_3166_1.get(code);
export const countryOf = (code: string): string => code.slice(0, 2);

/**
 * The one answer to "is this jurisdiction inside that area?", for licences, passports, teams, rep authorisations,
 * `within` conditions, stated intent, the markets a lead is listed in and users' market scopes alike. The area is
 * the set of concrete codes it stands for (`Vocabulary.expand`). A jurisdiction is inside when the area names it, or
 * when it is an ISO 3166-2 subdivision (US-CA) of a country the area names (US). A custom zone (AE-DIFC) is never an
 * ISO subdivision (validation refuses a zone code that is one), so only naming the zone covers it: an onshore AE
 * licence, team, rule or scope does not reach the DIFC, and a DIFC one does not reach onshore AE.
 */
export const isInside = (jurisdiction: string, area: ReadonlySet<string>): boolean =>
  area.has(jurisdiction) ||
  (jurisdiction.length > 2 && area.has(countryOf(jurisdiction)) && isSubdivisionCode(jurisdiction));

export const buildVocabulary = (policy: Pick<PolicyBundle, 'jurisdictions'>): Vocabulary => {
  const zones = new Map(policy.jurisdictions.customZones.map((zone) => [zone.code, zone]));
  const groups = policy.jurisdictions.groups;
  const markets = policy.jurisdictions.markets;
  const expanded = new Map<string, ReadonlySet<string> | undefined>();

  const kindOf = (ref: string): RefKind | undefined => {
    // A code wins over a market of the same name (the market US-CA stands for the subdivision US-CA).
    if (zones.has(ref)) return 'zone';
    if (isCountryCode(ref)) return 'country';
    if (isSubdivisionCode(ref)) return 'subdivision';
    if (Object.hasOwn(groups, ref)) return 'group';
    if (Object.hasOwn(markets, ref)) return 'market';
    return undefined;
  };

  const expandWith = (ref: string, visiting: Set<string>): ReadonlySet<string> | undefined => {
    if (expanded.has(ref)) return expanded.get(ref);
    const kind = kindOf(ref);
    if (kind === undefined) return undefined;
    if (kind !== 'group' && kind !== 'market') {
      const single = new Set([ref]);
      expanded.set(ref, single);
      return single;
    }
    if (visiting.has(ref)) return undefined;
    visiting.add(ref);
    const members = kind === 'group' ? groups[ref] : markets[ref];
    const codes = new Set<string>();
    for (const member of members ?? []) {
      // A market may share its name with the one code it stands for (the market US-CA is the subdivision US-CA).
      if (member === ref && (isCountryCode(ref) || isSubdivisionCode(ref) || zones.has(ref))) {
        codes.add(ref);
        continue;
      }
      const inner = expandWith(member, visiting);
      if (inner === undefined) {
        visiting.delete(ref);
        return undefined;
      }
      for (const code of inner) codes.add(code);
    }
    visiting.delete(ref);
    expanded.set(ref, codes);
    return codes;
  };
  const expand = (ref: string): ReadonlySet<string> | undefined => expandWith(ref, new Set());

  const within = (code: string, container: string): boolean => {
    const codes = expand(container);
    return codes !== undefined && isInside(code, codes);
  };

  const marketCache = new Map<string, readonly string[]>();
  const marketsOf = (code: string): readonly string[] => {
    const cached = marketCache.get(code);
    if (cached) return cached;
    const names = Object.keys(markets).filter((name) => within(code, name));
    marketCache.set(code, names);
    return names;
  };

  const locatesWithin = (precise: string, broad: string): boolean => {
    if (precise === broad) return true;
    if (broad.length !== 2) return false;
    const zone = zones.get(precise);
    return zone ? zone.within === broad : isSubdivisionCode(precise) && countryOf(precise) === broad;
  };

  return { kindOf, expand, zone: (code) => zones.get(code), marketsOf, within, locatesWithin };
};
