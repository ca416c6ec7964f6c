// KYC outcomes coming back (decision 0213): a signed callback (Standard Webhooks, verified with the `standardwebhooks`
// package, its replay window, message ids received once) or an imported result file. Each outcome names an outbox
// event; it is applied through the lifecycle's one fact-update door (applyKycOutcome) and audited as
// `kyc.outcome_received`, in one transaction with its receipt, so a message is applied exactly once. Every refused
// callback is a `kyc.callback_refused` entry.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { KYC_EVENT_ID_PATTERN } from '../../../../core/audit/events/kyc.ts';
import type { KYC_CALLBACK_REFUSALS } from '../../../../core/audit/events/kyc.ts';
import { KycCallbackSchema, KycResultFileSchema, MESSAGE_ID_PATTERN } from '../../../../core/kyc/event.ts';
import type { KycOutcomeData } from '../../../../core/kyc/event.ts';
import { statement } from '../../store/statements.ts';
import { requirePermission } from '../session/access.ts';
import { commit, WorkstationError } from '../session/workstation.ts';
import type { Appender, Session } from '../session/workstation.ts';
import type { KycOutcome } from './kyc-handoff.ts';
import { KYC_CONNECTOR_ACTOR, kycSubjects, outboxEventFor, readKycConnector } from './kyc-outbox.ts';
import type { FactUpdateResult } from './lead-facts.ts';
import { kycConnectorSession } from './lead-facts.ts';

/** The lifecycle's door for a KYC outcome (lead-facts.ts applyKycOutcome): idempotent by source kind and id. */
export type KycOutcomeApplier = (session: Session, outcome: KycOutcome) => Pick<FactUpdateResult, 'duplicate'>;

export type KycCallbackRefusal = (typeof KYC_CALLBACK_REFUSALS)[number];

export type KycCallbackAnswer = {
  readonly status: number;
  readonly body: { readonly accepted: boolean; readonly reason?: KycCallbackRefusal; readonly duplicate?: boolean };
};

