// Multi-entity booking (decision 0230): a lead booked to one legal entity is routed on that entity's licences alone.
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../../core/routing/compile.ts';
import { explainDecision } from '../../../core/routing/explain.ts';
import { LeadSchema } from '../../../core/routing/lead.ts';
import type { Lead, LeadInput } from '../../../core/routing/lead.ts';
import { checkAssignment, emptyRoutingState, routeLead } from '../../../core/routing/route.ts';
import { loadExampleLeads, loadExamplePolicy } from '../../support/examples.ts';

const AT = '2026-11-23T10:00:00Z';

/**
 * The fintech example where a second entity is licensed in GB too: Northwind Pay Europe AB gains an FCA licence for
 * payments in GB (as under the temporary permissions regime) and a UK branch desk with one rep. UK Ltd keeps the
 * better priority, so an unbooked UK lead still goes to UK Ltd.
 */
const twoEntitiesInGb = () => {
  const loaded = loadExamplePolicy('fintech');
  const policy = structuredClone(loaded.policy);
  const ab = policy.entities.find((entity) => entity.id === 'northwind-eu-ab')!;
  ab.licences.push({
    id: 'fca-tpr-pi',
    regulator: 'FCA',
    regime: 'Temporary permissions regime (payment institution)',
    jurisdictions: ['GB'],
    products: [],
    productClasses: ['payments'],
    customerTypes: ['retail', 'professional'],
    validFrom: '2021-01-01',
  } as (typeof ab.licences)[number]);
  const ukSme = policy.teams.find((team) => team.id === 'uk-sme')!;
  policy.teams.push({
    ...structuredClone(ukSme),
    id: 'eu-uk-branch',
    name: 'EU AB UK branch',
    entity: 'northwind-eu-ab',
  });
  const olivia = policy.reps.find((rep) => rep.id === 'rep-olivia')!;
  policy.reps.push({ ...structuredClone(olivia), id: 'rep-ellis', name: 'Ellis Grant', team: 'eu-uk-branch' });
  return compilePolicy(policy, loaded.version);
};

const exampleLead = (id: string, change: Partial<LeadInput>): Lead => {
  const lead = loadExampleLeads('fintech').find((candidate) => candidate.id === id)!;
  return LeadSchema.parse({ ...lead, ...change });
};

const only = (policy: ReturnType<typeof compilePolicy>, lead: Lead) => {
  const { decisions } = routeLead(policy, lead, emptyRoutingState, AT);
  expect(decisions).toHaveLength(1);
  return decisions[0]!;
};

describe('multi-entity booking', () => {
  const policy = twoEntitiesInGb();
  const ukLead = (bookingEntity?: string) =>
    exampleLead('L-UK-TWO-PRODUCTS', {
      productInterests: ['business-payments'],
      ...(bookingEntity ? { bookingEntity } : {}),
    });

  it('routes an unbooked lead to the best-ranked licensed entity, as before', () => {
    const decision = only(policy, ukLead());
    expect(decision.outcome).toMatchObject({ kind: 'assigned', entityId: 'northwind-uk-ltd' });
    expect(decision.trace.entities.filter((entity) => entity.licensed).map((entity) => entity.entityId)).toEqual([
      'northwind-uk-ltd',
      'northwind-eu-ab',
    ]);
    expect(decision.trace.steps.map((step) => step.constraint)).not.toContain('entity.bookingKnown');
  });

  it("routes a booked lead on its booking entity's licences alone, and says so in the trace", () => {
    const decision = only(policy, ukLead('northwind-eu-ab'));
    expect(decision.outcome).toEqual({
      kind: 'assigned',
      entityId: 'northwind-eu-ab',
      teamId: 'eu-uk-branch',
      repId: 'rep-ellis',
      licenceId: 'fca-tpr-pi',
    });
    // Only the booking entity was considered; the better-ranked UK Ltd is not in the trace at all.
    expect(decision.trace.entities.map((entity) => entity.entityId)).toEqual(['northwind-eu-ab']);
    expect(decision.trace.teams.map((team) => team.teamId)).toEqual(['eu-sme', 'eu-enterprise', 'eu-uk-branch']);
    expect(decision.trace.teams.every((team) => team.entityId === 'northwind-eu-ab')).toBe(true);
    const steps = Object.fromEntries(decision.trace.steps.map((step) => [step.constraint, step]));
    expect(steps['entity.bookingKnown']).toMatchObject({ passed: true, inputs: { bookingEntity: 'northwind-eu-ab' } });
    expect(steps['entity.licensed']).toMatchObject({
      passed: true,
      inputs: { licensedEntities: ['northwind-eu-ab'], bookingEntity: 'northwind-eu-ab' },
    });
    expect(decision.trace.chosen.entity?.why).toMatch(/booked to this entity, so only its licences were considered/);
    expect(explainDecision(decision)).toMatch(/booked to this entity/);
  });

  it('refuses a booking entity that holds no licence for the path with its own reason, naming the entities that do', () => {
    const decision = only(policy, ukLead('northwind-us-llc'));
    expect(decision.outcome).toMatchObject({
      kind: 'refused',
      reason: 'booking_entity_not_licensed',
      queue: 'compliance_review',
    });
    const step = decision.trace.steps.find((candidate) => candidate.constraint === 'entity.bookingLicensed');
    expect(step).toMatchObject({
      passed: false,
      inputs: { bookingEntity: 'northwind-us-llc', otherLicensedEntities: ['northwind-uk-ltd', 'northwind-eu-ab'] },
    });
    expect(decision.notifications).toEqual([]);
  });

  it('refuses a booking entity the policy does not know', () => {
    const decision = only(policy, ukLead('northwind-jp-kk'));
    expect(decision.outcome).toMatchObject({
      kind: 'refused',
      reason: 'booking_entity_unknown',
      queue: 'compliance_review',
    });
    expect(decision.trace.steps.at(-1)).toMatchObject({
      constraint: 'entity.bookingKnown',
      passed: false,
      inputs: { bookingEntity: 'northwind-jp-kk' },
    });
  });

  it('keeps the booking apart in the memo: the same path booked and unbooked decide differently in one policy', () => {
    expect(only(policy, ukLead('northwind-eu-ab')).outcome).toMatchObject({ entityId: 'northwind-eu-ab' });
    expect(only(policy, ukLead()).outcome).toMatchObject({ entityId: 'northwind-uk-ltd' });
    expect(only(policy, ukLead('northwind-eu-ab')).outcome).toMatchObject({ entityId: 'northwind-eu-ab' });
  });

  it("names an officer's assignment to another entity than the booking as a violation", () => {
    const lead = ukLead('northwind-eu-ab');
    expect(
      checkAssignment(
        policy,
        lead,
        'business-payments',
        {
          entityId: 'northwind-uk-ltd',
          teamId: 'uk-sme',
          repId: 'rep-olivia',
        },
        AT,
      ),
    ).toContain('the lead is booked to northwind-eu-ab, not northwind-uk-ltd');
    expect(
      checkAssignment(
        policy,
        lead,
        'business-payments',
        {
          entityId: 'northwind-eu-ab',
          teamId: 'eu-uk-branch',
          repId: 'rep-ellis',
        },
        AT,
      ),
    ).toEqual([]);
  });

  it('refuses a booking entity that is not an id', () => {
    const parsed = LeadSchema.safeParse({ ...ukLead(), bookingEntity: 'UK Ltd ' });
    expect(parsed.success).toBe(false);
  });
});
