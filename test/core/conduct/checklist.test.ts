// Product-specific steps: card issuing needs its sponsor bank agreement before PROPOSAL; FINRA 2330 principal review before WON.
import { describe, expect, it } from 'vitest';
import { decide } from '../../../core/conduct/decide.ts';
import { gatesOf } from '../../../core/conduct/gates.ts';
import type { PathState } from '../../../core/conduct/model.ts';
import { accepted, advance, exampleConduct, pathOf, refused } from '../../support/conduct.ts';

const AT = '2026-12-07T10:00:00Z';
const done = (item: string) => ({ kind: 'complete_checklist_item' as const, by: 'rep-a', item });

describe('the card-issuing checklist', () => {
  const fintech = exampleConduct('fintech');
  const cards = (): PathState => ({ ...pathOf({ productId: 'corporate-cards' }), stage: 'QUALIFIED' });

  it('refuses PROPOSAL until the sponsor bank agreement is on file, listing the missing step', () => {
    const refusal = refused(decide(cards(), advance('PROPOSAL'), fintech, AT));
    expect(refusal.rule.id).toBe('CL-CARD-SPONSOR');
    expect(refusal.message).toBe(
      'PROPOSAL refused by CL-CARD-SPONSOR (Card scheme rules (BIN sponsorship); Northwind card programme standard): ' +
        '1 of 1 steps to do before PROPOSAL: Sponsor bank (BIN sponsor) agreement on file for the programme',
    );
    expect(refusal.unblock).toEqual({
      kind: 'complete_checklist',
      items: [
        { id: 'sponsor-bank-agreement', label: 'Sponsor bank (BIN sponsor) agreement on file for the programme' },
      ],
      text: 'complete before PROPOSAL: Sponsor bank (BIN sponsor) agreement on file for the programme',
    });
  });

  it('marks an item done once (again is no change), then lets the path reach PROPOSAL', () => {
    const marked = accepted(decide(cards(), done('sponsor-bank-agreement'), fintech, AT));
    expect(marked.effects).toEqual([{ kind: 'checklist_item_done', item: 'sponsor-bank-agreement' }]);
    expect(marked.state.checklist).toEqual([{ item: 'sponsor-bank-agreement', at: AT, by: 'rep-a' }]);
    const again = accepted(decide(marked.state, done('sponsor-bank-agreement'), fintech, AT));
    expect(again.effects).toEqual([]);
    expect(again.state).toBe(marked.state);
    accepted(decide(marked.state, advance('PROPOSAL'), fintech, AT));
  });

  it('refuses an item that is not on a checklist of the path', () => {
    const refusal = refused(decide(cards(), done('travel-rule-data'), fintech, AT));
    expect(refusal.rule.id).toBe('lifecycle.checklist-item');
    expect(refusal.message).toContain(
      '"travel-rule-data" is not an item of the checklists that apply (sponsor-bank-agreement)',
    );
  });
});

describe('checklists at other stages', () => {
  const bank = exampleConduct('bank-insurer');

  it('FINRA 2330: the suitability determination before PROPOSAL, the principal’s approval before WON', () => {
    const annuity: PathState = {
      ...pathOf({ productId: 'variable-annuity', jurisdiction: 'US-TX', facts: { timeZone: 'America/Chicago' } }),
      stage: 'QUALIFIED',
      disclosures: [{ template: 'VA-PROSPECTUS', version: 7, at: AT, channel: 'email' }],
    };
    expect(refused(decide(annuity, advance('PROPOSAL'), bank, AT)).rule.id).toBe('CL-FINRA-2330-BASIS');
    const basis = accepted(decide(annuity, done('va-suitability-determination'), bank, AT)).state;
    const proposal = accepted(decide(basis, advance('PROPOSAL'), bank, AT)).state;
    const win = { kind: 'win' as const, by: 'rep-a' };
    expect(refused(decide(proposal, win, bank, AT)).rule.id).toBe('CL-FINRA-2330-PRINCIPAL');
    const approved = accepted(decide(proposal, done('va-principal-approval'), bank, AT)).state;
    const won = accepted(decide(approved, win, bank, AT));
    expect(won.state.ending).toEqual({ stage: 'WON', at: AT, by: 'rep-a' });
    expect(won.effects).toEqual([
      { kind: 'stage_changed', from: 'PROPOSAL', to: 'WON' },
      { kind: 'workload_freed', repId: 'rep-a' },
    ]);
  });

  it('DFSA: evidence of professional classification before QUALIFIED', () => {
    const difc: PathState = {
      ...pathOf({ productId: 'private-wealth', jurisdiction: 'AE-DIFC', facts: { customerType: 'professional' } }),
      stage: 'CONTACTED',
    };
    expect(refused(decide(difc, advance('QUALIFIED'), bank, AT)).rule.id).toBe('CL-DFSA-CLASSIFICATION');
    const gate = gatesOf(difc, bank, AT).find((candidate) => candidate.rule.id === 'CL-DFSA-CLASSIFICATION');
    expect(gate?.guards).toEqual(['QUALIFIED', 'PROPOSAL', 'WON']);
  });
});
