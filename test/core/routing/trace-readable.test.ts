// Issue 12 §4: a trace a compliance officer can follow. Names beside ids, licences checked jurisdiction first with the
// regulator's reference, rules with the facts they read and whether they applied, the reps team.authorisedRep checked,
// and the screening hit that decided the queue.
import { describe, expect, it } from 'vitest';
import { PolicyBundleSchema } from '../../../core/policy/schema.ts';
import { explainDecision } from '../../../core/routing/explain.ts';
import { emptyRoutingState, routeLead } from '../../../core/routing/route.ts';
import type { RoutingDecision } from '../../../core/routing/route.ts';
import { traceNamesOf } from '../../../core/routing/trace-names.ts';
import { basePolicy, compileInput, lead } from '../../support/policy-builder.ts';
import type { PolicyInput } from '../../support/policy-builder.ts';

const AT = '2026-11-23T10:00:00Z';
const only = <T>(items: readonly T[]): T => {
  expect(items).toHaveLength(1);
  return items[0]!;
};
const decide = (input: PolicyInput, overrides: Parameters<typeof lead>[0] = {}): RoutingDecision =>
  only(routeLead(compileInput(input), lead(overrides), emptyRoutingState, AT).decisions);
const explain = (input: PolicyInput, decision: RoutingDecision): string =>
  explainDecision(decision, traceNamesOf(PolicyBundleSchema.parse(input)));

/** A map with a UK entity and a US entity whose Florida licence is not yet in force. */
const twoEntities = (): PolicyInput => {
  const base = basePolicy();
  return {
    ...base,
    entities: [
      ...(base.entities ?? []),
      {
        id: 'us',
        name: 'US LLC',
        legalForm: 'LLC',
        home: 'US',
        priority: 2,
        licences: [
          {
            id: 'fl-mtl',
            regulator: 'Florida OFR',
            regime: 'Money transmitter',
            reference: 'FT-123',
            jurisdictions: ['US-FL'],
            productClasses: ['payments'],
            customerTypes: ['professional'],
            validFrom: '2030-01-01',
          },
        ],
      },
    ],
  };
};

describe('names beside ids', () => {
  it('names the rep, team, entity, product and the policy label beside their ids', () => {
    const input = basePolicy();
    const text = explain(input, decide(input));
    expect(text).toContain('ASSIGNED to rep Rep One (r1) in team UK team (uk-team) of UK Ltd (uk)');
    expect(text).toContain('product Payments (pay)');
    expect(text).toContain('policy "Test map", label t1, rule version sha256:');
    expect(text).toContain('rep chosen: Rep One (r1)');
  });

  it('keeps names out of the trace itself (the audit entry holds ids only)', () => {
    const decision = decide(basePolicy());
    expect(JSON.stringify(decision.trace)).not.toContain('Rep One');
  });
});

describe('licences in a natural order', () => {
  it('excludes a licence for another place by its jurisdiction, not its dates or products', () => {
    const input = twoEntities();
    const french = decide(input, { address: { country: 'FR' } });
    const florida = french.trace.entities.find((entity) => entity.entityId === 'us')!.licences[0]!;
    expect(florida.failed?.constraint).toBe('licence.jurisdiction');
    const text = explain(input, french);
    expect(text).not.toContain('licence.validity');
    expect(text).toContain(
      'licence fl-mtl [Florida OFR, Money transmitter, ref. FT-123]: excluded by licence.jurisdiction',
    );
  });

  it('still names the dates when the jurisdiction is covered', () => {
    const input = twoEntities();
    const floridian = decide(input, { address: { country: 'US', subdivision: 'FL' } });
    expect(floridian.trace.entities.find((entity) => entity.entityId === 'us')!.licences[0]!.failed?.constraint).toBe(
      'licence.validity',
    );
  });

  it('says a home licence is held in its own right, not "covers via home"', () => {
    const input = basePolicy();
    const decision = decide(input);
    expect(decision.trace.entities[0]!.licences[0]).toMatchObject({ covers: true, via: 'home', reference: null });
    const text = explain(input, decision);
    expect(text).toContain('licence fca [FCA, EMR]: held in its own right in GB');
    expect(text).not.toContain('covers via');
  });
});

