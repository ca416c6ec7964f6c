// The licensing map as people read it: legal entities × jurisdictions × products, with the licences that cover each
// cell, and the teams and reps. Derived from a validated bundle; the same cells feed the policy diff.
import type { Licence, PolicyBundle, Product } from './schema.ts';
import { buildVocabulary, countryName, countryOf, isInside } from './vocabulary.ts';
import type { Vocabulary } from './vocabulary.ts';

export type CoverStatus = 'in_force' | 'not_yet_in_force' | 'expired';

/** One licence covering one cell (entity × jurisdiction × product). */
export type LicenceCover = {
  readonly licenceId: string;
  readonly regulator: string;
  readonly basis: 'held' | 'passported';
  /** The reference in the licence that covers the row (the row itself, or a country or group containing it). */
  readonly via: string;
  readonly customerTypes: readonly string[];
  /** The later of the licence's and, for a passport, the passport's start. */
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly status: CoverStatus;
  /** The conditions in one line, without the date-dependent status: what the diff compares. */
  readonly summary: string;
};

export type LicensingCell = { readonly productId: string; readonly covers: readonly LicenceCover[] };

export type LicensingRow = {
  readonly jurisdiction: string;
  /** "United Kingdom", "group of 30 jurisdictions", a zone's name… */
  readonly description: string;
  /** The concrete codes the row stands for (for filtering: a group row matches each member). */
  readonly codes: readonly string[];
  readonly cells: readonly LicensingCell[];
};

export type LicenceView = {
  readonly id: string;
  readonly regulator: string;
  readonly regime: string;
  readonly reference: string | null;
  readonly jurisdictions: readonly string[];
  readonly passporting: {
    readonly area: string;
    readonly into: readonly string[];
    readonly validFrom: string | null;
  } | null;
  readonly products: readonly string[];
  readonly productClasses: readonly string[];
  readonly customerTypes: readonly string[];
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly status: CoverStatus;
};

export type EntityView = {
  readonly id: string;
  readonly name: string;
  readonly legalForm: string;
  readonly home: string;
  readonly priority: number;
  readonly licences: readonly LicenceView[];
  readonly rows: readonly LicensingRow[];
};

export type TeamView = {
  readonly id: string;
  readonly name: string;
  readonly entityId: string;
  readonly entityName: string;
  readonly products: readonly string[];
  readonly customerTypes: readonly string[];
  readonly jurisdictions: readonly string[];
  readonly codes: readonly string[];
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
};

export type RepView = {
  readonly id: string;
  readonly name: string;
  readonly teamId: string;
  readonly teamName: string;
  readonly entityId: string;
  readonly capacity: number;
  readonly available: boolean;
  readonly absences: readonly { readonly from: string; readonly to: string }[];
  readonly authorisations: readonly {
    readonly products: readonly string[];
    readonly jurisdictions: readonly string[];
    readonly customerTypes: readonly string[];
    readonly validTo: string | null;
  }[];
  readonly codes: readonly string[];
};

export type LicensingMap = {
  readonly products: readonly { readonly id: string; readonly name: string; readonly class: string }[];
  readonly entities: readonly EntityView[];
  readonly teams: readonly TeamView[];
  readonly reps: readonly RepView[];
};

export type LicensingMapOptions = {
  /** The date (YYYY-MM-DD) statuses are judged at; core has no clock. */
  readonly asOf: string;
  /** Which jurisdiction references the reader may see; absent: everything. */
  readonly inScope?: (ref: string) => boolean;
};

const statusOf = (from: string, to: string | null, asOf: string): CoverStatus =>
  from > asOf ? 'not_yet_in_force' : to !== null && to < asOf ? 'expired' : 'in_force';

const permits = (licence: Licence, product: Product): boolean =>
  licence.products.includes(product.id) || licence.productClasses.includes(product.class);

const codesOf = (vocabulary: Vocabulary, refs: readonly string[]): Set<string> => {
  const codes = new Set<string>();
  for (const ref of refs) for (const code of vocabulary.expand(ref) ?? []) codes.add(code);
  return codes;
};

const describeRef = (vocabulary: Vocabulary, policy: PolicyBundle, ref: string): string => {
  const kind = vocabulary.kindOf(ref);
  const size = vocabulary.expand(ref)?.size ?? 0;
  if (kind === 'country') return countryName(ref) ?? ref;
  if (kind === 'subdivision') return `subdivision of ${countryName(countryOf(ref)) ?? countryOf(ref)}`;
  if (kind === 'zone') return vocabulary.zone(ref)?.name ?? ref;
  if (kind === 'group') return `group of ${size} jurisdictions`;
  if (kind === 'market') return `market: ${(policy.jurisdictions.markets[ref] ?? []).join(', ')}`;
  return ref;
};

/** The references (held or passported) whose codes cover every code of the row, first match wins. */
const coveringRef = (vocabulary: Vocabulary, refs: readonly string[], rowCodes: ReadonlySet<string>): string | null => {
  for (const ref of refs) {
    const codes = vocabulary.expand(ref);
    if (codes === undefined || rowCodes.size === 0) continue;
    if ([...rowCodes].every((code) => isInside(code, codes))) return ref;
  }
  return null;
};

