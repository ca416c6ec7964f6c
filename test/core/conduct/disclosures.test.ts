// Disclosures per product × jurisdiction: a first contact without them is blocked, a gap is visible, proposal-stage ones gate PROPOSAL.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conductPolicyOf } from '../../../core/conduct/rules.ts';
import { parsePolicyText } from '../../../core/policy/parse.ts';
import { examplesDir } from '../../support/examples.ts';
import { decide } from '../../../core/conduct/decide.ts';
import { gatesOf } from '../../../core/conduct/gates.ts';
import type { PathState } from '../../../core/conduct/model.ts';
import { accepted, advance, exampleConduct, inbound, outbound, pathOf, refused } from '../../support/conduct.ts';

const fintech = exampleConduct('fintech');
const AT = '2026-12-07T10:00:00Z';
const RW2 = { template: 'RW-CRYPTO', version: 2 };
const crypto = (): PathState => pathOf({ productId: 'crypto-custody', jurisdiction: 'GB' });
// The fintech example as it was before RW-CRYPTO went to version 2.
const previous = parsePolicyText(
  readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8').replace(
    'template: RW-CRYPTO\n      version: 2',
    'template: RW-CRYPTO\n      version: 1',
  ),
);
if (!previous.ok) throw new Error('the edited example no longer parses');
const policyWithWarningV1 = conductPolicyOf(previous.value.policy);

describe('first-contact disclosures (the PS23/6 cryptoasset risk warning)', () => {
  it('blocks a first contact without the risk warning, and says which one to send', () => {
    const refusal = refused(decide(crypto(), outbound('email'), fintech, AT));
    expect(refusal.rule).toEqual({
      id: 'D-PS23-6-RISK-WARNING',
      citation: 'FCA PS23/6; COBS 4.12A (prescribed risk warning for qualifying cryptoassets)',
      source: 'policy',
    });
    expect(refusal.unblock).toEqual({
      kind: 'send_disclosures',
      disclosures: [RW2],
      with: 'first_contact',
      text: 'send disclosure RW-CRYPTO v2 with the first contact',
    });
  });

  it('does not accept an earlier version of the template', () => {
    const refusal = refused(
      decide(crypto(), outbound('email', { disclosures: [{ template: 'RW-CRYPTO', version: 1 }] }), fintech, AT),
    );
    expect(refusal.rule.id).toBe('D-PS23-6-RISK-WARNING');
  });

  it('records the disclosure with the contact that carried it', () => {
    const sent = accepted(decide(crypto(), outbound('email', { disclosures: [RW2] }), fintech, AT));
    expect(sent.state.disclosures).toEqual([{ ...RW2, at: AT, channel: 'email' }]);
    expect(sent.state.outreach[0]?.disclosures).toEqual([RW2]);
    expect(sent.effects).toEqual([
      { kind: 'outreach_recorded', record: sent.state.outreach[0] },
      { kind: 'disclosures_sent', disclosures: [{ ...RW2, at: AT, channel: 'email' }] },
      { kind: 'stage_changed', from: 'NEW', to: 'CONTACTED' },
    ]);
    const gate = gatesOf(sent.state, fintech, AT).find((candidate) => candidate.kind === 'disclosure');
    expect(gate).toMatchObject({ status: 'met', why: expect.stringContaining('sent 2026-12-07 10:00 UTC by email') });
  });

  it('makes a gap visible: a contact made under the previous policy, with v1 of the warning, is named in the gate', () => {
    const earlier = accepted(
      decide(
        crypto(),
        outbound('email', { disclosures: [{ template: 'RW-CRYPTO', version: 1 }] }),
        policyWithWarningV1,
        AT,
      ),
    ).state;
    const gate = gatesOf(earlier, fintech, '2026-12-08T10:00:00Z').find((candidate) => candidate.kind === 'disclosure');
    expect(gate).toMatchObject({
      status: 'blocked',
      why:
        "gap: RW-CRYPTO v2 (risk warning: Don't invest unless you're prepared to lose all the money you invest) was due " +
        'with the first contact (2026-12-07 10:00 UTC, email) and has not been sent (only v1 was sent, 2026-12-07 10:00 UTC)',
      unblock: {
        kind: 'send_disclosures',
        with: 'next_contact',
        text: 'send disclosure RW-CRYPTO v2 with the next contact',
      },
    });
    // The next contact must carry it, and the gap blocks PROPOSAL as well.
    expect(refused(decide(earlier, outbound('email'), fintech, '2026-12-08T10:00:00Z')).rule.id).toBe(
      'D-PS23-6-RISK-WARNING',
    );
    const atQualified: PathState = { ...earlier, stage: 'QUALIFIED' };
    expect(
      refused(decide(atQualified, advance('PROPOSAL'), fintech, '2026-12-09T10:00:00Z')).gates.map((g) => g.rule.id),
    ).toContain('D-PS23-6-RISK-WARNING');
    accepted(decide(earlier, outbound('email', { disclosures: [RW2] }), fintech, '2026-12-08T10:00:00Z'));
  });

  it('after an inbound first contact, asks for it with the first reply', () => {
    const asked = accepted(decide(crypto(), inbound('web'), fintech, AT)).state;
    const gate = gatesOf(asked, fintech, AT).find((candidate) => candidate.kind === 'disclosure');
    expect(gate?.why).toContain('has not been sent: it goes with the first reply to the prospect');
    expect(gate?.unblock?.text).toBe('send disclosure RW-CRYPTO v2 with the next contact');
  });

  it('does not apply where the rule does not: a professional client, or the product in another place', () => {
    const professional = pathOf({
      productId: 'crypto-custody',
      jurisdiction: 'GB',
      facts: { customerType: 'professional' },
    });
    expect(gatesOf(professional, fintech, AT).some((gate) => gate.kind === 'disclosure')).toBe(false);
    const german = pathOf({ productId: 'crypto-custody', jurisdiction: 'DE' });
    accepted(decide(german, outbound('email'), fintech, AT));
  });
});

describe('proposal-stage disclosures (the consumer-credit SECCI with the right of withdrawal)', () => {
  const qualified = (): PathState => ({
    ...pathOf({ productId: 'pay-later', jurisdiction: 'DE', facts: { timeZone: 'Europe/Berlin' } }),
    stage: 'QUALIFIED',
  });

  it('does not gate a contact but gates PROPOSAL, and lists every other gap with it', () => {
    accepted(decide(qualified(), outbound('letter'), fintech, AT));
    const refusal = refused(decide(qualified(), advance('PROPOSAL'), fintech, AT));
    expect(refusal.rule.id).toBe('D-CCD-SECCI-WITHDRAWAL');
    expect(refusal.message).toBe(
      'PROPOSAL refused by D-CCD-SECCI-WITHDRAWAL (Directive (EU) 2023/2225 art. 10 and 26; Directive 2008/48/EC art. 5 ' +
        'and 14 until 20 Nov 2026): SECCI-PAYLATER v1 (pre-contract information: Standard European Consumer Credit ' +
        'Information, with the 14-day right of withdrawal) must be sent before the proposal',
    );
    expect(refusal.unblock).toEqual({
      kind: 'send_disclosures',
      disclosures: [{ template: 'SECCI-PAYLATER', version: 1 }],
      with: 'before_proposal',
      text: 'send disclosure SECCI-PAYLATER v1 before the proposal',
    });
    expect(refusal.gates.map((gate) => gate.rule.id)).toEqual(['D-CCD-SECCI-WITHDRAWAL', 'CL-CCD-CREDITWORTHINESS']);
  });
});
