// The workstation's sync through the api door (decisions 0258–0259): sync.enrol and sync.now run in the background
// against a real hub on 127.0.0.1, and sync.status tells enrolment, standing (pending, approved, revoked), the last
// attempts in words, online or offline, entries pending push and inbox entries not applied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideDevice } from '../../../hub/service.ts';
import { backgroundSyncSettled } from '../../../electron/services/workstation/commands/sync.ts';
import type { SyncStatus } from '../../../electron/services/workstation/commands/sync.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { call, callError } from '../../support/api.ts';
import { startTestHub } from '../../support/hub.ts';
import type { TestHub } from '../../support/hub.ts';
import { addUser, createTestWorkstation } from '../../support/workstation.ts';
import type { TestWorkstation } from '../../support/workstation.ts';

let hub: TestHub;
let a: TestWorkstation;
let b: TestWorkstation;

const status = (session: Session): SyncStatus => call<SyncStatus>(session, 'sync.status', {});
const settled = async (session: Session): Promise<SyncStatus> => {
  await backgroundSyncSettled(session.workstation);
  return status(session);
};

beforeAll(async () => {
  a = createTestWorkstation({ logId: 'field-a' });
  b = createTestWorkstation({ logId: 'field-b' });
  hub = await startTestHub('sqlite', { now: () => a.clock.now() });
}, 60_000);

afterAll(async () => {
  await hub.stop();
  a.admin.workstation.close();
  b.admin.workstation.close();
});

describe('sync through the api', () => {
  it('says "not enrolled" before enrolment; sync.now refuses in words; only an operations admin enrols', () => {
    const before = status(a.admin);
    expect(before).toMatchObject({ enrolled: false, standing: null, online: null, running: null });
    expect(before.pendingPush).toBe(before.logSize);
    expect(before.logSize).toBeGreaterThan(0);
    expect(callError(a.admin, 'sync.now', {})).toMatchObject({ code: 'conflict', message: /not enrolled/ });
    const officer = addUser(a, 'officer', ['compliance_officer'], ['*']);
    try {
      expect(callError(officer, 'sync.enrol', { hubUrl: hub.url(), region: 'eu-west' })).toMatchObject({
        code: 'forbidden',
        message: /needs user.manage/,
      });
    } finally {
      officer.workstation.close();
    }
    expect(callError(a.admin, 'sync.enrol', { hubUrl: 'ftp://hub', region: 'eu-west' }).code).toBe('invalid_request');
  });

  it('refuses a hub of another region at enrolment, says why, and stays not enrolled', async () => {
    const started = call<SyncStatus>(b.admin, 'sync.enrol', { hubUrl: hub.url(), region: 'ap-south' });
    expect(started.running).toBe('enrol');
    const after = await settled(b.admin);
    expect(after).toMatchObject({ enrolled: false, running: null });
    expect(after.lastOutcome).toMatchObject({ ok: false, message: expect.stringMatching(/serves region eu-west/) });
  });

  it('enrols in the background: pending at the hub, the fingerprint the hub shows, pinned to the region', async () => {
    call(a.admin, 'sync.enrol', { hubUrl: hub.url(), region: 'eu-west' });
    const enrolled = await settled(a.admin);
    expect(enrolled).toMatchObject({
      enrolled: true,
      region: 'eu-west',
      hubUrl: hub.url(),
      deviceId: 'field-a',
      standing: 'pending',
      online: true,
    });
    const devices = await hub.hub().store.transaction((tx) => tx.devices());
    expect(Buffer.from(devices[0]!.publicKey).toString('hex').slice(0, 16)).toBe(enrolled.fingerprint);
    expect(enrolled.pendingPush).toBe(enrolled.logSize);
    expect(callError(a.admin, 'sync.enrol', { hubUrl: hub.url(), region: 'eu-west' }).message).toMatch(
      /enrolled already/,
    );
  });

  it('sync now while pending: nothing sent, the status says the hub has not approved it yet', async () => {
    call(a.admin, 'sync.now', {});
    const after = await settled(a.admin);
    expect(after.standing).toBe('pending');
    expect(after.lastOutcome).toMatchObject({ ok: false, message: expect.stringMatching(/not approved this/) });
    expect(after.pendingPush).toBe(after.logSize);
    expect(after.online).toBe(true);
  });

  it('after approval, sync now pushes and pulls: last sync set, the log mirrored, the other device pulled', async () => {
    expect((await decideDevice(hub.hub(), { deviceId: 'field-a', decision: 'approved', admin: 'olga' })).ok).toBe(true);
    call(a.admin, 'sync.now', {});
    const synced = await settled(a.admin);
    expect(synced.lastOutcome).toMatchObject({ ok: true, message: expect.stringMatching(/^synced: \d+ entries sent/) });
    expect(synced).toMatchObject({ standing: 'approved', online: true, lastSyncAt: a.clock.now().toISOString() });
    expect(synced.attempts.push).toMatchObject({ ok: true, reachedHub: true });
    expect(synced.attempts.push!.entries).toBeGreaterThan(0);
    // What is left to push is what the sync itself logged (sync.pushed) after its checkpoint.
    expect(synced.pendingPush).toBe(1);

    // Device b enrols with the CLI-level command path and pushes; a pulls b's entries into its inbox.
    call(b.admin, 'sync.enrol', { hubUrl: hub.url(), region: 'eu-west' });
    await settled(b.admin);
    await decideDevice(hub.hub(), { deviceId: 'field-b', decision: 'approved', admin: 'olga' });
    call(b.admin, 'sync.now', {});
    expect((await settled(b.admin)).lastOutcome?.ok).toBe(true);
    call(a.admin, 'sync.now', {});
    const pulled = await settled(a.admin);
    expect(pulled.attempts.pull).toMatchObject({ ok: true });
    expect(pulled.attempts.pull!.entries).toBeGreaterThan(0);
    // The pull applies what it brought through the one door (decision 0242): nothing waits in the inbox.
    expect(pulled.inboxPending).toBe(0);
    expect(pulled.conflicts).toBe(0);
  });

  it('with the hub down, sync now says it could not reach the hub and the status is offline; back online later', async () => {
    const lastSync = status(a.admin).lastSyncAt;
    await hub.kill();
    try {
      call(a.admin, 'sync.now', {});
      const offline = await settled(a.admin);
      expect(offline.online).toBe(false);
      expect(offline.lastOutcome).toMatchObject({ ok: false, message: expect.stringMatching(/unreachable/) });
      expect(offline.lastSyncAt).toBe(lastSync);
    } finally {
      await hub.restart();
    }
    a.clock.advance(60_000);
    call(a.admin, 'sync.now', {});
    expect(await settled(a.admin)).toMatchObject({ online: true, lastSyncAt: a.clock.now().toISOString() });
  });

  it('shows "revoked" once the hub revokes the device, and keeps it', async () => {
    await decideDevice(hub.hub(), { deviceId: 'field-a', decision: 'revoked', admin: 'olga' });
    call(a.admin, 'sync.now', {});
    const revoked = await settled(a.admin);
    expect(revoked).toMatchObject({ standing: 'revoked', online: true });
    expect(revoked.lastOutcome?.message).toMatch(/revoked this workstation/);
  });
});
