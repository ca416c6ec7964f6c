// Property tests over random licensing maps and leads: the licensing invariants hold for every decision.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyBundle } from '../../../core/policy/schema.ts';
import { emptyRoutingState, routeBatch, routeLead, startRoutingRun } from '../../../core/routing/route.ts';
import type { RoutingDecision, RoutingState } from '../../../core/routing/route.ts';
import type { Lead, LeadInput } from '../../../core/routing/lead.ts';
import { basePolicy, compileInput, lead as makeLead } from '../../support/policy-builder.ts';
import type { PolicyInput } from '../../support/policy-builder.ts';

const AT = '2026-11-23T10:00:00Z';
const DATE = AT.slice(0, 10);
const PRODUCTS = [
  { id: 'p0', name: 'P0', class: 'payments' as const },
  { id: 'p1', name: 'P1', class: 'lending' as const, amlDocumentationRequired: true },
  { id: 'p2', name: 'P2', class: 'insurance' as const, complexity: 'complex' as const },
  { id: 'p3', name: 'P3', class: 'investments' as const, kycRequiredBeforeEngagement: false },
];
const PLACES = ['GB', 'SE', 'US-CA', 'US-NY', 'AE', 'AE-DIFC', 'EEA', 'FR', 'DE'];
/** The oracle's own expansion of the test vocabulary, written independently of core/policy/vocabulary.ts. */
const EXPAND: Record<string, string[]> = { EEA: ['FR', 'DE', 'SE'] };
const ZONES = new Set(['AE-DIFC']);
const expand = (refs: readonly string[]): string[] => refs.flatMap((ref) => EXPAND[ref] ?? [ref]);
const covers = (refs: readonly string[], tag: string): boolean => {
  const codes = expand(refs);
  return codes.includes(tag) || (!ZONES.has(tag) && tag.includes('-') && codes.includes(tag.slice(0, 2)));
};
const CUSTOMER_TYPES = ['retail', 'professional', 'eligible_counterparty'] as const;

const someOf = <T>(items: readonly T[]) => fc.subarray([...items], { minLength: 1 });

const licenceArb = (id: string) =>
  fc.record({
    id: fc.constant(id),
    regulator: fc.constant('Reg'),
    regime: fc.constant('Regime'),
    jurisdictions: someOf(['GB', 'SE', 'US-CA', 'US-NY', 'AE', 'AE-DIFC']),
    passporting: fc.option(
      fc.record({
        area: fc.constant('EEA'),
        into: someOf(['FR', 'DE']),
        validFrom: fc.constantFrom('2020-01-01', '2027-01-01'),
      }),
      { nil: undefined },
    ),
    products: fc.subarray(PRODUCTS.map((p) => p.id)),
    productClasses: someOf(['payments', 'lending', 'insurance', 'investments'] as const),
    customerTypes: someOf(CUSTOMER_TYPES),
    validFrom: fc.constantFrom('2020-01-01', '2026-11-24'),
    validTo: fc.option(fc.constantFrom('2026-12-31', '2030-01-01'), { nil: undefined }),
  });

const policyArb: fc.Arbitrary<PolicyInput> = fc
  .record({
    entityCount: fc.integer({ min: 1, max: 3 }),
    licences: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 3, maxLength: 3 }),
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .chain(({ entityCount, licences }) =>
    fc.record({
      entities: fc.tuple(
        ...Array.from({ length: entityCount }, (_, e) =>
          fc.record({
            id: fc.constant(`e${e}`),
            name: fc.constant(`Entity ${e}`),
            legalForm: fc.constant('Ltd'),
            home: fc.constant('GB'),
            priority: fc.integer({ min: 0, max: 3 }),
            licences: fc.tuple(...Array.from({ length: licences[e] ?? 1 }, (_, l) => licenceArb(`e${e}-l${l}`))),
          }),
        ),
      ),
      teams: fc.array(
        fc.record({
          entity: fc.integer({ min: 0, max: entityCount - 1 }).map((e) => `e${e}`),
          products: someOf(PRODUCTS.map((p) => p.id)),
          customerTypes: someOf(CUSTOMER_TYPES),
          jurisdictions: someOf(PLACES),
        }),
        { minLength: 1, maxLength: 5 },
      ),
      reps: fc.array(
        fc.record({
          team: fc.nat(),
          capacity: fc.integer({ min: 0, max: 3 }),
          available: fc.boolean(),
          authorisations: fc.array(
            fc.record({
              products: someOf(PRODUCTS.map((p) => p.id)),
              jurisdictions: someOf(PLACES),
              customerTypes: someOf(CUSTOMER_TYPES),
            }),
            { minLength: 1, maxLength: 2 },
          ),
        }),
        { maxLength: 8 },
      ),
    }),
  )
  .map(({ entities, teams, reps }) =>
    basePolicy({
      jurisdictions: {
        customZones: [{ code: 'AE-DIFC', name: 'DIFC', within: 'AE', addressMarkers: ['DIFC'] }],
        groups: { EEA: ['FR', 'DE', 'SE'] },
      },
      tagging: { requireSubdivision: ['US'], statedIntent: 'advisory' },
      products: PRODUCTS,
      entities: entities.map((entity) => ({ ...entity, licences: [...entity.licences] })),
      teams: teams.map((team, t) => ({ id: `t${t}`, name: `Team ${t}`, ...team })),
      reps: reps.map((rep, r) => ({ id: `r${r}`, name: `Rep ${r}`, ...rep, team: `t${rep.team % teams.length}` })),
    }),
  );

