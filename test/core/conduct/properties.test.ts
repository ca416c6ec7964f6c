// Properties over random command sequences: PROPOSAL never comes early or unprepared, and rep workload from effects stays exact.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConductCommand } from '../../../core/conduct/commands.ts';
import { decide } from '../../../core/conduct/decide.ts';
import { isOpenStage } from '../../../core/conduct/model.ts';
import type { PathFacts, PathState } from '../../../core/conduct/model.ts';
import { conductFor, pathOf } from '../../support/conduct.ts';

const HOUR = 3_600_000;
const COOLING_OFF_HOURS = 24;
const START = Date.parse('2026-12-07T06:00:00Z');
const REPS = ['r1', 'r2', 'r3'] as const;

const conduct = conductFor(
  {
    coldContact: [
      {
        id: 'CC',
        citation: 'FCA COBS 4.8.2R',
        customerTypes: ['retail'],
        channels: ['phone'],
        permittedBy: ['inbound_request', 'consent'],
      },
    ],
    outreachWindows: [
      { id: 'W', citation: 'firm hours', channels: ['phone'], hours: [{ from: '08:00', to: '21:00' }] },
    ],
    disclosures: [
      {
        id: 'D-RW',
        citation: 'PS23/6',
        customerTypes: ['retail'],
        kind: 'risk_warning',
        template: 'RW',
        version: 2,
        title: 'Risk warning',
        requiredBefore: 'first_contact',
      },
      {
        id: 'D-PCI',
        citation: 'CCD art. 10',
        kind: 'pre_contract_information',
        template: 'PCI',
        version: 1,
        title: 'Pre-contract information',
        requiredBefore: 'proposal',
      },
    ],
    coolingOff: [
      {
        id: 'CO',
        citation: 'PS22/10',
        customerTypes: ['retail'],
        clientStatus: ['new'],
        hours: COOLING_OFF_HOURS,
      },
    ],
    kyc: [{ id: 'K', citation: 'MLR 2017 reg. 28', verifiedBefore: 'proposal' }],
    checklists: [{ id: 'CL', citation: 'MLR Part 7A', items: [{ id: 'step', label: 'Travel-rule data collected' }] }],
  },
  [
    {
      id: 'pay',
      name: 'Crypto',
      class: 'crypto',
      kycRequiredBeforeEngagement: false,
      amlDocumentationRequired: true,
    },
  ],
);

const rep = fc.constantFrom(...REPS);
const factChange: fc.Arbitrary<(nowMs: number) => Partial<PathFacts>> = fc.oneof(
  fc
    .constantFrom('not_started', 'pending', 'verified', 'verified', 'verified', 'failed')
    .map((kycStatus) => () => ({ kycStatus })),
  fc.constantFrom('missing', 'partial', 'complete').map((amlDocumentation) => () => ({ amlDocumentation })),
  fc.constantFrom('new', 'existing').map((clientStatus) => () => ({ clientStatus })),
  fc
    .constantFrom('retail', 'professional', 'eligible_counterparty', 'unknown')
    .map((customerType) => () => ({ customerType })),
  fc.option(fc.integer({ min: 0, max: 48 * 60 }), { nil: null }).map((minutesAgo) => (nowMs: number) => ({
    requestedAt: minutesAgo === null ? null : new Date(nowMs - minutesAgo * 60_000).toISOString(),
  })),
  fc.boolean().map((doNotContact) => () => ({ doNotContact })),
  fc.boolean().map((consent) => (nowMs: number) => ({
    consents: consent ? [{ channels: ['phone' as const], at: new Date(nowMs).toISOString(), reference: 'C-1' }] : [],
  })),
  fc.constantFrom('Europe/London', 'America/New_York', null).map((timeZone) => () => ({ timeZone })),
);

const DISCLOSURES = [
  { template: 'RW', version: 1 },
  { template: 'RW', version: 2 },
  { template: 'PCI', version: 1 },
];

