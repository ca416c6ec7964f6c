// Claims are leases (decision 0246): a claim holds for the policy's claimLeaseHours (8 by default), then an expired
// claim no longer blocks another officer, who takes the case over; the first officer can then no longer decide it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { handleApiCall } from '../../../electron/services/workstation/api/api.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { examplesDir } from '../../support/examples.ts';
import { addUser, createTestWorkstation } from '../../support/workstation.ts';

const open: Session[] = [];
afterEach(() => {
  for (const session of open.splice(0)) session.workstation.close();
});

const call = (session: Session, method: string, request: unknown) =>
  handleApiCall(session, method as never, request as never);

describe('a claim on a case', () => {
  it('blocks another officer while its lease runs, and not once it has expired', () => {
    const ws = createTestWorkstation();
    const olga = addUser(ws, 'olga', ['compliance_officer'], ['*']);
    const omar = addUser(ws, 'omar', ['compliance_officer'], ['*']);
    open.push(ws.admin, olga, omar);
    call(ws.admin, 'leads.import', {
      fileName: 'leads.jsonl',
      format: 'jsonl',
      content: readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8'),
      mode: 'all',
      sourceSystem: 'crm',
    });
    const listed = call(olga, 'cases.list', { pageSize: 500 });
    if (!listed.ok) throw new Error(listed.error.message);
    const caseId = (listed.value as { rows: { id: string; type: string }[] }).rows.find(
      (row) => row.type === 'expansion_review',
    )!.id;
    expect(call(olga, 'cases.claim', { caseId }).ok).toBe(true);
    ws.clock.advance(7 * 3_600_000);
    const refused = call(omar, 'cases.claim', { caseId });
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.error.message).toMatch(/being worked by olga/);
    ws.clock.advance(3_600_000 + 1);
    expect(call(omar, 'cases.claim', { caseId }).ok).toBe(true);
    const late = call(olga, 'cases.decide', { caseId, disposition: 'decline_expansion', reason: 'too late now' });
    expect(late.ok ? '' : late.error.message).toMatch(/claim case .* before deciding it/);
    const row = ws.admin.workstation.db.prepare('SELECT claimed_by FROM cases WHERE id = ?').get(caseId);
    expect(row).toEqual({ claimed_by: 'omar' });
  });
});
