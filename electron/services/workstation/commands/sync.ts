// Sync with the regional hub through the door (issue 15): enrolment by an operations admin, push and pull by any
// active user. Each push or pull that moved something is an audit entry (sync.pushed, sync.pulled) naming the hub.
// Every attempt, whatever its outcome, is remembered for the status (decision 0258); the api runs enrolment and
// "sync now" in the background and the status says how they ended (decision 0259).
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { ed25519PublicKey } from '../../../../core/audit/ed25519.ts';
import { bytesToBase64 } from '../../../../core/audit/bytes.ts';
import { DEVICE_ID_PATTERN, REGION_PATTERN } from '../../../../core/sync/request-auth.ts';
import { auditLogIdentity, auditSigningKeys } from '../../audit/audit-log.ts';
import { readEnrolment, readPushState, writeEnrolment } from '../../sync/device-state.ts';
import { readStanding, readSyncAttempts, recordSyncAttempt, writeStanding } from '../../sync/sync-status.ts';
import type { DeviceStanding, SyncAttempt, SyncAttemptKind } from '../../sync/sync-status.ts';
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
import { actorOf, commit, refreshSession, WorkstationError } from '../session/workstation.ts';
import type { Session, Workstation } from '../session/workstation.ts';

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

const MarketsReplySchema = z.object({ markets: z.array(z.string()), requestedMarkets: z.array(z.string()) });

/**
 * Tells the hub which markets this workstation's active users work in now (decision 0271), by a signed request: the
 * hub serves the device those met with what its admin approved, never more. Answers the markets the hub serves it, or
 * null from a hub that does not take the request (an older hub keeps the markets fixed at approval).
 */
export const reportUsersMarkets = async (session: Session, client: HubClient): Promise<string[] | null> => {
  const body = new TextEncoder().encode(JSON.stringify({ markets: usersMarkets(session) }));
  const response = await client.send('POST', '/v1/markets', body, 'application/json');
  if (response.status === 404) return null;
  if (response.status !== 200)
    throw new SyncError(`http_${response.status}`, `markets: ${response.status} ${response.text.trim()}`);
  const parsed = MarketsReplySchema.safeParse(JSON.parse(response.text));
  if (!parsed.success) throw new SyncError('protocol', "markets: the hub's reply does not parse");
  return parsed.data.markets;
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
): Promise<PullResult & { readonly apply: ApplyResult; readonly markets: string[] | null }> => {
  requireActive(session);
  const { client, hub, keys } = clientFor(session, transport);
  // The markets served follow the users (decision 0271): said before every pull, so a pull serves the users of now.
  const markets = await reportUsersMarkets(session, client);
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
  return { ...result, apply, markets };
};

// ---- attempts, standing and status (decisions 0258, 0259) ----------------------------------------------------------

const describe = (error: unknown): { code: string; message: string } =>
  error instanceof SyncError || error instanceof WorkstationError
    ? { code: error.code, message: error.message }
    : { code: 'internal', message: error instanceof Error ? error.message : String(error) };

/** The hub refuses a revoked device with 403 "device … is revoked": the device learns its standing from that. */
const isRevokedRefusal = (error: unknown): boolean =>
  error instanceof SyncError && error.code === 'http_403' && /\bis revoked\b/.test(error.message);

const remember = (
  session: Session,
  kind: SyncAttemptKind,
  outcome:
    | { readonly ok: true; readonly entries: number; readonly message: string }
    | { readonly ok: false; readonly error: unknown },
): void => {
  const db = session.workstation.db;
  if (!db.open || !readEnrolment(db)) return;
  const at = session.workstation.deps.now().toISOString();
  if (outcome.ok) {
    recordSyncAttempt(db, {
      kind,
      at,
      ok: true,
      reachedHub: true,
      code: null,
      message: outcome.message,
      entries: outcome.entries,
    });
    // Only an approved device gets a push or a pull through.
    if (kind !== 'enrol') writeStanding(db, 'approved', at);
    return;
  }
  const { code, message } = describe(outcome.error);
  recordSyncAttempt(db, {
    kind,
    at,
    ok: false,
    reachedHub: code !== 'unreachable' && code !== 'not_enrolled',
    code,
    message,
    entries: 0,
  });
  if (isRevokedRefusal(outcome.error)) writeStanding(db, 'revoked', at);
};

