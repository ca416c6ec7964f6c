// The trace as the audit log records it: every gate, entity, licence, team and rep with its verdict, but without
// re-stating policy content (licence and team attribute lists, which entity holds a licence, the order of the checks)
// that the rule version already fixes, and without the address text (personal data, kept beside the log). The rule
// version names the published policy, which is in the log. Licences and teams are grouped by verdict (format 2): a
// large map would otherwise repeat the same field names for every candidate of every decision (decision 0038).
// Format 3 (decision 0115) checks licences jurisdiction first (so a verdict means "first failed in that order"), adds
// the firm's rules (which applied, and the values of the lead facts their `when` read) and, for teams excluded by team.authorisedRep,
// each rep checked and why. Names stay out: the case view resolves them from the cited policy at render time.
import type { JsonObject } from '../audit/entry.ts';
import type { JsonValue } from '../shared/canonical-json.ts';
import type { RoutingDecision } from './route.ts';
import type { LicenceCheck, RuleApplication, TeamConsideration } from './trace.ts';

/**
 * The audit trace's format: 3 adds rules and unauthorised reps and checks licences jurisdiction first; 2 grouped
 * licences and teams by verdict; 1 (without this field) listed each. Readers keep every format: entries are forever.
 */
export const AUDIT_TRACE_FORMAT = 3;

const licenceVerdict = (licence: LicenceCheck): string =>
  licence.covers ? `covers:${licence.via}` : (licence.failed?.constraint ?? 'unknown');

/** Ids grouped by a key, each group in the order the items came. */
const groupBy = <T>(items: readonly T[], key: (item: T) => string, id: (item: T) => string): JsonObject => {
  const groups = new Map<string, string[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group) group.push(id(item));
    else groups.set(name, [id(item)]);
  }
  return Object.fromEntries(groups);
};

/** The rules grouped by whether they applied, with the lead facts their `when` read (each fact once). */
/** Facts from the lead's personal data (the company's industry, free attributes): their values stay beside the log. */
export const PERSONAL_FACT = /^lead\.(industry$|attributes\.)/;

/**
 * The rules that applied (the others are the rest of the cited policy's rules), and the values of the lead facts their
 * `when` read, each fact once. Facts the lead did not give and facts from its personal data are left out: a reader
 * tells them apart by the fact's name (PERSONAL_FACT).
 */
const rulesOf = (rules: readonly RuleApplication[]): JsonObject => {
  const facts: Record<string, unknown> = {};
  for (const rule of rules)
    for (const [fact, value] of Object.entries(rule.facts))
      if (value !== null && !PERSONAL_FACT.test(fact)) facts[fact] = value;
  return { applied: rules.filter((rule) => rule.applied).map((rule) => rule.ruleId), facts: facts as JsonObject };
};

/** For each team team.authorisedRep excluded: every rep checked with the first gap of each of its authorisations. */
const unauthorisedRepsOf = (teams: readonly TeamConsideration[]): JsonObject => {
  const reps: Record<string, unknown> = {};
  for (const team of teams)
    if (team.excludedBy?.constraint === 'team.authorisedRep') reps[team.teamId] = team.excludedBy.inputs.checked ?? [];
  return Object.keys(reps).length > 0 ? { unauthorisedReps: reps as JsonObject } : {};
};

