// The lifecycle itself: stages in order, CONTACTED by the first contact, do-not-contact, endings, reassignment and workload.
import { describe, expect, it } from 'vitest';
import { ConductCommandSchema } from '../../../core/conduct/commands.ts';
import { decide } from '../../../core/conduct/decide.ts';
import { gatesOf } from '../../../core/conduct/gates.ts';
import { PathStateSchema, newPathState } from '../../../core/conduct/model.ts';
import type { PathState } from '../../../core/conduct/model.ts';
import { applyWorkload } from '../../../core/conduct/workload.ts';
import { accepted, advance, conductFor, facts, inbound, outbound, pathOf, refused } from '../../support/conduct.ts';

const AT = '2026-12-07T10:00:00Z';
// No policy rules: only the lifecycle's own gates apply.
const plain = conductFor(undefined);

describe('stages', () => {
  it('reaches CONTACTED with the first communication, either way', () => {
    for (const command of [outbound('email'), inbound('phone')]) {
      const contacted = accepted(decide(pathOf({}), command, plain, AT));
      expect(contacted.state.stage).toBe('CONTACTED');
      expect(contacted.state.stageChangedAt).toBe(AT);
      expect(contacted.effects.at(-1)).toEqual({ kind: 'stage_changed', from: 'NEW', to: 'CONTACTED' });
    }
  });

  it('moves one stage at a time, and says what comes first', () => {
    const fresh = refused(decide(pathOf({}), advance('QUALIFIED'), plain, AT));
    expect(fresh.rule.id).toBe('lifecycle.stage-order');
    expect(fresh.unblock).toEqual({
      kind: 'reach_stage',
      stage: 'CONTACTED',
      text: 'record the first contact with the prospect',
    });
    const contacted: PathState = { ...pathOf({}), stage: 'CONTACTED' };
    expect(refused(decide(contacted, advance('PROPOSAL'), plain, AT)).unblock).toEqual({
      kind: 'reach_stage',
      stage: 'QUALIFIED',
      text: 'the path must reach QUALIFIED first',
    });
    expect(refused(decide(contacted, { kind: 'win', by: 'rep-a' }, plain, AT)).message).toBe(
      'WON refused by lifecycle.stage-order (Perimeter lifecycle: NEW → CONTACTED → QUALIFIED → PROPOSAL → WON, one ' +
        'stage at a time): WON follows PROPOSAL, and the path is CONTACTED',
    );
    const proposal: PathState = { ...pathOf({}), stage: 'PROPOSAL' };
    expect(refused(decide(proposal, advance('QUALIFIED'), plain, AT)).message).toContain(
      'the path is already PROPOSAL',
    );
  });

  it('ends a path by losing or closing it at any open stage, freeing the rep; an ended path takes no step', () => {
    const lost = accepted(decide(pathOf({}), { kind: 'lose', by: 'rep-a', reason: 'chose_competitor' }, plain, AT));
    expect(lost.state.ending).toEqual({ stage: 'LOST', at: AT, by: 'rep-a', reason: 'chose_competitor' });
    expect(lost.effects).toEqual([
      { kind: 'stage_changed', from: 'NEW', to: 'LOST' },
      { kind: 'workload_freed', repId: 'rep-a' },
    ]);
    const closed = accepted(
      decide(
        { ...pathOf({}), stage: 'PROPOSAL' },
        { kind: 'close', by: 'u-olga', reason: 'prospect_declined' },
        plain,
        AT,
      ),
    );
    expect(closed.state.stage).toBe('CLOSED');
    for (const command of [
      { kind: 'close' as const, by: 'rep-a', reason: 'other' as const },
      { kind: 'reassign' as const, by: 'u-lead', to: 'rep-b' },
      advance('QUALIFIED'),
    ])
      expect(refused(decide(lost.state, command, plain, AT)).rule.id).toBe('lifecycle.path-open');
  });
});

