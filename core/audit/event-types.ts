// The closed set of audit event types: each with its category, what it records, its strict payload (the hashed entry),
// its personal data (beside the log, under the salted commitment) and the reader of its version 1 payloads.
import * as z from 'zod';
import { ACCESS_EVENTS } from './events/access.ts';
import { ADMINISTRATION_EVENTS } from './events/administration.ts';
import { CASE_EVENTS } from './events/case.ts';
import { CONDUCT_EVENTS } from './events/conduct.ts';
import type { EventDefinition } from './events/define.ts';
import { LEAD_EVENTS } from './events/lead.ts';
import { LOG_EVENTS } from './events/log.ts';
import { MONITORING_EVENTS } from './events/monitoring.ts';
import { PRIVACY_EVENTS } from './events/privacy.ts';
import { SYNC_EVENTS } from './events/sync.ts';
import { KYC_EVENTS } from './events/kyc.ts';

export { KeyAnnouncementSchema } from './events/log.ts';
export type { KeyAnnouncement } from './events/log.ts';
export { PAYLOAD_VERSION } from './events/define.ts';

export const AUDIT_EVENT_TYPES = [
  'log.created',
  'key.rotated',
  'lead.ingested',
  'lead.screened',
  'routing.decided',
  'case.opened',
  'case.claimed',
  'case.released',
  'case.decided',
  'case.approved',
  'case.returned',
  'personal_data.read',
  'user.created',
  'user.role_changed',
  'permission.granted',
  'permission.revoked',
  'market.reassigned',
  'policy.published',
  'list.imported',
  'audit.exported',
  'retention.purged',
  'subject.erased',
  'sync.pushed',
  'sync.pulled',
  'store.rekeyed',
  'access.denied',
  'session.signed_in',
  'session.signed_out',
  'session.sign_in_failed',
  'erasure.refused',
  'erasure.override_requested',
  'erasure.override_approved',
  'meta.requested',
  'meta.approved',
  'meta.rejected',
  'monitoring.started',
  'personal_data.bulk_read',
  'screening.hit_suppressed',
  'screening.hits_resolved',
  'screening.allow_listed',
  'monitoring.completed',
  'screening.allow_list_removed',
  'screening.allow_list_expired',
  'path.outreach_recorded',
  'path.stage_changed',
  'path.checklist_item_done',
  'path.reassigned',
  'path.command_refused',
  'lead.facts_updated',
  'kyc.initiation_queued',
  'kyc.initiation_delivered',
  'kyc.delivery_dead_lettered',
  'kyc.delivery_retried',
  'kyc.outcome_received',
  'kyc.callback_refused',
  'kyc.connector_configured',
  'lead.intake',
  'distribution.key_pinned',
  'distribution.refused',
  'sync.applied',
  'sync.apply_refused',
  'case.conflict_resolved',
  'path.contact_planned',
  'lead.residency_refused',
  'sync.device_approved',
  'sync.device_revoked',
] as const;

export const AuditEventTypeSchema = z.enum(AUDIT_EVENT_TYPES);
export type AuditEventType = z.infer<typeof AuditEventTypeSchema>;

export type EventCategory =
  | 'log'
  | 'lead'
  | 'routing'
  | 'case'
  | 'privacy'
  | 'administration'
  | 'sync'
  | 'access'
  | 'monitoring'
  | 'conduct'
  | 'kyc';

export type EventTypeDoc = {
  readonly category: EventCategory;
  /** What one entry of this type records, for the export documentation and the verifier's summary. */
  readonly records: string;
  /** The subject ids the entry names. */
  readonly subjects: string;
};

/** Every event type's definition: one strict payload schema, one strict personal-data schema, the v1 reader. */
export const EVENT_DEFINITIONS = {
  ...LOG_EVENTS,
  ...LEAD_EVENTS,
  ...CASE_EVENTS,
  ...PRIVACY_EVENTS,
  ...ADMINISTRATION_EVENTS,
  ...SYNC_EVENTS,
  ...ACCESS_EVENTS,
  ...MONITORING_EVENTS,
  ...CONDUCT_EVENTS,
  ...KYC_EVENTS,
} as const satisfies Record<AuditEventType, EventDefinition>;

type Definitions = typeof EVENT_DEFINITIONS;

