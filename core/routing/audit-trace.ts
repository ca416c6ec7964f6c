// The trace as the audit log records it: every gate, entity, licence, team and rep with its verdict, but without
// re-stating policy content (licence and team attribute lists, which entity holds a licence, the order of the checks)
// that the rule version already fixes, and without the address text (personal data, kept beside the log). The rule
// version names the published policy, which is in the log. Licences and teams are grouped by verdict (format 2): a
// large map would otherwise repeat the same field names for every candidate of every decision (decision 0038).
// Format 3 (decision 0115) checks licences jurisdiction first (so a verdict means "first failed in that order"), adds
// the firm's rules (which applied, and the values of the lead facts their `when` read) and, for teams excluded by team.authorisedRep,
// each rep checked and why. Names stay out: the case view resolves them from the cited policy at render time.
import type { JsonObject } from '../audit/entry.ts';
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
