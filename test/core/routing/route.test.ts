// Routing behaviour in detail: tagging evidence, licence coverage, rules, round-robin state and the trace.
import { describe, expect, it } from 'vitest';
import { emptyRoutingState, routeBatch, routeLead } from '../../../core/routing/route.ts';
import { explainDecision } from '../../../core/routing/explain.ts';
import { basePolicy, compileInput, lead } from '../../support/policy-builder.ts';

const AT = '2026-11-23T10:00:00Z';
const only = <T>(items: readonly T[]): T => {
  expect(items).toHaveLength(1);
  return items[0]!;
};

describe('jurisdiction tagging', () => {
  const policy = compileInput(basePolicy());

  it('uses the more specific of address and KYC when they agree', () => {
    const decision = only(
      routeLead(
        policy,
        lead({ address: { country: 'US', subdivision: 'CA' }, kycPrescreenJurisdiction: 'US' }),
        emptyRoutingState,
        AT,
      ).decisions,
    );
    expect(decision.trace.jurisdiction.jurisdiction).toBe('US-CA');
    expect(decision.trace.jurisdiction.evidence.map((e) => e.source)).toEqual(['address', 'kyc_prescreen']);
  });

  it('treats an unknown subdivision as unresolvable evidence', () => {
    const decision = only(
      routeLead(policy, lead({ address: { country: 'US', subdivision: 'ZZ' } }), emptyRoutingState, AT).decisions,
    );
    expect(decision.outcome).toEqual({ kind: 'refused', reason: 'jurisdiction_unknown', queue: 'compliance_review' });
  });

  it('resolves a conflict only when the policy says how', () => {
    const conflicting = lead({ address: { country: 'GB' }, kycPrescreenJurisdiction: 'FR' });
    expect(only(routeLead(policy, conflicting, emptyRoutingState, AT).decisions).outcome).toMatchObject({
      reason: 'jurisdiction_conflict',
    });
    const preferAddress = compileInput(basePolicy({ tagging: { conflict: 'prefer_address' } }));
    expect(only(routeLead(preferAddress, conflicting, emptyRoutingState, AT).decisions).outcome.kind).toBe('assigned');
  });

  it('places an address in a custom zone by its markers, and a country licence does not cover the zone', () => {
    const zoned = compileInput(
      basePolicy({
        jurisdictions: {
          customZones: [{ code: 'AE-DIFC', name: 'DIFC', within: 'AE', addressMarkers: ['DIFC', 'Gate Village'] }],
        },
        entities: [
          {
            id: 'ae',
            name: 'AE branch',
            legalForm: 'Branch',
            home: 'AE',
            licences: [
              {
                id: 'cbuae',
                regulator: 'CBUAE',
                regime: 'bank',
                jurisdictions: ['AE'],
                productClasses: ['payments'],
                customerTypes: ['professional'],
                validFrom: '2020-01-01',
              },
            ],
          },
        ],
        teams: [
          {
            id: 't',
            name: 'T',
            entity: 'ae',
            products: ['pay'],
            customerTypes: ['professional'],
            jurisdictions: ['AE', 'AE-DIFC'],
          },
        ],
        reps: [
          {
            id: 'r',
            name: 'R',
            team: 't',
            capacity: 5,
            authorisations: [{ products: ['pay'], jurisdictions: ['AE', 'AE-DIFC'], customerTypes: ['professional'] }],
          },
        ],
      }),
    );
    const inDifc = only(
      routeLead(
        zoned,
        lead({ address: { line1: 'Building 3, Gate Village', city: 'Dubai', country: 'AE' } }),
        emptyRoutingState,
        AT,
      ).decisions,
    );
    expect(inDifc.trace.jurisdiction.jurisdiction).toBe('AE-DIFC');
    expect(inDifc.outcome).toMatchObject({ kind: 'refused', reason: 'no_licensed_entity' });
    const onshore = only(
      routeLead(
        zoned,
        lead({ address: { line1: 'Sheikh Zayed Road', city: 'Dubai', subdivision: 'DU', country: 'AE' } }),
        emptyRoutingState,
        AT,
      ).decisions,
    );
    expect(onshore.trace.jurisdiction.jurisdiction).toBe('AE-DU');
    expect(onshore.outcome.kind).toBe('assigned');
  });

  it('advisory intent does not block, must-agree intent does', () => {
    const mismatched = lead({ targetMarket: 'EU' });
    expect(only(routeLead(policy, mismatched, emptyRoutingState, AT).decisions).outcome).toMatchObject({
      reason: 'stated_intent_conflict',
    });
    const advisory = compileInput(basePolicy({ tagging: { statedIntent: 'advisory' } }));
    expect(only(routeLead(advisory, mismatched, emptyRoutingState, AT).decisions).outcome.kind).toBe('assigned');
  });
});

