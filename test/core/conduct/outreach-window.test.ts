// Outreach windows in the prospect's local time (FINRA 3230, French canvassing hours), across DST, failing closed without a zone.
import { describe, expect, it } from 'vitest';
import { decide } from '../../../core/conduct/decide.ts';
import { gatesOf } from '../../../core/conduct/gates.ts';
import { isInsideHours, isTimeZone, localTimeOf, nextOpening } from '../../../core/conduct/local-time.ts';
import type { PathFacts } from '../../../core/conduct/model.ts';
import { warningsForPlan } from '../../../core/conduct/planning.ts';
import { accepted, exampleConduct, facts, outbound, pathOf, refused } from '../../support/conduct.ts';

const bank = exampleConduct('bank-insurer');
const fintech = exampleConduct('fintech');
const annuity = (changes: Partial<PathFacts> = {}) =>
  pathOf({
    productId: 'variable-annuity',
    jurisdiction: 'US-NY',
    facts: { timeZone: 'America/New_York', ...changes },
  });

describe('FINRA 3230: calls only 08:00–21:00 at the called person’s location', () => {
  it('allows a call at 08:30 local on the last day of daylight saving time (12:30 UTC)', () => {
    const call = accepted(decide(annuity(), outbound('phone'), bank, '2026-10-31T12:30:00Z'));
    expect(call.state.outreach).toHaveLength(1);
  });

  it('refuses the same UTC time a day later, after the clocks went back (07:30 local), until 08:00 local', () => {
    const refusal = refused(decide(annuity(), outbound('phone'), bank, '2026-11-01T12:30:00Z'));
    expect(refusal.rule).toEqual({ id: 'W-FINRA-3230', citation: 'FINRA Rule 3230(a)(1)', source: 'policy' });
    expect(refusal.message).toBe(
      "outbound phone contact refused by W-FINRA-3230 (FINRA Rule 3230(a)(1)): phone only 08:00–21:00 in the prospect's " +
        'local time: it is 07:30 America/New_York, outside',
    );
    expect(refusal.unblock).toEqual({
      kind: 'wait_until',
      at: '2026-11-01T13:00:00.000Z',
      text: 'phone allowed from 2026-11-01 13:00 UTC (08:00 America/New_York)',
    });
    expect(refusal.gates.map((gate) => [gate.kind, gate.status])).toEqual([['outreach_window', 'pending']]);
  });

  it('finds the next opening across the change: 21:30 EDT is followed by 08:00 EST, 11.5 hours later', () => {
    const refusal = refused(decide(annuity(), outbound('phone'), bank, '2026-11-01T01:30:00Z'));
    expect(refusal.message).toContain('it is 21:30 America/New_York, outside');
    expect(refusal.unblock).toMatchObject({ kind: 'wait_until', at: '2026-11-01T13:00:00.000Z' });
  });

  it('follows the spring change too: 12:30 UTC is 07:30 local before it and 08:30 local after it', () => {
    expect(refused(decide(annuity(), outbound('phone'), bank, '2026-03-07T12:30:00Z')).unblock).toMatchObject({
      at: '2026-03-07T13:00:00.000Z',
    });
    accepted(decide(annuity(), outbound('phone'), bank, '2026-03-08T12:30:00Z'));
  });

  it('ends at 21:00 exclusive', () => {
    accepted(decide(annuity(), outbound('phone'), bank, '2026-12-08T01:59:59Z'));
    expect(refused(decide(annuity(), outbound('phone'), bank, '2026-12-08T02:00:00Z')).rule.id).toBe('W-FINRA-3230');
  });

  it('does not restrict a channel the rule does not name', () => {
    accepted(decide(annuity(), outbound('email'), bank, '2026-12-08T04:00:00Z'));
  });

  it('fails closed without the prospect’s time zone, and refuses a zone the runtime does not know', () => {
    const refusal = refused(decide(annuity({ timeZone: null }), outbound('phone'), bank, '2026-12-07T15:00:00Z'));
    expect(refusal.gates[0]).toMatchObject({ kind: 'outreach_window', status: 'blocked' });
    expect(refusal.unblock).toEqual({
      kind: 'record_time_zone',
      text: "record the prospect's time zone (IANA, e.g. Europe/London)",
    });
    const bad = refused(decide(annuity(), facts({ timeZone: 'Mars/Olympus_Mons' }), bank, '2026-12-07T15:00:00Z'));
    expect(bad.rule.id).toBe('lifecycle.facts');
    expect(bad.message).toContain('"Mars/Olympus_Mons" is not an IANA time zone');
  });

  it('warns before a planned call would fall outside the window, with the first safe time', () => {
    const warnings = warningsForPlan(annuity(), bank, {
      kind: 'outreach',
      at: '2026-12-08T03:00:00Z',
      channel: 'phone',
    });
    expect(warnings).toEqual([
      {
        kind: 'outside_outreach_window',
        rule: { id: 'W-FINRA-3230', citation: 'FINRA Rule 3230(a)(1)', source: 'policy' },
        message:
          'the phone contact planned for 2026-12-08 03:00 UTC would breach W-FINRA-3230 (FINRA Rule 3230(a)(1)): ' +
          "phone only 08:00–21:00 in the prospect's local time: it is 22:00 America/New_York, outside; " +
          'phone allowed from 2026-12-08 13:00 UTC (08:00 America/New_York)',
        safeFrom: '2026-12-08T13:00:00.000Z',
      },
    ]);
    expect(
      warningsForPlan(annuity(), bank, { kind: 'outreach', at: '2026-12-08T15:00:00Z', channel: 'phone' }),
    ).toEqual([]);
  });
});

