// Renders a routing decision's trace as plain text for people; the JSON trace stays the record. Names come from the
// policy the decision cites (traceNamesOf), beside the ids, and never from the trace itself.
import type { RoutingDecision } from './route.ts';
import type { AuthorisationGap, ConstraintCheck, LicenceCheck, RuleApplication } from './trace.ts';
import { named } from './trace-names.ts';
import type { TraceNames } from './trace-names.ts';

const valueText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

const inputsOf = (constraint: ConstraintCheck, leave: readonly string[] = []): string =>
  Object.entries(constraint.inputs)
    .filter(([key]) => !leave.includes(key))
    .map(([key, value]) => `${key}=${valueText(value)}`)
    .join(', ');

const factsText = (facts: Readonly<Record<string, unknown>>): string =>
  Object.entries(facts)
    .map(([fact, value]) => `${fact} = ${value === null ? '(none)' : valueText(value)}`)
    .join(', ');

/** Why one authorisation of a rep does not cover the path, in words. */
export const AUTHORISATION_GAP_TEXT: Readonly<Record<AuthorisationGap, string>> = {
  jurisdiction: 'not for this jurisdiction',
  product: 'not for this product',
  customerType: 'not for this customer type',
  expired: 'expired before the decision date',
};

/** A licence's verdict in words: "held in its own right in FR", "passported into FR", or what excluded it. */
export const licenceVerdictText = (licence: LicenceCheck, jurisdiction: string | null): string => {
  const where = jurisdiction ?? 'the jurisdiction';
  if (licence.covers)
    return licence.via === 'passport' ? `passported into ${where}` : `held in its own right in ${where}`;
  return `excluded by ${licence.failed?.constraint} (${licence.failed ? inputsOf(licence.failed) : ''})`;
};

type Hit = { party?: unknown; listKind?: unknown; strength?: unknown; listId?: unknown; listVersion?: unknown };
export type ListedHit = Hit & { entryId?: unknown; score?: unknown; refusal?: unknown };

/** One open screening hit: which party of the lead matched which listed entry. */
export const hitText = (hit: ListedHit): string =>
  `${hit.party === undefined ? 'a party' : String(hit.party)} matched entry ${String(hit.entryId)} of ${String(hit.listId)} ${String(hit.listVersion)} (${String(hit.listKind)}, ${String(hit.strength)}, score ${String(hit.score)})`;

const outcomeLine = (decision: RoutingDecision, names: TraceNames | undefined): string => {
  const { outcome } = decision;
  switch (outcome.kind) {
    case 'assigned':
      return `ASSIGNED to rep ${named(names?.reps, outcome.repId)} in team ${named(names?.teams, outcome.teamId)} of ${named(names?.entities, outcome.entityId)} under licence ${outcome.licenceId}`;
    case 'refused':
      return `REFUSED (${outcome.reason}) into the ${outcome.queue} queue`;
    case 'held':
      return `HELD (${outcome.reason}) for team ${named(names?.teams, outcome.teamId)} of ${named(names?.entities, outcome.entityId)}`;
    case 'waiting_for_capacity':
      return `WAITING FOR CAPACITY at ${named(names?.entities, outcome.entityId)} (teams ${outcome.teamIds.map((id) => named(names?.teams, id)).join(', ')})`;
  }
};

const ruleLine = (rule: RuleApplication, names: TraceNames | undefined): string => {
  const description = names?.rules[rule.ruleId]?.description;
  const facts = factsText(rule.facts);
  return (
    `    ${rule.applied ? 'applied' : 'did not apply'}: rule ${rule.ruleId} (${rule.effect})` +
    (description ? ` "${description}"` : '') +
    (facts ? `; when read ${facts}` : '; no when: applies always')
  );
};

/** Extra lines under a gate that name what it found: each open screening hit and the one that decided. */
const stepDetail = (step: ConstraintCheck): string[] => {
  if (step.constraint !== 'screening.clear') return [];
  const open = (step.inputs.open as readonly ListedHit[] | undefined) ?? [];
  const decided = step.inputs.decidedBy as ListedHit | null | undefined;
  const lines = open.map((hit) => `      open hit: ${hitText(hit)}`);
  if (decided) lines.push(`      decided the queue (${String(decided.refusal)}): ${hitText(decided)}`);
  return lines;
};