/** Runs one push or pull and remembers how it ended; the error is thrown on. */
const attempt = async <T>(
  session: Session,
  kind: SyncAttemptKind,
  run: () => Promise<T>,
  summary: (value: T) => { entries: number; message: string },
): Promise<T> => {
  try {
    const value = await run();
    remember(session, kind, { ok: true, ...summary(value) });
    return value;
  } catch (error) {
    try {
      remember(session, kind, { ok: false, error });
    } catch {
      // The store went away meanwhile (the workstation was locked): the sync's own error is what the caller needs.
    }
    throw error;
  }
};

/** Asks the hub how it stands with this device (pending, approved, revoked) and remembers the answer. */
export const refreshStanding = async (session: Session, transport: SyncTransport = {}): Promise<DeviceStanding> => {
  requireActive(session);
  const { client } = clientFor(session, transport);
  const db = session.workstation.db;
  const at = (): string => session.workstation.deps.now().toISOString();
  const response = await client.send('GET', '/v1/enrolment');
  if (response.status === 403 && /\bis revoked\b/.test(response.text)) {
    writeStanding(db, 'revoked', at());
    return 'revoked';
  }
  if (response.status !== 200)
    throw new SyncError(`http_${response.status}`, `enrolment status: ${response.status} ${response.text.trim()}`);
  const parsed = z.object({ status: z.enum(['pending', 'approved', 'revoked']) }).safeParse(JSON.parse(response.text));
  if (!parsed.success) throw new SyncError('protocol', `enrolment status: the hub's reply does not parse`);
  writeStanding(db, parsed.data.status, at());
  return readStanding(db)?.standing ?? parsed.data.status;
};

/** A push that remembers its attempt (for the status) whatever its outcome. */
export const syncPushRecorded = (
  session: Session,
  transport: SyncTransport = {},
  options: { readonly entriesPerRequest?: number } = {},
): Promise<PushResult> =>
  attempt(
    session,
    'push',
    () => syncPush(session, transport, options),
    (result) => ({
      entries: result.entriesSent,
      message:
        result.entriesSent === 0
          ? `the hub holds all ${result.size} entries of this log`
          : `${result.entriesSent} entries sent; the hub holds all ${result.size}`,
    }),
  );

/** A pull that remembers its attempt whatever its outcome. */
export const syncPullRecorded = (
  session: Session,
  transport: SyncTransport = {},
  options: { readonly batch?: number } = {},
): Promise<PullResult> =>
  attempt(
    session,
    'pull',
    () => syncPull(session, transport, options),
    (result) => ({
      entries: result.entries,
      message:
        result.entries === 0
          ? `nothing new from the ${result.origins} other devices of the region`
          : `${result.entries} entries received from ${result.origins} other devices`,
    }),
  );

/**
 * An enrolment that remembers its attempt (an enrolment refused before writing leaves none). The permission is checked
 * before the first await, so the CLI's door records a refusal as access.denied.
 */
export const enrolRecorded = (
  session: Session,
  input: { readonly hubUrl: string; readonly region: string; readonly deviceId?: string },
  transport: SyncTransport = {},
): Promise<{ readonly deviceId: string; readonly status: string; readonly fingerprint: string }> => {
  requirePermission(session, 'user.manage', 'enrol this workstation with a hub');
  return (async () => {
    const result = await enrolWithHub(session, input, transport);
    const db = session.workstation.db;
    const at = session.workstation.deps.now().toISOString();
    writeStanding(db, result.status === 'approved' ? 'approved' : 'pending', at);
    recordSyncAttempt(db, {
      kind: 'enrol',
      at,
      ok: true,
      reachedHub: true,
      code: null,
      message: `enrolment requested: the hub says ${result.status}`,
      entries: 0,
    });
    return result;
  })();
};

export type SyncNowOutcome = {
  readonly ok: boolean;
  /** What happened, in words: what a user reads under "Sync now". */
  readonly message: string;
  readonly standing: DeviceStanding | null;
  readonly pushed: number;
  readonly pulled: number;
};