export const auditTraceOf = (decision: RoutingDecision): JsonObject => {
  const { trace } = decision;
  return {
    format: AUDIT_TRACE_FORMAT,
    ruleVersion: trace.ruleVersion,
    decidedAt: trace.decidedAt,
    steps: trace.steps.map((step) => ({
      constraint: step.constraint,
      passed: step.passed,
      inputs: step.inputs as JsonObject,
    })),
    jurisdiction: {
      status: trace.jurisdiction.status,
      jurisdiction: trace.jurisdiction.jurisdiction,
      markets: [...trace.jurisdiction.markets],
      resolution: trace.jurisdiction.resolution,
      evidence: trace.jurisdiction.evidence.map((evidence) => ({
        source: evidence.source,
        value: evidence.source === 'address' ? '[address: personal data]' : evidence.value,
        resolvedTo:
          typeof evidence.resolvedTo === 'string' || evidence.resolvedTo === null
            ? evidence.resolvedTo
            : [...evidence.resolvedTo],
        note: evidence.note,
      })),
    },
    // Every entity considered, licensed (some licence covers the path) or not, in the order they were considered.
    entities: {
      licensed: trace.entities.filter((entity) => entity.licensed).map((entity) => entity.entityId),
      unlicensed: trace.entities.filter((entity) => !entity.licensed).map((entity) => entity.entityId),
    },
    // Every licence of those entities, grouped by its verdict: "covers:home" (held in its own right),
    // "covers:passport", or the first constraint it failed, jurisdiction first. Which entity holds which licence is the policy's (the rule version), not restated here.
    licences: groupBy(
      trace.entities.flatMap((entity) => entity.licences),
      licenceVerdict,
      (licence) => licence.licenceId,
    ),
    // Every team of a licensed entity: the eligible ones (with their preference score), and the others grouped by the
    // check that excluded them. The checks run in a fixed order (productAuthority, customerType, jurisdiction,
    // authorisedRep, then the team's rules in policy order), so every check before the excluding one passed.
    teams: {
      eligible: trace.teams
        .filter((team) => team.excludedBy === null)
        .map((team) => ({
          teamId: team.teamId,
          ...(team.preference.score > 0
            ? { preference: team.preference.score, preferredBy: [...team.preference.rules] }
            : {}),
        })),
      excludedBy: groupBy(
        trace.teams.filter((team) => team.excludedBy !== null),
        (team) => team.excludedBy!.constraint,
        (team) => team.teamId,
      ),
      ...unauthorisedRepsOf(trace.teams),
    },
    // Once team selection was reached: the rules whose `when` held, and the lead facts the rules read.
    ...(trace.rules.length > 0 ? { rules: rulesOf(trace.rules) } : {}),
    reps: trace.reps.map((rep) => ({
      repId: rep.repId,
      teamId: rep.teamId,
      load: rep.load,
      capacity: rep.capacity,
      skipped: rep.skipped,
    })),
    chosen: {
      entity: trace.chosen.entity ? { ...trace.chosen.entity } : null,
      team: trace.chosen.team ? { ...trace.chosen.team } : null,
      rep: trace.chosen.rep ? { ...trace.chosen.rep } : null,
    },
  };
};

/**
 * Format 4 (decision 0264): the format-3 trace with every entity, licence and team named by its position in the policy
 * bundle the entry cites (entities in declaration order; licences flattened entity by entity, each entity's in order;
 * teams in declaration order), instead of by its id string; each step as `[constraint, passed, inputs]`; and without
 * `ruleVersion` and `decidedAt` (and `jurisdiction` when every path of the lead has the same), which the `lead.intake`
 * entry holding it states once for all of the lead's paths. Nothing else changes: every verdict, group, order, rule,
 * rep and reason is kept, so `expandAuditTrace` gives back the format-3 trace exactly (tested), and the case view
 * renders it from the cited bundle, which an export carries (policy.published), offline.
 */
export const COMPACT_TRACE_FORMAT = 4;

/** The cited bundle's positions: what a format-4 trace's numbers stand for. */
export type TraceRefs = {
  readonly entities: readonly string[];
  readonly licences: readonly string[];
  readonly teams: readonly string[];
  readonly entityAt: ReadonlyMap<string, number>;
  readonly licenceAt: ReadonlyMap<string, number>;
  readonly teamAt: ReadonlyMap<string, number>;
};

type BundleShape = {
  readonly entities: readonly { readonly id: string; readonly licences: readonly { readonly id: string }[] }[];
  readonly teams: readonly { readonly id: string }[];
};

const refsCache = new WeakMap<object, TraceRefs>();
const positions = (ids: readonly string[]): Map<string, number> => new Map(ids.map((id, index) => [id, index]));

/** The positions of a policy bundle's entities, licences and teams (computed once per bundle object). */
export const traceRefsOf = (bundle: BundleShape): TraceRefs => {
  const cached = refsCache.get(bundle);
  if (cached) return cached;
  const entities = bundle.entities.map((entity) => entity.id);
  const licences = bundle.entities.flatMap((entity) => entity.licences.map((licence) => licence.id));
  const teams = bundle.teams.map((team) => team.id);
  const refs = {
    entities,
    licences,
    teams,
    entityAt: positions(entities),
    licenceAt: positions(licences),
    teamAt: positions(teams),
  };
  refsCache.set(bundle, refs);
  return refs;
};

class Unindexed extends Error {}

const toIndexes = (ids: unknown, at: ReadonlyMap<string, number>): number[] =>
  (ids as string[]).map((id) => {
    const index = at.get(id);
    if (index === undefined) throw new Unindexed(id);
    return index;
  });

const toIds = (indexes: unknown, ids: readonly string[], what: string): string[] =>
  (indexes as number[]).map((index) => {
    const id = ids[index];
    if (id === undefined)
      throw new Error(`trace format 4 names ${what} #${index}, which the cited policy does not have`);
    return id;
  });

const mapGroups = <A, B>(groups: unknown, map: (value: A) => B): JsonObject =>
  Object.fromEntries(
    Object.entries(groups as Record<string, A>).map(([key, value]) => [key, map(value)]),
  ) as JsonObject;

