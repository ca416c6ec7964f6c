// Four-eyes on the KYC connector's configuration (decision 0240): under a policy whose approvals list kyc.configure,
// one operations admin proposes the endpoint, folder and secrets and another approves; the proposer may not approve
// their own proposal; nothing changes until the approval, and the secrets never reach the log.
import { describe, expect, it } from 'vitest';
import { approveRequest, rejectRequest } from '../../../electron/services/workstation/commands/approvals.ts';
import { configureKycConnector, readKycConnector } from '../../../electron/services/workstation/commands/kyc-outbox.ts';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import { createTestWorkstation } from '../../support/workstation.ts';
import { newSecret } from '../../support/kyc.ts';

describe('configuring the KYC connector under four-eyes', () => {
  const ws = createTestWorkstation({ approvals: true, secondAdmin: true });
  const otto = ws.otto!;
  const db = ws.admin.workstation.db;
  const secret = newSecret();
  const callbackSecret = newSecret();
  const url = 'https://kyc.example.com/hooks/perimeter/t0ken-in-the-path';

  it('is a proposal: nothing changes, and neither the URL nor the secrets reach the log', () => {
    const proposed = configureKycConnector(ws.admin, { kind: 'webhook', url, secret, callbackSecret });
    expect(proposed).toMatchObject({
      pending: { action: 'kyc.configure', target: 'kyc:connector', requestedBy: 'ada', status: 'pending' },
    });
    expect('pending' in proposed && proposed.pending.summary).toContain(
      'Set the KYC connector to webhook at https://kyc.example.com',
    );
    expect(readKycConnector(db)).toBeNull();
    const log = (db.prepare('SELECT canonical FROM audit_entries').pluck().all() as Buffer[])
      .map((bytes) => bytes.toString('utf8'))
      .join('\n');
    for (const hidden of [secret, callbackSecret, 't0ken-in-the-path']) expect(log).not.toContain(hidden);
  });

  it('refuses the proposer as the approver, in words, and applies on a second admin’s approval', () => {
    const [request] = db
      .prepare("SELECT id FROM meta_requests WHERE action = 'kyc.configure' AND status = 'pending'")
      .pluck()
      .all() as string[];
    expect(() => approveRequest(ws.admin, request!)).toThrow(/the maker can never be the checker/);
    expect(readKycConnector(db)).toBeNull();
    const approved = approveRequest(otto, request!);
    expect(approved).toMatchObject({ status: 'approved', decidedBy: 'otto' });
    expect(readKycConnector(db)).toMatchObject({ kind: 'webhook', url, secret, callbackSecret });
    const entry = JSON.parse(
      (
        db
          .prepare("SELECT canonical FROM audit_entries WHERE type = 'kyc.connector_configured'")
          .pluck()
          .get() as Buffer
      ).toString('utf8'),
    );
    expect(entry).toMatchObject({
      actor: 'user:ada',
      payload: { connector: 'webhook', endpoint: 'https://kyc.example.com', requestId: request, approvedBy: 'otto' },
    });
    expect(db.prepare('SELECT count(*) FROM kyc_connector_proposals').pluck().get()).toBe(0);
  });

  it('drops a rejected proposal with its secrets, and the rebuild equals the live tables', () => {
    const proposed = configureKycConnector(otto, { kind: 'none' });
    if (!('pending' in proposed)) throw new Error('expected a proposal');
    expect(db.prepare('SELECT count(*) FROM kyc_connector_proposals').pluck().get()).toBe(1);
    rejectRequest(ws.admin, proposed.pending.id, 'we keep the webhook');
    expect(db.prepare('SELECT count(*) FROM kyc_connector_proposals').pluck().get()).toBe(0);
    expect(readKycConnector(db)).toMatchObject({ kind: 'webhook' });
    const live = projectionSnapshot(db);
    rebuildProjections(db);
    expect(projectionSnapshot(db)).toEqual(live);
    ws.admin.workstation.close();
    otto.workstation.close();
  });
});
