// The KYC outbox (decision 0210): the initiation event enqueued in the lifecycle command's own transaction, the
// connector's configuration (decision 0214), the outbox view and the retry of a dead letter. Delivery is in
// kyc-delivery.ts, outcomes coming back in kyc-outcomes.ts.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { inScope } from '../../../../core/access/roles.ts';
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { canonicalJson } from '../../../../core/shared/canonical-json.ts';
import { KYC_EVENT_FORMAT, KYC_INITIATION_TYPE, KycInitiationEventSchema } from '../../../../core/kyc/event.ts';
import type { KycInitiationEvent } from '../../../../core/kyc/event.ts';
import { auditLogIdentity } from '../../audit/audit-log.ts';
import { statement } from '../../store/statements.ts';
import type { Database } from '../../store/database.ts';
import { requireEveryMarket, requirePermission } from '../session/access.ts';
import { actorOf, commit, WorkstationError } from '../session/workstation.ts';
import type { Appender, Session } from '../session/workstation.ts';
import { approvalFields, requestMetaAction, requiresSecondApproval } from './duties.ts';
import type { MetaApplier, Pending } from './duties.ts';
import type { EnqueueKycInitiation, KycInitiation } from './kyc-handoff.ts';

/** Who the connector's own entries are by: the delivery job and the callback endpoint act for the workstation. */
export const KYC_CONNECTOR_ACTOR = 'system:kyc';

export const newKycEventId = (): string => `kyc_${randomBytes(16).toString('hex')}`;

export const kycSubjects = (leadId: string, eventId: string): string[] => [`lead:${leadId}`, `kyc:${eventId}`];

const customerTypeOf = (db: Database, leadId: string): KycInitiationEvent['data']['customerType'] => {
  const row = statement<[string], { facts: string }>(db, 'SELECT facts FROM leads WHERE id = ?').get(leadId);
  if (!row) throw new WorkstationError('not_found', `no lead ${leadId}`);
  const type = (JSON.parse(row.facts) as { customerType?: unknown }).customerType;
  return type === 'retail' || type === 'professional' || type === 'eligible_counterparty' ? type : 'unknown';
};

/**
 * Puts a KYC initiation in the outbox inside the caller's transaction (the lifecycle command that took the path to
 * QUALIFIED): one `kyc.initiation_queued` entry and one outbox row, or nothing when this qualification (its
 * `pathSequence`) is queued already. It opens no transaction of its own, so the event commits or rolls back with the
 * transition. The stored body has no personal data: the subject is read when the event is delivered.
 */