/** The payload a new entry of type T carries: `PayloadOf<'case.decided'>`. */
export type PayloadOf<T extends AuditEventType> = z.infer<Definitions[T]['payload']>;
/** The personal data a new entry of type T carries beside the log (never for types without any). */
export type PersonalOf<T extends AuditEventType> = Definitions[T]['personal'] extends z.ZodType
  ? z.infer<Definitions[T]['personal']>
  : never;

/** Whether a payload is in the current shape (version 2, or the type's only shape) rather than version 1. */
export const isCurrentPayload = (type: AuditEventType, payload: unknown): boolean =>
  EVENT_DEFINITIONS[type].v1 === null ||
  (typeof payload === 'object' && payload !== null && (payload as { pv?: unknown }).pv !== undefined);

/**
 * The reader of every payload of a type in the log: the current strict shape, or (for entries written before typed
 * events) the version 1 shape. The log is forever, so a reader is never dropped.
 */
export const EVENT_PAYLOAD_SCHEMAS = Object.fromEntries(
  AUDIT_EVENT_TYPES.map((type) => {
    const definition: EventDefinition = EVENT_DEFINITIONS[type];
    return [type, definition.v1 === null ? definition.payload : z.union([definition.payload, definition.v1])];
  }),
) as unknown as Readonly<Record<AuditEventType, z.ZodType>>;

/**
 * The schema that reads this payload: the current one when it says its version (or the type has only one shape),
 * else version 1. Chosen by the `pv` field rather than tried in turn, so a problem names the field that is wrong.
 */
export const payloadReaderFor = (type: AuditEventType, payload: unknown): z.ZodType => {
  const definition: EventDefinition = EVENT_DEFINITIONS[type];
  return isCurrentPayload(type, payload) || definition.v1 === null ? definition.payload : definition.v1;
};

export type NewEventProblem = { readonly field: string; readonly message: string };

const firstIssue = (error: z.ZodError, prefix: string): NewEventProblem => {
  const issue = error.issues[0];
  return { field: [prefix, ...(issue?.path ?? []).map(String)].join('.'), message: issue?.message ?? 'invalid' };
};

/**
 * The write-time check of a new entry: its payload exactly in the current shape of its type, and its personal data
 * exactly in the type's personal shape (required where the type requires it, refused where the type has none). So a
 * writer cannot put a personal field in the hashed payload: the strict schema refuses the unknown key.
 */
export const checkNewEvent = (
  type: AuditEventType,
  payload: unknown,
  personal: unknown | undefined,
): NewEventProblem | null => {
  const definition: EventDefinition = EVENT_DEFINITIONS[type];
  const parsed = definition.payload.safeParse(payload);
  if (!parsed.success) return firstIssue(parsed.error, 'payload');
  if (definition.personal === null) {
    if (personal !== undefined) return { field: 'personalData', message: `${type} entries carry no personal data` };
    return null;
  }
  if (personal === undefined)
    return definition.personalRequired
      ? { field: 'personalData', message: `${type} entries carry personal data` }
      : null;
  const data = definition.personal.safeParse(personal);
  return data.success ? null : firstIssue(data.error, 'personalData.data');
};

