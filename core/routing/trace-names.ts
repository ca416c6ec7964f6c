// The names a routing trace's ids stand for, taken from the policy bundle the decision cites, at render time: the trace
// itself (and the audit entry holding it) keeps ids only, so no rep's name is ever written into the hashed log.
import { factsOf } from '../policy/conditions.ts';
import type { PolicyBundle } from '../policy/schema.ts';

export type LicenceNames = {
  readonly regulator: string;
  readonly regime: string;
  /** The regulator's reference (register number) for the licence, when the policy records one. */
  readonly reference: string | null;
  readonly entityId: string;
};

export type RuleNames = {
  readonly description: string;
  readonly effect: string;
  /** The facts the rule's `when` reads (their values for a lead are in the trace's rules). */
  readonly reads: string[];
  /** The facts the rule's `condition` tests of each team (their values are the policy's: TraceNames.teamFacts). */
  readonly tests: string[];
};

export type FactValue = string | number | boolean | null;

export type TraceNames = {
  /** The policy's label for people (`version` in the bundle) and its name. */
  readonly policyLabel: string;
  readonly policyName: string;
  readonly entities: Readonly<Record<string, string>>;
  readonly teams: Readonly<Record<string, string>>;
  readonly reps: Readonly<Record<string, string>>;
  readonly products: Readonly<Record<string, string>>;
  readonly licences: Readonly<Record<string, LicenceNames>>;
  readonly rules: Readonly<Record<string, RuleNames>>;
  /** For each team named: the value of every team or entity fact a rule's condition tests. */
  readonly teamFacts: Readonly<Record<string, Readonly<Record<string, FactValue>>>>;
};

/** A team or entity fact as routing reads it (core/routing/route.ts teamFacts); undefined for lead facts. */
const teamFact = (policy: PolicyBundle, team: PolicyBundle['teams'][number], fact: string): FactValue | undefined => {
  const entity = policy.entities.find((candidate) => candidate.id === team.entity);
  switch (fact) {
    case 'team.id':
      return team.id;
    case 'team.entity':
    case 'entity.id':
      return team.entity;
    case 'entity.home':
      return entity?.home ?? null;
    case 'entity.legalForm':
      return entity?.legalForm ?? null;
    default:
      return fact.startsWith('team.attributes.')
        ? (team.attributes[fact.slice('team.attributes.'.length)] ?? null)
        : undefined;
  }
};

/**
 * The names of a policy's entities, teams, reps, products, licences and rules. `mentioned`, when given, keeps only the
 * ids it accepts (the ids a trace mentions), so a case view carries the names of its own decision and no others.
 */
export const traceNamesOf = (policy: PolicyBundle, mentioned: (id: string) => boolean = () => true): TraceNames => {
  const pick = <T, V>(items: readonly T[], id: (item: T) => string, value: (item: T) => V): Record<string, V> => {
    const names: Record<string, V> = {};
    for (const item of items) if (mentioned(id(item))) names[id(item)] = value(item);
    return names;
  };
  const tested = new Set(policy.rules.flatMap((rule) => factsOf(rule.condition)));
  const licences = policy.entities.flatMap((entity) => entity.licences.map((licence) => ({ entity, licence })));
  return {
    policyLabel: policy.version,
    policyName: policy.name,
    entities: pick(
      policy.entities,
      (entity) => entity.id,
      (entity) => entity.name,
    ),
    teams: pick(
      policy.teams,
      (team) => team.id,
      (team) => team.name,
    ),
    reps: pick(
      policy.reps,
      (rep) => rep.id,
      (rep) => rep.name,
    ),
    products: pick(
      policy.products,
      (product) => product.id,
      (product) => product.name,
    ),
    licences: pick(
      licences,
      ({ licence }) => licence.id,
      ({ entity, licence }) => ({
        regulator: licence.regulator,
        regime: licence.regime,
        reference: licence.reference ?? null,
        entityId: entity.id,
      }),
    ),
    rules: pick(
      policy.rules,
      (rule) => rule.id,
      (rule) => ({
        description: rule.description,
        effect: rule.effect,
        reads: rule.when ? [...new Set(factsOf(rule.when))] : [],
        tests: [...new Set(factsOf(rule.condition))],
      }),
    ),
    teamFacts: pick(
      policy.teams,
      (team) => team.id,
      (team) => {
        const values: Record<string, FactValue> = {};
        for (const fact of tested) {
          const value = teamFact(policy, team, fact);
          if (value !== undefined) values[fact] = value;
        }
        return values;
      },
    ),
  };
};

/** Every string in a JSON value (the ids a stored trace mentions, among other text). */
export const stringsIn = (value: unknown, into: Set<string> = new Set()): Set<string> => {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, into);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      // Grouped formats key objects by id (excluded teams by rep, licences by verdict): keys count as mentions too.
      into.add(key);
      stringsIn(inner, into);
    }
  }
  return into;
};

/** "Name (id)", or the id alone when the policy has no name for it. */
export const named = (names: Readonly<Record<string, string>> | undefined, id: string): string => {
  const name = names?.[id];
  return name === undefined || name === id ? id : `${name} (${id})`;
};
