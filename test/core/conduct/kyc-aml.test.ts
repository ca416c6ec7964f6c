// KYC and AML: failed KYC closes the path, a policy can require KYC before PROPOSAL, missing AML documentation holds engagement.
import { describe, expect, it } from 'vitest';
import { decide, holdOf } from '../../../core/conduct/decide.ts';
import { gatesOf } from '../../../core/conduct/gates.ts';
import type { PathState } from '../../../core/conduct/model.ts';
import {
  accepted,
  advance,
  conductFor,
  exampleConduct,
  facts,
  inbound,
  outbound,
  pathOf,
  refused,
} from '../../support/conduct.ts';

const AT = '2026-12-07T10:00:00Z';
const LATER = '2026-12-07T11:00:00Z';

describe('failed KYC', () => {
  const fintech = exampleConduct('fintech');

  it('closes the path at any open stage and frees the rep', () => {
    for (const stage of ['NEW', 'CONTACTED', 'QUALIFIED', 'PROPOSAL'] as const) {
      const path: PathState = { ...pathOf({ productId: 'business-payments' }), stage };
      const closed = accepted(decide(path, facts({ kycStatus: 'failed' }, 'kyc-connector'), fintech, AT));
      expect(closed.state.stage).toBe('CLOSED');
      expect(closed.state.ending).toEqual({ stage: 'CLOSED', at: AT, by: 'kyc-connector', reason: 'kyc_failed' });
      expect(closed.effects).toEqual([
        { kind: 'facts_updated', fields: ['kycStatus'] },
        { kind: 'stage_changed', from: stage, to: 'CLOSED' },
        { kind: 'workload_freed', repId: 'rep-a' },
      ]);
    }
  });

  it('leaves a closed path closed: later steps are refused by the lifecycle, and the gate says why', () => {
    const closed = accepted(decide(pathOf({}), facts({ kycStatus: 'failed' }), fintech, AT)).state;
    const refusal = refused(decide(closed, outbound('email'), fintech, LATER));
    expect(refusal.rule.id).toBe('lifecycle.path-open');
    expect(refusal.message).toBe(
      'outbound email contact refused by lifecycle.path-open (Perimeter lifecycle: an ended path (WON, LOST, CLOSED) ' +
        'takes no further step): the path ended CLOSED on 2026-12-07 10:00 UTC',
    );
    expect(gatesOf(closed, fintech, LATER).find((gate) => gate.kind === 'kyc_failed')?.status).toBe('blocked');
    // KYC news arriving after the end is still recorded as a fact, with no effect on the stage.
    const later = accepted(decide(closed, facts({ kycStatus: 'verified' }), fintech, LATER));
    expect(later.state.stage).toBe('CLOSED');
    expect(later.effects).toEqual([{ kind: 'facts_updated', fields: ['kycStatus'] }]);
  });
});

describe('KYC required before PROPOSAL by the policy', () => {
  const conduct = conductFor(
    { kyc: [{ id: 'K-MLR-28', citation: 'UK MLR 2017 reg. 28', verifiedBefore: 'proposal' }] },
    [{ id: 'pay', name: 'Payments', class: 'payments', kycRequiredBeforeEngagement: false }],
  );
  const path = (kycStatus: PathState['facts']['kycStatus'], stage: PathState['stage']): PathState => ({
    ...pathOf({ facts: { kycStatus } }),
    stage,
  });

  it('lets the path qualify without KYC, and asks for the KYC hand-off at QUALIFIED', () => {
    const qualified = accepted(decide(path('not_started', 'CONTACTED'), advance('QUALIFIED'), conduct, AT));
    expect(qualified.effects).toEqual([
      { kind: 'stage_changed', from: 'CONTACTED', to: 'QUALIFIED' },
      { kind: 'kyc_initiation_due' },
    ]);
    const pending = accepted(decide(path('pending', 'CONTACTED'), advance('QUALIFIED'), conduct, AT));
    expect(pending.effects).toEqual([{ kind: 'stage_changed', from: 'CONTACTED', to: 'QUALIFIED' }]);
  });

  it('refuses PROPOSAL until KYC is verified: blocked when not started, pending while pending', () => {
    const notStarted = refused(decide(path('not_started', 'QUALIFIED'), advance('PROPOSAL'), conduct, AT));
    expect(notStarted.rule).toEqual({ id: 'K-MLR-28', citation: 'UK MLR 2017 reg. 28', source: 'policy' });
    expect(notStarted.message).toBe(
      'PROPOSAL refused by K-MLR-28 (UK MLR 2017 reg. 28): KYC must be verified before PROPOSAL; it is not started',
    );
    expect(notStarted.unblock).toEqual({
      kind: 'kyc_verified',
      current: 'not_started',
      text: 'KYC must be complete before PROPOSAL (start KYC: it has not started)',
    });
    const pending = refused(decide(path('pending', 'QUALIFIED'), advance('PROPOSAL'), conduct, AT));
    expect(pending.gates[0]?.status).toBe('pending');
    expect(pending.unblock.text).toBe('KYC must be complete before PROPOSAL (it is pending)');
    accepted(decide(path('verified', 'QUALIFIED'), advance('PROPOSAL'), conduct, AT));
  });
});

describe('AML documentation the product requires', () => {
  const fintech = exampleConduct('fintech');
  const payments = (): PathState => ({ ...pathOf({ productId: 'business-payments' }), stage: 'CONTACTED' });

  it('holds engagement while it is missing, and releases it when complete', () => {
    const held = accepted(decide(payments(), facts({ amlDocumentation: 'partial' }), fintech, AT));
    expect(held.effects).toEqual([
      { kind: 'facts_updated', fields: ['amlDocumentation'] },
      { kind: 'path_held', reasons: ['aml_documentation_incomplete'] },
    ]);
    expect(holdOf(held.state, fintech)).toEqual(['aml_documentation_incomplete']);

    const contact = refused(decide(held.state, outbound('email'), fintech, LATER));
    expect(contact.rule).toEqual({
      id: 'product.business-payments.amlDocumentationRequired',
      citation: 'policy products[business-payments].amlDocumentationRequired',
      source: 'policy',
    });
    expect(contact.message).toContain('held: business-payments requires AML documentation and it is partial');
    expect(contact.unblock).toEqual({
      kind: 'aml_documentation_complete',
      current: 'partial',
      text: 'AML documentation must be complete',
    });
    expect(refused(decide(held.state, advance('QUALIFIED'), fintech, LATER)).gate).toBe('aml_hold');
    // The prospect can still reach the firm, and ending the path is never held.
    accepted(decide(held.state, inbound('phone'), fintech, LATER));
    accepted(decide(held.state, { kind: 'lose', by: 'rep-a', reason: 'no_response' }, fintech, LATER));

    const released = accepted(decide(held.state, facts({ amlDocumentation: 'complete' }), fintech, LATER));
    expect(released.effects).toEqual([
      { kind: 'facts_updated', fields: ['amlDocumentation'] },
      { kind: 'path_unheld' },
    ]);
    accepted(decide(released.state, advance('QUALIFIED'), fintech, LATER));
  });

  it('also holds on the product’s own KYC requirement, as routing does', () => {
    const held = accepted(decide(payments(), facts({ kycStatus: 'pending' }), fintech, AT));
    expect(held.effects).toContainEqual({ kind: 'path_held', reasons: ['kyc_not_verified'] });
    const gate = gatesOf(held.state, fintech, AT).find((candidate) => candidate.kind === 'kyc_hold');
    expect(gate).toMatchObject({ status: 'pending', unblock: { kind: 'kyc_verified', current: 'pending' } });
  });
});
