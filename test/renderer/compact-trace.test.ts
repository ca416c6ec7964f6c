// Trace format 4 (decision 0264) loses nothing: for leads of the bench policy and both examples, refusals, holds,
// waits for capacity and multi-entity bookings among them, the trace stored in a lead.intake entry (by position in
// the cited policy, canonical bytes) expands to exactly the format-3 trace routing wrote before, and the case view
// renders the regulator's explanation from it word for word as before.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/audit/entry.ts';
import { parsePolicyText } from '../../core/policy/parse.ts';
import type { RuleVersion } from '../../core/policy/version.ts';
import type { PolicyBundle } from '../../core/policy/schema.ts';
import { auditTraceOf, expandAuditTrace } from '../../core/routing/audit-trace.ts';
import { compilePolicy } from '../../core/routing/compile.ts';
import { intakePathsOf, intakeTraceOf } from '../../core/routing/intake-paths.ts';
import { LeadSchema } from '../../core/routing/lead.ts';
import type { Lead } from '../../core/routing/lead.ts';
import { startRoutingRun } from '../../core/routing/route.ts';
import { traceNamesOf } from '../../core/routing/trace-names.ts';
import { canonicalJson } from '../../core/shared/canonical-json.ts';
import { parseRoutingTrace } from '../../renderer/src/features/case/routing-trace-text.ts';
import { generateLeads, generatePolicy } from '../fixtures/generate-leads.ts';
import { loadExampleLeads, loadExamplePolicy } from '../support/examples.ts';
import { stringify } from 'yaml';

const AT = '2026-11-23T10:00:00.000Z';

/** Routes leads one by one as intake does, and writes each lead's paths as a lead.intake entry holds them. */
const routeAll = (bundle: PolicyBundle, version: string, leads: readonly Lead[], full = false) => {
  const compiled = compilePolicy(bundle, version as RuleVersion);
  // full: every rep at capacity, so assignable paths wait for capacity.
  const load = full ? Object.fromEntries(bundle.reps.map((rep) => [rep.id, 1_000_000_000])) : {};
  const run = startRoutingRun(compiled, { cursors: {}, openAssignments: load });
  return leads.map((lead) => {
    const decisions = run.route(lead, AT);
    const written = intakePathsOf(decisions, bundle, bundle.cases, run.cursorOf);
    // What a reader gets back: the entry's canonical bytes, parsed.
    const payload = JSON.parse(
      canonicalJson({
        ruleVersion: version,
        decidedAt: AT,
        ...(written.tagging ? { tagging: written.tagging } : {}),
        paths: written.paths,
      }),
    ) as Record<string, unknown>;
    return { decisions, payload };
  });
};

const benchBundle = (): { bundle: PolicyBundle; version: string } => {
  const parsed = parsePolicyText(stringify(generatePolicy(42), { aliasDuplicateObjects: false }));
  if (!parsed.ok) throw new Error('bench policy invalid');
  return { bundle: parsed.value.policy, version: parsed.value.version };
};

// What the case view renders from (RoutingTrace.tsx is a function of these two): the parsed trace and the names.
const render = (trace: Record<string, unknown>, bundle: PolicyBundle): string =>
  JSON.stringify({ parsed: parseRoutingTrace(trace), names: traceNamesOf(bundle) });

describe('trace format 4 in lead.intake entries', () => {
  const bench = benchBundle();
  const fintech = loadExamplePolicy('fintech');
  const bank = loadExamplePolicy('bank-insurer');
  const booked = loadExampleLeads('fintech').flatMap((lead) =>
    ['northwind-eu-ab', 'northwind-uk-ltd', 'northwind-us-llc', 'no-such-entity'].map((bookingEntity) =>
      LeadSchema.parse({ ...lead, id: `${lead.id}-${bookingEntity}`, bookingEntity }),
    ),
  );
  const sets: { name: string; bundle: PolicyBundle; version: string; leads: Lead[]; full?: boolean }[] = [
    {
      name: 'bench',
      ...bench,
      leads: generateLeads(11, 300).map((input) => LeadSchema.parse(input)),
    },
    {
      name: 'bench, reps full',
      ...bench,
      leads: generateLeads(12, 100).map((input) => LeadSchema.parse(input)),
      full: true,
    },
    { name: 'fintech', bundle: fintech.policy, version: fintech.version, leads: loadExampleLeads('fintech') },
    { name: 'fintech, booked', bundle: fintech.policy, version: fintech.version, leads: booked },
    { name: 'bank-insurer', bundle: bank.policy, version: bank.version, leads: loadExampleLeads('bank-insurer') },
  ];
  const outcomes = new Map<string, number>();
  let bookings = 0;
  let rendered = 0;
  let sharedTagging = 0;

  it.each(sets)('expands every path of $name to the format-3 trace and renders it as before', (set) => {
    for (const { decisions, payload } of routeAll(set.bundle, set.version, set.leads, set.full)) {
      if (payload.tagging !== undefined) sharedTagging += 1;
      for (const decision of decisions) {
        const before = JSON.parse(canonicalJson(auditTraceOf(decision))) as JsonObject;
        const after = intakeTraceOf(payload, decision.productId, set.bundle);
        expect(canonicalJson(after)).toBe(canonicalJson(before));
        outcomes.set(decision.outcome.kind, (outcomes.get(decision.outcome.kind) ?? 0) + 1);
        if (decision.trace.steps.some((step) => step.constraint.startsWith('entity.booking'))) bookings += 1;
        // What the case view renders from (every 7th path, for time): the same from both.
        if (rendered % 7 === 0) expect(render(after!, set.bundle)).toBe(render(before, set.bundle));
        rendered += 1;
      }
    }
  });

  it('covered refusals, holds, waits, assignments and bookings, and stored smaller', () => {
    expect(Object.fromEntries(outcomes)).toMatchObject({
      assigned: expect.any(Number),
      refused: expect.any(Number),
      held: expect.any(Number),
      waiting_for_capacity: expect.any(Number),
    });
    expect(bookings).toBeGreaterThan(0);
    expect(sharedTagging).toBeGreaterThan(0);
    const { decisions, payload } = routeAll(bench.bundle, bench.version, [
      LeadSchema.parse(generateLeads(11, 1)[0]!),
    ])[0]!;
    const format3 = canonicalJson(decisions.map((decision) => auditTraceOf(decision)));
    expect(canonicalJson(payload).length).toBeLessThan(format3.length * 0.7);
  });

  it('names by position in the cited policy: another policy reads differently, an unknown position is refused', () => {
    const { decisions, payload } = routeAll(bench.bundle, bench.version, [
      LeadSchema.parse(generateLeads(11, 1)[0]!),
    ])[0]!;
    const decision = decisions[0]!;
    const reordered = { ...bench.bundle, teams: [...bench.bundle.teams].reverse() };
    expect(canonicalJson(intakeTraceOf(payload, decision.productId, reordered))).not.toBe(
      canonicalJson(auditTraceOf(decision)),
    );
    const path = (payload.paths as JsonObject[])[0]!;
    const trace = path.trace as JsonObject;
    const broken = { ...trace, entities: { licensed: [9999], unlicensed: [] } };
    expect(() => expandAuditTrace(broken, bench.bundle, { ruleVersion: bench.version, decidedAt: AT })).toThrow(
      /entity #9999, which the cited policy does not have/,
    );
    // An older format passes through unchanged.
    const format3 = auditTraceOf(decision);
    expect(expandAuditTrace(format3, bench.bundle, { ruleVersion: 'x', decidedAt: 'y' })).toBe(format3);
  });
});
