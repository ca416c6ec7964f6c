// The example policies end to end: every lead lands exactly where the licensing map says, for the reason it says.
import { describe, expect, it } from 'vitest';
import { emptyRoutingState, routeBatch } from '../../../core/routing/route.ts';
import type { RoutingDecision } from '../../../core/routing/route.ts';
import { compileExample, loadExampleLeads } from '../../support/examples.ts';

const AT = '2026-11-23T10:00:00Z';

const summarise = (decision: RoutingDecision): string => {
  const { outcome } = decision;
  switch (outcome.kind) {
    case 'assigned':
      return `assigned ${outcome.entityId}/${outcome.teamId}/${outcome.repId}`;
    case 'refused':
      return `refused ${outcome.queue} ${outcome.reason}`;
    case 'held':
      return `held ${outcome.teamId} ${outcome.reason}`;
    case 'waiting_for_capacity':
      return `waiting ${outcome.entityId} ${outcome.teamIds.join(',')}`;
  }
};

const route = (name: 'fintech' | 'bank-insurer'): Record<string, string> => {
  const { decisions } = routeBatch(compileExample(name), loadExampleLeads(name), emptyRoutingState, AT);
  return Object.fromEntries(
    decisions.map((decision) => [`${decision.leadId} ${decision.productId}`, summarise(decision)]),
  );
};

describe('the fintech example', () => {
  const outcomes = route('fintech');

  it('routes a French SME to the EU team only under the PSD2 licence passported into France', () => {
    expect(outcomes['L-FR-SME business-payments']).toBe('assigned northwind-eu-ab/eu-sme/rep-amelie');
  });
  it('routes a Californian SMB to the US team under the California money-transmission licence', () => {
    expect(outcomes['L-CA-SMB business-payments']).toBe('assigned northwind-us-llc/us-smb/rep-marcus');
  });
  it('routes a UK reseller to the UK reseller team under FCA authorisation', () => {
    expect(outcomes['L-UK-RESELLER business-payments']).toBe('assigned northwind-uk-ltd/uk-reseller/rep-priya');
  });
  it('routes each product interest on its own', () => {
    expect(outcomes['L-UK-TWO-PRODUCTS business-payments']).toBe('assigned northwind-uk-ltd/uk-sme/rep-olivia');
    expect(outcomes['L-UK-TWO-PRODUCTS crypto-custody']).toBe('refused expansion_review no_licensed_entity');
  });
  it('sends anything else to expansion review', () => {
    expect(outcomes['L-BR business-payments']).toBe('refused expansion_review no_licensed_entity');
    expect(outcomes['L-NY business-payments']).toBe('refused expansion_review no_licensed_entity');
    expect(outcomes['L-RETAIL-CRYPTO crypto-custody']).toBe('refused expansion_review no_licensed_entity');
  });
  it('refuses untaggable leads into compliance review, each with its reason', () => {
    expect(outcomes['L-US-NO-STATE business-payments']).toBe('refused compliance_review jurisdiction_incomplete');
    expect(outcomes['L-CONFLICT business-payments']).toBe('refused compliance_review jurisdiction_conflict');
    expect(outcomes['L-MISSING business-payments']).toBe('refused compliance_review jurisdiction_missing');
    expect(outcomes['L-INTENT business-payments']).toBe('refused compliance_review stated_intent_conflict');
  });
  it('applies the screening gate by list kind, and lets a cleared hit through', () => {
    expect(outcomes['L-SANCTIONS business-payments']).toBe('refused screening_review sanctions_match');
    expect(outcomes['L-POTENTIAL business-payments']).toBe('refused screening_review potential_sanctions_match');
    expect(outcomes['L-PEP business-payments']).toBe('refused enhanced_due_diligence pep_match');
    expect(outcomes['L-ADVERSE business-payments']).toBe('refused enhanced_due_diligence adverse_media_match');
    expect(outcomes['L-BLOCKED business-payments']).toBe('refused compliance_review blocklist_match');
    expect(outcomes['L-NOT-SCREENED business-payments']).toBe('refused screening_review not_screened');
    expect(outcomes['L-PEP-CLEARED business-payments']).toMatch(/^assigned /);
  });
  it('holds incomplete KYC and AML, and refuses failed KYC', () => {
    expect(outcomes['L-KYC-PENDING business-payments']).toBe('held eu-sme kyc_not_verified');
    expect(outcomes['L-AML-PARTIAL business-payments']).toBe('held eu-sme aml_documentation_incomplete');
    expect(outcomes['L-KYC-FAILED business-payments']).toBe('refused compliance_review kyc_failed');
  });
  it('applies forbid and prefer rules', () => {
    expect(outcomes['L-CA-GAMBLING business-payments']).toBe('refused compliance_review no_eligible_team');
    expect(outcomes['L-DE-ENTERPRISE business-payments']).toBe('assigned northwind-eu-ab/eu-enterprise/rep-sofia');
  });
  it('waits for capacity rather than falling back to anyone', () => {
    expect(outcomes['L-UK-CARDS-1 corporate-cards']).toBe('assigned northwind-uk-ltd/uk-sme/rep-harry');
    expect(outcomes['L-UK-CARDS-2 corporate-cards']).toBe('waiting northwind-uk-ltd uk-sme');
  });
  it('refuses unknown customer types and products', () => {
    expect(outcomes['L-CT-UNKNOWN business-payments']).toBe('refused compliance_review customer_type_unknown');
    expect(outcomes['L-UNKNOWN-PRODUCT mortgages']).toBe('refused compliance_review product_unknown');
  });
});

