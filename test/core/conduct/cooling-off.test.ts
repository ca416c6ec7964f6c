// Cooling-off (PS22/10, PS23/6): counted from the client's request, exact to the second, with a countdown and a due-soon list.
import { describe, expect, it } from 'vitest';
import { coolingOffOf, dueSoon } from '../../../core/conduct/cooling-off.ts';
import { decide } from '../../../core/conduct/decide.ts';
import type { PathFacts, PathState } from '../../../core/conduct/model.ts';
import { warningsForPlan } from '../../../core/conduct/planning.ts';
import { accepted, advance, exampleConduct, pathOf, refused } from '../../support/conduct.ts';

const fintech = exampleConduct('fintech');
const REQUESTED = '2026-12-07T14:02:00Z';
const RULE = {
  id: 'CO-PS22-10-PS23-6',
  citation: 'FCA PS22/10 and PS23/6; COBS 4.12A (24-hour cooling-off for first-time investors with the firm)',
  source: 'policy',
};

/** A crypto custody path at QUALIFIED with everything but cooling-off done: warning sent, travel-rule steps done. */
const qualified = (changes: Partial<PathFacts> = {}, leadId = 'L-1'): PathState => {
  const base = pathOf({
    leadId,
    productId: 'crypto-custody',
    jurisdiction: 'GB',
    openedAt: '2026-12-01T09:00:00Z',
    facts: { requestedAt: REQUESTED, ...changes },
  });
  return {
    ...base,
    stage: 'QUALIFIED',
    outreach: [
      {
        at: '2026-12-02T10:00:00Z',
        channel: 'email',
        direction: 'outbound',
        by: 'rep-a',
        content: { kind: 'template', template: 'INTRO-CRYPTO', version: 1 },
        disclosures: [{ template: 'RW-CRYPTO', version: 2 }],
        authorisation: 'unrestricted',
      },
    ],
    disclosures: [{ template: 'RW-CRYPTO', version: 2, at: '2026-12-02T10:00:00Z', channel: 'email' }],
    checklist: [
      { item: 'travel-rule-data', at: '2026-12-03T10:00:00Z', by: 'rep-a' },
      { item: 'self-hosted-wallet-check', at: '2026-12-03T10:00:00Z', by: 'rep-a' },
    ],
  };
};

