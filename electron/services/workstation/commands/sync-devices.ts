// The region's devices, managed from an operations device (decision 0273): an operations admin (user.manage) on a
// workstation the hub's admin gave the operations capability lists the region's devices, approves pending ones and
// revokes them, by this device's signed requests; no hub admin token on the workstation. Every approval and revocation
// is a typed audit entry here and a leaf in the hub's log. The api runs them in the background (decision 0259).
import * as z from 'zod';
import { HubDeviceSchema } from '../../../../core/api/sync.ts';
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { readEnrolment } from '../../sync/device-state.ts';
import { createHubClient, SyncError } from '../../sync/hub-client.ts';
import type { HubResponse } from '../../sync/hub-client.ts';
import { writeStanding } from '../../sync/sync-status.ts';
import { requirePermission } from '../session/access.ts';
import { actorOf, commit, refreshSession, WorkstationError } from '../session/workstation.ts';
import type { Session, Workstation } from '../session/workstation.ts';
import type { SyncTransport } from './sync.ts';

export type HubDevice = z.infer<typeof HubDeviceSchema>;

const ACT = 'manage the devices of the region';

const clientOf = (session: Session, transport: SyncTransport) => {
  const enrolment = readEnrolment(session.workstation.db);
  if (!enrolment)
    throw new SyncError('not_enrolled', 'this workstation is not enrolled with a regional hub: it manages no devices');
  return {
    region: enrolment.region,
    client: createHubClient({
      url: enrolment.hubUrl,
      deviceId: enrolment.deviceId,
      region: enrolment.region,
      seed: enrolment.seed,
      now: session.workstation.deps.now,
      ...(transport.fetch ? { fetch: transport.fetch } : {}),
    }),
  };
};

/** The hub's refusals in words; a revoked device learns its standing from its own refusal. */
const refused = (session: Session, what: string, response: HubResponse): never => {
  const message = response.text.trim();
  if (response.status === 403 && /\bis revoked\b/.test(message))
    writeStanding(session.workstation.db, 'revoked', session.workstation.deps.now().toISOString());
  const code = response.status === 403 && /may not manage devices/.test(message) ? 'no_operations' : null;
  throw new SyncError(code ?? `http_${response.status}`, `${what}: ${message}`);
};

const parse = <S extends z.ZodType>(schema: S, response: HubResponse, what: string): z.infer<S> => {
  const parsed = schema.safeParse(JSON.parse(response.text));
  if (!parsed.success) throw new SyncError('protocol', `${what}: the hub's reply does not parse`);
  return parsed.data;
};

/** The region's devices, as the hub lists them to this operations device. */
export const listRegionDevices = (session: Session, transport: SyncTransport = {}): Promise<HubDevice[]> => {
  requirePermission(session, 'user.manage', ACT);
  return (async () => {
    const { client } = clientOf(session, transport);
    const response = await client.send('GET', '/v1/devices');
    if (response.status !== 200) refused(session, 'devices', response);
    return parse(z.object({ devices: z.array(HubDeviceSchema) }), response, 'devices').devices;
  })();
};

/**
 * Approves a pending device (with the markets it may be served; by default those it asked for) or revokes one, at the
 * hub, by this device's signed request; then records it here (sync.device_approved, sync.device_revoked).
 */
export const decideRegionDevice = (
  session: Session,
  input: {
    readonly deviceId: string;
    readonly decision: 'approve' | 'revoke';
    readonly markets?: readonly string[];
  },
  transport: SyncTransport = {},
): Promise<HubDevice> => {
  requirePermission(session, 'user.manage', ACT);
  return (async () => {
    const { client, region } = clientOf(session, transport);
    const body = new TextEncoder().encode(
      JSON.stringify({
        admin: session.user.id,
        ...(input.markets === undefined ? {} : { markets: [...input.markets] }),
      }),
    );
    const what = `${input.decision} ${input.deviceId}`;
    const response = await client.send(
      'POST',
      `/v1/devices/${encodeURIComponent(input.deviceId)}/${input.decision}`,
      body,
      'application/json',
    );
    if (response.status !== 200) refused(session, what, response);
    const { device } = parse(z.object({ device: HubDeviceSchema }), response, what);
    const current = refreshSession(session);
    const hub = `hub:${region}`;
    commit(current.workstation, (append) =>
      append(
        input.decision === 'approve'
          ? {
              actor: actorOf(current.user),
              type: 'sync.device_approved',
              subjects: [hub],
              payload: {
                pv: PAYLOAD_VERSION,
                hub,
                deviceId: device.deviceId,
                fingerprint: device.fingerprint,
                markets: device.approvedMarkets,
              },
            }
          : {
              actor: actorOf(current.user),
              type: 'sync.device_revoked',
              subjects: [hub],
              payload: { pv: PAYLOAD_VERSION, hub, deviceId: device.deviceId, fingerprint: device.fingerprint },
            },
      ),
    );
    return device;
  })();
};