describe('the bank and insurer example', () => {
  const outcomes = route('bank-insurer');

  it('needs a suitability assessment for complex products sold to retail', () => {
    expect(outcomes['B-UK-NOTES-NOASSESS structured-notes']).toBe(
      'refused suitability_review suitability_assessment_missing',
    );
    expect(outcomes['B-UK-NOTES-ASSESSED structured-notes']).toBe(
      'assigned harbour-bank-plc/uk-retail-banking/rep-eleanor',
    );
    expect(outcomes['B-US-NY-ANNUITY variable-annuity']).toBe(
      'refused suitability_review suitability_assessment_missing',
    );
  });
  it('applies the high-net-worth threshold', () => {
    expect(outcomes['B-UK-WEALTH-BELOW private-wealth']).toBe('refused suitability_review net_worth_below_threshold');
    expect(outcomes['B-UK-WEALTH-NOBAND private-wealth']).toBe('refused suitability_review net_worth_unknown');
    expect(outcomes['B-UK-WEALTH-HNW private-wealth']).toBe('assigned harbour-bank-plc/uk-private-bank/rep-william');
  });
  it('prefers the private bank for HNW clients', () => {
    expect(outcomes['B-UK-WEALTH-HNW savings-account']).toBe('assigned harbour-bank-plc/uk-private-bank/rep-william');
  });
  it('tells DIFC from onshore UAE', () => {
    expect(outcomes['B-DIFC-PRO structured-notes']).toBe('assigned harbour-capital-difc/difc-institutional/rep-fatima');
    expect(outcomes['B-DIFC-RETAIL structured-notes']).toBe('refused expansion_review no_licensed_entity');
    expect(outcomes['B-AE-ONSHORE-NOTES structured-notes']).toBe('refused expansion_review no_licensed_entity');
    expect(outcomes['B-AE-ONSHORE-SAVINGS savings-account']).toBe(
      'assigned harbour-bank-uae/uae-onshore-banking/rep-omar',
    );
  });
  it('licenses US insurance state by state, with validity dates', () => {
    expect(outcomes['B-US-TX-LIFE term-life']).toBe('assigned harbour-life-us/us-life/rep-lucia');
    expect(outcomes['B-US-CA-LIFE-EXPIRED term-life']).toBe('refused expansion_review no_licensed_entity');
    expect(outcomes['B-US-FL-LIFE term-life']).toBe('refused expansion_review no_licensed_entity');
  });
  it('resolves an address/KYC conflict the way the policy says (prefer KYC)', () => {
    expect(outcomes['B-CONFLICT-PREFER-KYC savings-account']).toBe('refused expansion_review no_licensed_entity');
  });
  it('refuses to compliance review when an entity is licensed but no team may take the customer type', () => {
    expect(outcomes['B-ECP-UK structured-notes']).toBe('refused compliance_review no_eligible_team');
  });
  it('holds when AML documentation is required and missing', () => {
    expect(outcomes['B-UK-NOTES-AML structured-notes']).toBe('held uk-retail-banking aml_documentation_incomplete');
  });
});

describe('every outcome and reason is exercised by the examples', () => {
  it('covers the whole closed union', () => {
    const all = [...Object.values(route('fintech')), ...Object.values(route('bank-insurer'))].join('\n');
    for (const kind of ['assigned', 'refused', 'held', 'waiting']) expect(all).toContain(kind);
    for (const queue of [
      'screening_review',
      'enhanced_due_diligence',
      'compliance_review',
      'expansion_review',
      'suitability_review',
    ])
      expect(all).toContain(queue);
  });
});
