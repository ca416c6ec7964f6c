// Compiles a validated policy into the indexes routing reads on its hot path (sets, maps, compiled rule closures).
import { compileCondition, factsOf } from '../policy/conditions.ts';
import type { CompiledCondition } from '../policy/conditions.ts';
import type { CustomZone, Entity, Licence, PolicyBundle, Product, Rep, Rule, Team } from '../policy/schema.ts';
import { buildVocabulary } from '../policy/vocabulary.ts';
import type { Vocabulary } from '../policy/vocabulary.ts';
import type { RuleVersion } from '../policy/version.ts';

export type CompiledLicence = {
  readonly licence: Licence;
  readonly entity: Entity;
  readonly homeCodes: ReadonlySet<string>;
  readonly passportCodes: ReadonlySet<string>;
  readonly productIds: ReadonlySet<string>;
  readonly productClasses: ReadonlySet<string>;
  readonly customerTypes: ReadonlySet<string>;
};

export type CompiledEntity = {
  readonly entity: Entity;
  readonly order: number;
  readonly licences: readonly CompiledLicence[];
};

export type CompiledTeam = {
  readonly team: Team;
  readonly order: number;
  readonly products: ReadonlySet<string>;
  readonly customerTypes: ReadonlySet<string>;
  readonly codes: ReadonlySet<string>;
  readonly reps: readonly CompiledRep[];
};

export type CompiledAuthorisation = {
  readonly products: ReadonlySet<string>;
  readonly codes: ReadonlySet<string>;
  readonly customerTypes: ReadonlySet<string>;
  readonly validTo: string | undefined;
};

export type CompiledRep = { readonly rep: Rep; readonly authorisations: readonly CompiledAuthorisation[] };

export type CompiledRule = {
  readonly rule: Rule;
  readonly when: CompiledCondition | null;
  readonly condition: CompiledCondition;
  /** The rule's inputs as they appear in every trace check it makes (built once). */
  readonly traceInputs: Readonly<Record<string, unknown>>;
  /** The distinct facts `when` reads (shown with their values in the trace) and those `condition` reads. */
  readonly whenFacts: readonly string[];
  readonly conditionFacts: readonly string[];
  /** Whether the condition reads lead facts; if not, its verdict per team is fixed for a path and can be memoised. */
  readonly conditionReadsLead: boolean;
};

/**
 * Memoised evaluations that depend only on (product, customer type, jurisdiction, date): licence coverage and the
 * lead-independent team constraints. Deterministic, so sharing them across decisions changes no result; bounded.
 */
export type PathMemo = { readonly entries: Map<string, unknown>; readonly limit: number };

export type CompiledPolicy = {
  readonly policy: PolicyBundle;
  readonly version: RuleVersion;
  readonly vocabulary: Vocabulary;
  readonly zonesByCountry: ReadonlyMap<string, readonly CustomZone[]>;
  readonly products: ReadonlyMap<string, Product>;
  /** Entities in routing order: priority, then the order they are declared in. */
  readonly entities: readonly CompiledEntity[];
  readonly teamsByEntity: ReadonlyMap<string, readonly CompiledTeam[]>;
  readonly rules: readonly CompiledRule[];
  readonly netWorthBands: ReadonlyMap<string, { readonly min: number; readonly max?: number | undefined }>;
  readonly requireSubdivision: ReadonlySet<string>;
  readonly memo: PathMemo;
};

export const compilePolicy = (policy: PolicyBundle, version: RuleVersion): CompiledPolicy => {
  const vocabulary = buildVocabulary(policy);
  const expandAll = (refs: readonly string[]): ReadonlySet<string> => {
    const codes = new Set<string>();
    for (const ref of refs) for (const code of vocabulary.expand(ref) ?? []) codes.add(code);
    return codes;
  };

  const entities = policy.entities
    .map((entity, order): CompiledEntity => ({
      entity,
      order,
      licences: entity.licences.map((licence) => ({
        licence,
        entity,
        homeCodes: expandAll(licence.jurisdictions),
        passportCodes: expandAll(licence.passporting?.into ?? []),
        productIds: new Set(licence.products),
        productClasses: new Set(licence.productClasses),
        customerTypes: new Set(licence.customerTypes),
      })),
    }))
    .sort((a, b) => a.entity.priority - b.entity.priority || a.order - b.order);

  const repsByTeam = new Map<string, CompiledRep[]>();
  for (const rep of policy.reps) {
    const compiled: CompiledRep = {
      rep,
      authorisations: rep.authorisations.map((authorisation) => ({
        products: new Set(authorisation.products),
        codes: expandAll(authorisation.jurisdictions),
        customerTypes: new Set(authorisation.customerTypes),
        validTo: authorisation.validTo,
      })),
    };
    const list = repsByTeam.get(rep.team) ?? [];
    list.push(compiled);
    repsByTeam.set(rep.team, list);
  }

  const teamsByEntity = new Map<string, CompiledTeam[]>();
  policy.teams.forEach((team, order) => {
    const list = teamsByEntity.get(team.entity) ?? [];
    list.push({
      team,
      order,
      products: new Set(team.products),
      customerTypes: new Set(team.customerTypes),
      codes: expandAll(team.jurisdictions),
      reps: repsByTeam.get(team.id) ?? [],
    });
    teamsByEntity.set(team.entity, list);
  });

  const zonesByCountry = new Map<string, CustomZone[]>();
  for (const zone of policy.jurisdictions.customZones) {
    zonesByCountry.set(zone.within, [...(zonesByCountry.get(zone.within) ?? []), zone]);
  }

  return {
    policy,
    version,
    vocabulary,
    zonesByCountry,
    products: new Map(policy.products.map((product) => [product.id, product])),
    entities,
    teamsByEntity,
    rules: policy.rules.map((rule) => ({
      rule,
      when: rule.when ? compileCondition(rule.when, vocabulary.within) : null,
      condition: compileCondition(rule.condition, vocabulary.within),
      traceInputs: { effect: rule.effect, description: rule.description },
      whenFacts: rule.when ? [...new Set(factsOf(rule.when))] : [],
      conditionFacts: [...new Set(factsOf(rule.condition))],
      conditionReadsLead: factsOf(rule.condition).some((fact) => fact.startsWith('lead.')),
    })),
    netWorthBands: new Map(policy.netWorthBands.map((band) => [band.id, band])),
    requireSubdivision: new Set(policy.tagging.requireSubdivision),
    memo: { entries: new Map(), limit: 50_000 },
  };
};
