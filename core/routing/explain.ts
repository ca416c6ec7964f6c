// Renders a routing decision's trace as plain text for people; the JSON trace stays the record.
import type { RoutingDecision } from './route.ts';
import type { ConstraintCheck } from './trace.ts';

const inputsOf = (constraint: ConstraintCheck): string =>
  Object.entries(constraint.inputs)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');

const outcomeLine = (decision: RoutingDecision): string => {
  const { outcome } = decision;
  switch (outcome.kind) {
    case 'assigned':
      return `ASSIGNED to rep ${outcome.repId} in team ${outcome.teamId} of ${outcome.entityId} under licence ${outcome.licenceId}`;
    case 'refused':
      return `REFUSED (${outcome.reason}) into the ${outcome.queue} queue`;
    case 'held':
      return `HELD (${outcome.reason}) for team ${outcome.teamId} of ${outcome.entityId}`;
    case 'waiting_for_capacity':
      return `WAITING FOR CAPACITY at ${outcome.entityId} (teams ${outcome.teamIds.join(', ')})`;
  }
};

export const explainDecision = (decision: RoutingDecision): string => {
  const { trace } = decision;
  const lines: string[] = [];
  lines.push(`Lead ${decision.leadId} / product ${decision.productId}: ${outcomeLine(decision)}`);
  lines.push(`  rule version ${trace.ruleVersion}, decided at ${trace.decidedAt}`);
  lines.push(
    `  jurisdiction: ${trace.jurisdiction.status}${trace.jurisdiction.jurisdiction ? ` ${trace.jurisdiction.jurisdiction}` : ''} (${trace.jurisdiction.resolution})`,
  );
  if (trace.jurisdiction.markets.length > 0) lines.push(`    markets: ${trace.jurisdiction.markets.join(', ')}`);
  for (const evidence of trace.jurisdiction.evidence)
    lines.push(`    evidence from ${evidence.source}: "${evidence.value}" → ${evidence.note}`);
  lines.push('  gates:');
  for (const step of trace.steps)
    lines.push(`    ${step.passed ? 'pass' : 'FAIL'} ${step.constraint} (${inputsOf(step)})`);
  if (trace.entities.length > 0) {
    lines.push('  entities:');
    for (const entity of trace.entities) {
      lines.push(
        `    ${entity.licensed ? 'licensed' : 'not licensed'} ${entity.entityId} (priority ${entity.priority})`,
      );
      for (const licence of entity.licences)
        lines.push(
          `      licence ${licence.licenceId} [${licence.regulator}, ${licence.regime}]: ${licence.covers ? `covers via ${licence.via}` : `excluded by ${licence.failed?.constraint} (${licence.failed ? inputsOf(licence.failed) : ''})`}`,
        );
    }
  }
  if (trace.teams.length > 0) {
    lines.push('  teams:');
    for (const team of trace.teams)
      lines.push(
        `    ${team.excludedBy ? 'excluded' : 'eligible'} ${team.teamId} of ${team.entityId} (licences ${team.licences.join(', ')})` +
          (team.excludedBy
            ? `: first failed ${team.excludedBy.constraint} (${inputsOf(team.excludedBy)})`
            : `: preference ${team.preference.score}${team.preference.rules.length ? ` from ${team.preference.rules.join(', ')}` : ''}`),
      );
  }
  if (trace.reps.length > 0) {
    lines.push('  reps (round-robin order):');
    for (const rep of trace.reps)
      lines.push(
        `    ${rep.skipped ? `skipped (${rep.skipped})` : 'chosen'} ${rep.repId} in ${rep.teamId}, ${rep.load}/${rep.capacity} open`,
      );
  }
  const { chosen } = trace;
  if (chosen.entity) lines.push(`  entity chosen: ${chosen.entity.id}: ${chosen.entity.why}`);
  if (chosen.team) lines.push(`  team chosen: ${chosen.team.id}: ${chosen.team.why}`);
  if (chosen.rep) lines.push(`  rep chosen: ${chosen.rep.id}: ${chosen.rep.why}`);
  for (const notification of decision.notifications)
    lines.push(`  notify ${notification.audience}: ${notification.message}`);
  return lines.join('\n');
};