type Step = { readonly path: number; readonly minutes: number; readonly command: (nowMs: number) => ConductCommand };

// Weighted so that paths live long enough to reach PROPOSAL often: endings are rare, useful steps common.
const commandArb: fc.Arbitrary<(nowMs: number) => ConductCommand> = fc.oneof(
  {
    weight: 36,
    arbitrary: fc.constantFrom('QUALIFIED', 'PROPOSAL').map((to) => () => ({ kind: 'advance', by: 'r1', to }) as const),
  },
  {
    weight: 36,
    arbitrary: fc
      .record({
        channel: fc.constantFrom('phone', 'email'),
        disclosures: fc.subarray(DISCLOSURES),
        basis: fc.oneof(
          { weight: 3, arbitrary: fc.constant(undefined) },
          {
            weight: 1,
            arbitrary: fc.constantFrom('inbound_request', 'consent', 'existing_relationship', 'professional_client'),
          },
        ),
      })
      .map(({ channel, disclosures, basis }) => (): ConductCommand => ({
        kind: 'record_outreach',
        direction: 'outbound',
        by: 'r1',
        channel,
        content: { kind: 'summary', text: 'call' },
        disclosures,
        ...(basis === undefined ? {} : { basis }),
      })),
  },
  {
    weight: 6,
    arbitrary: fc.constantFrom('phone', 'web').map((channel) => (): ConductCommand => ({
      kind: 'record_outreach',
      direction: 'inbound',
      by: 'r1',
      channel,
      content: { kind: 'summary', text: 'asked' },
    })),
  },
  {
    weight: 30,
    arbitrary: factChange.map(
      (change) => (nowMs: number) => ({ kind: 'update_facts', by: 'r1', changes: change(nowMs) }) as const,
    ),
  },
  {
    weight: 15,
    arbitrary: fc
      .constantFrom('step', 'bogus')
      .map((item) => () => ({ kind: 'complete_checklist_item', by: 'r1', item }) as const),
  },
  { weight: 3, arbitrary: fc.constant(() => ({ kind: 'win', by: 'r1' }) as const) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('no_response', 'other')
      .map((reason) => () => ({ kind: 'lose', by: 'r1', reason }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('prospect_declined', 'other')
      .map((reason) => () => ({ kind: 'close', by: 'r1', reason }) as const),
  },
  { weight: 6, arbitrary: rep.map((to) => () => ({ kind: 'reassign', by: 'lead', to }) as const) },
);

const stepArb: fc.Arbitrary<Step> = fc.record({
  path: fc.integer({ min: 0, max: 2 }),
  minutes: fc.integer({ min: 0, max: 14 * 60 }),
  command: commandArb,
});

// Starting paths vary too: facts (some requests long made, some clients without cooling-off), and how far along they
// are, so that many sequences stand at the PROPOSAL gate with some of its conditions met and others not.
const initialPathArb = fc
  .record({
    owner: rep,
    requestedAt: fc.constantFrom(
      null,
      new Date(START - 30 * HOUR).toISOString(),
      new Date(START - 2 * HOUR).toISOString(),
    ),
    clientStatus: fc.constantFrom('new', 'existing'),
    customerType: fc.constantFrom('retail', 'professional', 'unknown'),
    kycStatus: fc.constantFrom('not_started', 'pending', 'verified'),
    stage: fc.constantFrom('NEW', 'CONTACTED', 'QUALIFIED'),
    sent: fc.subarray(DISCLOSURES),
    stepDone: fc.boolean(),
  })
  .map(({ owner, stage, sent, stepDone, ...facts }): PathState => {
    const opened = new Date(START).toISOString();
    const base = pathOf({ productId: 'pay', owner, openedAt: opened, facts });
    return {
      ...base,
      stage,
      disclosures: sent.map((ref) => ({ ...ref, at: opened, channel: 'email' as const })),
      checklist: stepDone ? [{ item: 'step', at: opened, by: owner }] : [],
    };
  });
const initialArb = fc
  .tuple(initialPathArb, initialPathArb, initialPathArb)
  .map((paths) => paths.map((path, index) => ({ ...path, leadId: `L-${index}` })));

const effectiveRetail = (facts: PathFacts): boolean =>
  facts.customerType === 'retail' || facts.customerType === 'unknown';
const hasSent = (state: PathState, template: string, version: number): boolean =>
  state.disclosures.some((sent) => sent.template === template && sent.version >= version);

describe('lifecycle properties', () => {
  it('never reaches PROPOSAL inside cooling-off, without the required disclosures, or with KYC unverified', () => {
    let proposals = 0;
    const refusedBy = new Set<string>();
    fc.assert(
      fc.property(initialArb, fc.array(stepArb, { minLength: 20, maxLength: 90 }), (initial, steps) => {
        const paths = [...initial];
        let nowMs = START;
        for (const step of steps) {
          nowMs += step.minutes * 60_000;
          const prior = paths[step.path]!;
          const decision = decide(prior, step.command(nowMs), conduct, new Date(nowMs).toISOString());
          if (!decision.ok && step.command(nowMs).kind === 'advance')
            for (const gate of decision.refusal.gates) refusedBy.add(gate.rule.id);
          if (!decision.ok) continue;
          const next = decision.state;
          paths[step.path] = next;
          if (next.stage !== 'PROPOSAL' || prior.stage === 'PROPOSAL') continue;
          proposals += 1;
          // An oracle written from the policy above, not from core/conduct.
          const facts = prior.facts;
          expect(prior.stage).toBe('QUALIFIED');
          if (effectiveRetail(facts) && facts.clientStatus === 'new') {
            expect(facts.requestedAt).not.toBeNull();
            expect(nowMs).toBeGreaterThanOrEqual(Date.parse(facts.requestedAt!) + COOLING_OFF_HOURS * HOUR);
          }
          if (effectiveRetail(facts)) expect(hasSent(next, 'RW', 2)).toBe(true);
          expect(hasSent(next, 'PCI', 1)).toBe(true);
          expect(facts.kycStatus).toBe('verified');
          expect(facts.amlDocumentation).toBe('complete');
          expect(next.checklist.some((entry) => entry.item === 'step')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
    // The property is not vacuous: random sequences reach PROPOSAL many times, and meet each of its gates on the way.
    expect(proposals).toBeGreaterThan(20);
    expect([...refusedBy]).toEqual(expect.arrayContaining(['CO', 'D-RW', 'D-PCI', 'K', 'CL']));
  });

  it('keeps an open-path count per rep, derived from effects, never negative and equal to the rep’s open paths', () => {
    fc.assert(
      fc.property(initialArb, fc.array(stepArb, { minLength: 20, maxLength: 90 }), (initial, steps) => {
        const paths = [...initial];
        const counts = new Map<string, number>(REPS.map((name) => [name, 0]));
        for (const path of paths) counts.set(path.owner, counts.get(path.owner)! + 1);
        let nowMs = START;
        for (const step of steps) {
          nowMs += step.minutes * 60_000;
          const decision = decide(paths[step.path]!, step.command(nowMs), conduct, new Date(nowMs).toISOString());
          if (!decision.ok) continue;
          paths[step.path] = decision.state;
          for (const effect of decision.effects) {
            if (effect.kind === 'workload_taken') counts.set(effect.repId, counts.get(effect.repId)! + 1);
            if (effect.kind === 'workload_freed') counts.set(effect.repId, counts.get(effect.repId)! - 1);
          }
          for (const name of REPS) {
            const open = paths.filter((path) => path.owner === name && isOpenStage(path.stage)).length;
            expect(counts.get(name)).toBeGreaterThanOrEqual(0);
            expect(counts.get(name)).toBe(open);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