describe('rules show their facts and whether they applied', () => {
  const withRules = (): PolicyInput =>
    basePolicy({
      teams: [
        {
          id: 'uk-team',
          name: 'UK team',
          entity: 'uk',
          products: ['pay'],
          customerTypes: ['retail', 'professional'],
          jurisdictions: ['GB'],
          attributes: { channel: 'direct' },
        },
      ],
      rules: [
        {
          id: 'R-reseller',
          description: 'Reseller leads go to reseller teams.',
          effect: 'require',
          when: { fact: 'lead.attributes.channel', op: 'eq', value: 'reseller' },
          condition: { fact: 'team.attributes.channel', op: 'eq', value: 'reseller' },
        },
        {
          id: 'R-big',
          description: 'Large firms prefer the enterprise desk.',
          effect: 'prefer',
          when: { fact: 'lead.attributes.employees', op: 'gte', value: 250 },
          condition: { fact: 'team.attributes.segment', op: 'eq', value: 'enterprise' },
        },
      ],
    });

  it('records each rule, the lead facts its when read, and whether it applied', () => {
    const decision = decide(withRules(), { attributes: { channel: 'reseller' } });
    expect(decision.trace.rules).toEqual([
      { ruleId: 'R-reseller', effect: 'require', applied: true, facts: { 'lead.attributes.channel': 'reseller' } },
      { ruleId: 'R-big', effect: 'prefer', applied: false, facts: { 'lead.attributes.employees': null } },
    ]);
    const excludedBy = decision.trace.teams[0]!.excludedBy!;
    expect(excludedBy.constraint).toBe('rule:R-reseller');
    expect(excludedBy.inputs.facts).toEqual({ 'team.attributes.channel': 'direct' });
  });

  it('renders them in words with the rule description', () => {
    const input = withRules();
    const text = explain(input, decide(input, { attributes: { channel: 'reseller' } }));
    expect(text).toContain(
      'applied: rule R-reseller (require) "Reseller leads go to reseller teams."; when read lead.attributes.channel = reseller',
    );
    expect(text).toContain('did not apply: rule R-big (prefer)');
    expect(text).toContain('first failed rule:R-reseller (require: team.attributes.channel = direct)');
  });
});

describe('team.authorisedRep names the reps it checked', () => {
  it('lists each rep and why each authorisation falls short', () => {
    const input = basePolicy({
      reps: [
        {
          id: 'r1',
          name: 'Rep One',
          team: 'uk-team',
          capacity: 2,
          authorisations: [
            { products: ['pay'], jurisdictions: ['FR'], customerTypes: ['professional'] },
            { products: ['pay'], jurisdictions: ['GB'], customerTypes: ['retail'] },
          ],
        },
        {
          id: 'r2',
          name: 'Rep Two',
          team: 'uk-team',
          capacity: 2,
          authorisations: [
            { products: ['pay'], jurisdictions: ['GB'], customerTypes: ['professional'], validTo: '2025-12-31' },
          ],
        },
      ],
    });
    const decision = decide(input);
    expect(decision.outcome).toMatchObject({ kind: 'refused', reason: 'no_eligible_team' });
    const excludedBy = decision.trace.teams[0]!.excludedBy!;
    expect(excludedBy.constraint).toBe('team.authorisedRep');
    expect(excludedBy.inputs.checked).toEqual([
      { rep: 'r1', authorisations: ['jurisdiction', 'customerType'] },
      { rep: 'r2', authorisations: ['expired'] },
    ]);
    const text = explain(input, decision);
    expect(text).toContain(
      'Rep One (r1): authorisation 1 not for this jurisdiction, authorisation 2 not for this customer type; Rep Two (r2): authorisation 1 expired before the decision date',
    );
  });
});

describe('screening gates name the party and the listed entry', () => {
  it('names each open hit and the one that decided the queue', () => {
    const hit = {
      listVersion: 'v1',
      score: 0.9,
      entryName: 'Listed Name',
    };
    const decision = decide(basePolicy(), {
      screening: {
        screenedAt: '2026-11-01T00:00:00Z',
        hits: [
          { ...hit, party: 'company', listKind: 'pep', strength: 'strong', listId: 'pep-list', entryId: 'P-1' },
          { ...hit, party: 'person', listKind: 'sanctions', strength: 'potential', listId: 'ofac', entryId: 'S-9' },
        ],
      },
    });
    expect(decision.outcome).toMatchObject({ kind: 'refused', reason: 'potential_sanctions_match' });
    const gate = decision.trace.steps[0]!;
    expect(gate.inputs.open).toEqual([
      expect.objectContaining({ party: 'company', listId: 'pep-list', entryId: 'P-1' }),
      expect.objectContaining({ party: 'person', listId: 'ofac', entryId: 'S-9' }),
    ]);
    expect(gate.inputs.decidedBy).toMatchObject({
      party: 'person',
      listId: 'ofac',
      entryId: 'S-9',
      refusal: 'potential_sanctions_match',
    });
    // The listed name is personal data: it stays out of the trace that goes into the hashed log.
    expect(JSON.stringify(decision.trace)).not.toContain('Listed Name');
    const text = explainDecision(decision);
    expect(text).toContain('open hit: company matched entry P-1 of pep-list v1 (pep, strong, score 0.9)');
    expect(text).toContain(
      'decided the queue (potential_sanctions_match): person matched entry S-9 of ofac v1 (sanctions, potential, score 0.9)',
    );
  });
});
