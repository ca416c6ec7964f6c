// Internal lead ids (decision 0178): intake names every lead by a pseudonymous id of its own; the source system's id is
// personal data, used to recognise a re-sent lead and to find it, and gone with an erasure.
import { afterAll, describe, expect, it } from 'vitest';
import { call, callError } from '../../support/api.ts';
import { addUser, createTestWorkstation } from '../../support/workstation.ts';

const lead = (id: string, country = 'GB') => ({
  id,
  customerType: 'professional',
  kycStatus: 'verified',
  amlDocumentation: 'complete',
  screening: { screenedAt: '2026-11-20T09:00:00Z', hits: [] },
  productInterests: ['business-payments'],
  company: { name: `Company ${id}`, industry: 'software' },
  address: { line1: '1 Poultry', city: 'London', country },
  kycPrescreenJurisdiction: country,
});

type Found = { leads: { leadId: string; sourceSystem: string; erased: boolean }[] };

describe('internal lead ids', () => {
  const ws = createTestWorkstation();
  const sam = addUser(ws, 'sam', ['senior_officer'], ['*']);
  const uki = addUser(ws, 'uki', ['senior_officer'], ['UK']);
  afterAll(() => [ws.admin, sam, uki].forEach((session) => session.workstation.close()));
  const add = (id: string, sourceSystem: string, country?: string) =>
    call<{ leadId: string; sourceId: string }>(ws.admin, 'leads.add', { lead: lead(id, country), sourceSystem });

  it('gives every lead its own id, answers both ids, and recognises a re-sent lead by source system and id', () => {
    // Brazilian prospects: refused into expansion review, so each has a case.
    const first = add('CRM-1042', 'crm', 'BR');
    expect(first).toMatchObject({ leadId: expect.stringMatching(/^L-[0-9A-HJKMNP-TV-Z]{16}$/), sourceId: 'CRM-1042' });
    expect(callError(ws.admin, 'leads.add', { lead: lead('CRM-1042', 'BR'), sourceSystem: 'crm' }).code).toBe(
      'conflict',
    );
    // Another system's record with the same id is another lead.
    const other = add('CRM-1042', 'web-form', 'BR');
    expect(other.leadId).not.toBe(first.leadId);
    const found = call<Found>(sam, 'leads.find', { id: 'CRM-1042' });
    expect(found.leads.map((row) => [row.leadId, row.sourceSystem])).toEqual([
      [first.leadId, 'crm'],
      [other.leadId, 'web-form'],
    ]);
    expect(call<Found>(sam, 'leads.find', { id: first.leadId }).leads).toHaveLength(1);
    expect(call<Found>(sam, 'leads.find', { id: 'CRM-NONE' }).leads).toEqual([]);
    // The queue's search finds the cases of both by the shared source id.
    const subjects = call<{ rows: { leadId: string }[] }>(sam, 'cases.list', { search: 'CRM-1042' });
    expect(new Set(subjects.rows.map((row) => row.leadId))).toEqual(new Set([first.leadId, other.leadId]));
  });

  it('keeps the source id out of every hashed entry, and finds nothing outside the caller’s markets', () => {
    const br = add('CRM-BR-7', 'crm', 'BR');
    const entries = (ws.admin.workstation.db.prepare('SELECT canonical FROM audit_entries').pluck().all() as Buffer[])
      .map((bytes) => bytes.toString('utf8'))
      .join('\n');
    expect(entries).not.toContain('CRM-BR-7');
    expect(entries).toContain(br.leadId);
    const refusal = callError(uki, 'leads.find', { id: 'CRM-BR-7' });
    expect(refusal).toEqual({ code: 'not_found', message: 'no lead CRM-BR-7' });
    const denied = ws.admin.workstation.db
      .prepare("SELECT canonical FROM audit_entries WHERE type = 'access.denied' ORDER BY sequence DESC LIMIT 1")
      .pluck()
      .get() as Buffer;
    expect(JSON.parse(denied.toString('utf8'))).toMatchObject({ actor: 'user:uki', subjects: [`lead:${br.leadId}`] });
  });

  it('forgets the source id with the erasure: a re-sent record after it is a new lead', () => {
    const prospect = add('CRM-ERASE-9', 'crm', 'BR');
    expect(
      call<{ outcome: string }>(sam, 'leads.erase', { leadId: prospect.leadId, reason: 'GDPR art. 17 request R-9' }),
    ).toMatchObject({ outcome: 'erased' });
    expect(call<Found>(sam, 'leads.find', { id: 'CRM-ERASE-9' }).leads).toEqual([]);
    expect(call<Found>(sam, 'leads.find', { id: prospect.leadId }).leads).toEqual([
      expect.objectContaining({ leadId: prospect.leadId, erased: true }),
    ]);
    const again = add('CRM-ERASE-9', 'crm', 'BR');
    expect(again.leadId).not.toBe(prospect.leadId);
  });
});