describe('the 24-hour cooling-off for a client new to the firm', () => {
  it('refuses PROPOSAL one second before it ends, naming the end in UTC', () => {
    const refusal = refused(decide(qualified(), advance('PROPOSAL'), fintech, '2026-12-08T14:01:59Z'));
    expect(refusal.rule).toEqual(RULE);
    expect(refusal.message).toBe(
      `PROPOSAL refused by CO-PS22-10-PS23-6 (${RULE.citation}): the 24-hour cooling-off for a client new to the firm ` +
        "runs from the client's request at 2026-12-07 14:02 UTC until 2026-12-08 14:02 UTC (1 s left)",
    );
    expect(refusal.unblock).toEqual({
      kind: 'wait_until',
      at: '2026-12-08T14:02:00.000Z',
      text: 'cooling-off ends 2026-12-08 14:02 UTC',
    });
    expect(refusal.gates.map((gate) => [gate.kind, gate.status])).toEqual([['cooling_off', 'pending']]);
  });

  it('names the end and what is left to the second, as the countdown does (decision 0237)', () => {
    const state = qualified({ requestedAt: '2026-12-07T14:02:17.400Z' });
    const refusal = refused(decide(state, advance('PROPOSAL'), fintech, '2026-12-08T14:01:53Z'));
    expect(refusal.message).toContain('until 2026-12-08 14:02:18 UTC (25 s left)');
    expect(refusal.unblock).toMatchObject({ text: 'cooling-off ends 2026-12-08 14:02:18 UTC' });
    expect(coolingOffOf(state, fintech, '2026-12-08T13:00:00Z')?.text).toBe(
      'cooling-off ends 2026-12-08 14:02:18 UTC (1 h 02 min 18 s left)',
    );
  });

  it('allows PROPOSAL at the second it ends', () => {
    const proposal = accepted(decide(qualified(), advance('PROPOSAL'), fintech, '2026-12-08T14:02:00Z'));
    expect(proposal.state.stage).toBe('PROPOSAL');
    expect(proposal.effects).toEqual([{ kind: 'stage_changed', from: 'QUALIFIED', to: 'PROPOSAL' }]);
  });

  it('counts down exactly from the request, not from the assignment or the first contact', () => {
    expect(coolingOffOf(qualified(), fintech, '2026-12-07T14:03:00Z')).toEqual({
      rule: RULE,
      hours: 24,
      status: 'running',
      startedAt: '2026-12-07T14:02:00.000Z',
      endsAt: '2026-12-08T14:02:00.000Z',
      remainingMs: 86_340_000,
      text: 'cooling-off ends 2026-12-08 14:02 UTC (23 h 59 min 00 s left)',
    });
    expect(coolingOffOf(qualified(), fintech, '2026-12-08T14:01:59Z')?.remainingMs).toBe(1000);
    expect(coolingOffOf(qualified(), fintech, '2026-12-08T15:00:00Z')).toMatchObject({
      status: 'elapsed',
      remainingMs: 0,
      text: 'cooling-off ended 2026-12-08 14:02 UTC',
    });
  });

  it('does not start without the client’s request on record', () => {
    const refusal = refused(
      decide(qualified({ requestedAt: null }), advance('PROPOSAL'), fintech, '2026-12-20T10:00:00Z'),
    );
    expect(refusal.gates[0]).toMatchObject({ kind: 'cooling_off', status: 'blocked' });
    expect(refusal.unblock).toEqual({
      kind: 'record_request',
      text: "record the client's request: the cooling-off ends 24 hours after it",
    });
    expect(coolingOffOf(qualified({ requestedAt: null }), fintech, '2026-12-20T10:00:00Z')?.status).toBe('not_started');
  });

  it('does not apply to an existing client or a professional client', () => {
    for (const changes of [{ clientStatus: 'existing' as const }, { customerType: 'professional' as const }]) {
      expect(coolingOffOf(qualified(changes), fintech, '2026-12-07T15:00:00Z')).toBeNull();
      accepted(decide(qualified(changes), advance('PROPOSAL'), fintech, '2026-12-07T15:00:00Z'));
    }
  });

  it('warns before a proposal planned inside the cooling-off, with the first safe time', () => {
    const [warning, ...others] = warningsForPlan(qualified(), fintech, {
      kind: 'proposal',
      at: '2026-12-08T09:00:00Z',
    });
    expect(others).toEqual([]);
    expect(warning).toMatchObject({
      kind: 'cooling_off_not_over',
      rule: RULE,
      safeFrom: '2026-12-08T14:02:00.000Z',
      message: expect.stringContaining('the proposal planned for 2026-12-08 09:00 UTC would breach CO-PS22-10-PS23-6'),
    });
    expect(warningsForPlan(qualified(), fintech, { kind: 'proposal', at: '2026-12-08T14:02:00Z' })).toEqual([]);
  });
});

describe('the due-soon list', () => {
  const NOW = '2026-12-08T10:00:00Z';
  const at = (leadId: string, requestedAt: string | null, stage: PathState['stage'] = 'QUALIFIED'): PathState => ({
    ...qualified({ requestedAt }, leadId),
    stage,
  });

  it('lists open paths before PROPOSAL whose cooling-off ends within the horizon, soonest first', () => {
    const paths = [
      at('L-late', '2026-12-07T20:00:00Z'),
      at('L-b', '2026-12-07T12:00:00Z'),
      at('L-a', '2026-12-07T12:00:00Z'),
      at('L-over', '2026-12-07T09:00:00Z'),
      at('L-far', '2026-12-08T09:00:00Z'),
      at('L-none', null),
      at('L-proposed', '2026-12-07T12:00:00Z', 'PROPOSAL'),
      at('L-lost', '2026-12-07T12:00:00Z', 'LOST'),
    ];
    const due = dueSoon(paths, fintech, NOW, 12 * 3_600_000);
    expect(due.map((item) => [item.leadId, item.at, item.remainingMs])).toEqual([
      ['L-a', '2026-12-08T12:00:00.000Z', 7_200_000],
      ['L-b', '2026-12-08T12:00:00.000Z', 7_200_000],
      ['L-late', '2026-12-08T20:00:00.000Z', 36_000_000],
    ]);
    expect(due[0]).toMatchObject({ kind: 'cooling_off_ends', owner: 'rep-a', productId: 'crypto-custody', rule: RULE });
    expect(due[0]?.text).toBe('cooling-off ends 2026-12-08 12:00 UTC (2 h 00 min 00 s left)');
  });
});