describe('licences', () => {
  it('checks validity dates at the decision time passed in', () => {
    const policy = compileInput(
      basePolicy({
        entities: [
          {
            id: 'uk',
            name: 'UK Ltd',
            legalForm: 'Limited',
            home: 'GB',
            licences: [
              {
                id: 'fca',
                regulator: 'FCA',
                regime: 'EMR',
                jurisdictions: ['GB'],
                productClasses: ['payments'],
                customerTypes: ['professional'],
                validFrom: '2026-01-01',
                validTo: '2026-12-31',
              },
            ],
          },
        ],
      }),
    );
    expect(only(routeLead(policy, lead(), emptyRoutingState, '2025-12-31T23:59:59Z').decisions).outcome).toMatchObject({
      reason: 'no_licensed_entity',
    });
    expect(only(routeLead(policy, lead(), emptyRoutingState, '2026-06-01T00:00:00Z').decisions).outcome.kind).toBe(
      'assigned',
    );
    const expired = only(routeLead(policy, lead(), emptyRoutingState, '2027-01-01T00:00:00Z').decisions);
    expect(expired.trace.entities[0]?.licences[0]?.failed?.constraint).toBe('licence.validity');
  });

  it('honours passporting only into the named states and from the passport date', () => {
    const policy = compileInput(
      basePolicy({
        entities: [
          {
            id: 'eu',
            name: 'EU AB',
            legalForm: 'AB',
            home: 'SE',
            licences: [
              {
                id: 'psd2',
                regulator: 'FI',
                regime: 'PSD2',
                jurisdictions: ['SE'],
                passporting: { area: 'EEA', into: ['FR'], validFrom: '2026-06-01' },
                productClasses: ['payments'],
                customerTypes: ['professional'],
                validFrom: '2020-01-01',
              },
            ],
          },
        ],
        teams: [
          {
            id: 'eu-team',
            name: 'EU',
            entity: 'eu',
            products: ['pay'],
            customerTypes: ['professional'],
            jurisdictions: ['EEA'],
          },
        ],
        reps: [
          {
            id: 'r',
            name: 'R',
            team: 'eu-team',
            capacity: 9,
            authorisations: [{ products: ['pay'], jurisdictions: ['EEA'], customerTypes: ['professional'] }],
          },
        ],
      }),
    );
    const french = lead({ address: { country: 'FR' } });
    const decision = only(routeLead(policy, french, emptyRoutingState, AT).decisions);
    expect(decision.outcome.kind).toBe('assigned');
    expect(decision.trace.entities[0]?.licences[0]?.via).toBe('passport');
    expect(
      only(routeLead(policy, french, emptyRoutingState, '2026-05-31T00:00:00Z').decisions).trace.entities[0]
        ?.licences[0]?.failed?.constraint,
    ).toBe('licence.passportValidity');
    expect(
      only(routeLead(policy, lead({ address: { country: 'DE' } }), emptyRoutingState, AT).decisions).outcome,
    ).toMatchObject({ reason: 'no_licensed_entity' });
  });

  it('notifies operations admins of expansion demand', () => {
    const decision = only(
      routeLead(compileInput(basePolicy()), lead({ address: { country: 'BR' } }), emptyRoutingState, AT).decisions,
    );
    expect(decision.notifications).toEqual([
      expect.objectContaining({
        kind: 'expansion_demand',
        audience: 'operations_admin',
        jurisdiction: 'BR',
        productId: 'pay',
      }),
    ]);
  });
});

