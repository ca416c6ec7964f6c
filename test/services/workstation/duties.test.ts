// Separation of duties for meta-actions (decisions 0160, 0161): requests a second operations admin approves, maker ≠
// checker by person (an account created at the maker's request is the maker), nobody grants themselves anything.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keySlotUsers } from '../../../electron/services/store/key-slots.ts';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import { openWorkstation } from '../../../electron/services/workstation/session/workstation.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { call, callError, entryCountApartFromRefusals } from '../../support/api.ts';
import { examplesDir } from '../../support/examples.ts';
import { leadIdOf, createTestWorkstation, OTTO_PASSPHRASE, withoutApprovals } from '../../support/workstation.ts';
import type { TestWorkstation } from '../../support/workstation.ts';

type Request = {
  id: string;
  action: string;
  status: string;
  summary: string;
  mayApprove: boolean;
  whyNot: string | null;
  needsAnotherAdmin: boolean;
  requestedBy: string;
  decidedBy: string | null;
  reason: string | null;
  decisionReason: string | null;
};
type Pending = { pending: Request };

const open: Session[] = [];
afterEach(() => {
  for (const session of open.splice(0)) session.workstation.close();
});

const withApprovals = (secondAdmin = true): TestWorkstation => {
  const ws = createTestWorkstation({ approvals: true, secondAdmin });
  open.push(ws.admin, ...(ws.otto ? [ws.otto] : []));
  return ws;
};

const newUser = (id: string, roles: string[], markets = ['*']) => ({
  id,
  name: `${id[0]!.toUpperCase()}${id.slice(1)} Newcomer`,
  roles,
  markets,
  passphrase: `${id} initial passphrase`,
});

const signIn = (ws: TestWorkstation, id: string): Session => {
  const session = openWorkstation({ path: ws.path, userId: id, passphrase: `${id} initial passphrase` }, ws.deps);
  open.push(session);
  return session;
};

const userIds = (session: Session): string[] =>
  call<{ id: string }[]>(session, 'users.list', {}).map((user) => user.id);

const fintechLeads = readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8');