describe('do-not-contact', () => {
  const dnc = pathOf({ facts: { doNotContact: true } });

  it('blocks every outbound channel, with the prospect as the only way out', () => {
    for (const channel of ['phone', 'email', 'letter', 'sms'] as const) {
      const refusal = refused(decide(dnc, outbound(channel), plain, AT));
      expect(refusal.rule).toEqual({
        id: 'lifecycle.do-not-contact',
        citation: "the prospect's do-not-contact instruction (no outbound contact of any kind)",
        source: 'lifecycle',
      });
      expect(refusal.unblock).toEqual({
        kind: 'do_not_contact_withdrawn',
        text: 'only the prospect can withdraw a do-not-contact instruction',
      });
    }
    expect(gatesOf(dnc, plain, AT).find((gate) => gate.kind === 'do_not_contact')?.status).toBe('blocked');
  });

  it('still records what the prospect sends, and lets the path end', () => {
    expect(accepted(decide(dnc, inbound('email'), plain, AT)).state.outreach).toHaveLength(1);
    accepted(decide(dnc, { kind: 'close', by: 'rep-a', reason: 'do_not_contact' }, plain, AT));
  });
});

describe('reassignment and workload', () => {
  it('moves the path between reps: one freed, one taken; the same rep is no change', () => {
    const moved = accepted(decide(pathOf({}), { kind: 'reassign', by: 'u-lead', to: 'rep-b' }, plain, AT));
    expect(moved.state.owner).toBe('rep-b');
    expect(moved.effects).toEqual([
      { kind: 'workload_freed', repId: 'rep-a' },
      { kind: 'workload_taken', repId: 'rep-b' },
    ]);
    expect(accepted(decide(moved.state, { kind: 'reassign', by: 'u-lead', to: 'rep-b' }, plain, AT)).effects).toEqual(
      [],
    );
    expect(applyWorkload({ 'rep-a': 1 }, moved.effects)).toEqual({ 'rep-b': 1 });
    expect(applyWorkload({ 'rep-a': 3, 'rep-b': 1 }, moved.effects)).toEqual({ 'rep-a': 2, 'rep-b': 2 });
  });
});

describe('facts and the types a service stores', () => {
  it('records only what changed, and nothing when nothing did', () => {
    const path = pathOf({});
    expect(accepted(decide(path, facts({ customerType: 'retail', kycStatus: 'verified' }), plain, AT)).effects).toEqual(
      [],
    );
    const changed = accepted(decide(path, facts({ customerType: 'professional', kycStatus: 'verified' }), plain, AT));
    expect(changed.effects).toEqual([{ kind: 'facts_updated', fields: ['customerType'] }]);
  });

  it('validates commands and states with the zod schemas in core', () => {
    const parsed = ConductCommandSchema.parse({
      kind: 'record_outreach',
      direction: 'outbound',
      by: 'rep-a',
      channel: 'phone',
      content: { kind: 'template', template: 'INTRO', version: 1 },
    });
    expect(parsed).toMatchObject({ disclosures: [] });
    expect(ConductCommandSchema.safeParse({ kind: 'advance', by: 'rep-a', to: 'WON' }).success).toBe(false);
    expect(
      ConductCommandSchema.safeParse({ kind: 'update_facts', by: 'rep-a', changes: { timeZone: 'Nowhere/Land' } })
        .success,
    ).toBe(false);
    const state = newPathState({
      leadId: 'L-1',
      productId: 'pay',
      jurisdiction: 'GB',
      owner: 'rep-a',
      openedAt: AT,
    });
    expect(PathStateSchema.parse(state)).toEqual(state);
    expect(state.facts).toMatchObject({ customerType: 'unknown', clientStatus: 'new', kycStatus: 'not_started' });
    const worked = accepted(decide(pathOf({}), outbound('email'), plain, AT)).state;
    expect(PathStateSchema.parse(worked)).toEqual(worked);
  });
});
