// Cold-contact gates per jurisdiction × customer type × channel: COBS 4.8.2R for retail, its own rule for professionals, DFSA GEN 3.
import { describe, expect, it } from 'vitest';
import { decide } from '../../../core/conduct/decide.ts';
import { gatesOf } from '../../../core/conduct/gates.ts';
import type { PathFacts } from '../../../core/conduct/model.ts';
import { accepted, exampleConduct, facts, inbound, outbound, pathOf, refused } from '../../support/conduct.ts';

const bank = exampleConduct('bank-insurer');
// Monday 10:00 in London: no outreach window applies to these paths anyway.
const AT = '2026-12-07T10:00:00Z';
const CAPITAL_AT_RISK = [{ template: 'RW-CAPITAL', version: 1 }];
const notes = (changes: Partial<PathFacts> = {}) =>
  pathOf({ productId: 'structured-notes', jurisdiction: 'GB', facts: changes });

describe('cold contact under FCA COBS 4.8.2R', () => {
  it('refuses a cold call to a retail client, naming the rule and what would permit the call', () => {
    const refusal = refused(decide(notes(), outbound('phone', { disclosures: CAPITAL_AT_RISK }), bank, AT));
    expect(refusal.rule).toEqual({ id: 'CC-COBS-4.8-RETAIL', citation: 'FCA COBS 4.8.2R', source: 'policy' });
    expect(refusal.gate).toBe('cold_contact');
    expect(refusal.message).toBe(
      'outbound phone contact refused by CC-COBS-4.8-RETAIL (FCA COBS 4.8.2R): a phone call to a retail client is a ' +
        'cold contact unless there is an inbound request from the prospect, documented consent to phone contact or an ' +
        'existing relationship that envisages such contact: none is on record',
    );
    expect(refusal.unblock).toEqual({
      kind: 'contact_basis',
      channel: 'phone',
      bases: ['inbound_request', 'consent', 'existing_relationship'],
      text:
        'phone contact needs an inbound request from the prospect, documented consent to phone contact or an ' +
        'existing relationship that envisages such contact',
    });
  });

  it('treats an unknown customer type as retail', () => {
    const refusal = refused(
      decide(notes({ customerType: 'unknown' }), outbound('visit', { disclosures: CAPITAL_AT_RISK }), bank, AT),
    );
    expect(refusal.rule.id).toBe('CC-COBS-4.8-RETAIL');
    expect(refusal.message).toContain('a visit to a client of unknown type (treated as retail) is a cold contact');
  });

  it('permits the call once the prospect asked to be contacted, and records how it was authorised', () => {
    const asked = accepted(decide(notes(), inbound('web'), bank, '2026-12-07T09:00:00Z'));
    expect(asked.state.stage).toBe('CONTACTED');
    expect(asked.state.outreach[0]).toMatchObject({ direction: 'inbound', authorisation: 'inbound_request' });
    const call = accepted(decide(asked.state, outbound('phone', { disclosures: CAPITAL_AT_RISK }), bank, AT));
    expect(call.state.outreach[1]).toMatchObject({
      at: AT,
      channel: 'phone',
      direction: 'outbound',
      by: 'rep-a',
      disclosures: CAPITAL_AT_RISK,
      authorisation: 'inbound_request',
    });
  });

  it('accepts documented consent only for the channels it covers', () => {
    const emailOnly = notes({
      consents: [{ channels: ['email'], at: '2026-12-01T09:00:00Z', reference: 'CONSENT-17' }],
    });
    expect(refused(decide(emailOnly, outbound('phone', { disclosures: CAPITAL_AT_RISK }), bank, AT)).rule.id).toBe(
      'CC-COBS-4.8-RETAIL',
    );
    const phone = notes({ consents: [{ channels: ['phone'], at: '2026-12-01T09:00:00Z', reference: 'CONSENT-18' }] });
    const call = accepted(decide(phone, outbound('phone', { disclosures: CAPITAL_AT_RISK }), bank, AT));
    expect(call.state.outreach[0]?.authorisation).toBe('consent');
  });

  it('accepts an existing relationship that envisages such calls', () => {
    const call = accepted(
      decide(notes({ existingRelationship: true }), outbound('visit', { disclosures: CAPITAL_AT_RISK }), bank, AT),
    );
    expect(call.state.outreach[0]?.authorisation).toBe('existing_relationship');
  });

  it('lets professional clients follow their own rule', () => {
    const professional = notes({ customerType: 'professional' });
    const ids = gatesOf(professional, bank, AT)
      .filter((gate) => gate.kind === 'cold_contact')
      .map((gate) => [gate.rule.id, gate.status]);
    expect(ids).toEqual([['CC-COBS-4.8-PRO', 'met']]);
    const call = accepted(decide(professional, outbound('phone'), bank, AT));
    expect(call.state.outreach[0]?.authorisation).toBe('professional_client');
  });

  it('refuses a basis the contact claims but that is not on record', () => {
    const refusal = refused(
      decide(notes(), outbound('phone', { disclosures: CAPITAL_AT_RISK, basis: 'consent' }), bank, AT),
    );
    expect(refusal.rule.id).toBe('lifecycle.contact-basis');
    expect(refusal.message).toContain('the contact claims consent, which is not on record for phone');
  });

  it('leaves a channel the rule does not name unrestricted, and says so on the record', () => {
    const email = accepted(decide(notes(), outbound('email', { disclosures: CAPITAL_AT_RISK }), bank, AT));
    expect(email.state.outreach[0]?.authorisation).toBe('unrestricted');
  });
});

describe('cold contact in the DIFC under DFSA GEN 3 (a professional-clients-only licence)', () => {
  const difc = (changes: Partial<PathFacts>) =>
    pathOf({ productId: 'private-wealth', jurisdiction: 'AE-DIFC', facts: changes });

  it('permits no promotion to a prospect of unknown type on any channel, even one who asked, until classified', () => {
    const asked = accepted(decide(difc({ customerType: 'unknown' }), inbound('web'), bank, AT)).state;
    const refusal = refused(decide(asked, outbound('email'), bank, AT));
    expect(refusal.rule).toMatchObject({ id: 'CC-DFSA-GEN-3-RETAIL' });
    expect(refusal.message).toContain(
      'an email to a client of unknown type (treated as retail) is not permitted at all',
    );
    expect(refusal.unblock.kind).toBe('none');

    const classified = accepted(decide(asked, facts({ customerType: 'professional' }), bank, AT)).state;
    const email = accepted(decide(classified, outbound('email'), bank, AT));
    expect(email.state.outreach.at(-1)?.authorisation).toBe('professional_client');
  });
});
