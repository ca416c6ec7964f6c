// Routing with a custom zone: rule conditions, stated intent and the markets a lead is listed in all treat AE-DIFC
// as outside onshore AE (only naming the zone covers it), while US-CA stays inside US.
import { describe, expect, it } from 'vitest';
import { emptyRoutingState, routeLead } from '../../../core/routing/route.ts';
import type { RoutingDecision } from '../../../core/routing/route.ts';
import type { CompiledPolicy } from '../../../core/routing/compile.ts';
import type { LeadInput } from '../../../core/routing/lead.ts';
import { compileInput, lead } from '../../support/policy-builder.ts';
import { CALIFORNIA_ADDRESS, DIFC_ADDRESS, ONSHORE_ADDRESS, zonesPolicy } from '../../support/zones-policy.ts';

const AT = '2026-11-23T10:00:00Z';
const route = (policy: CompiledPolicy, overrides: Partial<LeadInput>): RoutingDecision => {
  const { decisions } = routeLead(policy, lead(overrides), emptyRoutingState, AT);
  expect(decisions).toHaveLength(1);
  return decisions[0]!;
};

describe('a rule condition with within', () => {
  // Onshore UAE leads must go to an onshore team: written for onshore leads, it must not catch the DIFC.
  const onshoreRule = {
    id: 'R-onshore',
    description: 'Onshore UAE leads go to the onshore desk.',
    effect: 'require' as const,
    when: { fact: 'lead.jurisdiction', op: 'within' as const, value: 'AE' },
    condition: { fact: 'team.attributes.segment', op: 'eq' as const, value: 'onshore' },
  };
  const policy = compileInput(zonesPolicy({ rules: [onshoreRule] }));

  it('does not catch a DIFC lead: the licensed, staffed DIFC path is assigned', () => {
    const decision = route(policy, { address: DIFC_ADDRESS });
    expect(decision.trace.jurisdiction.jurisdiction).toBe('AE-DIFC');
    expect(decision.outcome).toMatchObject({ kind: 'assigned', entityId: 'difc', teamId: 'difc-team' });
  });

  it('catches an onshore lead, in a subdivision of the country too', () => {
    expect(route(policy, { address: ONSHORE_ADDRESS }).outcome).toMatchObject({
      kind: 'assigned',
      teamId: 'onshore-team',
    });
  });

  it('catches a DIFC lead when the rule names the zone or a market naming it', () => {
    for (const value of ['AE-DIFC', 'DIFC', 'Gulf']) {
      const forbidDifcTeam = compileInput(
        zonesPolicy({
          rules: [
            {
              id: 'R-zone',
              description: 'Zone leads never go to the DIFC desk (to prove the rule fires).',
              effect: 'forbid',
              when: { fact: 'lead.jurisdiction', op: 'within', value },
              condition: { fact: 'team.attributes.segment', op: 'eq', value: 'difc' },
            },
          ],
        }),
      );
      expect(route(forbidDifcTeam, { address: DIFC_ADDRESS }).outcome, value).toMatchObject({
        kind: 'refused',
        reason: 'no_eligible_team',
      });
    }
  });

  it('keeps a Californian lead inside a rule written for the US', () => {
    const usOnly = compileInput(
      zonesPolicy({
        rules: [
          {
            id: 'R-us',
            description: 'US leads go to a US team.',
            effect: 'require',
            when: { fact: 'lead.jurisdiction', op: 'within', value: 'US' },
            condition: { fact: 'team.attributes.segment', op: 'eq', value: 'nobody' },
          },
        ],
      }),
    );
    expect(route(usOnly, { address: CALIFORNIA_ADDRESS }).outcome).toMatchObject({ reason: 'no_eligible_team' });
  });
});

describe('the stated-intent check (must agree)', () => {
  const policy = compileInput(zonesPolicy());

  it('refuses an onshore stated intent for a DIFC prospect', () => {
    for (const targetMarket of ['UAE-Onshore', 'AE']) {
      const decision = route(policy, { address: DIFC_ADDRESS, targetMarket });
      expect(decision.outcome, targetMarket).toMatchObject({ kind: 'refused', reason: 'stated_intent_conflict' });
      expect(decision.trace.jurisdiction.resolution).toContain(`outside the stated target market ${targetMarket}`);
    }
  });

  it('refuses a DIFC stated intent for an onshore prospect', () => {
    expect(route(policy, { address: ONSHORE_ADDRESS, targetMarket: 'DIFC' }).outcome).toMatchObject({
      reason: 'stated_intent_conflict',
    });
  });

  it('accepts an intent that names the zone, and a country intent for its subdivision', () => {
    for (const targetMarket of ['DIFC', 'AE-DIFC', 'Gulf'])
      expect(route(policy, { address: DIFC_ADDRESS, targetMarket }).outcome.kind, targetMarket).toBe('assigned');
    expect(route(policy, { address: CALIFORNIA_ADDRESS, targetMarket: 'USA' }).outcome.kind).toBe('assigned');
  });
});

describe('the markets a lead is listed in', () => {
  const policy = compileInput(zonesPolicy());

  it('lists a DIFC lead in the DIFC markets only, and lead.markets reads the same list', () => {
    expect(route(policy, { address: DIFC_ADDRESS }).trace.jurisdiction.markets).toEqual(['DIFC', 'Gulf']);
    expect(route(policy, { address: ONSHORE_ADDRESS }).trace.jurisdiction.markets).toEqual(['UAE-Onshore', 'Gulf']);
    const byMarket = compileInput(
      zonesPolicy({
        rules: [
          {
            id: 'R-market',
            description: 'Leads listed in the onshore market go to the onshore desk.',
            effect: 'require',
            when: { fact: 'lead.markets', op: 'eq', value: 'UAE-Onshore' },
            condition: { fact: 'team.attributes.segment', op: 'eq', value: 'onshore' },
          },
        ],
      }),
    );
    expect(route(byMarket, { address: DIFC_ADDRESS }).outcome).toMatchObject({ kind: 'assigned', teamId: 'difc-team' });
  });
});

describe('tagging evidence stays geographic', () => {
  const policy = compileInput(zonesPolicy());

  it('takes a DIFC KYC result as more precise than a country-level address, and the reverse', () => {
    const kycNarrows = route(policy, {
      address: { line1: 'Tower 1', city: 'Dubai', country: 'AE' },
      kycPrescreenJurisdiction: 'AE-DIFC',
    });
    expect(kycNarrows.trace.jurisdiction).toMatchObject({ status: 'tagged', jurisdiction: 'AE-DIFC' });
    const addressNarrows = route(policy, { address: DIFC_ADDRESS, kycPrescreenJurisdiction: 'AE' });
    expect(addressNarrows.trace.jurisdiction).toMatchObject({ status: 'tagged', jurisdiction: 'AE-DIFC' });
  });

  it('treats onshore Dubai and the DIFC as a conflict', () => {
    expect(route(policy, { address: ONSHORE_ADDRESS, kycPrescreenJurisdiction: 'AE-DIFC' }).outcome).toMatchObject({
      reason: 'jurisdiction_conflict',
    });
  });
});
