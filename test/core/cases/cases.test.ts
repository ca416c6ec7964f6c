// Review cases: opening from refusals, SLA and risk, claims, maker/checker four-eyes, and the assignment re-check.
import { describe, expect, it } from 'vitest';
import type { User } from '../../../core/access/roles.ts';
import { inScope } from '../../../core/access/roles.ts';
import { isOverdue, openCaseFor, requiresFourEyes } from '../../../core/cases/case.ts';
import type { Case } from '../../../core/cases/case.ts';
import { approveCase, claimCase, decideCase, releaseCase, returnCase } from '../../../core/cases/transitions.ts';
import { checkAssignment, emptyRoutingState, routeBatch } from '../../../core/routing/route.ts';
import { compileExample, loadExampleLeads } from '../../support/examples.ts';

const AT = '2026-11-23T10:00:00Z';
const policy = compileExample('fintech');
const leads = loadExampleLeads('fintech');
const { decisions } = routeBatch(policy, leads, emptyRoutingState, AT);
const decisionFor = (leadId: string) => decisions.find((decision) => decision.leadId === leadId)!;
const caseFor = (leadId: string): Case => {
  const opened = openCaseFor(decisionFor(leadId), policy.policy.cases, `case-${leadId}`);
  if (!opened) throw new Error(`no case for ${leadId}`);
  return opened;
};

const officer: User = {
  id: 'u-olga',
  name: 'Olga',
  roles: ['compliance_officer'],
  markets: ['UK', 'EU-Passported'],
  active: true,
};
const senior: User = { id: 'u-sam', name: 'Sam', roles: ['senior_officer'], markets: ['*'], active: true };
const seniorAdmin: User = {
  id: 'u-ada',
  name: 'Ada',
  roles: ['senior_officer', 'operations_admin'],
  markets: ['*'],
  active: true,
};
const auditor: User = { id: 'u-aud', name: 'Audrey', roles: ['auditor'], markets: ['*'], active: true };
const usOfficer: User = { id: 'u-us', name: 'Uma', roles: ['compliance_officer'], markets: ['US-CA'], active: true };

const must = <T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
};

describe('opening cases', () => {
  it('opens a case only for refusals, in the queue of the refusal, with risk and SLA from the policy', () => {
    expect(openCaseFor(decisionFor('L-FR-SME'), policy.policy.cases, 'x')).toBeNull();
    expect(openCaseFor(decisionFor('L-KYC-PENDING'), policy.policy.cases, 'x')).toBeNull();
    const sanctions = caseFor('L-SANCTIONS');
    expect(sanctions).toMatchObject({
      type: 'screening_review',
      reason: 'sanctions_match',
      risk: 'high',
      status: 'open',
      jurisdiction: 'GB',
    });
    expect(sanctions.slaDueAt).toBe('2026-11-24T10:00:00.000Z');
    expect(caseFor('L-BR')).toMatchObject({
      type: 'expansion_review',
      risk: 'low',
      jurisdiction: 'BR',
      slaDueAt: '2026-12-03T10:00:00.000Z',
    });
  });

  it('scopes an untaggable lead by its best evidence', () => {
    expect(caseFor('L-CONFLICT').jurisdiction).toBe('DE');
    expect(caseFor('L-MISSING').jurisdiction).toBeNull();
  });

  it('flags overdue cases against the time passed in', () => {
    const kase = caseFor('L-SANCTIONS');
    expect(isOverdue(kase, '2026-11-24T09:59:59Z')).toBe(false);
    expect(isOverdue(kase, '2026-11-24T10:00:01Z')).toBe(true);
  });
});

describe('claims', () => {
  it('lets one officer work a case at a time', () => {
    const claimed = must(claimCase(caseFor('L-INTENT'), officer, AT));
    expect(claimed).toMatchObject({ status: 'claimed', claimedBy: 'u-olga' });
    const other = claimCase(claimed, senior, AT);
    expect(!other.ok && other.error.code).toBe('claimed_by_other');
    const released = must(releaseCase(claimed, officer));
    expect(must(claimCase(released, senior, AT)).claimedBy).toBe('u-sam');
  });

  it('refuses claims from roles that cannot decide', () => {
    const result = claimCase(caseFor('L-INTENT'), auditor, AT);
    expect(!result.ok && result.error.code).toBe('forbidden');
  });
});

