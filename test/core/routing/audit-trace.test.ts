// The audit trace (format 2) groups every licence and team by its verdict and loses none: on a large generated map,
// each licence and team of the routing trace is in exactly one group, the one its verdict names.
import { describe, expect, it } from 'vitest';
import { PolicyBundleSchema } from '../../../core/policy/schema.ts';
import { ruleVersionOf } from '../../../core/policy/version.ts';
import { AUDIT_TRACE_FORMAT, auditTraceOf } from '../../../core/routing/audit-trace.ts';
import { compilePolicy } from '../../../core/routing/compile.ts';
import { LeadSchema } from '../../../core/routing/lead.ts';
import { emptyRoutingState, routeBatch } from '../../../core/routing/route.ts';
import { generateLeads, generatePolicy } from '../../fixtures/generate-leads.ts';
import { basePolicy, compileInput, lead } from '../../support/policy-builder.ts';

type Grouped = {
  format: number;
  entities: { licensed: string[]; unlicensed: string[] };
  licences: Record<string, string[]>;
  teams: { eligible: { teamId: string }[]; excludedBy: Record<string, string[]> };
};

describe('the audit trace, formats 2 and 3 (grouped by verdict)', () => {
  it('puts every licence and team of the trace in the one group its verdict names', () => {
    const policy = PolicyBundleSchema.parse(generatePolicy(42));
    const compiled = compilePolicy(policy, ruleVersionOf(policy));
    const leads = generateLeads(7, 300).map((input) => LeadSchema.parse(input));
    const decisions = routeBatch(compiled, leads, emptyRoutingState, '2026-11-23T10:00:00.000Z').decisions;
    expect(decisions.length).toBeGreaterThan(300);
    let licencesSeen = 0;
    let teamsSeen = 0;
    for (const decision of decisions) {
      const { trace } = decision;
      const audit = auditTraceOf(decision) as unknown as Grouped;
      expect(audit.format).toBe(AUDIT_TRACE_FORMAT);
      expect(audit.entities.licensed).toEqual(trace.entities.filter((e) => e.licensed).map((e) => e.entityId));
      expect(audit.entities.unlicensed).toEqual(trace.entities.filter((e) => !e.licensed).map((e) => e.entityId));
      const licenceGroup = new Map<string, string>();
      for (const [verdict, ids] of Object.entries(audit.licences))
        for (const id of ids) {
          expect(licenceGroup.has(id), `licence ${id} in two groups`).toBe(false);
          licenceGroup.set(id, verdict);
        }
      const licences = trace.entities.flatMap((entity) => entity.licences);
      expect(licenceGroup.size).toBe(licences.length);
      for (const licence of licences)
        expect(licenceGroup.get(licence.licenceId)).toBe(
          licence.covers ? `covers:${licence.via}` : licence.failed?.constraint,
        );
      const teamGroup = new Map<string, string>();
      for (const { teamId } of audit.teams.eligible) teamGroup.set(teamId, 'eligible');
      for (const [check, ids] of Object.entries(audit.teams.excludedBy))
        for (const id of ids) {
          expect(teamGroup.has(id), `team ${id} in two groups`).toBe(false);
          teamGroup.set(id, check);
        }
      expect(teamGroup.size).toBe(trace.teams.length);
      for (const team of trace.teams)
        expect(teamGroup.get(team.teamId)).toBe(team.excludedBy?.constraint ?? 'eligible');
      licencesSeen += licences.length;
      teamsSeen += trace.teams.length;
    }
    // A map large enough that grouping matters: many licences and teams per decision.
    expect(licencesSeen / decisions.length).toBeGreaterThan(20);
    expect(teamsSeen / decisions.length).toBeGreaterThan(5);
  });
});

describe('the audit trace, format 3', () => {
  it('records the rules (which applied, the values of the facts they read, never personal ones) and unauthorised reps', () => {
    const policy = compileInput(
      basePolicy({
        reps: [
          {
            id: 'r1',
            name: 'Rep One',
            team: 'uk-team',
            capacity: 2,
            authorisations: [{ products: ['pay'], jurisdictions: ['FR'], customerTypes: ['professional'] }],
          },
        ],
        rules: [
          {
            id: 'R-big',
            description: 'Large firms prefer the enterprise desk.',
            effect: 'prefer',
            when: {
              all: [
                { fact: 'lead.attributes.employees', op: 'gte', value: 250 },
                { fact: 'lead.customerType', op: 'eq', value: 'professional' },
              ],
            },
            condition: { fact: 'team.attributes.segment', op: 'eq', value: 'enterprise' },
          },
        ],
      }),
    );
    const [decision] = routeBatch(
      policy,
      [lead({ attributes: { employees: 900 } })],
      emptyRoutingState,
      '2026-11-23T10:00:00Z',
    ).decisions;
    const audit = auditTraceOf(decision!) as unknown as Record<string, unknown> & { teams: Record<string, unknown> };
    expect(audit.format).toBe(3);
    // The employee count is a free attribute (personal data): named by the rule, its value stays beside the log.
    expect(audit.rules).toEqual({ applied: ['R-big'], facts: { 'lead.customerType': 'professional' } });
    expect(audit.teams.excludedBy).toEqual({ 'team.authorisedRep': ['uk-team'] });
    expect(audit.teams.unauthorisedReps).toEqual({ 'uk-team': [{ rep: 'r1', authorisations: ['jurisdiction'] }] });
    expect(JSON.stringify(audit)).not.toContain('Rep One');
    expect(JSON.stringify(audit)).not.toContain('900');
  });
});