/** The cover of one licence for one row and product, or null when it does not cover it. */
const coverOf = (
  vocabulary: Vocabulary,
  licence: Licence,
  row: string,
  rowCodes: ReadonlySet<string>,
  asOf: string,
): LicenceCover | null => {
  const held = coveringRef(vocabulary, licence.jurisdictions, rowCodes);
  const passport = licence.passporting;
  const passported = held === null && passport ? coveringRef(vocabulary, passport.into, rowCodes) : null;
  const via = held ?? passported;
  if (via === null) return null;
  const basis = held !== null ? 'held' : 'passported';
  const validFrom =
    basis === 'passported' && passport?.validFrom !== undefined && passport.validFrom > licence.validFrom
      ? passport.validFrom
      : licence.validFrom;
  const validTo = licence.validTo ?? null;
  const summary = [
    `${licence.id} (${licence.regulator})`,
    basis === 'held' ? 'held' : `passported within ${passport?.area ?? ''}`,
    ...(via === row ? [] : [`via ${via}`]),
    licence.customerTypes.join(', '),
    validTo === null ? `from ${validFrom}` : `from ${validFrom} to ${validTo}`,
  ].join('; ');
  return {
    licenceId: licence.id,
    regulator: licence.regulator,
    basis,
    via,
    customerTypes: [...licence.customerTypes],
    validFrom,
    validTo,
    status: statusOf(validFrom, validTo, asOf),
    summary,
  };
};

/** The whole map, or the part of it inside the reader's scope. */
export const licensingMapOf = (policy: PolicyBundle, options: LicensingMapOptions): LicensingMap => {
  const vocabulary = buildVocabulary(policy);
  const inScope = options.inScope ?? (() => true);
  const entityName = new Map(policy.entities.map((entity) => [entity.id, entity.name]));
  const teamById = new Map(policy.teams.map((team) => [team.id, team]));

  const entities = policy.entities.flatMap((entity): EntityView[] => {
    const refs: string[] = [];
    for (const licence of entity.licences)
      for (const ref of [...licence.jurisdictions, ...(licence.passporting?.into ?? [])])
        if (!refs.includes(ref) && inScope(ref)) refs.push(ref);
    if (refs.length === 0) return [];
    const rows = refs.map((ref): LicensingRow => {
      const rowCodes = vocabulary.expand(ref) ?? new Set<string>();
      return {
        jurisdiction: ref,
        description: describeRef(vocabulary, policy, ref),
        codes: [...rowCodes].sort(),
        cells: policy.products.map((product) => ({
          productId: product.id,
          covers: entity.licences
            .filter((licence) => permits(licence, product))
            .map((licence) => coverOf(vocabulary, licence, ref, rowCodes, options.asOf))
            .filter((cover): cover is LicenceCover => cover !== null),
        })),
      };
    });
    return [
      {
        id: entity.id,
        name: entity.name,
        legalForm: entity.legalForm,
        home: entity.home,
        priority: entity.priority,
        licences: entity.licences
          .filter((licence) =>
            [...licence.jurisdictions, ...(licence.passporting?.into ?? [])].some((ref) => inScope(ref)),
          )
          .map((licence) => ({
            id: licence.id,
            regulator: licence.regulator,
            regime: licence.regime,
            reference: licence.reference ?? null,
            jurisdictions: [...licence.jurisdictions],
            passporting: licence.passporting
              ? {
                  area: licence.passporting.area,
                  into: [...licence.passporting.into],
                  validFrom: licence.passporting.validFrom ?? null,
                }
              : null,
            products: [...licence.products],
            productClasses: [...licence.productClasses],
            customerTypes: [...licence.customerTypes],
            validFrom: licence.validFrom,
            validTo: licence.validTo ?? null,
            status: statusOf(licence.validFrom, licence.validTo ?? null, options.asOf),
          })),
        rows,
      },
    ];
  });

  const teams = policy.teams
    .filter((team) => team.jurisdictions.some((ref) => inScope(ref)))
    .map((team) => ({
      id: team.id,
      name: team.name,
      entityId: team.entity,
      entityName: entityName.get(team.entity) ?? team.entity,
      products: [...team.products],
      customerTypes: [...team.customerTypes],
      jurisdictions: [...team.jurisdictions],
      codes: [...codesOf(vocabulary, team.jurisdictions)].sort(),
      attributes: { ...team.attributes },
    }));

  const reps = policy.reps
    .filter((rep) =>
      rep.authorisations.some((authorisation) => authorisation.jurisdictions.some((ref) => inScope(ref))),
    )
    .map((rep) => {
      const team = teamById.get(rep.team);
      return {
        id: rep.id,
        name: rep.name,
        teamId: rep.team,
        teamName: team?.name ?? rep.team,
        entityId: team?.entity ?? '',
        capacity: rep.capacity,
        available: rep.available,
        absences: rep.absences.map((absence) => ({ from: absence.from, to: absence.to })),
        authorisations: rep.authorisations.map((authorisation) => ({
          products: [...authorisation.products],
          jurisdictions: [...authorisation.jurisdictions],
          customerTypes: [...authorisation.customerTypes],
          validTo: authorisation.validTo ?? null,
        })),
        codes: [
          ...codesOf(
            vocabulary,
            rep.authorisations.flatMap((authorisation) => authorisation.jurisdictions),
          ),
        ].sort(),
      };
    });

  return {
    products: policy.products.map((product) => ({ id: product.id, name: product.name, class: product.class })),
    entities,
    teams,
    reps,
  };
};

/**
 * A reader's market scope as a test on jurisdiction references: a reference is in scope when some jurisdiction of it
 * lies within one of the markets, or some jurisdiction of a market lies within it ("*" sees everything).
 */
export const marketScope = (vocabulary: Vocabulary, markets: readonly string[]): ((ref: string) => boolean) => {
  if (markets.includes('*')) return () => true;
  return (ref) => {
    const codes = vocabulary.expand(ref);
    if (codes === undefined) return false;
    return markets.some((market) => {
      if ([...codes].some((code) => vocabulary.within(code, market))) return true;
      const inner = vocabulary.expand(market);
      return inner !== undefined && [...inner].some((code) => vocabulary.within(code, ref));
    });
  };
};