const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const header = (headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const REFUSAL_STATUS: Readonly<Record<KycCallbackRefusal, number>> = {
  missing_headers: 400,
  bad_signature: 401,
  stale_timestamp: 401,
  // A message received before: answered 200 so a sender that lost our first answer stops retrying (decision 0213).
  replayed: 200,
  invalid_body: 400,
  unknown_event: 404,
  lead_mismatch: 422,
  not_configured: 503,
};

const refuse = (
  session: Session,
  reason: KycCallbackRefusal,
  details: { messageId: string | undefined; eventId: string | null; body: Uint8Array },
): KycCallbackAnswer => {
  const eventId = details.eventId !== null && KYC_EVENT_ID_PATTERN.test(details.eventId) ? details.eventId : null;
  commit(session.workstation, (append) =>
    append({
      actor: KYC_CONNECTOR_ACTOR,
      type: 'kyc.callback_refused',
      subjects: eventId === null ? [] : [`kyc:${eventId}`],
      payload: {
        pv: PAYLOAD_VERSION,
        reason,
        messageId:
          details.messageId !== undefined && MESSAGE_ID_PATTERN.test(details.messageId) ? details.messageId : null,
        eventId,
        bodySha256: sha256Hex(details.body),
      },
    }),
  );
  return {
    status: REFUSAL_STATUS[reason],
    body: { accepted: false, reason, ...(reason === 'replayed' ? { duplicate: true } : {}) },
  };
};

// The event id a body names, read loosely, only to say in a refusal which event it was about.
const eventIdIn = (body: Uint8Array): string | null => {
  try {
    const parsed = JSON.parse(Buffer.from(body).toString('utf8')) as { data?: { eventId?: unknown } };
    return typeof parsed?.data?.eventId === 'string' ? parsed.data.eventId : null;
  } catch {
    return null;
  }
};

const receiptOf = (session: Session, messageId: string): boolean =>
  statement<[string], { message_id: string }>(
    session.workstation.db,
    'SELECT message_id FROM kyc_callback_receipts WHERE message_id = ?',
  ).get(messageId) !== undefined;

// One outcome, inside the caller's transaction: the receipt, the lifecycle's fact update, the audit entry, the outbox.
const applyOutcome = (
  session: Session,
  append: Appender,
  applier: KycOutcomeApplier,
  outcome: KycOutcomeData,
  source: { readonly kind: 'webhook' | 'file'; readonly messageId: string },
  productId: string,
): { readonly duplicate: boolean } => {
  const { db } = session.workstation;
  const result = applier(session, {
    leadId: outcome.leadId,
    status: outcome.status,
    source: { kind: source.kind, eventId: source.messageId },
  });
  const appended = append({
    actor: KYC_CONNECTOR_ACTOR,
    type: 'kyc.outcome_received',
    subjects: kycSubjects(outcome.leadId, outcome.eventId),
    payload: {
      pv: PAYLOAD_VERSION,
      eventId: outcome.eventId,
      leadId: outcome.leadId,
      productId,
      status: outcome.status,
      source: source.kind,
      messageId: source.messageId,
      applied: !result.duplicate,
    },
  });
  statement(
    db,
    'INSERT INTO kyc_callback_receipts (message_id, event_id, received_at, outcome, sequence) VALUES (?, ?, ?, ?, ?)',
  ).run(source.messageId, outcome.eventId, appended.entry.time, outcome.status, appended.sequence);
  statement(db, 'UPDATE kyc_outbox SET outcome = ?, outcome_at = ? WHERE event_id = ?').run(
    outcome.status,
    appended.entry.time,
    outcome.eventId,
  );
  return { duplicate: result.duplicate };
};

/** The Standard Webhooks replay window: a timestamp more than this far from now, either way, is refused. */
export const CALLBACK_TOLERANCE_SECONDS = 5 * 60;

/**
 * Verifies a callback's Standard Webhooks headers against the workstation's clock (decision 0238). The package's own
 * `verify` reads the system clock for its replay window, which is not the clock the workstation decides by; so the
 * timestamp is checked here against `nowMs` with the package's tolerance (five minutes either way), and the signature
 * is the package's own `sign` over the message id, that timestamp and the body, compared in constant time with each
 * signature the header lists (space-separated, `v1,` prefixed), as the package's `verify` does.
 */
export const verifyCallbackSignature = (
  secret: string,
  message: {
    readonly messageId: string;
    readonly timestamp: string;
    readonly signature: string;
    readonly body: Uint8Array;
  },
  nowMs: number,
): 'verified' | 'stale_timestamp' | 'bad_signature' => {
  if (!/^\d{1,12}$/u.test(message.timestamp)) return 'bad_signature';
  const seconds = Number(message.timestamp);
  const now = Math.floor(nowMs / 1000);
  if (now - seconds > CALLBACK_TOLERANCE_SECONDS || seconds - now > CALLBACK_TOLERANCE_SECONDS)
    return 'stale_timestamp';
  const expected = Buffer.from(new Webhook(secret).sign(message.messageId, new Date(seconds * 1000), message.body));
  const matches = message.signature
    .split(' ')
    .map((each) => Buffer.from(each))
    .some((each) => each.length === expected.length && timingSafeEqual(each, expected));
  return matches ? 'verified' : 'bad_signature';
};

/**
 * A KYC callback as the browser host received it: the raw body and the headers. Verified with the configured
 * callback secret (signature, and the five-minute replay window on the workstation's clock), then: a message id received before is
 * refused as replayed, the body must be a `kyc.outcome.reported` event naming an outbox event and its lead.
 */
export const receiveKycCallback = (
  session: Session,
  request: { readonly headers: Readonly<Record<string, string | string[] | undefined>>; readonly body: Uint8Array },
  applier: KycOutcomeApplier,
): KycCallbackAnswer => {
  const messageId = header(request.headers, 'webhook-id');
  const details = { messageId, eventId: eventIdIn(request.body), body: request.body };
  const config = readKycConnector(session.workstation.db);
  if (config?.callbackSecret == null) return refuse(session, 'not_configured', details);
  const timestamp = header(request.headers, 'webhook-timestamp');
  const signature = header(request.headers, 'webhook-signature');
  if (
    messageId === undefined ||
    timestamp === undefined ||
    signature === undefined ||
    !MESSAGE_ID_PATTERN.test(messageId)
  )
    return refuse(session, 'missing_headers', details);
  const verified = verifyCallbackSignature(
    config.callbackSecret,
    { messageId, timestamp, signature, body: request.body },
    session.workstation.deps.now().getTime(),
  );
  if (verified !== 'verified') return refuse(session, verified, details);
  if (receiptOf(session, messageId)) return refuse(session, 'replayed', details);
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(request.body).toString('utf8'));
  } catch {
    return refuse(session, 'invalid_body', details);
  }
  const parsed = KycCallbackSchema.safeParse(raw);
  if (!parsed.success) return refuse(session, 'invalid_body', details);
  const outcome = parsed.data.data;
  const event = statement<[string], { lead_id: string; product_id: string }>(
    session.workstation.db,
    'SELECT lead_id, product_id FROM kyc_outbox WHERE event_id = ?',
  ).get(outcome.eventId);
  if (!event) return refuse(session, 'unknown_event', details);
  if (event.lead_id !== outcome.leadId) return refuse(session, 'lead_mismatch', details);
  const applied = commit(session.workstation, (append) =>
    // Applied as the connector, whoever is signed in on the host: the callback's signature is its authority.
    applyOutcome(
      kycConnectorSession(session),
      append,
      applier,
      outcome,
      { kind: 'webhook', messageId },
      event.product_id,
    ),
  );
  return { status: 200, body: { accepted: true, duplicate: applied.duplicate } };
};

