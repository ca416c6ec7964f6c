// audit.personalData: an auditor reads, with a purpose, what one entry committed to beside the log (the reason of a
// decision, a new user's name); the read is itself logged, a lead's data only inside the auditor's markets.
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../../core/api/contract.ts';
import { handleApiCall } from '../../../electron/services/workstation/api/api.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { leadIdOf, addUser, createTestWorkstation } from '../../support/workstation.ts';

const ok = <M extends ApiMethod>(session: Session, method: M, request: ApiRequest<M>): ApiResponse<M> => {
  const reply = handleApiCall(session, method, request);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`);
  return reply.value as ApiResponse<M>;
};

const lead = (id: string, country: 'GB' | 'BR', name: string) => ({
  id,
  customerType: 'professional',
  kycStatus: 'verified',
  amlDocumentation: 'complete',
  screening: { screenedAt: '2026-11-20T09:00:00Z', hits: [] },
  productInterests: ['business-payments'],
  company: { name, industry: 'software' },
  address: { line1: '1 Poultry', city: country === 'GB' ? 'London' : 'São Paulo', country },
  kycPrescreenJurisdiction: country,
});

describe('audit.personalData', () => {
  const ws = createTestWorkstation();
  const sam = addUser(ws, 'sam', ['senior_officer'], ['*']);
  const alice = addUser(ws, 'alice', ['auditor'], ['*']);
  const ukAuditor = addUser(ws, 'ukaud', ['auditor'], ['UK']);
  afterAll(() => [ws.admin, sam, alice, ukAuditor].forEach((session) => session.workstation.close()));
  const db = ws.admin.workstation.db;
  ok(ws.admin, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content: [lead('L-BR-1', 'BR', 'Ipanema Pagamentos Ltda'), lead('L-GB-1', 'GB', 'Thames Ledger Ltd')]
      .map((row) => JSON.stringify(row))
      .join('\n'),
    mode: 'all',
    sourceSystem: 'crm',
  });
  const entries = (type: string): { sequence: number; subjects: string[] }[] =>
    (
      db.prepare('SELECT sequence, canonical FROM audit_entries WHERE type = ? ORDER BY sequence').all(type) as {
        sequence: number;
        canonical: Buffer;
      }[]
    ).map((row) => ({
      sequence: row.sequence,
      subjects: (JSON.parse(row.canonical.toString('utf8')) as { subjects: string[] }).subjects,
    }));

  it('shows the reason of a decision, which the hashed entry does not hold, and logs the read with its purpose', () => {
    const rows = ok(sam, 'cases.list', { search: 'L-BR-1', pageSize: 5 }).rows;
    const kase = rows.find((row) => row.type === 'expansion_review')!;
    expect(kase, JSON.stringify(rows)).toBeDefined();
    ok(sam, 'cases.claim', { caseId: kase.id });
    ok(sam, 'cases.decide', {
      caseId: kase.id,
      disposition: 'decline_expansion',
      reason: 'No Brazilian licence is planned this year',
    });
    const decided = entries('case.decided').at(-1)!;
    const reads = entries('personal_data.read').length;
    const shown = ok(alice, 'audit.personalData', {
      sequence: String(decided.sequence),
      purpose: 'quarterly review of expansion declines',
    });
    expect(shown).toEqual({
      sequence: String(decided.sequence),
      subject: `lead:${leadIdOf(ws.admin, 'L-BR-1')}`,
      regime: 'prospects',
      data: { reason: 'No Brazilian licence is planned this year' },
      erased: false,
    });
    const read = entries('personal_data.read');
    expect(read).toHaveLength(reads + 1);
    expect(read.at(-1)!.subjects).toEqual([`lead:${leadIdOf(ws.admin, 'L-BR-1')}`]);
    const purpose = db
      .prepare<[number], { data: Buffer }>('SELECT data FROM audit_personal_data WHERE sequence = ?')
      .get(read.at(-1)!.sequence)!;
    expect(JSON.parse(purpose.data.toString('utf8'))).toEqual({ purpose: 'quarterly review of expansion declines' });
  });

  it("shows a user's display name to any auditor: staff records are the workstation's own", () => {
    const created = entries('user.created').find((entry) => entry.subjects.includes('user:sam'))!;
    expect(
      ok(ukAuditor, 'audit.personalData', { sequence: String(created.sequence), purpose: 'who is sam' }).data,
    ).toEqual({ name: 'sam' });
  });

  it('answers not found outside the auditor’s markets and logs the refusal; refuses a user without the permission', () => {
    const ingested = entries('lead.intake').find((entry) =>
      entry.subjects.includes(`lead:${leadIdOf(ws.admin, 'L-BR-1')}`),
    )!;
    const denied = entries('access.denied').length;
    const reads = entries('personal_data.read').length;
    const outside = handleApiCall(ukAuditor, 'audit.personalData', {
      sequence: String(ingested.sequence),
      purpose: 'curiosity',
    });
    expect(outside).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(entries('access.denied')).toHaveLength(denied + 1);
    expect(entries('access.denied').at(-1)!.subjects).toEqual([`lead:${leadIdOf(ws.admin, 'L-BR-1')}`]);
    expect(
      handleApiCall(sam, 'audit.personalData', { sequence: String(ingested.sequence), purpose: 'x y z' }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(entries('personal_data.read')).toHaveLength(reads);
    // Inside her markets the same auditor reads the UK lead's record.
    const uk = entries('lead.intake').find((entry) => entry.subjects.includes(`lead:${leadIdOf(ws.admin, 'L-GB-1')}`))!;
    expect(
      ok(ukAuditor, 'audit.personalData', { sequence: String(uk.sequence), purpose: 'UK file review' }).data,
    ).toMatchObject({ company: { name: 'Thames Ledger Ltd' } });
  });

  it('says erased, reading nothing, once the subject is erased; an entry without personal data is not found', () => {
    const ingested = entries('lead.intake').find((entry) =>
      entry.subjects.includes(`lead:${leadIdOf(ws.admin, 'L-BR-1')}`),
    )!;
    ok(sam, 'leads.erase', { leadId: leadIdOf(ws.admin, 'L-BR-1'), reason: 'GDPR art. 17 request R-77' });
    const reads = entries('personal_data.read').length;
    expect(
      ok(alice, 'audit.personalData', { sequence: String(ingested.sequence), purpose: 'after the erasure' }),
    ).toMatchObject({ data: null, erased: true });
    expect(entries('personal_data.read')).toHaveLength(reads);
    const opened = entries('policy.published')[0]!;
    expect(
      handleApiCall(alice, 'audit.personalData', { sequence: String(opened.sequence), purpose: 'nothing there' }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
