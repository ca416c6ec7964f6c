// Device approval and revocation from an operations device (decision 0273), through a real hub on both stores: the
// hub's admin gives one workstation the operations capability; its operations admins list the region's devices,
// approve a pending one and revoke one by that device's signed requests (no hub admin token on the workstation). Each
// action is a typed entry on the workstation and a leaf in the hub's log; a revoked device is refused on its next
// request and says so; a device without the capability, and a user without the permission, are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../core/api/contract.ts';
import { decideDevice } from '../../hub/service.ts';
import { SyncError } from '../../electron/services/sync/hub-client.ts';
import { handleApiCall } from '../../electron/services/workstation/api/api.ts';
import {
  decideRegionDevice,
  deviceActionSettled,
  listRegionDevices,
} from '../../electron/services/workstation/commands/sync-devices.ts';
import { enrolWithHub, syncPush, syncStatus, syncNow } from '../../electron/services/workstation/commands/sync.ts';
import type { Session } from '../../electron/services/workstation/session/workstation.ts';
import { WorkstationError } from '../../electron/services/workstation/session/workstation.ts';
import { startPostgres } from '../support/postgres.ts';
import type { PostgresCluster } from '../support/postgres.ts';
import { startTestHub } from '../support/hub.ts';
import type { StoreKind, TestHub } from '../support/hub.ts';
import { addUser, createTestWorkstation } from '../support/workstation.ts';
import type { TestWorkstation } from '../support/workstation.ts';

const call = <M extends ApiMethod>(session: Session, method: M, request: ApiRequest<M>) =>
  handleApiCall(session, method, request);
const ok = <M extends ApiMethod>(session: Session, method: M, request: ApiRequest<M>): ApiResponse<M> => {
  const reply = call(session, method, request);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`);
  return reply.value as ApiResponse<M>;
};

const failure = async (promise: Promise<unknown>): Promise<Error> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected a refusal');
};

const typesOf = (ws: TestWorkstation): { type: string; payload: Record<string, unknown> }[] =>
  ws.admin.workstation.db
    .prepare<[], Buffer>('SELECT canonical FROM audit_entries ORDER BY sequence')
    .pluck()
    .all()
    .map((bytes) => JSON.parse(bytes.toString('utf8')));

let cluster: PostgresCluster | null = null;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(() => cluster?.stop());

describe.each<StoreKind>(['sqlite', 'postgres'])(
  'device approval and revocation from an operations device on %s',
  (kind) => {
    let hub: TestHub;
    let ops: TestWorkstation;
    let field: TestWorkstation;
    let plain: TestWorkstation;
    let officer: Session | null = null;
    const id = (name: string): string => `${name}-${kind}`;

    beforeAll(async () => {
      ops = createTestWorkstation({ logId: id('ops') });
      field = createTestWorkstation({ logId: id('field') });
      plain = createTestWorkstation({ logId: id('plain') });
      hub = await startTestHub(kind, { cluster: cluster!, now: () => ops.clock.now() });
      for (const ws of [ops, field, plain]) await enrolWithHub(ws.admin, { hubUrl: hub.url(), region: 'eu-west' });
      // The hub's admin approves the operations workstation with the capability, and another without it.
      await decideDevice(hub.hub(), { deviceId: id('ops'), decision: 'approved', admin: 'olga', operations: true });
      await decideDevice(hub.hub(), { deviceId: id('plain'), decision: 'approved', admin: 'olga' });
      officer = addUser(ops, id('carl'), ['compliance_officer'], ['*']);
    }, 120_000);
    afterAll(async () => {
      await hub.stop();
      officer?.workstation.close();
      for (const ws of [ops, field, plain]) ws.admin.workstation.close();
    });

    it("lists the region's devices to an operations admin of an operations device, and to nobody else", async () => {
      const devices = await listRegionDevices(ops.admin);
      expect(devices.find((device) => device.deviceId === id('field'))).toMatchObject({
        status: 'pending',
        operations: false,
        fingerprint: syncStatus(field.admin).fingerprint,
      });
      expect(devices.find((device) => device.deviceId === id('ops'))).toMatchObject({ operations: true });
      // A device the hub's admin gave no operations capability is refused by the hub.
      const notOps = await failure(listRegionDevices(plain.admin));
      expect(notOps).toBeInstanceOf(SyncError);
      expect((notOps as SyncError).code).toBe('no_operations');
      // A user without the operations-admin permission is refused by the service layer, before anything is sent.
      expect(() => listRegionDevices(officer!)).toThrow(WorkstationError);
      const denied = call(officer!, 'sync.devices', { refresh: true });
      expect(denied).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    });

    it('approves a pending device through the api: the device syncs, the entry is here, the hub log names the device', async () => {
      ok(ops.admin, 'sync.approveDevice', { deviceId: id('field'), markets: ['UK'] });
      await deviceActionSettled(ops.admin.workstation);
      const roster = ok(ops.admin, 'sync.devices', {});
      expect(roster.lastOutcome).toMatchObject({ ok: true });
      expect(roster.devices.find((device) => device.deviceId === id('field'))).toMatchObject({
        status: 'approved',
        approvedMarkets: ['UK'],
        decidedBy: 'ada',
      });
      expect(typesOf(ops).filter((entry) => entry.type === 'sync.device_approved')).toEqual([
        expect.objectContaining({
          payload: expect.objectContaining({ deviceId: id('field'), markets: ['UK'], hub: 'hub:eu-west' }),
        }),
      ]);
      const leaves = (await hub.hub().store.transaction((tx) => tx.hubLogEntries(0, 10_000))).map((leaf) =>
        JSON.parse(new TextDecoder().decode(leaf.bytes)),
      );
      expect(leaves).toContainEqual(
        expect.objectContaining({ type: 'device.approved', device: id('field'), admin: 'ada', via: id('ops') }),
      );
      expect((await syncPush(field.admin)).entriesSent).toBeGreaterThan(0);
      // An operations device approves pending devices only, and never decides on itself.
      const again = await failure(decideRegionDevice(ops.admin, { deviceId: id('field'), decision: 'approve' }));
      expect(again.message).toMatch(/approves pending devices only/);
      const self = await failure(decideRegionDevice(ops.admin, { deviceId: id('ops'), decision: 'revoke' }));
      expect(self.message).toMatch(/does not decide on itself/);
    });

    it('revokes a device: its next request is refused and its screen says revoked; the entry and the hub leaf exist', async () => {
      const revoked = await decideRegionDevice(ops.admin, { deviceId: id('field'), decision: 'revoke' });
      expect(revoked.status).toBe('revoked');
      expect(typesOf(ops).filter((entry) => entry.type === 'sync.device_revoked')).toHaveLength(1);
      const leaves = (await hub.hub().store.transaction((tx) => tx.hubLogEntries(0, 10_000))).map((leaf) =>
        JSON.parse(new TextDecoder().decode(leaf.bytes)),
      );
      expect(leaves).toContainEqual(
        expect.objectContaining({ type: 'device.revoked', device: id('field'), admin: 'ada', via: id('ops') }),
      );
      const outcome = await syncNow(field.admin);
      expect(outcome).toMatchObject({ ok: false, standing: 'revoked' });
      expect(syncStatus(field.admin).standing).toBe('revoked');
    });
  },
);