// ---- result files ----

export type KycResultsImport = { readonly applied: number; readonly duplicates: number; readonly records: number };

const MAX_PROBLEMS = 20;

/**
 * Imports a KYC result file (docs/kyc-connector.md): validated whole first (every problem named by file, record and
 * field), then applied in one transaction, or nothing. A record whose id was received before is skipped as a
 * duplicate (so importing the same file twice applies nothing twice).
 */
export const importKycResults = (
  session: Session,
  input: { readonly fileName: string; readonly content: string },
  applier: KycOutcomeApplier,
): KycResultsImport => {
  requirePermission(session, 'kyc.operate', 'import KYC results');
  const fail = (problems: readonly string[]): never => {
    const shown = problems.slice(0, MAX_PROBLEMS);
    const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
    throw new WorkstationError('invalid_input', `${shown.join('; ')}${more}`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(input.content);
  } catch (error) {
    return fail([`${input.fileName}: not JSON (${error instanceof Error ? error.message : String(error)})`]);
  }
  const parsed = KycResultFileSchema.safeParse(raw);
  if (!parsed.success)
    return fail(
      parsed.error.issues.map((issue) => {
        const [first, index, ...field] = issue.path.map(String);
        return first === 'results' && index !== undefined
          ? `${input.fileName}: record ${Number(index) + 1}: ${field.join('.') || '(record)'}: ${issue.message}`
          : `${input.fileName}: ${issue.path.map(String).join('.') || '(file)'}: ${issue.message}`;
      }),
    );
  const records = parsed.data.results;
  const problems: string[] = [];
  const seen = new Set<string>();
  const products = new Map<string, string>();
  records.forEach((record, index) => {
    const where = `${input.fileName}: record ${index + 1}`;
    if (seen.has(record.id)) problems.push(`${where}: id: ${record.id} appears twice in the file`);
    seen.add(record.id);
    try {
      const event = outboxEventFor(session, record.eventId);
      if (event.leadId !== record.leadId)
        problems.push(`${where}: leadId: event ${record.eventId} is for another lead, not ${record.leadId}`);
      products.set(record.eventId, event.productId);
    } catch (error) {
      if (error instanceof WorkstationError && error.code === 'not_found' && error.denial === null)
        problems.push(`${where}: eventId: no KYC event ${record.eventId} in this workstation's outbox`);
      else throw error;
    }
  });
  if (problems.length > 0) return fail(problems);
  return commit(session.workstation, (append) => {
    let applied = 0;
    let duplicates = 0;
    for (const record of records) {
      if (receiptOf(session, record.id)) {
        duplicates += 1;
        continue;
      }
      const result = applyOutcome(
        session,
        append,
        applier,
        record,
        { kind: 'file', messageId: record.id },
        products.get(record.eventId)!,
      );
      if (result.duplicate) duplicates += 1;
      else applied += 1;
    }
    return { applied, duplicates, records: records.length };
  });
};
