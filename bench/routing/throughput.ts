// bench/routing: decisions per second per core with full traces on a large generated map, against json-rules-engine.
import { loadavg } from 'node:os';
import { Engine } from 'json-rules-engine';
import { PolicyBundleSchema } from '../../core/policy/schema.ts';
import { validatePolicySemantics } from '../../core/policy/validate.ts';
import { ruleVersionOf } from '../../core/policy/version.ts';
import { buildVocabulary } from '../../core/policy/vocabulary.ts';
import { compilePolicy } from '../../core/routing/compile.ts';
import { LeadSchema } from '../../core/routing/lead.ts';
import type { Lead } from '../../core/routing/lead.ts';
import { emptyRoutingState, routeBatch } from '../../core/routing/route.ts';
import type { RoutingState } from '../../core/routing/route.ts';
import { tagJurisdiction } from '../../core/routing/tag-jurisdiction.ts';
import { generateLeads, generatePolicy } from '../../test/fixtures/generate-leads.ts';

const LEADS = Number(process.env.BENCH_LEADS ?? 100_000);
const JRE_LEADS = Number(process.env.BENCH_JRE_LEADS ?? 300);
const AT = '2026-11-23T10:00:00Z';
const CHUNK = 250;

const policy = PolicyBundleSchema.parse(generatePolicy(42));
const issues = validatePolicySemantics(policy);
if (issues.length > 0) throw new Error(`generated policy invalid: ${JSON.stringify(issues.slice(0, 3))}`);
const compiled = compilePolicy(policy, ruleVersionOf(policy));
const leads: Lead[] = generateLeads(42, LEADS).map((input) => LeadSchema.parse(input));
const markets = Object.keys(policy.jurisdictions.markets).length;
console.log(
  `generated map: ${markets} markets, ${policy.entities.length} entities, ${policy.entities.reduce((n, e) => n + e.licences.length, 0)} licences, ` +
    `${policy.teams.length} teams, ${policy.reps.length} reps, ${policy.products.length} products, ${policy.rules.length} rules`,
);

// Perimeter: route every lead with full traces, on one core (this thread), in chunks so memory stays flat.
const routeAll = (
  batch: readonly Lead[],
): {
  decisions: number;
  teamsConsidered: number;
  outcomes: Map<string, number>;
  seconds: number;
  cpuSeconds: number;
} => {
  const outcomes = new Map<string, number>();
  let decisions = 0;
  let teamsConsidered = 0;
  let state: RoutingState = emptyRoutingState;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let offset = 0; offset < batch.length; offset += CHUNK) {
    const result = routeBatch(compiled, batch.slice(offset, offset + CHUNK), state, AT);
    state = result.state;
    for (const decision of result.decisions) {
      decisions += 1;
      teamsConsidered += decision.trace.teams.length;
      const label =
        decision.outcome.kind === 'refused' || decision.outcome.kind === 'held'
          ? `${decision.outcome.kind}:${decision.outcome.reason}`
          : decision.outcome.kind;
      outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
    }
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    decisions,
    teamsConsidered,
    outcomes,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
};

routeAll(leads.slice(0, 5_000)); // warm-up
const ours = routeAll(leads);
const oursRate = ours.decisions / ours.seconds;
console.log(
  `perimeter: ${LEADS} leads, ${ours.decisions} decisions with full traces in ${ours.seconds.toFixed(3)} s on one core = ${Math.round(oursRate).toLocaleString('en')} decisions/s/core`,
);
// On a shared machine wall time includes other processes' turns on the core; CPU time is this process's own work.
console.log(
  `  = ${Math.round(ours.decisions / ours.cpuSeconds).toLocaleString('en')} decisions per CPU-second of this process (${ours.cpuSeconds.toFixed(3)} s CPU; load average ${loadavg()[0]?.toFixed(1)})`,
);
console.log(
  `  outcomes: ${[...ours.outcomes].map(([kind, n]) => `${kind} ${n}`).join(', ')}; teams in traces per decision: ${(ours.teamsConsidered / ours.decisions).toFixed(1)}`,
);

// json-rules-engine: the same team eligibility (licence coverage of the team's entity, team authority,
// customer type, jurisdiction) as one rule per team, run per decision. No rep selection, no rules, no trace.
const vocabulary = buildVocabulary(policy);
const expand = (refs: readonly string[]): string[] => [
  ...new Set(refs.flatMap((ref) => [...(vocabulary.expand(ref) ?? [])])),
];
const engine = new Engine([], { allowUndefinedFacts: true });
for (const team of policy.teams) {
  const entity = policy.entities.find((candidate) => candidate.id === team.entity)!;
  const teamCodes = expand(team.jurisdictions);
  engine.addRule({
    name: team.id,
    conditions: {
      all: [
        { fact: 'product', operator: 'in', value: team.products },
        { fact: 'customerType', operator: 'in', value: team.customerTypes },
        {
          any: [
            { fact: 'jurisdiction', operator: 'in', value: teamCodes },
            { fact: 'country', operator: 'in', value: teamCodes },
          ],
        },
        {
          any: entity.licences.map((licence) => {
            const codes = expand(licence.jurisdictions);
            return {
              all: [
                {
                  any: [
                    { fact: 'product', operator: 'in', value: licence.products },
                    { fact: 'productClass', operator: 'in', value: licence.productClasses },
                  ],
                },
                { fact: 'customerType', operator: 'in', value: licence.customerTypes },
                {
                  fact: 'date',
                  operator: 'greaterThanInclusive',
                  value: Number(licence.validFrom.replaceAll('-', '')),
                },
                {
                  fact: 'date',
                  operator: 'lessThanInclusive',
                  value: Number((licence.validTo ?? '9999-12-31').replaceAll('-', '')),
                },
                {
                  any: [
                    { fact: 'jurisdiction', operator: 'in', value: codes },
                    { fact: 'country', operator: 'in', value: codes },
                  ],
                },
              ],
            };
          }),
        },
      ],
    },
    event: { type: 'eligible', params: { team: team.id } },
  });
}
const products = new Map(policy.products.map((product) => [product.id, product]));
const jreLeads = leads.slice(0, JRE_LEADS);
const runJre = async (): Promise<{ decisions: number; eligible: number; seconds: number }> => {
  let decisions = 0;
  let eligible = 0;
  const started = process.hrtime.bigint();
  for (const lead of jreLeads) {
    const tag = tagJurisdiction(lead, compiled).jurisdiction;
    for (const productId of lead.productInterests) {
      decisions += 1;
      if (tag === null) continue;
      const { events } = await engine.run({
        product: productId,
        productClass: products.get(productId)?.class,
        customerType: lead.customerType,
        jurisdiction: tag,
        country: tag.slice(0, 2),
        date: Number(AT.slice(0, 10).replaceAll('-', '')),
      });
      eligible += events.length;
    }
  }
  return { decisions, eligible, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
};
await runJre(); // warm-up
const theirs = await runJre();
const theirRate = theirs.decisions / theirs.seconds;
console.log(
  `json-rules-engine: ${JRE_LEADS} leads, ${theirs.decisions} team-eligibility evaluations in ${theirs.seconds.toFixed(3)} s = ${Math.round(theirRate).toLocaleString('en')} decisions/s/core (eligibility only, no trace)`,
);
console.log(
  `ratio: perimeter is ${(oursRate / theirRate).toFixed(0)}x json-rules-engine (goal: >= 100x; goal rate: >= 100,000 decisions/s/core)`,
);
