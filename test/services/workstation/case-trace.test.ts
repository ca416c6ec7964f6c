// The case view's trace on a real encrypted workstation: the entry stores trace format 3 with ids only, and cases.get
// names what it mentions from the policy the decision cites, even after a newer policy is published.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { examplesDir } from '../../support/examples.ts';
import { addUser, createTestWorkstation, withoutApprovals, leadIdOf } from '../../support/workstation.ts';
import { call } from '../../support/api.ts';

const fintechLeads = readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8');
// The active policy of a test workstation: the example without its approvals section.
const fintechText = withoutApprovals(readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8'));
const open: Session[] = [];
afterEach(() => {
  while (open.length > 0) open.pop()?.workstation.close();
});

type Names = {
  policyLabel: string;
  entities: Record<string, string>;
  teams: Record<string, string>;
  reps: Record<string, string>;
  licences: Record<string, { regulator: string; reference: string | null }>;
  rules: Record<string, { description: string; reads: string[]; tests: string[] }>;
  teamFacts: Record<string, Record<string, unknown>>;
};
type Detail = { trace: Record<string, unknown>; names: Names | null };

const setup = (): { admin: Session; officer: Session } => {
  const ws = createTestWorkstation();
  open.push(ws.admin);
  const officer = addUser(ws, 'sam', ['senior_officer'], ['*']);
  open.push(officer);
  call(ws.admin, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content: fintechLeads,
    mode: 'all',
    sourceSystem: 'crm',
  });
  return { admin: ws.admin, officer };
};

const caseOf = (session: Session, queue: string, leadId: string): Detail => {
  const row = call<{ rows: { id: string; leadId: string }[] }>(session, 'cases.list', { queue }).rows.find(
    (candidate) => candidate.leadId === leadIdOf(session, leadId),
  )!;
  return call<Detail>(session, 'cases.get', { caseId: row.id });
};

describe('the case view trace', () => {
  it('stores format 3 with ids only and names them from the cited policy at read time', () => {
    const { officer } = setup();
    const detail = caseOf(officer, 'expansion_review', 'L-UK-TWO-PRODUCTS');
    expect(detail.trace.format).toBe(3);
    expect(detail.names).toMatchObject({
      policyLabel: '2026.11-1',
      entities: { 'northwind-uk-ltd': 'Northwind Pay UK Limited', 'northwind-eu-ab': 'Northwind Pay Europe AB' },
      licences: { 'fca-emi': { regulator: 'FCA', reference: '900123' } },
    });
    // Only what the trace mentions: this refusal reached no team, so no rep's name is sent.
    expect(detail.names!.reps).toEqual({});
    // No name is in the stored trace itself.
    expect(JSON.stringify(detail.trace)).not.toContain('Northwind Pay UK Limited');
  });

  it('records which rules applied, with the lead facts they read, and the hit that decided a screening queue', () => {
    const { officer } = setup();
    const gambling = caseOf(officer, 'compliance_review', 'L-CA-GAMBLING');
    expect(gambling.trace.rules).toMatchObject({ applied: expect.arrayContaining(['R-no-us-gambling']) });
    // The industry is the company's (personal data, beside the log): the hashed trace leaves its value out.
    expect(JSON.stringify(gambling.trace)).not.toContain('online-gambling');
    // The rules that did not apply are named too: every rule of the cited policy comes with the names.
    expect(Object.keys(gambling.names!.rules).sort()).toEqual([
      'R-direct-channel',
      'R-enterprise-desk',
      'R-no-us-gambling',
      'R-reseller-channel',
    ]);
    expect(gambling.names!.rules['R-no-us-gambling']!.reads).toEqual(['lead.industry']);
    expect(gambling.names!.rules['R-no-us-gambling']!.tests).toEqual(['entity.id']);
    expect(gambling.names!.teamFacts['us-smb']).toMatchObject({ 'entity.id': 'northwind-us-llc' });
    expect(gambling.trace.teams).toMatchObject({ excludedBy: { 'rule:R-no-us-gambling': ['us-smb'] } });
    expect(gambling.names!.rules['R-no-us-gambling']!.description).toContain('gambling');
    expect(gambling.names!.teams).toMatchObject({ 'us-smb': 'US SMB desk' });

    const sanctions = caseOf(officer, 'screening_review', 'L-SANCTIONS');
    const gate = (sanctions.trace.steps as { constraint: string; inputs: Record<string, unknown> }[])[0]!;
    expect(gate.inputs.decidedBy).toMatchObject({ party: 'person', listId: 'ofac-sdn', refusal: 'sanctions_match' });
  });

  it('names an older decision from the policy it cites after a newer one is published', () => {
    const { admin, officer } = setup();
    const text = fintechText
      .replace(/version: ['"]?2026\.11-1['"]?/, 'version: 2026.11-2')
      .replace('name: Northwind Pay UK Limited', 'name: Northwind Pay UK Ltd (renamed)');
    expect(text).toContain('2026.11-2');
    const preview = call<{ ruleVersion: string; activeRuleVersion: string }>(admin, 'policy.preview', {
      fileName: 'policy.yaml',
      text,
    });
    call(admin, 'policy.publish', {
      fileName: 'policy.yaml',
      text,
      ruleVersion: preview.ruleVersion,
      activeRuleVersion: preview.activeRuleVersion,
      reason: 'rename the UK entity',
    });
    const detail = caseOf(officer, 'expansion_review', 'L-UK-TWO-PRODUCTS');
    expect(detail.names).toMatchObject({
      policyLabel: '2026.11-1',
      entities: { 'northwind-uk-ltd': 'Northwind Pay UK Limited' },
    });
  });
});
