// The case view reads every stored trace format (entries are forever) and words it for people: names beside ids,
// licences held in their own right or passported, the regulator's reference, and what excluded a licence.
import { describe, expect, it } from 'vitest';
import { PolicyBundleSchema } from '../../core/policy/schema.ts';
import { auditTraceOf } from '../../core/routing/audit-trace.ts';
import { emptyRoutingState, routeLead } from '../../core/routing/route.ts';
import { traceNamesOf } from '../../core/routing/trace-names.ts';
import {
  licenceName,
  licenceVerdict,
  named,
  parseRoutingTrace,
  teamExclusionText,
} from '../../renderer/src/features/case/routing-trace-text.ts';
import { basePolicy, compileInput, lead } from '../support/policy-builder.ts';

const common = {
  ruleVersion: `sha256:${'0'.repeat(64)}`,
  decidedAt: '2025-06-01T10:00:00Z',
  steps: [{ constraint: 'entity.licensed', passed: false, inputs: { jurisdiction: 'FR' } }],
  jurisdiction: { status: 'tagged', jurisdiction: 'FR', markets: [], resolution: 'address only: FR', evidence: [] },
  reps: [],
  chosen: { entity: null, team: null, rep: null },
};

describe('the stored trace formats', () => {
  it('reads format 1 (no format field: each entity with its licences, each team with its checks passed)', () => {
    const parsed = parseRoutingTrace({
      ...common,
      entities: [{ entityId: 'uk', licensed: false, licences: [['fca', 'licence.validity']] }],
      teams: [{ teamId: 'uk-team', passed: 2, excludedBy: 'team.jurisdiction' }],
    });
    expect(parsed?.format).toBe(1);
  });

  it('reads format 2 (grouped by verdict, no rules)', () => {
    const parsed = parseRoutingTrace({
      ...common,
      format: 2,
      entities: { licensed: [], unlicensed: ['uk'] },
      licences: { 'licence.validity': ['fca'] },
      teams: { eligible: [], excludedBy: {} },
    });
    expect(parsed?.format).toBe(2);
  });

  it('reads format 3 as the router writes it now, rules and unauthorised reps included', () => {
    const input = basePolicy({
      rules: [
        {
          id: 'R-any',
          description: 'Professional leads only.',
          effect: 'require',
          when: { fact: 'lead.customerType', op: 'eq', value: 'professional' },
          condition: { fact: 'team.id', op: 'eq', value: 'uk-team' },
        },
      ],
    });
    const decision = routeLead(compileInput(input), lead(), emptyRoutingState, '2026-11-23T10:00:00Z').decisions[0]!;
    const parsed = parseRoutingTrace(auditTraceOf(decision) as Record<string, unknown>);
    expect(parsed?.format).toBe(3);
    expect(parsed?.format === 3 && parsed.t.rules).toEqual({
      applied: ['R-any'],
      facts: { 'lead.customerType': 'professional' },
    });
  });

  it('falls back (null) on a shape it does not know', () => {
    expect(parseRoutingTrace({ format: 9 })).toBeNull();
  });
});

describe('the words of the trace', () => {
  it('says held in its own right or passported, and names what excluded a licence', () => {
    expect(licenceVerdict('covers:home', 'GB')).toBe('held in its own right in GB');
    expect(licenceVerdict('covers:passport', 'FR')).toBe('passported into FR');
    expect(licenceVerdict('licence.jurisdiction', 'FR')).toBe(
      'excluded by jurisdiction (neither held nor passported there)',
    );
    expect(licenceVerdict('licence.validity', 'FR')).toBe('excluded by validity dates');
  });

  it('puts names from the cited policy beside ids, with the regulator and its reference', () => {
    const input = basePolicy();
    const entities = input.entities!;
    const policy = PolicyBundleSchema.parse({
      ...input,
      entities: [{ ...entities[0]!, licences: [{ ...entities[0]!.licences[0]!, reference: 'FRN 900123' }] }],
    });
    const names = traceNamesOf(policy);
    expect(named(names.reps, 'r1')).toBe('Rep One (r1)');
    expect(named(names.teams, 'uk-team')).toBe('UK team (uk-team)');
    expect(named(names.entities, 'gone')).toBe('gone');
    expect(licenceName(names, 'fca')).toBe('fca (FCA, ref. FRN 900123)');
    expect(named(undefined, 'r1')).toBe('r1');
  });
});

describe('why a team was excluded', () => {
  it('names each rep team.authorisedRep checked and how each authorisation falls short', () => {
    const input = basePolicy({
      reps: [
        {
          id: 'r1',
          name: 'Rep One',
          team: 'uk-team',
          capacity: 2,
          authorisations: [
            { products: ['pay'], jurisdictions: ['FR'], customerTypes: ['professional'] },
            { products: ['pay'], jurisdictions: ['GB'], customerTypes: ['professional'], validTo: '2025-01-01' },
          ],
        },
      ],
    });
    const decision = routeLead(compileInput(input), lead(), emptyRoutingState, '2026-11-23T10:00:00Z').decisions[0]!;
    const parsed = parseRoutingTrace(auditTraceOf(decision) as Record<string, unknown>);
    if (parsed === null || parsed.format === 1) throw new Error('expected a grouped trace');
    const names = traceNamesOf(PolicyBundleSchema.parse(input));
    expect(teamExclusionText(parsed.t, names, 'team.authorisedRep', 'uk-team')).toBe(
      'no rep is authorised: Rep One (r1): authorisation 1 not for this jurisdiction, authorisation 2 expired before the decision date',
    );
  });
});