/**
 * "Sync now": asks the hub for this device's standing, then (approved) pushes and pulls. Never throws for what the
 * hub or the network did: the outcome says it in words, and the attempts are remembered for the status.
 */
export const syncNow = async (session: Session, transport: SyncTransport = {}): Promise<SyncNowOutcome> => {
  requireActive(session);
  if (!readEnrolment(session.workstation.db))
    return {
      ok: false,
      message: 'this workstation is not enrolled with a regional hub (an operations admin enrols it)',
      standing: null,
      pushed: 0,
      pulled: 0,
    };
  let standing: DeviceStanding;
  try {
    standing = await refreshStanding(session, transport);
  } catch (error) {
    remember(session, 'push', { ok: false, error });
    return {
      ok: false,
      message: describe(error).message,
      standing: readStanding(session.workstation.db)?.standing ?? null,
      pushed: 0,
      pulled: 0,
    };
  }
  if (standing !== 'approved') {
    const message =
      standing === 'revoked'
        ? 'the hub has revoked this workstation: it can no longer sync (an operations admin enrols a new device)'
        : 'the hub has not approved this workstation yet: an operations admin approves it at the hub';
    remember(session, 'push', { ok: false, error: new SyncError(`device_${standing}`, message) });
    return { ok: false, message, standing, pushed: 0, pulled: 0 };
  }
  let pushed: number;
  try {
    pushed = (await syncPushRecorded(session, transport)).entriesSent;
  } catch (error) {
    return {
      ok: false,
      message: `push: ${describe(error).message}`,
      standing: readStanding(session.workstation.db)?.standing ?? standing,
      pushed: 0,
      pulled: 0,
    };
  }
  try {
    const pulled = (await syncPullRecorded(session, transport)).entries;
    return { ok: true, message: `synced: ${pushed} entries sent, ${pulled} received`, standing, pushed, pulled };
  } catch (error) {
    return { ok: false, message: `pull: ${describe(error).message}`, standing, pushed, pulled: 0 };
  }
};

// ---- background runs for the api (decision 0259) -------------------------------------------------------------------

type Run = { readonly kind: 'enrol' | 'sync'; readonly startedAt: string; readonly by: string };
/** Per workstation database (by path): one enrolment or sync at a time. In memory: a run does not outlive the app. */
const running = new Map<string, Run>();
/** The last background outcome per workstation, for the status (the stored attempts outlive it). */
const lastOutcome = new Map<string, { readonly at: string; readonly ok: boolean; readonly message: string }>();

const background = (
  workstation: Workstation,
  run: Run,
  work: () => Promise<{ ok: boolean; message: string }>,
): void => {
  running.set(workstation.path, run);
  void (async () => {
    let outcome: { ok: boolean; message: string };
    try {
      outcome = await work();
    } catch (error) {
      outcome = { ok: false, message: describe(error).message };
    }
    running.delete(workstation.path);
    lastOutcome.set(workstation.path, {
      at: workstation.deps.now().toISOString(),
      ok: outcome.ok,
      message: outcome.message,
    });
  })();
};

/** The owner as the store knows them now; throws when the workstation was locked meanwhile. */
const stillSignedIn = (session: Session): Session => {
  if (!session.workstation.db.open) throw new SyncError('locked', 'the workstation was locked before the hub answered');
  return refreshSession(session);
};

/** sync.enrol: checks the door and the input now, talks to the hub in the background (the status follows it). */
export const startEnrolment = (
  session: Session,
  input: { readonly hubUrl: string; readonly region: string; readonly deviceId?: string },
  transport: SyncTransport = {},
): SyncStatus => {
  requirePermission(session, 'user.manage', 'enrol this workstation with a hub');
  if (readEnrolment(session.workstation.db))
    throw new WorkstationError('conflict', 'this workstation is enrolled already: it stays pinned to its region');
  if (running.has(session.workstation.path))
    throw new WorkstationError('conflict', 'an enrolment or a sync is running already: wait for it to end');
  background(session.workstation, { kind: 'enrol', startedAt: now(session), by: session.user.id }, async () => {
    const result = await enrolRecorded(stillSignedIn(session), input, transport);
    return { ok: true, message: `enrolment requested as ${result.deviceId}: the hub says ${result.status}` };
  });
  return syncStatus(session);
};