// ---- the api's background runs (decision 0259) ---------------------------------------------------------------------

type Roster = {
  running: 'list' | 'approve' | 'revoke' | null;
  fetchedAt: string | null;
  devices: HubDevice[];
  lastOutcome: { at: string; ok: boolean; message: string } | null;
};

/** Per workstation database (by path), in memory: what the hub last listed, and the action running or last ended. */
const rosters = new Map<string, Roster>();

const rosterOf = (workstation: Workstation): Roster => {
  let roster = rosters.get(workstation.path);
  if (!roster) {
    roster = { running: null, fetchedAt: null, devices: [], lastOutcome: null };
    rosters.set(workstation.path, roster);
  }
  return roster;
};

const copy = (roster: Roster): Roster => ({
  ...roster,
  devices: roster.devices.map((device) => ({ ...device })),
});

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const run = (
  session: Session,
  kind: 'list' | 'approve' | 'revoke',
  work: (session: Session) => Promise<string>,
): void => {
  const { workstation } = session;
  const roster = rosterOf(workstation);
  roster.running = kind;
  void (async () => {
    let outcome: { ok: boolean; message: string };
    try {
      if (!workstation.db.open) throw new SyncError('locked', 'the workstation was locked before the hub answered');
      const message = await work(refreshSession(session));
      roster.devices = await listRegionDevices(refreshSession(session));
      roster.fetchedAt = workstation.deps.now().toISOString();
      outcome = { ok: true, message };
    } catch (error) {
      outcome = { ok: false, message: messageOf(error) };
    }
    roster.running = null;
    roster.lastOutcome = { at: workstation.deps.now().toISOString(), ...outcome };
  })();
};

const startChecks = (session: Session): Roster => {
  requirePermission(session, 'user.manage', ACT);
  if (!readEnrolment(session.workstation.db))
    throw new WorkstationError(
      'conflict',
      'this workstation is not enrolled with a regional hub: it manages no devices',
    );
  return rosterOf(session.workstation);
};

/** sync.devices: the roster as last fetched; `refresh` fetches it again in the background. */
export const deviceRoster = (session: Session, input: { readonly refresh?: boolean | undefined }): Roster => {
  const roster = startChecks(session);
  if (input.refresh && roster.running === null)
    run(session, 'list', async () => 'the hub listed the devices of the region');
  return copy(roster);
};

/** sync.approveDevice and sync.revokeDevice: the decision at the hub in the background; the roster follows it. */
export const startDeviceDecision = (
  session: Session,
  input: { readonly deviceId: string; readonly decision: 'approve' | 'revoke'; readonly markets?: readonly string[] },
): Roster => {
  const roster = startChecks(session);
  if (roster.running !== null)
    throw new WorkstationError('conflict', 'a device action is running already: wait for it to end');
  run(session, input.decision, async (current) => {
    const device = await decideRegionDevice(current, input);
    return input.decision === 'approve'
      ? `device ${device.deviceId} approved, served ${device.markets.join(', ') || 'no market'}`
      : `device ${device.deviceId} revoked`;
  });
  return copy(roster);
};

/** Resolves when this workstation's device action (if any) has ended: for tests. */
export const deviceActionSettled = async (workstation: Workstation, timeoutMs = 30_000): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (rosters.get(workstation.path)?.running && Date.now() < until)
    await new Promise((resolve) => setTimeout(resolve, 20));
};