describe('French canvassing hours: weekdays 10:00–13:00 and 14:00–20:00, Paris time', () => {
  const payLater = () => pathOf({ productId: 'pay-later', jurisdiction: 'FR', facts: { timeZone: 'Europe/Paris' } });

  it('allows Friday 19:30 and sends Friday 20:05 to Monday 10:00', () => {
    accepted(decide(payLater(), outbound('phone'), fintech, '2026-12-11T18:30:00Z'));
    const refusal = refused(decide(payLater(), outbound('phone'), fintech, '2026-12-11T19:05:00Z'));
    expect(refusal.rule.id).toBe('W-FR-DEMARCHAGE');
    expect(refusal.message).toContain('phone only 10:00–13:00 Mon–Fri, 14:00–20:00 Mon–Fri');
    expect(refusal.unblock).toMatchObject({
      at: '2026-12-14T09:00:00.000Z',
      text: 'phone allowed from 2026-12-14 09:00 UTC (10:00 Europe/Paris)',
    });
  });

  it('closes over lunch: 13:30 opens again at 14:00 the same day', () => {
    expect(refused(decide(payLater(), outbound('phone'), fintech, '2026-12-09T12:30:00Z')).unblock).toMatchObject({
      at: '2026-12-09T13:00:00.000Z',
    });
  });

  it('shows the window as a gate with its local time in views', () => {
    const gate = gatesOf(payLater(), fintech, '2026-12-12T10:00:00Z').find((g) => g.kind === 'outreach_window');
    expect(gate).toMatchObject({ status: 'pending', channels: ['phone'] });
    expect(gate?.why).toContain('it is 11:00 Europe/Paris, outside');
  });
});

describe('local time through Intl', () => {
  it('knows IANA zones and refuses others', () => {
    expect(['Europe/London', 'America/New_York', 'Asia/Dubai', 'UTC'].every(isTimeZone)).toBe(true);
    expect(['', 'Mars/Base', 'GMT+25'].some(isTimeZone)).toBe(false);
  });

  it('reads wall-clock time and weekday in a zone', () => {
    expect(localTimeOf(Date.parse('2026-03-29T00:30:00Z'), 'Europe/London')).toEqual({
      year: 2026,
      month: 3,
      day: 29,
      hour: 0,
      minute: 30,
      second: 0,
      weekday: 'sun',
    });
    expect(localTimeOf(Date.parse('2026-03-29T01:30:00Z'), 'Europe/London').hour).toBe(2);
  });

  it('opens a window that starts inside a skipped hour when the clock lands', () => {
    const hours = [{ days: ['sun' as const], from: '02:30', to: '04:00' }];
    // 2026-03-08 02:00 EST becomes 03:00 EDT in New York: 02:30 never happens that day.
    expect(new Date(nextOpening(Date.parse('2026-03-08T05:00:00Z'), 'America/New_York', hours)!).toISOString()).toBe(
      '2026-03-08T07:00:00.000Z',
    );
    expect(isInsideHours(Date.parse('2026-03-08T06:59:00Z'), 'America/New_York', hours)).toBe(false);
  });
});