describe('meta-actions under a second approval', () => {
  it('records a user creation as pending: nothing applied, no key slot, and the maker cannot approve it', () => {
    const ws = withApprovals();
    const before = entryCountApartFromRefusals(ws.admin);
    const { pending } = call<Pending>(ws.admin, 'users.create', newUser('val', ['compliance_officer'], ['US-CA']));
    expect(pending).toMatchObject({ action: 'user.create', status: 'pending', requestedBy: 'ada', mayApprove: false });
    expect(pending.summary).toContain('Create user val (Val Newcomer)');
    expect(entryCountApartFromRefusals(ws.admin)).toBe(before + 1);
    expect(userIds(ws.admin)).not.toContain('val');
    expect(keySlotUsers(ws.path)).not.toContain('val');
    expect(() => signIn(ws, 'val')).toThrow();
    // The maker cannot approve her own request, through the api or otherwise.
    expect(callError(ws.admin, 'approvals.approve', { requestId: pending.id })).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('the maker can never be the checker'),
    });
    expect(entryCountApartFromRefusals(ws.admin)).toBe(before + 1);
    // Otto sees it awaiting his approval, approves, and the user exists and signs in.
    expect(call<Request[]>(ws.otto!, 'approvals.list', {})).toMatchObject([
      { id: pending.id, mayApprove: true, whyNot: null },
    ]);
    const approved = call<Request>(ws.otto!, 'approvals.approve', { requestId: pending.id });
    expect(approved).toMatchObject({ status: 'approved', decidedBy: 'otto' });
    expect(userIds(ws.admin)).toContain('val');
    expect(signIn(ws, 'val').user).toMatchObject({ id: 'val', roles: ['compliance_officer'], markets: ['US-CA'] });
    expect(call<Request[]>(ws.otto!, 'approvals.list', {})).toEqual([]);
    // Approved once: never twice.
    expect(callError(ws.otto!, 'approvals.approve', { requestId: pending.id }).code).toBe('conflict');
  });

  it('keeps names and reasons out of the hashed entries: they are committed personal data', () => {
    const ws = withApprovals();
    const { pending } = call<Pending>(ws.admin, 'users.create', newUser('val', ['auditor']));
    call(ws.otto!, 'approvals.reject', { requestId: pending.id, reason: 'Val has not signed the contract yet' });
    const entries = ws.admin.workstation.db
      .prepare<[], { canonical: Buffer }>(
        "SELECT canonical FROM audit_entries WHERE type IN ('meta.requested', 'meta.rejected') ORDER BY sequence",
      )
      .all()
      .map((row) => row.canonical.toString('utf8'));
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      expect(entry).not.toContain('Val Newcomer');
      expect(entry).not.toContain('contract');
    }
    expect(call<Request[]>(ws.admin, 'approvals.list', { status: 'all' })[0]).toMatchObject({
      status: 'rejected',
      decidedBy: 'otto',
      decisionReason: 'Val has not signed the contract yet',
    });
    // Rejected: nothing applied, the wrapped key slot it carried is gone.
    expect(userIds(ws.admin)).not.toContain('val');
    expect(keySlotUsers(ws.path)).not.toContain('val');
    expect(ws.admin.workstation.db.prepare('SELECT count(*) AS n FROM meta_request_slots').get()).toEqual({ n: 0 });
  });

  it('refuses the self-approval route: an account created at the maker’s request checks neither her cases nor her requests', () => {
    const ws = withApprovals();
    // Ada asks for a second senior officer and a second admin; otto (a different person) approves both.
    const senior = call<Pending>(ws.admin, 'users.create', newUser('sid', ['senior_officer']));
    call(ws.otto!, 'approvals.approve', { requestId: senior.pending.id });
    const admin = call<Pending>(ws.admin, 'users.create', newUser('abe', ['operations_admin']));
    call(ws.otto!, 'approvals.approve', { requestId: admin.pending.id });
    const sid = signIn(ws, 'sid');
    const abe = signIn(ws, 'abe');

    // Ada decides an enhanced-due-diligence case (four eyes); sid, created at her request, cannot check it.
    call(ws.admin, 'leads.import', {
      fileName: 'leads.jsonl',
      format: 'jsonl',
      content: fintechLeads,
      mode: 'all',
      sourceSystem: 'crm',
    });
    const pep = call<{ rows: { id: string; leadId: string }[] }>(ws.admin, 'cases.list', {
      queue: 'enhanced_due_diligence',
    }).rows.find((row) => row.leadId === leadIdOf(ws.admin, 'L-PEP'))!;
    call(ws.admin, 'cases.claim', { caseId: pep.id });
    call(ws.admin, 'cases.decide', {
      caseId: pep.id,
      disposition: 'clear_false_positive',
      reason: 'different person: date of birth differs',
    });
    const before = entryCountApartFromRefusals(ws.admin);
    expect(callError(sid, 'cases.approve', { caseId: pep.id, reason: 'looks right to me' })).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining("sid's account was created at ada's request"),
    });
    expect(callError(sid, 'cases.return', { caseId: pep.id, reason: 'please look again' }).code).toBe('forbidden');
    expect(call<{ awaitingMyApproval: number }>(sid, 'cases.counts', {}).awaitingMyApproval).toBe(0);
    expect(call<{ rows: unknown[] }>(sid, 'cases.list', { awaitingMyApproval: true }).rows).toEqual([]);
    expect(entryCountApartFromRefusals(ws.admin)).toBe(before);

    // Abe, created at ada's request, cannot approve ada's requests either; otto can.
    const request = call<Pending>(ws.admin, 'users.create', newUser('val', ['compliance_officer'], ['UK']));
    expect(call<Request[]>(abe, 'approvals.list', {})[0]).toMatchObject({
      mayApprove: false,
      whyNot: expect.stringContaining("abe's account was created at ada's request"),
    });
    expect(callError(abe, 'approvals.approve', { requestId: request.pending.id }).code).toBe('forbidden');
    expect(entryCountApartFromRefusals(ws.admin)).toBe(before + 1);
    expect(call<Request>(ws.otto!, 'approvals.approve', { requestId: request.pending.id }).status).toBe('approved');

    // And neither can ada approve what abe (her creation) requests: the rule holds both ways.
    const abeRequest = call<Pending>(abe, 'users.setMarkets', {
      userId: 'val',
      markets: ['UK', 'US-CA'],
      reason: 'covers the US desk',
    });
    expect(callError(ws.admin, 'approvals.approve', { requestId: abeRequest.pending.id }).code).toBe('forbidden');
    call(ws.otto!, 'approvals.approve', { requestId: abeRequest.pending.id });
    expect(
      call<{ id: string; markets: string[] }[]>(ws.admin, 'users.list', {}).find((u) => u.id === 'val')!.markets,
    ).toEqual(['UK', 'US-CA']);
  });

  it('ties an account to the admin who chose its new initial passphrase (reactivation, re-enrolment)', () => {
    const ws = withApprovals();
    // Sue is otto's request, approved by ada: a second person for ada's decisions...
    const created = call<Pending>(ws.otto!, 'users.create', newUser('sue', ['senior_officer']));
    call(ws.admin, 'approvals.approve', { requestId: created.pending.id });
    expect(call<{ awaitingMyApproval: number }>(signIn(ws, 'sue'), 'cases.counts', {})).toBeDefined();
    // ...until ada deactivates her and has her reactivated under a passphrase ada chose (otto approves).
    call(ws.admin, 'users.setActive', { userId: 'sue', active: false, reason: 'on long leave' });
    const back = call<Pending>(ws.admin, 'users.setActive', {
      userId: 'sue',
      active: true,
      reason: 'back from leave',
      initialPassphrase: 'sue chosen by ada',
    });
    call(ws.otto!, 'approvals.approve', { requestId: back.pending.id });
    const sue = openWorkstation({ path: ws.path, userId: 'sue', passphrase: 'sue chosen by ada' }, ws.deps);
    open.push(sue);
    call(ws.admin, 'leads.import', {
      fileName: 'leads.jsonl',
      format: 'jsonl',
      content: fintechLeads,
      mode: 'all',
      sourceSystem: 'crm',
    });
    const pep = call<{ rows: { id: string; leadId: string }[] }>(ws.admin, 'cases.list', {
      queue: 'enhanced_due_diligence',
    }).rows.find((row) => row.leadId === leadIdOf(ws.admin, 'L-PEP'))!;
    call(ws.admin, 'cases.claim', { caseId: pep.id });
    call(ws.admin, 'cases.decide', {
      caseId: pep.id,
      disposition: 'clear_false_positive',
      reason: 'different person: date of birth differs',
    });
    expect(callError(sue, 'cases.approve', { caseId: pep.id, reason: 'looks right to me' })).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining("sue's initial passphrase was chosen by ada"),
    });
    const db = ws.admin.workstation.db;
    const live = projectionSnapshot(db);
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
  });

  it('ties a re-enrolled account to the admin who re-enrolled it', () => {
    const ws = createTestWorkstation({ secondAdmin: true });
    open.push(ws.admin);
    // Otto is a founding admin: nobody's request. Ada rotates the key (otto's slot goes) and re-enrols him.
    ws.otto!.workstation.close();
    call(ws.admin, 'users.rotateDatabaseKey', {
      passphrase: 'correct horse battery staple',
      reason: 'yearly rotation',
    });
    call(ws.admin, 'users.reEnrol', {
      userId: 'otto',
      initialPassphrase: 'otto chosen by ada',
      reason: 'after rotation',
    });
    const otto = openWorkstation({ path: ws.path, userId: 'otto', passphrase: 'otto chosen by ada' }, ws.deps);
    open.push(otto);
    const request = call<{ id: string }>(ws.admin, 'users.create', newUser('val', ['auditor']));
    expect(request).toMatchObject({ id: 'val' });
    expect(
      ws.admin.workstation.db.prepare("SELECT requested_by, passphrase_by FROM users WHERE id = 'otto'").get(),
    ).toEqual({ requested_by: null, passphrase_by: 'ada' });
  });

  it('lets nobody grant themselves anything, with or without a second approval', () => {
    const ws = withApprovals();
    const before = entryCountApartFromRefusals(ws.admin);
    expect(
      callError(ws.admin, 'users.setRoles', {
        userId: 'ada',
        roles: ['operations_admin', 'auditor'],
        reason: 'for audits',
      }),
    ).toMatchObject({ code: 'forbidden', message: expect.stringContaining('nobody changes the roles of themselves') });
    expect(callError(ws.admin, 'users.setMarkets', { userId: 'ada', markets: ['UK'], reason: 'narrow me' }).code).toBe(
      'forbidden',
    );
    expect(entryCountApartFromRefusals(ws.admin)).toBe(before);
    // Nor can otto approve a change to his own account that ada requested.
    const forOtto = call<Pending>(ws.admin, 'users.setRoles', {
      userId: 'otto',
      roles: ['operations_admin', 'senior_officer'],
      reason: 'cover the four-eyes queue',
    });
    expect(forOtto.pending.needsAnotherAdmin).toBe(true);
    expect(callError(ws.otto!, 'approvals.approve', { requestId: forOtto.pending.id })).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('nobody approves a change to their own account'),
    });
    // Without approvals in the policy the direct change is refused the same way.
    const plain = createTestWorkstation();
    open.push(plain.admin);
    expect(
      callError(plain.admin, 'users.setRoles', { userId: 'ada', roles: ['auditor'], reason: 'for audits' }).code,
    ).toBe('forbidden');
  });

  it('with a single operations admin, keeps a request pending and says a second admin is needed', () => {
    const ws = withApprovals(false);
    const { pending } = call<Pending>(ws.admin, 'users.create', newUser('val', ['operations_admin']));
    expect(pending).toMatchObject({ status: 'pending', needsAnotherAdmin: true, mayApprove: false });
    expect(callError(ws.admin, 'approvals.approve', { requestId: pending.id }).code).toBe('forbidden');
    // The requester may withdraw her own request.
    expect(
      call<Request>(ws.admin, 'approvals.reject', { requestId: pending.id, reason: 'withdrawn: wrong role' }),
    ).toMatchObject({ status: 'rejected', decidedBy: 'ada' });
  });

  it('applies a reactivation, role and market grants and a policy publication only on approval; rebuild equals live', () => {
    const ws = withApprovals();
    const created = call<Pending>(ws.admin, 'users.create', newUser('val', ['compliance_officer'], ['UK']));
    call(ws.otto!, 'approvals.approve', { requestId: created.pending.id });
    // Deactivation is not under approval (it takes rights away); reactivation is.
    call(ws.admin, 'users.setActive', { userId: 'val', active: false, reason: 'left the firm' });
    const back = call<Pending>(ws.admin, 'users.setActive', {
      userId: 'val',
      active: true,
      reason: 'rehired in December',
      initialPassphrase: 'val second passphrase',
    });
    expect(back.pending.action).toBe('user.reactivate');
    expect(
      call<{ id: string; active: boolean }[]>(ws.admin, 'users.list', {}).find((u) => u.id === 'val')!.active,
    ).toBe(false);
    const roles = call<Pending>(ws.otto!, 'users.setRoles', {
      userId: 'val',
      roles: ['senior_officer'],
      reason: 'promoted to senior',
    });
    expect(callError(ws.otto!, 'approvals.approve', { requestId: roles.pending.id }).code).toBe('forbidden');
    call(ws.otto!, 'approvals.approve', { requestId: back.pending.id });
    call(ws.admin, 'approvals.approve', { requestId: roles.pending.id });
    const val = openWorkstation({ path: ws.path, userId: 'val', passphrase: 'val second passphrase' }, ws.deps);
    open.push(val);
    expect(val.user).toMatchObject({ active: true, roles: ['senior_officer'] });

    // A policy publication: pending until otto approves, then active.
    const text = readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8').replace(
      'version: 2026.11-1',
      'version: 2026.12-1',
    );
    const preview = call<{ ruleVersion: string; activeRuleVersion: string }>(ws.admin, 'policy.preview', {
      fileName: 'policy.yaml',
      text,
    });
    const publication = call<Pending>(ws.admin, 'policy.publish', {
      fileName: 'policy.yaml',
      text,
      ruleVersion: preview.ruleVersion,
      activeRuleVersion: preview.activeRuleVersion,
      reason: 'December licence update',
    });
    expect(publication.pending).toMatchObject({ action: 'policy.publish', reason: 'December licence update' });
    expect(call<{ ruleVersion: string }>(ws.admin, 'policy.current', {}).ruleVersion).toBe(preview.activeRuleVersion);
    call(ws.otto!, 'approvals.approve', { requestId: publication.pending.id });
    const current = call<{ ruleVersion: string; published: { publishedBy: string } }>(ws.admin, 'policy.current', {});
    expect(current).toMatchObject({ ruleVersion: preview.ruleVersion, published: { publishedBy: 'user:ada' } });

    const db = ws.admin.workstation.db;
    const live = projectionSnapshot(db);
    expect(live.meta_requests).toHaveLength(4);
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
  });

  it('refuses to approve a pending user whose key slot wraps a key rotated away since', () => {
    const ws = withApprovals();
    // abe: a third admin, otto's request (approved by ada): tied to otto, not to ada.
    const abeRequest = call<Pending>(ws.otto!, 'users.create', newUser('abe', ['operations_admin']));
    call(ws.admin, 'approvals.approve', { requestId: abeRequest.pending.id });
    const { pending } = call<Pending>(ws.admin, 'users.create', newUser('val', ['auditor']));
    // Otto rotates the key (everyone else signed out) and re-enrols abe, who approves ada's request.
    for (const session of open.splice(0)) session.workstation.close();
    const otto = openWorkstation({ path: ws.path, userId: 'otto', passphrase: OTTO_PASSPHRASE }, ws.deps);
    open.push(otto);
    call(otto, 'users.rotateDatabaseKey', { passphrase: OTTO_PASSPHRASE, reason: 'yearly rotation' });
    call(otto, 'users.reEnrol', { userId: 'abe', initialPassphrase: 'abe after rotation', reason: 'after rotation' });
    const abe = openWorkstation({ path: ws.path, userId: 'abe', passphrase: 'abe after rotation' }, ws.deps);
    open.push(abe);
    expect(callError(abe, 'approvals.approve', { requestId: pending.id })).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('the database key was rotated since the request'),
    });
    expect(userIds(otto)).not.toContain('val');
  });
});

describe('policies without an approvals section', () => {
  it('keep their meaning: one admin creates users at once', () => {
    const ws = createTestWorkstation();
    open.push(ws.admin);
    expect(call<{ id: string }>(ws.admin, 'users.create', newUser('val', ['auditor'])).id).toBe('val');
    expect(withoutApprovals('a: 1\napprovals:\n  meta: []\n')).toBe('a: 1\n');
  });
});