/** The step inputs that list ids the trace lists elsewhere too: which bundle list each names. */
const STEP_ID_INPUTS: Readonly<Record<string, { readonly input: string; readonly list: 'entities' | 'teams' }>> = {
  'entity.licensed': { input: 'licensedEntities', list: 'entities' },
  'team.eligible': { input: 'eligible', list: 'teams' },
};

const mapInputs = (
  constraint: string,
  inputs: JsonObject,
  map: (ids: unknown, list: 'entities' | 'teams') => unknown,
): JsonObject => {
  const named = STEP_ID_INPUTS[constraint];
  if (!named || !Array.isArray(inputs[named.input])) return inputs;
  return { ...inputs, [named.input]: map(inputs[named.input], named.list) } as JsonObject;
};

/** Format 4's steps: `[constraint, passed, inputs]` each, the field names said once in the format's documentation. */
const compactSteps = (steps: unknown, refs: TraceRefs): JsonValue[] =>
  (steps as JsonObject[]).map((step) => [
    step.constraint as string,
    step.passed as boolean,
    mapInputs(step.constraint as string, step.inputs as JsonObject, (ids, list) =>
      toIndexes(ids, list === 'entities' ? refs.entityAt : refs.teamAt),
    ),
  ]);

const expandSteps = (steps: unknown, refs: TraceRefs): JsonObject[] =>
  (steps as [string, boolean, JsonObject][]).map(([constraint, passed, inputs]) => ({
    constraint,
    passed,
    inputs: mapInputs(constraint, inputs, (indexes, list) => toIds(indexes, refs[list], list)),
  }));

/**
 * The format-4 trace of a format-3 audit trace, by position in the cited bundle; the format-3 trace itself when
 * something in it is not in the bundle (never expected: routing compiles the same bundle), so nothing is ever lost.
 */
export const compactAuditTrace = (trace: JsonObject, refs: TraceRefs): JsonObject => {
  try {
    const { ruleVersion: _version, decidedAt: _at, ...rest } = trace;
    const entities = trace.entities as JsonObject;
    const teams = trace.teams as JsonObject;
    return {
      ...rest,
      format: COMPACT_TRACE_FORMAT,
      steps: compactSteps(trace.steps, refs),
      entities: {
        licensed: toIndexes(entities.licensed, refs.entityAt),
        unlicensed: toIndexes(entities.unlicensed, refs.entityAt),
      },
      licences: mapGroups(trace.licences, (ids: string[]) => toIndexes(ids, refs.licenceAt)),
      teams: {
        ...teams,
        eligible: (teams.eligible as JsonObject[]).map(({ teamId, ...team }) => ({
          team: toIndexes([teamId], refs.teamAt)[0]!,
          ...team,
        })),
        excludedBy: mapGroups(teams.excludedBy, (ids: string[]) => toIndexes(ids, refs.teamAt)),
      },
    };
  } catch (error) {
    if (error instanceof Unindexed) return trace;
    throw error;
  }
};

/**
 * The format-3 trace a stored trace stands for: a format-4 trace expanded with the bundle its entry cites (and the
 * entry's rule version and decision time); any older format unchanged. Throws when a position is not in the bundle.
 */
export const expandAuditTrace = (
  trace: JsonObject,
  bundle: BundleShape,
  context: {
    readonly ruleVersion: string;
    readonly decidedAt: string;
    /** The lead.intake entry's `tagging`: the jurisdiction trace of every path that does not carry its own. */
    readonly tagging?: JsonValue | undefined;
  },
): JsonObject => {
  if (trace.format !== COMPACT_TRACE_FORMAT) return trace;
  const refs = traceRefsOf(bundle);
  const entities = trace.entities as JsonObject;
  const teams = trace.teams as JsonObject;
  const { format: _format, ...rest } = trace;
  return {
    format: AUDIT_TRACE_FORMAT,
    ruleVersion: context.ruleVersion,
    decidedAt: context.decidedAt,
    ...(trace.jurisdiction === undefined && context.tagging !== undefined ? { jurisdiction: context.tagging } : {}),
    ...rest,
    steps: expandSteps(trace.steps, refs),
    entities: {
      licensed: toIds(entities.licensed, refs.entities, 'entity'),
      unlicensed: toIds(entities.unlicensed, refs.entities, 'entity'),
    },
    licences: mapGroups(trace.licences, (indexes: number[]) => toIds(indexes, refs.licences, 'licence')),
    teams: {
      ...teams,
      eligible: (teams.eligible as JsonObject[]).map(({ team, ...rest }) => ({
        teamId: toIds([team], refs.teams, 'team')[0]!,
        ...rest,
      })),
      excludedBy: mapGroups(teams.excludedBy, (indexes: number[]) => toIds(indexes, refs.teams, 'team')),
    },
  };
};
