// Delivering the KYC outbox (decision 0211): a pass takes the due events under a lease (so the host's background job
// and `perimeter kyc deliver` never send one event at once), builds each event's bytes (the thin event, with the
// subject read from the lead's personal data for a webhook), sends them a few at a time, and records every result in
// one transaction: delivered (audited, with the fields disclosed), failed (backoff with jitter), or dead-lettered
// after the limit (audited). At least once on the wire, idempotent by event id (the webhook-id), recorded once here.
import { createHash, randomInt } from 'node:crypto';
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { disclosedFields, kycSubjectOf } from '../../../../core/kyc/event.ts';
import type { KycInitiationEvent, KycSubject } from '../../../../core/kyc/event.ts';
import { DEFAULT_RETRY_SCHEDULE, isExhausted, retryDelayMs } from '../../../../core/kyc/retry.ts';
import type { RetrySchedule } from '../../../../core/kyc/retry.ts';
import { canonicalJson } from '../../../../core/shared/canonical-json.ts';
import { dropEvent } from '../../kyc/file-drop.ts';
import { postSigned } from '../../kyc/webhook.ts';
import type { AttemptResult } from '../../kyc/webhook.ts';
import { statement } from '../../store/statements.ts';
import { inTransaction } from '../../store/transaction.ts';
import { personalDataAt } from '../projection/projector.ts';
import { requirePermission } from '../session/access.ts';
import { commit } from '../session/workstation.ts';
import type { Session, Workstation } from '../session/workstation.ts';
import { KYC_CONNECTOR_ACTOR, kycSubjects, readKycConnector, webhookUrlProblem } from './kyc-outbox.ts';
import type { KycConnectorConfig } from './kyc-outbox.ts';

export type KycDeliveryOptions = {
  readonly schedule?: RetrySchedule;
  /** How long one webhook attempt may take (default 15 s). */
  readonly timeoutMs?: number;
  /** Attempts in flight at once (default 16). */
  readonly concurrency?: number;
  /** Events taken per lease and recorded per transaction (default 200). */
  readonly batchSize?: number;
  /** Stop after this many events this pass (default: every due one). */
  readonly maxEvents?: number;
  /** A draw in [0, 1) for the jitter (default node:crypto). */
  readonly random?: () => number;
};

export type KycDeliveryPass = {
  readonly connector: KycConnectorConfig['kind'] | null;
  readonly attempted: number;
  readonly delivered: number;
  readonly failed: number;
  readonly deadLettered: number;
};

export const DEFAULT_TIMEOUT_MS = 15_000;
/** How often the host and the desktop app run a delivery pass while unlocked. */
export const KYC_DELIVERY_INTERVAL_MS = 5_000;

type Claimed = { event_id: string; lead_id: string; body: string; attempts: number };
type Prepared = Claimed & { readonly bytes: Uint8Array | null; readonly subject: KycSubject | null };
type Result = { readonly event: Prepared; readonly result: AttemptResult; readonly at: string };

const defaultRandom = (): number => randomInt(0, 2 ** 32) / 2 ** 32;

// Takes up to `limit` due events for this pass: a lease past the attempt's timeout keeps any other pass off them,
// and a pass that dies leaves them to the next one once the lease runs out.
const claimDue = (workstation: Workstation, now: Date, limit: number, leaseMs: number): Claimed[] =>
  inTransaction(workstation.db, () =>
    statement<[string, string, string, number], Claimed>(
      workstation.db,
      `UPDATE kyc_outbox SET leased_until = ? WHERE event_id IN (
         SELECT event_id FROM kyc_outbox WHERE state = 'pending' AND next_attempt_at <= ?
           AND (leased_until IS NULL OR leased_until <= ?) ORDER BY next_attempt_at, queued_seq LIMIT ?)
       RETURNING event_id, lead_id, body, attempts`,
    ).all(new Date(now.getTime() + leaseMs).toISOString(), now.toISOString(), now.toISOString(), limit),
  );

// The bytes to send: the frozen thin event, with the subject for a webhook (read now, so an erasure since the event
// was queued is honoured: nothing is sent, the event is dead-lettered as subject_erased).
const prepare = (workstation: Workstation, kind: 'webhook' | 'file_drop', event: Claimed): Prepared => {
  // The stored body is the connector's own canonical JSON, validated when it was built (enqueueKycInitiation).
  const parsed = JSON.parse(event.body) as KycInitiationEvent;
  let subject: KycSubject | null = null;
  if (kind === 'webhook') {
    const lead = statement<[string], { ingested_seq: number }>(
      workstation.db,
      'SELECT ingested_seq FROM leads WHERE id = ?',
    ).get(event.lead_id);
    const personal = lead ? personalDataAt(workstation.db, lead.ingested_seq) : null;
    if (personal === null) return { ...event, bytes: null, subject: null };
    subject = kycSubjectOf(personal);
  }
  const bytes = Buffer.from(canonicalJson({ ...parsed, data: { ...parsed.data, subject } }), 'utf8');
  return { ...event, bytes, subject };
};

const send = async (
  config: KycConnectorConfig,
  event: Prepared,
  now: Date,
  timeoutMs: number,
): Promise<AttemptResult> => {
  if (event.bytes === null) return { ok: false, error: 'subject_erased', httpStatus: null };
  if (config.kind === 'file_drop') return dropEvent(config.dropDir!, event.event_id, event.bytes);
  return postSigned({
    url: config.url!,
    secret: config.secret!,
    messageId: event.event_id,
    at: now,
    body: event.bytes,
    timeoutMs,
  });
};

// Runs `work` over `items` with at most `limit` in flight.
const pooled = async <T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> => {
  const results = new Array<R>(items.length);
  let next = 0;
  const runner = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, runner));
  return results;
};