/** sync.now: push then pull in the background; the status follows it and says in words how it ended. */
export const startSyncNow = (session: Session, transport: SyncTransport = {}): SyncStatus => {
  requireActive(session);
  if (!readEnrolment(session.workstation.db))
    throw new WorkstationError(
      'conflict',
      'this workstation is not enrolled with a regional hub (an operations admin enrols it)',
    );
  if (!running.has(session.workstation.path))
    background(session.workstation, { kind: 'sync', startedAt: now(session), by: session.user.id }, () =>
      syncNow(stillSignedIn(session), transport),
    );
  return syncStatus(session);
};

/** Resolves when the background run of this workstation (if any) has ended: for tests and the CLI. */
export const backgroundSyncSettled = async (workstation: Workstation, timeoutMs = 30_000): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (running.has(workstation.path) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
};

const now = (session: Session): string => session.workstation.deps.now().toISOString();

export type SyncStatus = {
  readonly enrolled: boolean;
  readonly region: string | null;
  readonly hubUrl: string | null;
  readonly deviceId: string | null;
  readonly fingerprint: string | null;
  readonly standing: DeviceStanding | null;
  readonly standingAt: string | null;
  readonly online: boolean | null;
  readonly running: 'enrol' | 'sync' | null;
  readonly lastOutcome: { readonly at: string; readonly ok: boolean; readonly message: string } | null;
  readonly lastSyncAt: string | null;
  readonly attempts: {
    readonly enrol: SyncAttempt | null;
    readonly push: SyncAttempt | null;
    readonly pull: SyncAttempt | null;
  };
  readonly logSize: number;
  readonly pendingPush: number;
  readonly inboxPending: number;
  readonly conflicts: number;
};

/** The device's sync status for the panel, the header and `perimeter sync status`: no personal data in it. */
export const syncStatus = (session: Session): SyncStatus => {
  requireActive(session);
  const db = session.workstation.db;
  const enrolment = readEnrolment(db);
  const standing = readStanding(db);
  const { byKind: attempts, latest } = readSyncAttempts(db);
  const logSize = db.prepare<[], number>('SELECT coalesce(max(sequence) + 1, 0) FROM audit_entries').pluck().get() ?? 0;
  const mirrored = enrolment ? readPushState(db).mirrorSize : 0;
  const inboxPending =
    db
      .prepare<[], number>(
        // Past each origin's apply cursor (decision 0242): entries applied without a receipt have no applied_seq.
        `SELECT count(*) FROM sync_inbox i LEFT JOIN sync_apply_cursors c ON c.origin = i.origin
         WHERE i.seq >= coalesce(c.next, 0)`,
      )
      .pluck()
      .get() ?? 0;
  // Open conflict cases, counted by their queue id (the conflict queue is built beside this; decision 0258).
  const conflicts =
    db
      .prepare<[], number>("SELECT count(*) FROM cases WHERE type = 'sync_conflict' AND status <> 'closed'")
      .pluck()
      .get() ?? 0;
  const lastSyncAt = [attempts.push?.lastOkAt, attempts.pull?.lastOkAt]
    .filter((at): at is string => typeof at === 'string')
    .sort()
    .at(-1);
  const run = running.get(session.workstation.path);
  return {
    enrolled: enrolment !== null,
    region: enrolment?.region ?? null,
    hubUrl: enrolment?.hubUrl ?? null,
    deviceId: enrolment?.deviceId ?? null,
    fingerprint: enrolment ? Buffer.from(ed25519PublicKey(enrolment.seed)).toString('hex').slice(0, 16) : null,
    standing: standing?.standing ?? null,
    standingAt: standing?.at ?? null,
    online: latest ? latest.reachedHub : null,
    running: run?.kind ?? null,
    lastOutcome: lastOutcome.get(session.workstation.path) ?? null,
    lastSyncAt: lastSyncAt ?? null,
    attempts: { enrol: attempts.enrol ?? null, push: attempts.push ?? null, pull: attempts.pull ?? null },
    logSize,
    pendingPush: Math.max(0, logSize - mirrored),
    inboxPending,
    conflicts,
  };
};