const leadArb: fc.Arbitrary<Lead> = fc
  .record({
    id: fc.integer({ min: 0, max: 9999 }).map((n) => `L${n}`),
    place: fc.constantFrom('GB', 'FR', 'DE', 'SE', 'US-CA', 'US-NY', 'US-TX', 'AE-DU', 'AE-DIFC', 'BR'),
    customerType: fc.constantFrom('retail', 'professional', 'eligible_counterparty', 'unknown'),
    kycStatus: fc.constantFrom('pending', 'verified', 'verified', 'failed'),
    amlDocumentation: fc.constantFrom('partial', 'complete', 'complete'),
    suitabilityAssessed: fc.boolean(),
    products: someOf(PRODUCTS.map((p) => p.id)),
    hit: fc.option(fc.constantFrom('sanctions', 'pep', 'blocklist'), { freq: 6, nil: undefined }),
  })
  .map(({ id, place, products, hit, ...rest }) => {
    const address: LeadInput['address'] =
      place === 'AE-DIFC'
        ? { line1: 'Gate, DIFC', country: 'AE' }
        : place.includes('-')
          ? { country: place.slice(0, 2), subdivision: place }
          : { country: place };
    return makeLead({
      id,
      address,
      productInterests: products,
      ...rest,
      screening: {
        screenedAt: '2026-11-01T00:00:00Z',
        hits: hit
          ? [
              {
                party: 'company',
                listKind: hit,
                strength: 'strong',
                listId: 'x',
                listVersion: 'v',
                entryId: '1',
                entryName: 'X',
                score: 0.99,
              },
            ]
          : [],
      },
    } as Partial<LeadInput>);
  });

/** Checks an assignment against the raw policy with code written apart from the router. */
const assignmentIsLicensed = (
  policy: PolicyBundle,
  lead: Lead,
  decision: RoutingDecision,
  stateBefore: RoutingState,
): string | null => {
  if (decision.outcome.kind !== 'assigned') return null;
  const { entityId, teamId, repId, licenceId } = decision.outcome;
  const tag = decision.trace.jurisdiction.jurisdiction;
  if (tag === null) return 'assigned without a jurisdiction';
  if (!tag.startsWith(lead.address?.country ?? '??')) return `tag ${tag} does not match the address`;
  const product = policy.products.find((p) => p.id === decision.productId);
  const entity = policy.entities.find((e) => e.id === entityId);
  const licence = entity?.licences.find((l) => l.id === licenceId);
  const team = policy.teams.find((t) => t.id === teamId);
  const rep = policy.reps.find((r) => r.id === repId);
  if (!product || !entity || !licence || !team || !rep) return 'assignment names something not in the policy';
  if (lead.customerType === 'unknown') return 'unknown customer type assigned';
  if (lead.screening?.hits.some((h) => !h.cleared)) return 'assigned despite an open screening hit';
  if (!licence.products.includes(product.id) && !licence.productClasses.includes(product.class))
    return 'licence does not cover the product';
  if (!licence.customerTypes.includes(lead.customerType as never)) return 'licence does not cover the customer type';
  if (DATE < licence.validFrom || (licence.validTo !== undefined && DATE > licence.validTo))
    return 'licence not valid at the decision time';
  const passportOk =
    licence.passporting !== undefined &&
    (licence.passporting.validFrom ?? '') <= DATE &&
    covers(licence.passporting.into, tag);
  if (!covers(licence.jurisdictions, tag) && !passportOk) return `licence does not cover ${tag}`;
  if (team.entity !== entity.id) return 'team of another entity';
  if (
    !team.products.includes(product.id) ||
    !team.customerTypes.includes(lead.customerType as never) ||
    !covers(team.jurisdictions, tag)
  )
    return 'team lacks authority';
  if (rep.team !== team.id || !rep.available) return 'rep not in team or unavailable';
  if ((stateBefore.openAssignments[rep.id] ?? 0) >= rep.capacity) return 'rep over capacity';
  const authorised = rep.authorisations.some(
    (a) =>
      a.products.includes(product.id) &&
      a.customerTypes.includes(lead.customerType as never) &&
      covers(a.jurisdictions, tag),
  );
  if (!authorised) return 'rep not individually authorised';
  if (product.kycRequiredBeforeEngagement && lead.kycStatus !== 'verified') return 'assigned before KYC';
  if (product.amlDocumentationRequired && lead.amlDocumentation !== 'complete')
    return 'assigned before AML documentation';
  if (lead.customerType === 'retail' && product.complexity === 'complex' && !lead.suitabilityAssessed)
    return 'complex product to retail without assessment';
  return null;
};

