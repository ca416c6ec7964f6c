// Sync with the regional hub through the door (issue 15): enrolment by an operations admin, push and pull by any
// active user. Each push or pull that moved something is an audit entry (sync.pushed, sync.pulled) naming the hub.
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { ed25519PublicKey } from '../../../../core/audit/ed25519.ts';
import { bytesToBase64 } from '../../../../core/audit/bytes.ts';
import { DEVICE_ID_PATTERN, REGION_PATTERN } from '../../../../core/sync/request-auth.ts';
import { auditLogIdentity, auditSigningKeys } from '../../audit/audit-log.ts';
import { readEnrolment, writeEnrolment } from '../../sync/device-state.ts';
import { createHubClient, SyncError } from '../../sync/hub-client.ts';
import type { HubClient } from '../../sync/hub-client.ts';
import { pullFromHub } from '../../sync/pull.ts';
import type { PullResult } from '../../sync/pull.ts';
import { pushAuditLog } from '../../sync/push.ts';
import type { PushResult } from '../../sync/push.ts';
import { statement } from '../../store/statements.ts';
import { eraseSubject } from '../../audit/erasure.ts';
import type { PulledTombstone } from '../../sync/erasure.ts';
import { eraseLeadFromProjections, projectEntry } from '../projection/projector.ts';
import { requirePermission } from '../session/access.ts';
import { parsePublisherKey } from '../../../../core/sync/distribution.ts';
import { nodeSha256 } from '../../audit/node-sha256.ts';
import { pinnedPublisherKey } from '../../sync/distribution-state.ts';
import { pinPublisherKey } from './distribution.ts';
import { applyInbox } from './sync-apply.ts';
import type { ApplyResult } from './sync-apply.ts';
import { actorOf, commit, WorkstationError } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';

export type SyncTransport = { readonly fetch?: typeof fetch };

const IdentitySchema = z.object({
  region: z.string(),
  witness: z.string(),
  mirror: z.string(),
  logOrigin: z.string(),
  logKey: z.string(),
});

const requireActive = (session: Session): void => {
  if (!session.user.active)
    throw new WorkstationError('forbidden', `${session.user.id} is not active`, { reason: 'inactive' });
};

const clientFor = (
  session: Session,
  transport: SyncTransport,
): { client: HubClient; hub: string; keys: { witness: string; mirror: string } } => {
  const enrolment = readEnrolment(session.workstation.db);
  if (!enrolment)
    throw new SyncError(
      'not_enrolled',
      'this workstation is not enrolled with a regional hub (an operations admin enrols it)',
    );
  return {
    client: createHubClient({
      url: enrolment.hubUrl,
      deviceId: enrolment.deviceId,
      region: enrolment.region,
      seed: enrolment.seed,
      now: session.workstation.deps.now,
      ...(transport.fetch ? { fetch: transport.fetch } : {}),
    }),
    hub: `hub:${enrolment.region}`,
    keys: { witness: enrolment.hubWitnessKey, mirror: enrolment.hubMirrorKey },
  };
};

/**
 * The markets this workstation's active users work in, which it asks its hub to be served (decision 0250): "*" alone
 * when any of them works in every market. The hub's admin approves them; the hub, not this list, filters the pull.
 */
export const usersMarkets = (session: Session): string[] => {
  const rows = statement<[], string>(session.workstation.db, 'SELECT markets FROM users WHERE active = 1')
    .pluck()
    .all();
  const markets = new Set(rows.flatMap((row) => JSON.parse(row) as string[]));
  return markets.has('*') ? ['*'] : [...markets].sort();
};

/**
 * Enrols this workstation with its region's hub: a new Ed25519 device key, the hub's identity checked against the
 * region the admin names (the workstation is pinned to it from now on), and the request the hub's admin approves.
 */