describe('decisions and four eyes', () => {
  it('always requires a reason and a disposition the case type allows', () => {
    const claimed = must(claimCase(caseFor('L-INTENT'), officer, AT));
    const noReason = decideCase(claimed, officer, { disposition: 'reject', reason: '  ' }, policy.policy.cases, AT);
    expect(!noReason.ok && noReason.error.code).toBe('reason_required');
    const wrong = decideCase(
      claimed,
      officer,
      { disposition: 'pursue_expansion', reason: 'not for this case' },
      policy.policy.cases,
      AT,
    );
    expect(!wrong.ok && wrong.error.code).toBe('disposition_not_allowed');
    const decided = must(
      decideCase(
        claimed,
        officer,
        { disposition: 'reject', reason: 'stated market contradicts residence' },
        policy.policy.cases,
        AT,
      ),
    );
    expect(decided).toMatchObject({
      status: 'closed',
      resolution: 'reject',
      maker: { userId: 'u-olga' },
      checker: null,
    });
  });

  it('sends a high-risk screening decision to a second officer; the maker can never check it, not even an admin', () => {
    const kase = caseFor('L-SANCTIONS');
    expect(requiresFourEyes(policy.policy.cases, kase)).toBe(true);
    const claimed = must(claimCase(kase, seniorAdmin, AT));
    const made = must(
      decideCase(
        claimed,
        seniorAdmin,
        { disposition: 'confirm_match', reason: 'DOB and nationality match the SDN entry' },
        policy.policy.cases,
        AT,
      ),
    );
    expect(made.status).toBe('awaiting_approval');
    const self = approveCase(made, seniorAdmin, 'looks right to me', AT);
    expect(!self.ok && self.error.code).toBe('maker_cannot_check');
    const byOfficer = approveCase(made, officer, 'I agree with this', AT);
    expect(!byOfficer.ok && byOfficer.error.code).toBe('forbidden');
    const approved = must(approveCase(made, senior, 'verified against the listing', AT));
    expect(approved).toMatchObject({
      status: 'closed',
      resolution: 'confirm_match',
      maker: { userId: 'u-ada' },
      checker: { userId: 'u-sam', verdict: 'approved' },
    });
  });

  it('reopens a case the checker returns', () => {
    const claimed = must(claimCase(caseFor('L-PEP'), officer, AT));
    const made = must(
      decideCase(
        claimed,
        officer,
        { disposition: 'clear_false_positive', reason: 'different date of birth' },
        policy.policy.cases,
        AT,
      ),
    );
    expect(made.status).toBe('awaiting_approval');
    const returned = must(returnCase(made, senior, 'date of birth not evidenced', AT));
    expect(returned).toMatchObject({ status: 'open', claimedBy: null, checker: { verdict: 'returned' } });
  });

  it('records an assignment that deviates from the licensing map as an override needing a second officer', () => {
    const lead = leads.find((candidate) => candidate.id === 'L-INTENT')!;
    const proposed = { entityId: 'northwind-uk-ltd', teamId: 'uk-sme', repId: 'rep-olivia' };
    const violations = checkAssignment(policy, lead, 'business-payments', proposed, AT);
    expect(violations.join('\n')).toMatch(/no confident jurisdiction tag/);
    const claimed = must(claimCase(caseFor('L-INTENT'), officer, AT));
    const made = must(
      decideCase(
        claimed,
        officer,
        { disposition: 'approve_assignment', reason: 'client relocated to London', assignment: proposed, violations },
        policy.policy.cases,
        AT,
      ),
    );
    expect(made.status).toBe('awaiting_approval');
    expect(made.maker?.override?.violations.length).toBeGreaterThan(0);
  });

  it('finds no violation for an assignment the map allows, and names each one it does not', () => {
    const french = leads.find((candidate) => candidate.id === 'L-FR-SME')!;
    expect(
      checkAssignment(
        policy,
        french,
        'business-payments',
        { entityId: 'northwind-eu-ab', teamId: 'eu-sme', repId: 'rep-amelie' },
        AT,
      ),
    ).toEqual([]);
    const wrong = checkAssignment(
      policy,
      french,
      'business-payments',
      { entityId: 'northwind-uk-ltd', teamId: 'uk-sme', repId: 'rep-olivia' },
      AT,
    );
    expect(wrong.join('\n')).toMatch(/no licence of northwind-uk-ltd covers business-payments for professional in FR/);
    expect(wrong.join('\n')).toMatch(/team uk-sme does not cover FR/);
  });
});

describe('market scope', () => {
  it('lets a user see only leads and cases in their markets', () => {
    expect(inScope(officer, 'FR', policy.vocabulary)).toBe(true);
    expect(inScope(officer, 'US-CA', policy.vocabulary)).toBe(false);
    expect(inScope(usOfficer, 'US-CA', policy.vocabulary)).toBe(true);
    expect(inScope(officer, null, policy.vocabulary)).toBe(false);
    expect(inScope(senior, null, policy.vocabulary)).toBe(true);
  });
});