const withoutOneLicence = (input: PolicyInput, pick: number): PolicyInput => {
  const entities = input.entities.map((entity) => ({ ...entity, licences: [...entity.licences] }));
  const all = entities.flatMap((entity, e) => entity.licences.map((_, l) => [e, l] as const));
  const [e, l] = all[pick % all.length]!;
  const entity = entities[e]!;
  if (entity.licences.length > 1) {
    entity.licences.splice(l, 1);
    return { ...input, entities };
  }
  // An entity left without licences is gone, and its teams and reps with it.
  const teams = (input.teams ?? []).filter((team) => team.entity !== entity.id);
  const teamIds = new Set(teams.map((team) => team.id));
  const remaining = entities.filter((_, index) => index !== e);
  if (remaining.length === 0) return input;
  return { ...input, entities: remaining, teams, reps: (input.reps ?? []).filter((rep) => teamIds.has(rep.team)) };
};

describe('routing invariants (fast-check)', () => {
  it('an assignment always satisfies every licence, team, rep and gate constraint', () => {
    fc.assert(
      fc.property(policyArb, fc.array(leadArb, { minLength: 1, maxLength: 12 }), (input, leads) => {
        const compiled = compileInput(input);
        let state: RoutingState = emptyRoutingState;
        for (const lead of leads) {
          const before = state;
          const routed = routeLead(compiled, lead, state, AT);
          for (const decision of routed.decisions) {
            const problem = assignmentIsLicensed(compiled.policy, lead, decision, before);
            if (problem) throw new Error(`${problem}: ${JSON.stringify(decision.outcome)}`);
          }
          state = routed.state;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('removing a licence never creates an assignment', () => {
    fc.assert(
      fc.property(policyArb, leadArb, fc.nat(), (input, lead, pick) => {
        const before = routeLead(compileInput(input), lead, emptyRoutingState, AT).decisions;
        const after = routeLead(compileInput(withoutOneLicence(input, pick)), lead, emptyRoutingState, AT).decisions;
        after.forEach((decision, index) => {
          if (decision.outcome.kind === 'assigned') expect(before[index]?.outcome.kind).toBe('assigned');
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a path no licence covers is never assigned', () => {
    fc.assert(
      fc.property(policyArb, leadArb, (input, lead) => {
        const compiled = compileInput(input);
        for (const decision of routeLead(compiled, lead, emptyRoutingState, AT).decisions) {
          const tag = decision.trace.jurisdiction.jurisdiction;
          const product = compiled.policy.products.find((p) => p.id === decision.productId)!;
          const anyLicence = compiled.policy.entities.some((entity) =>
            entity.licences.some(
              (licence) =>
                tag !== null &&
                (licence.products.includes(product.id) || licence.productClasses.includes(product.class)) &&
                (covers(licence.jurisdictions, tag) ||
                  (licence.passporting !== undefined && covers(licence.passporting.into, tag))),
            ),
          );
          if (!anyLicence) expect(decision.outcome.kind).not.toBe('assigned');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the same inputs and state always give the same decisions and state', () => {
    fc.assert(
      fc.property(policyArb, fc.array(leadArb, { minLength: 1, maxLength: 8 }), (input, leads) => {
        const first = routeBatch(compileInput(input), leads, emptyRoutingState, AT);
        const second = routeBatch(compileInput(input), leads, emptyRoutingState, AT);
        expect(second).toEqual(first);
        expect(JSON.stringify(second)).toBe(JSON.stringify(first));
      }),
      { numRuns: 100 },
    );
  });

  it('routing a batch equals routing lead by lead with the state threaded through', () => {
    fc.assert(
      fc.property(policyArb, fc.array(leadArb, { minLength: 1, maxLength: 8 }), (input, leads) => {
        const compiled = compileInput(input);
        const batch = routeBatch(compiled, leads, emptyRoutingState, AT);
        let state: RoutingState = emptyRoutingState;
        const one: RoutingDecision[] = [];
        for (const lead of leads) {
          const routed = routeLead(compiled, lead, state, AT);
          one.push(...routed.decisions);
          state = routed.state;
        }
        expect(one).toEqual(batch.decisions);
        expect(state).toEqual(batch.state);
      }),
      { numRuns: 100 },
    );
  });

  it('a routing run decides exactly as routeBatch does, state included', () => {
    fc.assert(
      fc.property(policyArb, fc.array(leadArb, { minLength: 1, maxLength: 8 }), (input, leads) => {
        const compiled = compileInput(input);
        const batch = routeBatch(compiled, leads, emptyRoutingState, AT);
        const run = startRoutingRun(compiled, emptyRoutingState);
        const decisions = leads.flatMap((lead) => run.route(lead, AT));
        expect(decisions).toEqual(batch.decisions);
        expect(run.state()).toEqual(batch.state);
      }),
      { numRuns: 100 },
    );
  });
});