describe('teams and rules', () => {
  it('filters a team without product authority out before round-robin, and records why', () => {
    const policy = compileInput(
      basePolicy({
        teams: [
          {
            id: 'cards-only',
            name: 'Cards',
            entity: 'uk',
            products: ['cards'],
            customerTypes: ['professional'],
            jurisdictions: ['GB'],
          },
          {
            id: 'uk-team',
            name: 'UK team',
            entity: 'uk',
            products: ['pay'],
            customerTypes: ['retail', 'professional'],
            jurisdictions: ['GB'],
          },
        ],
        products: [
          { id: 'pay', name: 'Payments', class: 'payments' },
          { id: 'cards', name: 'Cards', class: 'card_issuing' },
        ],
      }),
    );
    const decision = only(routeLead(policy, lead(), emptyRoutingState, AT).decisions);
    expect(decision.outcome).toMatchObject({ kind: 'assigned', teamId: 'uk-team' });
    expect(decision.trace.teams.find((team) => team.teamId === 'cards-only')?.excludedBy).toMatchObject({
      constraint: 'team.productAuthority',
      passed: false,
    });
  });

  it('require, forbid and prefer rules each show in the trace by id', () => {
    const policy = compileInput(
      basePolicy({
        teams: [
          {
            id: 'a',
            name: 'A',
            entity: 'uk',
            products: ['pay'],
            customerTypes: ['professional'],
            jurisdictions: ['GB'],
            attributes: { tier: 'standard' },
          },
          {
            id: 'b',
            name: 'B',
            entity: 'uk',
            products: ['pay'],
            customerTypes: ['professional'],
            jurisdictions: ['GB'],
            attributes: { tier: 'premium' },
          },
        ],
        reps: [
          {
            id: 'ra',
            name: 'RA',
            team: 'a',
            capacity: 5,
            authorisations: [{ products: ['pay'], jurisdictions: ['GB'], customerTypes: ['professional'] }],
          },
          {
            id: 'rb',
            name: 'RB',
            team: 'b',
            capacity: 5,
            authorisations: [{ products: ['pay'], jurisdictions: ['GB'], customerTypes: ['professional'] }],
          },
        ],
        rules: [
          {
            id: 'P-premium',
            description: 'big clients prefer premium',
            effect: 'prefer',
            when: { fact: 'lead.attributes.turnover', op: 'gte', value: 1000 },
            condition: { fact: 'team.attributes.tier', op: 'eq', value: 'premium' },
            weight: 3,
          },
          {
            id: 'F-charity',
            description: 'charities never go to premium',
            effect: 'forbid',
            when: { fact: 'lead.industry', op: 'eq', value: 'charity' },
            condition: { fact: 'team.id', op: 'eq', value: 'b' },
          },
        ],
      }),
    );
    const big = only(routeLead(policy, lead({ attributes: { turnover: 5000 } }), emptyRoutingState, AT).decisions);
    expect(big.outcome).toMatchObject({ teamId: 'b' });
    expect(big.trace.teams.find((team) => team.teamId === 'b')?.preference).toEqual({ score: 3, rules: ['P-premium'] });
    const charity = only(
      routeLead(
        policy,
        lead({ attributes: { turnover: 5000 }, company: { name: 'Help', industry: 'charity' } }),
        emptyRoutingState,
        AT,
      ).decisions,
    );
    expect(charity.outcome).toMatchObject({ teamId: 'a' });
    expect(charity.trace.teams.find((team) => team.teamId === 'b')?.excludedBy?.constraint).toBe('rule:F-charity');
  });
});

