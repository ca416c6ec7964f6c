// The trace as the audit log records it: every gate, entity, licence, team and rep with its verdict, but without
// re-stating policy content (licence and team attribute lists) that the rule version already fixes, and without the
// address text (personal data, kept beside the log). The rule version names the published policy, which is in the log.
import type { JsonObject } from '../audit/entry.ts';
import type { RoutingDecision } from './route.ts';

export const auditTraceOf = (decision: RoutingDecision): JsonObject => {
  const { trace } = decision;
  return {
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
    // Each licence: [licence id, "covers:home" | "covers:passport" | the first constraint it failed].
    entities: trace.entities.map((entity) => ({
      entityId: entity.entityId,
      licensed: entity.licensed,
      licences: entity.licences.map((licence) => [
        licence.licenceId,
        licence.covers ? `covers:${licence.via}` : (licence.failed?.constraint ?? 'unknown'),
      ]),
    })),
    // Each team (of a licensed entity, whose covering licence is listed above): how many checks it passed, in the
    // fixed order productAuthority, customerType, jurisdiction, authorisedRep, then rules; the one that excluded it.
    teams: trace.teams.map((team) => ({
      teamId: team.teamId,
      passed: team.checks.filter((check) => check.passed).length,
      excludedBy: team.excludedBy?.constraint ?? null,
      ...(team.preference.score > 0
        ? { preference: team.preference.score, preferredBy: [...team.preference.rules] }
        : {}),
    })),
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
