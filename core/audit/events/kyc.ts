// Events of the KYC hand-off connector (decisions 0210–0214): an initiation queued in the outbox, delivered or
// dead-lettered, a dead letter retried by a person, a KYC outcome received, a signed callback refused, and the
// connector's configuration. Only pseudonymous ids, codes and counts: the subject's data never enters the log.
import * as z from 'zod';
import { HashHex, SequenceText } from '../fields.ts';
import { Code, defineEvent, PayloadVersion } from './define.ts';

/** An outbox event id: `kyc_` and 32 lower-case hex digits (128 random bits). */
export const KYC_EVENT_ID_PATTERN = /^kyc_[0-9a-f]{32}$/;
export const KycEventId = z.string().regex(KYC_EVENT_ID_PATTERN, 'a KYC event id: kyc_ and 32 lower-case hex digits');
export const KycConnectorKind = z.enum(['webhook', 'file_drop']);
export const KycOutcomeStatus = z.enum(['not_started', 'pending', 'verified', 'failed']);
/** A key id of a connector secret: the first 16 hex digits of SHA-256 over the secret's bytes (never the secret). */
const SecretKeyId = z
  .string()
  .regex(/^[0-9a-f]{16}$/)
  .nullable();
const Count = z.number().int().min(0);

export const KYC_CALLBACK_REFUSALS = [
  'missing_headers',
  'bad_signature',
  'stale_timestamp',
  'replayed',
  'invalid_body',
  'unknown_event',
  'lead_mismatch',
  'not_configured',
] as const;

export const KYC_EVENTS = {
  'kyc.initiation_queued': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      eventId: KycEventId,
      leadId: Code,
      productId: Code,
      jurisdiction: Code,
      customerType: Code,
      ruleVersion: Code,
      pathSequence: SequenceText.describe('the lifecycle entry that took the path to QUALIFIED'),
    }),
  }),
  'kyc.initiation_delivered': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      eventId: KycEventId,
      leadId: Code,
      connector: KycConnectorKind,
      attempts: Count.describe('delivery attempts, this one included'),
      httpStatus: z.number().int().min(100).max(599).nullable().describe('the 2xx the receiver answered (webhook)'),
      disclosed: z.array(Code).describe("the subject's fields sent to the KYC system (empty for a file drop)"),
      bodySha256: HashHex.describe('SHA-256 of the exact bytes delivered'),
    }),
  }),
  'kyc.delivery_dead_lettered': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      eventId: KycEventId,
      leadId: Code,
      connector: KycConnectorKind.nullable(),
      attempts: Count,
      lastError: Code.describe(
        'why the last attempt failed, e.g. http_503, timeout, connection_refused, subject_erased',
      ),
    }),
  }),
  'kyc.delivery_retried': defineEvent({
    payload: z.strictObject({ pv: PayloadVersion, eventId: KycEventId, leadId: Code, attempts: Count }),
  }),
  'kyc.outcome_received': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      eventId: KycEventId,
      leadId: Code,
      productId: Code,
      status: KycOutcomeStatus,
      source: z.enum(['webhook', 'file']),
      messageId: Code.describe('the callback’s webhook-id, or the result file record’s id'),
      applied: z.boolean().describe('false when the lifecycle had already applied this message (a duplicate)'),
    }),
  }),
  'kyc.callback_refused': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      reason: z.enum(KYC_CALLBACK_REFUSALS),
      messageId: Code.nullable().describe('the webhook-id sent, when it is a well-formed id'),
      eventId: KycEventId.nullable().describe('the event the callback named, when it is a well-formed id'),
      bodySha256: HashHex.describe('SHA-256 of the body received'),
    }),
  }),
  'kyc.connector_configured': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      connector: z.enum(['webhook', 'file_drop', 'none']),
      endpoint: Code.nullable().describe('the webhook URL’s origin (scheme, host, port), or null'),
      secretKeyId: SecretKeyId.describe('key id of the signing secret'),
      callbackSecretKeyId: SecretKeyId.describe('key id of the callback verification secret'),
      requestId: Code.optional().describe('the meta-action request a second operations admin approved (decision 0240)'),
      requestedBy: Code.optional(),
      approvedBy: Code.optional(),
    }),
  }),
} as const;