describe('reps', () => {
  const policy = compileInput(basePolicy());

  it('round-robins through the team and threads the cursor through state', () => {
    const leads = ['A', 'B', 'C', 'D'].map((id) => lead({ id }));
    const { decisions, state } = routeBatch(policy, leads, emptyRoutingState, AT);
    expect(decisions.map((d) => (d.outcome.kind === 'assigned' ? d.outcome.repId : d.outcome.kind))).toEqual([
      'r1',
      'r2',
      'r1',
      'r2',
    ]);
    expect(state.openAssignments).toEqual({ r1: 2, r2: 2 });
    const fifth = only(routeLead(policy, lead({ id: 'E' }), state, AT).decisions);
    expect(fifth.outcome).toEqual({ kind: 'waiting_for_capacity', entityId: 'uk', teamIds: ['uk-team'] });
    expect(fifth.trace.reps.map((rep) => rep.skipped)).toEqual(['at_capacity', 'at_capacity']);
  });

  it('never mutates the state passed in', () => {
    const state = { cursors: { 'uk-team': 1 }, openAssignments: { r1: 1 } };
    const frozen = JSON.stringify(state);
    const result = routeLead(policy, lead(), state, AT);
    expect(JSON.stringify(state)).toBe(frozen);
    expect(result.decisions[0]?.outcome).toMatchObject({ repId: 'r2' });
  });

  it('skips unavailable and absent reps', () => {
    const withAbsence = compileInput(
      basePolicy({
        reps: [
          {
            id: 'r1',
            name: 'Away',
            team: 'uk-team',
            capacity: 5,
            absences: [{ from: '2026-11-20', to: '2026-11-30' }],
            authorisations: [{ products: ['pay'], jurisdictions: ['GB'], customerTypes: ['professional'] }],
          },
          {
            id: 'r2',
            name: 'Off',
            team: 'uk-team',
            capacity: 5,
            available: false,
            authorisations: [{ products: ['pay'], jurisdictions: ['GB'], customerTypes: ['professional'] }],
          },
          {
            id: 'r3',
            name: 'Here',
            team: 'uk-team',
            capacity: 5,
            authorisations: [{ products: ['pay'], jurisdictions: ['GB'], customerTypes: ['professional'] }],
          },
        ],
      }),
    );
    const decision = only(routeLead(withAbsence, lead(), emptyRoutingState, AT).decisions);
    expect(decision.outcome).toMatchObject({ repId: 'r3' });
    expect(decision.trace.reps.map((rep) => rep.skipped)).toEqual(['absent', 'unavailable', null]);
  });

  it('only assigns reps individually authorised for the path', () => {
    const narrow = compileInput(
      basePolicy({
        reps: [
          {
            id: 'r1',
            name: 'Retail only',
            team: 'uk-team',
            capacity: 5,
            authorisations: [{ products: ['pay'], jurisdictions: ['GB'], customerTypes: ['retail'] }],
          },
          {
            id: 'r2',
            name: 'Pro',
            team: 'uk-team',
            capacity: 5,
            authorisations: [{ products: ['pay'], jurisdictions: ['GB'], customerTypes: ['professional'] }],
          },
        ],
      }),
    );
    const decisions = routeBatch(
      narrow,
      ['A', 'B', 'C'].map((id) => lead({ id })),
      emptyRoutingState,
      AT,
    ).decisions;
    expect(decisions.map((d) => (d.outcome.kind === 'assigned' ? d.outcome.repId : ''))).toEqual(['r2', 'r2', 'r2']);
  });
});

describe('the explanation', () => {
  it('renders the trace as text naming the version, every entity, team and the choice', () => {
    const decision = only(routeLead(compileInput(basePolicy()), lead(), emptyRoutingState, AT).decisions);
    const text = explainDecision(decision);
    expect(text).toContain(decision.ruleVersion);
    expect(text).toContain('licence fca [FCA, EMR]: held in its own right in GB');
    expect(text).toContain('eligible uk-team');
    expect(text).toContain('rep chosen: r1');
  });
});