export const EVENT_TYPE_DOCS: Readonly<Record<AuditEventType, EventTypeDoc>> = {
  'log.created': {
    category: 'log',
    records: 'The first entry of a device log: its origin and the first signing key with its validity window.',
    subjects: 'device:<log id>',
  },
  'key.rotated': {
    category: 'log',
    records:
      'A new checkpoint signing key announced; the previous key is retired after co-signing the hand-over checkpoint.',
    subjects: 'device:<log id>',
  },
  'lead.ingested': {
    category: 'lead',
    records:
      "A lead entered the system (file, form, sync or api): its routing facts; its parties, address, attributes and the source system's id are personal data, committed, not stored in the entry.",
    subjects: 'lead:<id>',
  },
  'lead.intake': {
    category: 'lead',
    records:
      "A lead taken in (file, form, sync or api), in one entry: its routing facts, its screening (hits without the listed entries' names), and every product path's routing decision with its trace (format 4: entities, licences and teams named by position in the policy the entry cites) and the review case each refusal opens, which the projector derives from the entry (no case.opened entry). The lead's parties, address, attributes, source id and the hit entries' names are personal data, committed, not stored in the entry.",
    subjects: 'lead:<id>',
  },
  'lead.residency_refused': {
    category: 'lead',
    records:
      "A lead refused at intake by a workstation pinned to a region (decision 0270): the policy places the lead in another region, so it is not taken in (no lead, no personal data kept here). The entry names the record (source, source system, line), the lead's region, the basis (booking entity or market) and markets, the pinned region and the policy version that placed it.",
    subjects: 'hub:<pinned region>',
  },
  'lead.screened': {
    category: 'lead',
    records:
      "A screening result: outcome and hits (the listed entries' names stay in the committed personal data), and, when Perimeter screened the lead, the `thresholds` (potential, strong) of the policy active then and the `listVersions` screened against.",
    subjects: 'lead:<id>',
  },
  'routing.decided': {
    category: 'routing',
    records:
      'Every routing decision for one product path: assigned, refused (with reason and queue), held or waiting for capacity, with the rule version and the full explanation trace.',
    subjects: 'lead:<id>, and team:/rep: when assigned',
  },
  'case.opened': { category: 'case', records: 'A review case opened in a queue.', subjects: 'case:<id>, lead:<id>' },
  'case.claimed': {
    category: 'case',
    records: 'An officer took a case. (Version 1 entries also recorded releases here, as `action: "release"`.)',
    subjects: 'case:<id>, lead:<id>',
  },
  'case.released': {
    category: 'case',
    records:
      'A claim released back to the queue: by its holder, or by an admin deactivating the holder (`claimedBy`; the reason in the personal data).',
    subjects: 'case:<id>, lead:<id>',
  },
  'case.decided': {
    category: 'case',
    records:
      'A case decision (first pair of eyes). On a screening case, the optional `hits` names the hits it clears or confirms (list id, entry id, list version).',
    subjects: 'case:<id>, lead:<id>',
  },
  'case.approved': {
    category: 'case',
    records:
      'The second, independent approval of a four-eyes decision. (Version 1 entries also recorded returns for rework here, as `verdict: "returned"`.)',
    subjects: 'case:<id>, lead:<id>',
  },
  'case.returned': {
    category: 'case',
    records: 'A four-eyes decision sent back to its maker for rework by the checker (the reason in the personal data).',
    subjects: 'case:<id>, lead:<id>',
  },
  'personal_data.read': {
    category: 'privacy',
    records:
      "Every read of a lead's personal data: who (actor) saw which fields of whom (subject), when, and why (the purpose, beside the log).",
    subjects: 'lead:<id> (the data subject)',
  },
  'user.created': {
    category: 'administration',
    records: 'A user account created (the display name beside the log).',
    subjects: 'user:<id>',
  },
  'user.role_changed': {
    category: 'administration',
    records: "A user's roles changed (the reason beside the log).",
    subjects: 'user:<id>',
  },
  'permission.granted': {
    category: 'administration',
    records:
      "A permission granted. `workstation-sign-in` (re-enrolment, reactivation) makes the user active, and `passphraseChosenBy` names the admin who chose a new initial passphrase (decision 0161); `keychain-unlock` is one device's OS keychain sign-in.",
    subjects: 'user:<id>',
  },
  'permission.revoked': {
    category: 'administration',
    records:
      "A permission revoked. `workstation-sign-in` deactivates the user (the leaver process: `releasedCases`, the reason beside the log); `keychain-unlock` forgets one device's OS keychain sign-in.",
    subjects: 'user:<id>',
  },
  'market.reassigned': {
    category: 'administration',
    records: "A user's markets changed (the reason beside the log).",
    subjects: 'user:<id>',
  },
  'policy.published': {
    category: 'administration',
    records:
      'A policy bundle published, by rule version (content hash); when it came from the hub, the signed `distribution` it was activated from (stream, sequence, content SHA-256, publisher key and signature).',
    subjects: 'policy:<rule version>',
  },
  'list.imported': {
    category: 'administration',
    records:
      'A sanctions, PEP or internal list imported or updated, with its version; when it came from the hub, the signed `distribution` it was activated from.',
    subjects: 'list:<id>',
  },
  'audit.exported': {
    category: 'log',
    records:
      'An export of this log was made (the export itself is audited); it is the last entry of the bundle it produced.',
    subjects: 'device:<log id>',
  },
  'retention.purged': {
    category: 'privacy',
    records:
      'Personal data past its retention period (per regime, from the policy) deleted; data and salt gone, commitments kept.',
    subjects: 'device:<log id>',
  },
  'subject.erased': {
    category: 'privacy',
    records:
      "An erasure request (GDPR art. 17) carried out: the subject's personal data and salts deleted, the entries that committed to them listed.",
    subjects: 'the erased subject id',
  },
  'sync.pushed': { category: 'sync', records: 'Entries pushed to a regional hub.', subjects: 'hub:<id>' },
  'sync.pulled': { category: 'sync', records: 'Entries pulled from a regional hub.', subjects: 'hub:<id>' },
  'store.rekeyed': {
    category: 'administration',
    records:
      'The workstation database re-encrypted under a new random key: whose key slots were kept (re-wrapped) and dropped, and whether the OS keychain slot was deleted; no key material.',
    subjects: 'device:<log id>',
  },
  'access.denied': {
    category: 'access',
    records:
      'A refused api call or CLI command of a signed-in user (or of nobody, on a locked workstation): the `action`, the `reason` (`forbidden`, `out_of_market`, `inactive`, `locked`); the subject tried, when there is one, is the entry’s subject. An out-of-market read still answers "not found" to the caller. A call refused on a locked workstation is noted beside the database and appended (actor `system:door`, with `attemptedAt`) at the next sign-in.',
    subjects: 'the subject tried, or none',
  },
  'session.signed_in': {
    category: 'access',
    records: 'A user signed in on this workstation (`via` the api or the CLI).',
    subjects: 'user:<id>',
  },
  'session.signed_out': {
    category: 'access',
    records: 'A session ended: locked, replaced by another user signing in, or ended because the user was deactivated.',
    subjects: 'user:<id>',
  },
  'session.sign_in_failed': {
    category: 'access',
    records:
      'A failed sign-in (wrong passphrase, unknown user, inactive user, throttled), written to a sidecar file when it happened (the store cannot be opened without the passphrase) and appended at the next successful sign-in on this workstation. `userId` is null when the name tried is not a user of this workstation (it may be mistyped secret text).',
    subjects: 'user:<id>, or none',
  },
  'erasure.refused': {
    category: 'privacy',
    records:
      "An erasure request refused because the subject's data is inside a legally required retention period: the regime, its years and the date it ends; the requester's reason is committed personal data.",
    subjects: 'lead:<id>, user:<requester>',
  },
  'erasure.override_requested': {
    category: 'privacy',
    records:
      'A senior officer asks to erase a subject inside a required retention period anyway (first pair of eyes); the reason is committed personal data.',
    subjects: 'lead:<id>, user:<requester>',
  },
  'erasure.override_approved': {
    category: 'privacy',
    records:
      'A second senior officer approves an erasure override (maker ≠ checker); the subject.erased entry follows in the same transaction.',
    subjects: 'lead:<id>, user:<approver>',
  },
  'meta.requested': {
    category: 'administration',
    records:
      "A meta-action the policy puts under a second operations admin's approval (`approvals.meta`) requested: `action`, `target` and the `change` approval would apply; nothing changes yet. The new user's name and the reason are committed personal data.",
    subjects: 'meta:<request id>, user:<id> or policy:<rule version>',
  },
  'meta.approved': {
    category: 'administration',
    records:
      'A second operations admin (the actor; never the requester nor an account tied to them) approved a requested meta-action; the change itself follows in the same transaction as its usual entry (user.created, user.role_changed, market.reassigned, permission.granted, policy.published) naming `requestId`, `requestedBy` and `approvedBy`.',
    subjects: 'meta:<request id>, the target',
  },
  'meta.rejected': {
    category: 'administration',
    records:
      'A requested meta-action rejected by another operations admin, or withdrawn by its requester (the actor); nothing is applied, and the reason is committed personal data.',
    subjects: 'meta:<request id>, the target',
  },
  'monitoring.started': {
    category: 'monitoring',
    records:
      'A re-screening run started by a list update (decision 0193), in the same transaction as its `list.imported` entry: the list, the new and previous versions, how many entries were added, changed and removed, the leads it will re-screen (those ingested up to `ingestedThrough`), the thresholds, and the user whose import started it. The run itself acts as `system:monitoring`.',
    subjects: 'monitoring:<run>, list:<id>',
  },
  'personal_data.bulk_read': {
    category: 'privacy',
    records:
      "A read of many leads' parties at once by the system for a stated purpose (`monitoring`; decision 0194): one entry per chunk of a run, in the chunk's transaction, naming the run, the fields read, how many leads, the range of their `lead.ingested` sequences and the SHA-256 of their sorted ids, so an auditor can list exactly whose records were read.",
    subjects: 'monitoring:<run>',
  },
  'screening.hit_suppressed': {
    category: 'monitoring',
    records:
      "Re-screening found hits that the lead's allow-list holds (the same listed entry, unchanged, was cleared as a false positive for this lead): not raised again; each with the case that cleared it (decision 0195).",
    subjects: 'lead:<id>, monitoring:<run>',
  },
  'screening.hits_resolved': {
    category: 'monitoring',
    records:
      "A lead's open hits on entries the new list version no longer lists, resolved with the reason `entry_removed`: they no longer hold the lead's routing (decision 0193).",
    subjects: 'lead:<id>, monitoring:<run>',
  },
  'screening.allow_listed': {
    category: 'monitoring',
    records:
      'A cleared false positive remembered: this lead and these listed entries at their content version (SHA-256 of the entry) are not raised again by re-screening until the entry changes (decision 0195). Appended with the decision that cleared them.',
    subjects: 'lead:<id>, case:<id>',
  },
  'screening.allow_list_removed': {
    category: 'monitoring',
    records:
      "A cleared false positive taken off the allow-list by an officer (decision 0197): this lead and this listed entry at this content version; re-screening raises it again. The officer's reason is personal data.",
    subjects: 'lead:<id>, case:<id>',
  },
  'screening.allow_list_expired': {
    category: 'monitoring',
    records:
      "Re-screening found hits whose allow-list row is older than the policy's `allowListReviewDays` (decision 0197): the rows are taken off the allow-list and the hits raised again for review, each with the case that had cleared it and when.",
    subjects: 'lead:<id>, monitoring:<run>',
  },
  'monitoring.completed': {
    category: 'monitoring',
    records:
      'A re-screening run ended: done, or stopped early (cancelled, the workstation locked, a failure) with what it did until then: leads read, leads with new hits, hits raised and suppressed, hits resolved, cases opened.',
    subjects: 'monitoring:<run>, list:<id>',
  },
  'path.outreach_recorded': {
    category: 'conduct',
    records:
      "A communication with the prospect on a product path (channel, direction, who, template or summary, disclosures sent with it, how it was authorised), and the stage it moved the path to; a summary in the rep's words is personal data beside the log.",
    subjects: 'lead:<id>, rep:<id>',
  },
  'path.stage_changed': {
    category: 'conduct',
    records:
      'A product path moved stage under the conduct rules (advance to QUALIFIED or PROPOSAL, win, lose, close, or closed because KYC failed); `kycInitiationDue` says the KYC hand-off was enqueued with it.',
    subjects: 'lead:<id>, rep:<id>',
  },
  'path.checklist_item_done': {
    category: 'conduct',
    records: 'A product-specific checklist item of a path marked done.',
    subjects: 'lead:<id>, rep:<id>',
  },
  'path.reassigned': {
    category: 'conduct',
    records: 'A product path reassigned to another rep, after the licensing map was checked for the new owner.',
    subjects: 'lead:<id>, rep:<id> (from and to)',
  },
  'path.contact_planned': {
    category: 'conduct',
    records:
      "A path's owner planned a contact (channel and time) or withdrew the plan, with the warnings the conduct rules gave for that time: outside the prospect's outreach window, before cooling-off ends, or another gate that would refuse it (decision 0239).",
    subjects: 'lead:<id>, rep:<id>',
  },
  'path.command_refused': {
    category: 'conduct',
    records:
      'A lifecycle command the conduct rules refused: the rule that refused it, the gate, what would unblock it and every gate in the way.',
    subjects: 'lead:<id>, rep:<id>',
  },
  'lead.facts_updated': {
    category: 'conduct',
    records:
      "A lead's facts updated after intake (KYC and AML status, suitability, customer type, contact consent, do-not-contact, address and time zone) with the values before and after; the address, time zone and consent references are personal data beside the log.",
    subjects: 'lead:<id>',
  },
  'kyc.initiation_queued': {
    category: 'kyc',
    records:
      'A KYC initiation event put in the outbox in the same transaction as the lifecycle command that took the path to QUALIFIED (decision 0210): the event id, the lead, product, jurisdiction, customer type and rule version; no personal data.',
    subjects: 'lead:<id>, kyc:<event id>',
  },
  'kyc.initiation_delivered': {
    category: 'kyc',
    records:
      "A KYC initiation delivered (webhook answered 2xx, or the file dropped): the connector, the attempts it took, the HTTP status, the subject's fields disclosed to the KYC system and the SHA-256 of the bytes sent (decisions 0211, 0212). Failed attempts are not entries; a dead letter is.",
    subjects: 'lead:<id>, kyc:<event id>',
  },
  'kyc.delivery_dead_lettered': {
    category: 'kyc',
    records:
      'A KYC initiation given up after the attempt limit (or because the subject was erased): the connector, attempts and the last error code. A person can send it again (kyc.delivery_retried).',
    subjects: 'lead:<id>, kyc:<event id>',
  },
  'kyc.delivery_retried': {
    category: 'kyc',
    records:
      'A dead-lettered KYC initiation put back in the outbox by a person (the actor), with the attempts it had made.',
    subjects: 'lead:<id>, kyc:<event id>',
  },
  'kyc.outcome_received': {
    category: 'kyc',
    records:
      'A KYC outcome (not_started, pending, verified, failed) received for an outbox event from a verified callback or an imported result file, with the message id, and whether the lifecycle applied it (it applies each message once).',
    subjects: 'lead:<id>, kyc:<event id>',
  },
  'kyc.callback_refused': {
    category: 'kyc',
    records:
      'A KYC callback refused (decision 0213): missing headers, bad signature, timestamp outside the replay window, a message id already received, an invalid body, an unknown event id, a lead that is not the event’s, or no callback secret configured; with the SHA-256 of the body received.',
    subjects: 'kyc:<event id>, or none',
  },
  'kyc.connector_configured': {
    category: 'kyc',
    records:
      "The KYC connector configured by an operations admin: webhook, file drop or none, the endpoint's origin and the key ids of the secrets (the secrets stay in the encrypted database, never in the log; decision 0214). Under four-eyes the actor is the admin who proposed it, with the request and the second admin who approved it (decision 0240).",
    subjects: 'device:<log id>',
  },
  'distribution.key_pinned': {
    category: 'sync',
    records:
      'An operations admin pinned the publisher key (signed-note verifier key) whose signatures this device requires on distributed policy bundles and list versions (decision 0253), with the key it replaces.',
    subjects: 'hub:<region>',
  },
  'distribution.refused': {
    category: 'sync',
    records:
      'A distributed policy bundle or list version the device fetched and refused before activating it (an untrusted signature, another region, content that does not match the signed digest or does not parse to the signed version, a sequence not newer than the active one): the stream, sequence and claimed version, the problem, and the version that stays in force.',
    subjects: 'hub:<region>, and policy: or list: of the stream',
  },
  'sync.applied': {
    category: 'sync',
    records:
      "Another device's entry applied to this device's projections through the one door (decision 0242): its `origin`, sequence (`seq`), `type` and `leafHash`; its personal data, if it had any, is kept beside this receipt as that entry committed to it. Entries that change no projection are applied without a receipt.",
    subjects: 'device:<log id of the applied entry>, and the applied entry’s subjects',
  },
  'sync.apply_refused': {
    category: 'sync',
    records:
      "Another device's entry refused by the apply (decision 0247): its `origin` and `seq`, the `field` that is wrong and the `problem`; nothing of its batch is applied, and the apply of that origin stops there.",
    subjects: 'none',
  },
  'sync.device_approved': {
    category: 'sync',
    records:
      "An operations admin approved, from this workstation (an operations device, decision 0273), a pending device of the region at the hub: the device, its key's fingerprint and the markets it may be served. The hub's log records the same approval with this device as `via`.",
    subjects: 'hub:<region>',
  },
  'sync.device_revoked': {
    category: 'sync',
    records:
      "An operations admin revoked, from this workstation (an operations device, decision 0273), a device of the region at the hub, for good: the device and its key's fingerprint. The hub's log records the same revocation with this device as `via`.",
    subjects: 'hub:<region>',
  },
  'case.conflict_resolved': {
    category: 'case',
    records:
      'A senior officer resolved a sync conflict (two decisions taken offline on the same case version, decision 0244): the conflict, the case and the decision that stands by its entry (`chosen`: origin and sequence), or null to reopen the case; the reason beside the log.',
    subjects: 'case:<conflict id>, case:<id>, lead:<id>',
  },
};

export const isAuditEventType = (value: string): value is AuditEventType =>
  Object.prototype.hasOwnProperty.call(EVENT_PAYLOAD_SCHEMAS, value);