export const enrolWithHub = async (
  session: Session,
  input: {
    readonly hubUrl: string;
    readonly region: string;
    readonly deviceId?: string;
    /** The firm's publisher verifier key, pinned at enrolment (decision 0253); or later with pinPublisherKey. */
    readonly publisherKey?: string;
  },
  transport: SyncTransport = {},
): Promise<{ readonly deviceId: string; readonly status: string; readonly fingerprint: string }> => {
  requirePermission(session, 'user.manage', 'enrol this workstation with a hub');
  if (input.publisherKey !== undefined)
    requirePermission(session, 'policy.publish', 'pin the publisher key of distributed policy and lists');
  if (input.publisherKey !== undefined && parsePublisherKey(input.publisherKey, nodeSha256) === null)
    throw new SyncError(
      'bad_input',
      'the publisher key is not a signed-note verifier key (<name>+<key id>+<base64 key>)',
    );
  if (!REGION_PATTERN.test(input.region))
    throw new SyncError('bad_input', `region ${JSON.stringify(input.region)}: 1 to 32 letters, digits or "-"`);
  const db = session.workstation.db;
  if (readEnrolment(db))
    throw new SyncError('already_enrolled', 'this workstation is enrolled already: it stays pinned to its region');
  const identity = auditLogIdentity(db);
  const deviceId = input.deviceId ?? identity.logId;
  if (!DEVICE_ID_PATTERN.test(deviceId))
    throw new SyncError('bad_input', `device id ${JSON.stringify(deviceId)} is not valid`);
  const seed = new Uint8Array(randomBytes(32));
  const base = input.hubUrl.replace(/\/+$/, '');
  let hubIdentity: z.infer<typeof IdentitySchema>;
  try {
    const response = await (transport.fetch ?? fetch)(`${base}/v1/identity`);
    hubIdentity = IdentitySchema.parse(await response.json());
  } catch (error) {
    throw new SyncError(
      'unreachable',
      `the hub at ${base} did not say who it is: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (hubIdentity.region !== input.region)
    throw new SyncError(
      'wrong_region',
      `the hub at ${base} serves region ${hubIdentity.region}, not ${input.region}: refused`,
    );
  const client = createHubClient({
    url: base,
    deviceId,
    region: input.region,
    seed,
    now: session.workstation.deps.now,
    ...(transport.fetch ? { fetch: transport.fetch } : {}),
  });
  const markets = usersMarkets(session);
  const logKeys = auditSigningKeys(db)
    .filter((k) => k.active)
    .map((k) => k.verifierKey);
  const body = new TextEncoder().encode(
    JSON.stringify({
      deviceId,
      region: input.region,
      publicKey: bytesToBase64(ed25519PublicKey(seed)),
      origin: identity.origin,
      logKeys,
      markets,
    }),
  );
  const response = await client.send('POST', '/v1/enrol', body, 'application/json');
  if (response.status !== 202 && response.status !== 200)
    throw new SyncError(`http_${response.status}`, `enrolment: ${response.text.trim()}`);
  writeEnrolment(
    db,
    {
      deviceId,
      region: input.region,
      hubUrl: base,
      seed,
      hubWitnessKey: hubIdentity.witness,
      hubMirrorKey: hubIdentity.mirror,
    },
    session.workstation.deps.now().toISOString(),
    session.user.id,
  );
  if (input.publisherKey !== undefined && pinnedPublisherKey(db) !== input.publisherKey)
    pinPublisherKey(session, { verifierKey: input.publisherKey });
  const { status } = JSON.parse(response.text) as { status: string };
  return { deviceId, status, fingerprint: Buffer.from(ed25519PublicKey(seed)).toString('hex').slice(0, 16) };
};

/** Pushes the workstation's own audit log to its hub; a push that moved entries is logged as sync.pushed. */
export const syncPush = async (
  session: Session,
  transport: SyncTransport = {},
  options: { readonly entriesPerRequest?: number } = {},
): Promise<PushResult> => {
  requireActive(session);
  const { client, hub, keys } = clientFor(session, transport);
  const result = await pushAuditLog(session.workstation.db, client, keys, options);
  if (result.entriesSent > 0 || result.personalSent > 0)
    commit(session.workstation, (append) =>
      append({
        actor: actorOf(session.user),
        type: 'sync.pushed',
        subjects: [hub],
        payload: { pv: PAYLOAD_VERSION, hub },
      }),
    );
  return result;
};

/** Who erases this workstation's own copies of a subject another device erased (decision 0251). */
export const SYNC_ERASURE_ACTOR = 'system:sync';

/**
 * Another device's erasure, landed in this device's inbox, erases this device's own copies too, inside the pull's batch
 * transaction: the personal data its own log holds about the subject goes through the same erasure as a local one (a
 * subject.erased entry of its own, basis naming the origin and entry, projected like any other), and the projection's
 * copies of the lead go with it. Nothing held, nothing logged: so the devices' tombstones do not echo back and forth.
 */
const eraseOwnCopies = (workstation: Session['workstation'], tombstones: readonly PulledTombstone[]): void => {
  const held = statement<[string], number>(
    workstation.db,
    'SELECT count(*) FROM audit_personal_data WHERE subject = ? AND data IS NOT NULL',
  ).pluck();
  for (const tombstone of tombstones) {
    if (tombstone.kind !== 'erasure') continue;
    if (held.get(tombstone.subject)! > 0) {
      const erased = eraseSubject(
        workstation.db,
        {
          subject: tombstone.subject,
          actor: SYNC_ERASURE_ACTOR,
          now: workstation.deps.now(),
          basis: `erasure propagated from ${tombstone.origin} entry ${tombstone.sequence}`,
        },
        workstation.deps,
      );
      projectEntry(workstation.db, erased.entry, erased.tombstone);
    }
    if (tombstone.subject.startsWith('lead:'))
      eraseLeadFromProjections(workstation.db, tombstone.subject.slice('lead:'.length));
  }
};

/** Pulls the other devices' entries of the region into the inbox; a pull that moved entries is logged as sync.pulled. */
/**
 * Pulls the other devices' entries of the region into the inbox (a pull that moved entries is logged as sync.pulled),
 * then applies the inbox through the one door (decision 0242): what this pull brought, and whatever an interrupted
 * apply left.
 */
export const syncPull = async (
  session: Session,
  transport: SyncTransport = {},
  options: { readonly batch?: number; readonly applyBatch?: number } = {},
): Promise<PullResult & { readonly apply: ApplyResult }> => {
  requireActive(session);
  const { client, hub, keys } = clientFor(session, transport);
  const result = await pullFromHub(
    session.workstation.db,
    client,
    auditLogIdentity(session.workstation.db).origin,
    keys.mirror,
    {
      ...(options.batch === undefined ? {} : { batch: options.batch }),
      onTombstones: (tombstones) => eraseOwnCopies(session.workstation, tombstones),
    },
  );
  if (result.entries > 0)
    commit(session.workstation, (append) =>
      append({
        actor: actorOf(session.user),
        type: 'sync.pulled',
        subjects: [hub],
        payload: { pv: PAYLOAD_VERSION, hub },
      }),
    );
  const apply = applyInbox(session, options.applyBatch === undefined ? {} : { batch: options.applyBatch });
  return { ...result, apply };
};