// Every result of a batch in one transaction. A row another pass or a person changed meanwhile (no longer pending)
// is left as it is: the state moves pending → delivered or dead only once, so each is recorded once.
const record = (
  workstation: Workstation,
  kind: 'webhook' | 'file_drop',
  results: readonly Result[],
  schedule: RetrySchedule,
  random: () => number,
): { delivered: number; failed: number; deadLettered: number } => {
  const counts = { delivered: 0, failed: 0, deadLettered: 0 };
  commit(workstation, (append) => {
    const { db } = workstation;
    for (const { event, result, at } of results) {
      const attempts = event.attempts + 1;
      const still = statement<[string], { state: string }>(db, 'SELECT state FROM kyc_outbox WHERE event_id = ?').get(
        event.event_id,
      );
      if (still?.state !== 'pending') continue;
      if (result.ok) {
        const appended = append({
          actor: KYC_CONNECTOR_ACTOR,
          type: 'kyc.initiation_delivered',
          subjects: kycSubjects(event.lead_id, event.event_id),
          payload: {
            pv: PAYLOAD_VERSION,
            eventId: event.event_id,
            leadId: event.lead_id,
            connector: kind,
            attempts,
            httpStatus: result.httpStatus,
            disclosed: disclosedFields(event.subject),
            bodySha256: createHash('sha256').update(event.bytes!).digest('hex'),
          },
        });
        statement(
          db,
          `UPDATE kyc_outbox SET state = 'delivered', attempts = ?, last_attempt_at = ?, last_error = NULL,
             connector = ?, delivered_at = ?, delivered_seq = ?, leased_until = NULL WHERE event_id = ?`,
        ).run(attempts, at, kind, appended.entry.time, appended.sequence, event.event_id);
        counts.delivered += 1;
        continue;
      }
      // An erased subject will not come back: no point in retrying.
      if (result.error === 'subject_erased' || isExhausted(attempts, schedule)) {
        const appended = append({
          actor: KYC_CONNECTOR_ACTOR,
          type: 'kyc.delivery_dead_lettered',
          subjects: kycSubjects(event.lead_id, event.event_id),
          payload: {
            pv: PAYLOAD_VERSION,
            eventId: event.event_id,
            leadId: event.lead_id,
            connector: kind,
            attempts,
            lastError: result.error,
          },
        });
        statement(
          db,
          `UPDATE kyc_outbox SET state = 'dead', attempts = ?, last_attempt_at = ?, last_error = ?, connector = ?,
             dead_at = ?, leased_until = NULL WHERE event_id = ?`,
        ).run(attempts, at, result.error, kind, appended.entry.time, event.event_id);
        counts.deadLettered += 1;
        continue;
      }
      const next = new Date(Date.parse(at) + retryDelayMs(attempts, random(), schedule)).toISOString();
      statement(
        db,
        `UPDATE kyc_outbox SET attempts = ?, last_attempt_at = ?, last_error = ?, connector = ?, next_attempt_at = ?,
           leased_until = NULL WHERE event_id = ?`,
      ).run(attempts, at, result.error, kind, next, event.event_id);
      counts.failed += 1;
    }
  });
  return counts;
};

/**
 * One delivery pass over the due events, as the workstation's connector (`system:kyc`): the host's background job
 * calls it while the workstation is unlocked; `perimeter kyc deliver` through deliverKycOutboxAs. Nothing configured
 * (or `none`): nothing is sent.
 */
export const deliverKycOutbox = async (
  workstation: Workstation,
  options: KycDeliveryOptions = {},
): Promise<KycDeliveryPass> => {
  const config = readKycConnector(workstation.db);
  const pass = { attempted: 0, delivered: 0, failed: 0, deadLettered: 0 };
  if (config === null || config.kind === 'none') return { connector: config?.kind ?? null, ...pass };
  const kind = config.kind;
  if (kind === 'webhook' && webhookUrlProblem(config.url ?? '') !== null) return { connector: kind, ...pass };
  const schedule = options.schedule ?? DEFAULT_RETRY_SCHEDULE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const batchSize = options.batchSize ?? 200;
  const random = options.random ?? defaultRandom;
  const maxEvents = options.maxEvents ?? Number.POSITIVE_INFINITY;
  // The lease outlasts every attempt of the batch: the slowest takes timeoutMs, and they run `concurrency` at a time.
  const concurrency = options.concurrency ?? 16;
  const leaseMs = timeoutMs * Math.ceil(batchSize / concurrency) + 60_000;
  while (pass.attempted < maxEvents) {
    if (!workstation.db.open) break; // locked meanwhile: the next pass carries on
    const now = workstation.deps.now();
    const claimed = claimDue(workstation, now, Math.min(batchSize, maxEvents - pass.attempted), leaseMs);
    if (claimed.length === 0) break;
    const prepared = claimed.map((event) => prepare(workstation, kind, event));
    const results = await pooled(prepared, concurrency, async (event) => {
      const at = workstation.deps.now();
      const result = await send(config, event, at, timeoutMs);
      return { event, result, at: at.toISOString() };
    });
    if (!workstation.db.open) break;
    const counts = record(workstation, kind, results, schedule, random);
    pass.attempted += claimed.length;
    pass.delivered += counts.delivered;
    pass.failed += counts.failed;
    pass.deadLettered += counts.deadLettered;
  }
  return { connector: kind, ...pass };
};

/** A delivery pass asked for by a person (`perimeter kyc deliver`): they must hold kyc.operate. */
export const deliverKycOutboxAs = (session: Session, options: KycDeliveryOptions = {}): Promise<KycDeliveryPass> => {
  requirePermission(session, 'kyc.operate', 'deliver the KYC outbox');
  return deliverKycOutbox(session.workstation, options);
};