/** The text of a team's excluding check: rule facts, or the reps checked and why none qualified. */
const exclusionText = (excludedBy: ConstraintCheck, names: TraceNames | undefined): string => {
  if (excludedBy.constraint === 'team.authorisedRep') {
    const checked =
      (excludedBy.inputs.checked as readonly { rep: string; authorisations: readonly AuthorisationGap[] }[]) ?? [];
    if (checked.length === 0) return 'team.authorisedRep: the team has no reps';
    return `team.authorisedRep (${inputsOf(excludedBy, ['checked', 'reps'])}): no rep is authorised: ${checked
      .map(
        (rep) =>
          `${named(names?.reps, rep.rep)}: ${rep.authorisations
            .map((gap, index) => `authorisation ${index + 1} ${AUTHORISATION_GAP_TEXT[gap]}`)
            .join(', ')}`,
      )
      .join('; ')}`;
  }
  if (excludedBy.constraint.startsWith('rule:')) {
    const facts = (excludedBy.inputs.facts as Readonly<Record<string, unknown>> | undefined) ?? {};
    return `${excludedBy.constraint} (${String(excludedBy.inputs.effect)}: ${factsText(facts)})`;
  }
  return `${excludedBy.constraint} (${inputsOf(excludedBy)})`;
};

export const explainDecision = (decision: RoutingDecision, names?: TraceNames): string => {
  const { trace } = decision;
  const lines: string[] = [];
  const product = names?.products[decision.productId];
  lines.push(
    `Lead ${decision.leadId} / product ${product ? `${product} (${decision.productId})` : decision.productId}: ${outcomeLine(decision, names)}`,
  );
  lines.push(
    `  ${names ? `policy "${names.policyName}", label ${names.policyLabel}, ` : ''}rule version ${trace.ruleVersion}, decided at ${trace.decidedAt}`,
  );
  lines.push(
    `  jurisdiction: ${trace.jurisdiction.status}${trace.jurisdiction.jurisdiction ? ` ${trace.jurisdiction.jurisdiction}` : ''} (${trace.jurisdiction.resolution})`,
  );
  if (trace.jurisdiction.markets.length > 0) lines.push(`    markets: ${trace.jurisdiction.markets.join(', ')}`);
  for (const evidence of trace.jurisdiction.evidence)
    lines.push(`    evidence from ${evidence.source}: "${evidence.value}" → ${evidence.note}`);
  lines.push('  gates:');
  for (const step of trace.steps) {
    const leave = step.constraint === 'screening.clear' ? ['open', 'decidedBy'] : [];
    lines.push(`    ${step.passed ? 'pass' : 'FAIL'} ${step.constraint} (${inputsOf(step, leave)})`);
    lines.push(...stepDetail(step));
  }
  if (trace.entities.length > 0) {
    lines.push('  entities (licences checked jurisdiction first, then product, customer type and dates):');
    for (const entity of trace.entities) {
      lines.push(
        `    ${entity.licensed ? 'licensed' : 'not licensed'} ${named(names?.entities, entity.entityId)} (priority ${entity.priority})`,
      );
      for (const licence of entity.licences)
        lines.push(
          `      licence ${licence.licenceId} [${licence.regulator}, ${licence.regime}${licence.reference ? `, ref. ${licence.reference}` : ''}]: ${licenceVerdictText(licence, trace.jurisdiction.jurisdiction)}`,
        );
    }
  }
  if (trace.rules.length > 0) {
    lines.push('  rules:');
    for (const rule of trace.rules) lines.push(ruleLine(rule, names));
  }
  if (trace.teams.length > 0) {
    lines.push('  teams:');
    for (const team of trace.teams)
      lines.push(
        `    ${team.excludedBy ? 'excluded' : 'eligible'} ${named(names?.teams, team.teamId)} of ${named(names?.entities, team.entityId)} (licences ${team.licences.join(', ')})` +
          (team.excludedBy
            ? `: first failed ${exclusionText(team.excludedBy, names)}`
            : `: preference ${team.preference.score}${team.preference.rules.length ? ` from ${team.preference.rules.join(', ')}` : ''}`),
      );
  }
  if (trace.reps.length > 0) {
    lines.push('  reps (round-robin order):');
    for (const rep of trace.reps)
      lines.push(
        `    ${rep.skipped ? `skipped (${rep.skipped})` : 'chosen'} ${named(names?.reps, rep.repId)} in ${named(names?.teams, rep.teamId)}, ${rep.load}/${rep.capacity} open`,
      );
  }
  const { chosen } = trace;
  if (chosen.entity) lines.push(`  entity chosen: ${named(names?.entities, chosen.entity.id)}: ${chosen.entity.why}`);
  if (chosen.team) lines.push(`  team chosen: ${named(names?.teams, chosen.team.id)}: ${chosen.team.why}`);
  if (chosen.rep) lines.push(`  rep chosen: ${named(names?.reps, chosen.rep.id)}: ${chosen.rep.why}`);
  for (const notification of decision.notifications)
    lines.push(`  notify ${notification.audience}: ${notification.message}`);
  return lines.join('\n');
};