export const enqueueKycInitiation: EnqueueKycInitiation = (tx, initiation: KycInitiation): void => {
  const queued = statement<[number], { event_id: string }>(
    tx.db,
    'SELECT event_id FROM kyc_outbox WHERE path_sequence = ?',
  ).get(initiation.pathSequence);
  if (queued) return;
  const eventId = newKycEventId();
  const customerType = customerTypeOf(tx.db, initiation.leadId);
  const at = new Date(initiation.at).toISOString();
  const event: KycInitiationEvent = {
    type: KYC_INITIATION_TYPE,
    timestamp: at,
    data: {
      format: KYC_EVENT_FORMAT,
      eventId,
      leadId: initiation.leadId,
      productId: initiation.productId,
      jurisdiction: initiation.jurisdiction,
      customerType,
      ruleVersion: initiation.ruleVersion,
      requestedAt: at,
      subject: null,
    },
  };
  const appended = tx.append({
    actor: initiation.requestedBy,
    type: 'kyc.initiation_queued',
    subjects: kycSubjects(initiation.leadId, eventId),
    payload: {
      pv: PAYLOAD_VERSION,
      eventId,
      leadId: initiation.leadId,
      productId: initiation.productId,
      jurisdiction: initiation.jurisdiction,
      customerType,
      ruleVersion: initiation.ruleVersion,
      pathSequence: String(initiation.pathSequence),
    },
  });
  statement(
    tx.db,
    `INSERT INTO kyc_outbox (event_id, path_sequence, lead_id, product_id, jurisdiction, body, queued_at, queued_seq,
       state, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
  ).run(
    eventId,
    initiation.pathSequence,
    initiation.leadId,
    initiation.productId,
    initiation.jurisdiction,
    canonicalJson(KycInitiationEventSchema.parse(event)),
    at,
    appended.sequence,
    at,
  );
};

// ---- configuration (decision 0214) ----

export type KycConnectorConfig = {
  readonly kind: 'webhook' | 'file_drop' | 'none';
  readonly url: string | null;
  readonly dropDir: string | null;
  /** The Standard Webhooks signing secret (whsec_…): read here, never logged, never answered by the api. */
  readonly secret: string | null;
  readonly callbackSecret: string | null;
};

export const readKycConnector = (db: Database): KycConnectorConfig | null => {
  const row = statement<
    [],
    {
      kind: KycConnectorConfig['kind'];
      url: string | null;
      drop_dir: string | null;
      secret: string | null;
      callback_secret: string | null;
    }
  >(db, 'SELECT kind, url, drop_dir, secret, callback_secret FROM kyc_connector WHERE id = 1').get();
  return row
    ? { kind: row.kind, url: row.url, dropDir: row.drop_dir, secret: row.secret, callbackSecret: row.callback_secret }
    : null;
};

/** Plain HTTP only to 127.0.0.1 (tests, a local relay); everything else HTTPS. Returns a problem, or null. */
export const webhookUrlProblem = (text: string): string | null => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'the webhook URL is not a URL';
  }
  if (url.username !== '' || url.password !== '') return 'the webhook URL must not carry credentials';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && url.hostname === '127.0.0.1') return null;
  return 'the webhook URL must be https:// (plain http:// only to 127.0.0.1)';
};

/** A Standard Webhooks secret: whsec_ and the base64 of 24 to 64 random bytes. Returns a problem, or null. */
export const secretProblem = (secret: string): string | null => {
  if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret)) return 'a secret is whsec_ followed by base64';
  const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64').length;
  if (bytes < 24 || bytes > 64) return `a secret holds 24 to 64 bytes (this one ${bytes})`;
  try {
    new Webhook(secret);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return null;
};

/** The key id of a secret: the first 16 hex digits of SHA-256 over it, so the log can say which secret without it. */
export const secretKeyId = (secret: string | null): string | null =>
  secret === null ? null : createHash('sha256').update(secret).digest('hex').slice(0, 16);

export type ConfigureKycConnectorInput = {
  readonly kind: 'webhook' | 'file_drop' | 'none';
  readonly url?: string | undefined;
  readonly dropDir?: string | undefined;
  readonly secret?: string | undefined;
  readonly callbackSecret?: string | undefined;
};

/** Sets the connector (an operations admin over every market); the secrets stay in the encrypted database. */
export const configureKycConnector = (
  session: Session,
  input: ConfigureKycConnectorInput,
): { readonly sequence: number; readonly kind: string; readonly endpoint: string | null } | Pending => {
  requirePermission(session, 'kyc.configure', 'configure the KYC connector');
  requireEveryMarket(session, 'configure the KYC connector');
  const problems: string[] = [];
  if (input.kind === 'webhook') {
    if (input.url === undefined) problems.push('a webhook connector needs its URL');
    else {
      const problem = webhookUrlProblem(input.url);
      if (problem) problems.push(problem);
    }
    if (input.secret === undefined) problems.push('a webhook connector needs its signing secret');
  }
  if (input.kind === 'file_drop') {
    if (input.dropDir === undefined) problems.push('a file drop needs its folder');
    else if (!isAbsolute(input.dropDir)) problems.push('the drop folder must be an absolute path');
    else if (!existsSync(input.dropDir) || !statSync(input.dropDir).isDirectory())
      problems.push('the drop folder does not exist');
  }
  for (const [name, secret] of [
    ['secret', input.secret],
    ['callback secret', input.callbackSecret],
  ] as const) {
    if (secret === undefined) continue;
    const problem = secretProblem(secret);
    if (problem) problems.push(`the ${name}: ${problem}`);
  }
  if (problems.length > 0) throw new WorkstationError('invalid_input', problems.join('; '));
  const url = input.kind === 'webhook' ? input.url! : null;
  const endpoint = url === null ? null : new URL(url).origin;
  const workstation = session.workstation;
  const connector: ConnectorRow = {
    kind: input.kind,
    url,
    dropDir: input.kind === 'file_drop' ? input.dropDir! : null,
    secret: input.secret ?? null,
    callbackSecret: input.callbackSecret ?? null,
  };
  const change = {
    connector: input.kind,
    endpoint,
    secretKeyId: secretKeyId(connector.secret),
    callbackSecretKeyId: secretKeyId(connector.callbackSecret),
  };
  // Under four-eyes (the policy's approvals.meta lists kyc.configure): a proposal a second operations admin approves.
  // The request's entry names the kind, the origin and the secrets' key ids; the URL and the secrets wait beside it
  // in the encrypted database (decision 0240).
  if (requiresSecondApproval(session, 'kyc.configure'))
    return commit(workstation, () => {
      const pending = requestMetaAction(session, {
        action: 'kyc.configure',
        target: 'kyc:connector',
        change,
        personal: { reason: null },
      });
      statement(
        workstation.db,
        'INSERT INTO kyc_connector_proposals (request_id, kind, url, drop_dir, secret, callback_secret) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(
        pending.pending.id,
        connector.kind,
        connector.url,
        connector.dropDir,
        connector.secret,
        connector.callbackSecret,
      );
      return pending;
    });
  return commit(workstation, (append) => writeConnector(session, append, connector, change, actorOf(session.user), {}));
};

type ConnectorRow = {
  readonly kind: 'webhook' | 'file_drop' | 'none';
  readonly url: string | null;
  readonly dropDir: string | null;
  readonly secret: string | null;
  readonly callbackSecret: string | null;
};

const writeConnector = (
  session: Session,
  append: Appender,
  connector: ConnectorRow,
  change: {
    connector: string;
    endpoint: string | null;
    secretKeyId: string | null;
    callbackSecretKeyId: string | null;
  },
  actor: string,
  approval: { requestId?: string; requestedBy?: string; approvedBy?: string },
): { readonly sequence: number; readonly kind: string; readonly endpoint: string | null } => {
  const { workstation } = session;
  const appended = append({
    actor,
    type: 'kyc.connector_configured',
    subjects: [`device:${auditLogIdentity(workstation.db).logId}`],
    payload: {
      pv: PAYLOAD_VERSION,
      connector: connector.kind,
      endpoint: change.endpoint,
      secretKeyId: change.secretKeyId,
      callbackSecretKeyId: change.callbackSecretKeyId,
      ...approval,
    },
  });
  statement(
    workstation.db,
    `INSERT INTO kyc_connector (id, kind, url, drop_dir, secret, callback_secret, configured_at, configured_seq)
     VALUES (1, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, url = excluded.url, drop_dir = excluded.drop_dir,
       secret = excluded.secret, callback_secret = excluded.callback_secret, configured_at = excluded.configured_at,
       configured_seq = excluded.configured_seq`,
  ).run(
    connector.kind,
    connector.url,
    connector.dropDir,
    connector.secret,
    connector.callbackSecret,
    appended.entry.time,
    appended.sequence,
  );
  return { sequence: appended.sequence, kind: connector.kind, endpoint: change.endpoint };
};

/**
 * Applies an approved kyc.configure (decision 0240): the proposal waiting beside the request, checked again (a drop
 * folder must still exist), written as the requester's change with the approver named; the proposal row goes.
 */
export const applyKycConfigure: MetaApplier = (session, append, request) => {
  const { db } = session.workstation;
  const row = statement<
    [string],
    {
      kind: ConnectorRow['kind'];
      url: string | null;
      drop_dir: string | null;
      secret: string | null;
      callback_secret: string | null;
    }
  >(db, 'SELECT kind, url, drop_dir, secret, callback_secret FROM kyc_connector_proposals WHERE request_id = ?').get(
    request.id,
  );
  if (!row)
    throw new WorkstationError(
      'conflict',
      `${request.id}: the proposed connector is gone; reject it and propose again`,
    );
  if (
    row.kind === 'file_drop' &&
    (row.drop_dir === null || !existsSync(row.drop_dir) || !statSync(row.drop_dir).isDirectory())
  )
    throw new WorkstationError(
      'conflict',
      `${request.id}: the drop folder ${row.drop_dir} no longer exists; reject it`,
    );
  const connector: ConnectorRow = {
    kind: row.kind,
    url: row.url,
    dropDir: row.drop_dir,
    secret: row.secret,
    callbackSecret: row.callback_secret,
  };
  writeConnector(
    session,
    append,
    connector,
    {
      connector: row.kind,
      endpoint: row.url === null ? null : new URL(row.url).origin,
      secretKeyId: secretKeyId(row.secret),
      callbackSecretKeyId: secretKeyId(row.callback_secret),
    },
    `user:${request.requestedBy}`,
    approvalFields(request, session.user),
  );
  statement(db, 'DELETE FROM kyc_connector_proposals WHERE request_id = ?').run(request.id);
};

// ---- the outbox view and the retry of a dead letter ----

export type KycOutboxState = 'pending' | 'delivered' | 'dead';

export type KycOutboxRow = {
  readonly eventId: string;
  readonly leadId: string;
  readonly productId: string;
  readonly jurisdiction: string;
  readonly state: KycOutboxState;
  readonly attempts: number;
  readonly queuedAt: string;
  readonly nextAttemptAt: string | null;
  readonly lastAttemptAt: string | null;
  readonly lastError: string | null;
  readonly connector: string | null;
  readonly deliveredAt: string | null;
  readonly deadAt: string | null;
  readonly outcome: string | null;
  readonly outcomeAt: string | null;
};

type OutboxDbRow = {
  event_id: string;
  lead_id: string;
  product_id: string;
  jurisdiction: string;
  state: KycOutboxState;
  attempts: number;
  queued_at: string;
  next_attempt_at: string;
  last_attempt_at: string | null;
  last_error: string | null;
  connector: string | null;
  delivered_at: string | null;
  dead_at: string | null;
  outcome: string | null;
  outcome_at: string | null;
};

const rowOf = (row: OutboxDbRow): KycOutboxRow => ({
  eventId: row.event_id,
  leadId: row.lead_id,
  productId: row.product_id,
  jurisdiction: row.jurisdiction,
  state: row.state,
  attempts: row.attempts,
  queuedAt: row.queued_at,
  nextAttemptAt: row.state === 'pending' ? row.next_attempt_at : null,
  lastAttemptAt: row.last_attempt_at,
  lastError: row.last_error,
  connector: row.connector,
  deliveredAt: row.delivered_at,
  deadAt: row.dead_at,
  outcome: row.outcome,
  outcomeAt: row.outcome_at,
});

const OUTBOX_COLUMNS = `event_id, lead_id, product_id, jurisdiction, state, attempts, queued_at, next_attempt_at,
  last_attempt_at, last_error, connector, delivered_at, dead_at, outcome, outcome_at`;

/**
 * The outbox with each event's state, newest first, inside the user's markets: what is waiting, delivered or dead,
 * with the attempts and the last error. Ids and codes only (no personal data), so it is no audited read.
 */
export const listKycOutbox = (
  session: Session,
  request: { readonly state?: KycOutboxState | undefined; readonly limit?: number | undefined },
): { readonly events: KycOutboxRow[]; readonly counts: Record<KycOutboxState, number> } => {
  requirePermission(session, 'kyc.operate', 'see the KYC outbox');
  const { db } = session.workstation;
  const vocabulary = session.workstation.policy().compiled.vocabulary;
  const visible = (jurisdiction: string): boolean => inScope(session.user, jurisdiction, vocabulary);
  const limit = request.limit ?? 200;
  const rows =
    request.state === undefined
      ? db.prepare<[], OutboxDbRow>(`SELECT ${OUTBOX_COLUMNS} FROM kyc_outbox ORDER BY queued_seq DESC`).iterate()
      : db
          .prepare<[string], OutboxDbRow>(
            `SELECT ${OUTBOX_COLUMNS} FROM kyc_outbox WHERE state = ? ORDER BY queued_seq DESC`,
          )
          .iterate(request.state);
  const events: KycOutboxRow[] = [];
  for (const row of rows) {
    if (!visible(row.jurisdiction)) continue;
    events.push(rowOf(row));
    if (events.length >= limit) break;
  }
  const counts: Record<KycOutboxState, number> = { pending: 0, delivered: 0, dead: 0 };
  for (const row of db
    .prepare<[], { state: KycOutboxState; jurisdiction: string; n: number }>(
      'SELECT state, jurisdiction, count(*) AS n FROM kyc_outbox GROUP BY state, jurisdiction',
    )
    .all())
    if (visible(row.jurisdiction)) counts[row.state] += row.n;
  return { events, counts };
};

/** One outbox event by id, or the door's refusal: unknown and out-of-market both answer "not found". */
export const outboxEventFor = (session: Session, eventId: string): KycOutboxRow => {
  const row = statement<[string], OutboxDbRow>(
    session.workstation.db,
    `SELECT ${OUTBOX_COLUMNS} FROM kyc_outbox WHERE event_id = ?`,
  ).get(eventId);
  if (!row) throw new WorkstationError('not_found', `no KYC event ${eventId}`);
  const vocabulary = session.workstation.policy().compiled.vocabulary;
  if (!inScope(session.user, row.jurisdiction, vocabulary))
    throw new WorkstationError('not_found', `no KYC event ${eventId}`, {
      reason: 'out_of_market',
      subject: `kyc:${eventId}`,
    });
  return rowOf(row);
};

/** Puts a dead letter back in the outbox for a fresh schedule of attempts, now; audited with the attempts it had made. */
export const retryKycDeadLetter = (session: Session, eventId: string): KycOutboxRow => {
  requirePermission(session, 'kyc.operate', 'retry a KYC delivery');
  const event = outboxEventFor(session, eventId);
  if (event.state !== 'dead')
    throw new WorkstationError(
      'conflict',
      `KYC event ${eventId} is ${event.state}, not a dead letter: nothing to retry`,
    );
  const workstation = session.workstation;
  commit(workstation, (append) => {
    const appended = append({
      actor: actorOf(session.user),
      type: 'kyc.delivery_retried',
      subjects: kycSubjects(event.leadId, eventId),
      payload: { pv: PAYLOAD_VERSION, eventId, leadId: event.leadId, attempts: event.attempts },
    });
    statement(
      workstation.db,
      `UPDATE kyc_outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, dead_at = NULL, leased_until = NULL
       WHERE event_id = ? AND state = 'dead'`,
    ).run(appended.entry.time, eventId);
  });
  return outboxEventFor(session, eventId);
};
