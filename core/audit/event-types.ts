// The closed set of audit event types: each with its category, what it records, and the payload fields it requires.
import * as z from 'zod';
import { HashHex, KeyIdHex, PartyIdText, SequenceText, UtcTime } from './fields.ts';
import { META_ACTIONS } from '../access/duties.ts';

export const AUDIT_EVENT_TYPES = [
  'log.created',
  'key.rotated',
  'lead.ingested',
  'lead.screened',
  'routing.decided',
  'case.opened',
  'case.claimed',
  'case.decided',
  'case.approved',
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
] as const;

export const AuditEventTypeSchema = z.enum(AUDIT_EVENT_TYPES);
export type AuditEventType = z.infer<typeof AuditEventTypeSchema>;

export type EventCategory = 'log' | 'lead' | 'routing' | 'case' | 'privacy' | 'administration' | 'sync' | 'access';

export type EventTypeDoc = {
  readonly category: EventCategory;
  /** What one entry of this type records, for the export documentation and the verifier's summary. */
  readonly records: string;
  /** The subject ids the entry names. */
  readonly subjects: string;
};

const Sequence = SequenceText;
const Time = UtcTime;
const Text = z.string().min(1).max(500);

/** A signing key as the log announces it: the C2SP note verifier key and the window in which it may sign. */
export const KeyAnnouncementSchema = z.strictObject({
  name: z.string().min(1).max(200),
  keyId: KeyIdHex,
  verifierKey: z.string().min(1).max(400),
  validFrom: Time,
  validUntil: Time,
});
export type KeyAnnouncement = z.infer<typeof KeyAnnouncementSchema>;

// Payloads are open for extra fields (the producing module owns them) but must carry these.
export const EVENT_PAYLOAD_SCHEMAS = {
  'log.created': z.strictObject({ origin: z.string().min(1).max(200), key: KeyAnnouncementSchema }),
  'key.rotated': z.strictObject({
    key: KeyAnnouncementSchema,
    previousKeyId: KeyIdHex,
    reason: Text,
  }),
  'lead.ingested': z.looseObject({ source: z.enum(['file', 'form', 'sync', 'api']) }),
  'lead.screened': z.looseObject({ outcome: Text }),
  'routing.decided': z.looseObject({
    outcome: z.enum(['assigned', 'refused', 'held', 'waiting_for_capacity']),
    ruleVersion: Text,
    trace: z.record(z.string(), z.unknown()),
  }),
  'case.opened': z.looseObject({ queue: Text }),
  'case.claimed': z.looseObject({}),
  'case.decided': z.looseObject({
    decision: Text,
    /** Screening cases: the hits the decision clears or confirms (list id, entry id, list version; decision 0180). */
    // Unbounded like the lead's own hits (core/routing/lead.ts), so any hit a lead carries can be decided.
    hits: z
      .array(z.strictObject({ listId: z.string().min(1), entryId: z.string().min(1), listVersion: z.string().min(1) }))
      .optional(),
  }),
  'case.approved': z.looseObject({ decision: Text }),
  'personal_data.read': z.looseObject({ fields: z.array(Text).min(1), purpose: Text }),
  'user.created': z.looseObject({}),
  'user.role_changed': z.looseObject({ role: Text }),
  'permission.granted': z.looseObject({ permission: Text }),
  'permission.revoked': z.looseObject({ permission: Text }),
  'market.reassigned': z.looseObject({ market: Text }),
  'policy.published': z.looseObject({ ruleVersion: Text }),
  'list.imported': z.looseObject({ list: Text, version: Text }),
  'audit.exported': z.strictObject({
    format: z.literal('perimeter-audit-export'),
    formatVersion: z.literal(1),
    includesPersonalData: z.boolean(),
    staticFiles: z
      .array(z.strictObject({ path: z.string().min(1).max(200), sha256: HashHex }))
      .describe('hashes of the bundle files that do not depend on the log (README, schemas)'),
  }),
  'retention.purged': z.strictObject({
    rules: z.array(
      z.strictObject({
        regime: Text,
        years: z.number().int().min(1).max(100),
        cutoff: Time,
        subjects: Sequence.optional().describe('how many data subjects lost data under this rule (from 2026-12)'),
      }),
    ),
    erased: Sequence,
    erasedRanges: z.array(z.tuple([Sequence, Sequence])),
  }),
  'subject.erased': z.strictObject({
    subject: PartyIdText,
    basis: Text,
    erasedSequences: z.array(Sequence),
  }),
  'sync.pushed': z.looseObject({ hub: Text }),
  'sync.pulled': z.looseObject({ hub: Text }),
  'store.rekeyed': z.strictObject({
    reason: Text,
    keptSlots: z.array(Text).describe('user ids whose key slot was re-wrapped under the new database key'),
    droppedSlots: z.array(Text).describe('user ids whose key slot (wrapping the old key) was dropped'),
    keychainSlotRemoved: z.boolean().describe('whether an OS keychain slot file (wrapping the old key) was deleted'),
  }),
  // The door (decision 0130): refusals and sessions. Only codes and pseudonymous ids; no personal data.
  'access.denied': z.strictObject({
    action: z
      .string()
      .regex(/^[a-z][A-Za-z0-9._ -]{0,79}$/)
      .describe('the api method or CLI command refused, e.g. "cases.claim" or "audit export"'),
    reason: z.enum(['forbidden', 'out_of_market', 'inactive', 'locked']),
    attemptedAt: Time.optional().describe('when a refusal noted while the store was locked happened'),
  }),
  'session.signed_in': z.strictObject({ via: z.enum(['api', 'cli']) }),
  'session.signed_out': z.strictObject({
    via: z.enum(['api', 'cli']),
    reason: z.enum(['lock', 'switch', 'deactivated']),
  }),
  'session.sign_in_failed': z.strictObject({
    userId: z
      .string()
      .min(1)
      .max(64)
      .nullable()
      .describe('the user id tried, when it names a user of this workstation'),
    attemptedAt: Time,
    reason: z.enum(['wrong_passphrase', 'unknown_user', 'inactive', 'throttled']),
    via: z.enum(['api', 'cli']),
  }),
  // Erasure inside a legal record-keeping period (decision 0150): the requester's reason is personal data, beside the log.
  'erasure.refused': z.strictObject({
    regime: Text,
    years: z.number().int().min(1).max(100),
    erasableFrom: z.iso.date(),
  }),
  'erasure.override_requested': z.strictObject({
    requestId: Text,
    regime: Text,
    years: z.number().int().min(1).max(100),
    erasableFrom: z.iso.date(),
  }),
  'erasure.override_approved': z.strictObject({ requestId: Text, requestedBy: Text }),
  // Separation of duties for meta-actions (decision 0161): names and reasons go in the committed personal data.
  'meta.requested': z.strictObject({
    requestId: Text.describe('the request id, MR-<sequence of this entry>'),
    action: z.enum(META_ACTIONS),
    target: PartyIdText.describe('user:<id>, or policy:<rule version>'),
    change: z
      .record(z.string(), z.unknown())
      .describe(
        'what approval applies: user ids, roles, markets, withKeySlot; for policy.publish the rule version, label and bundle',
      ),
  }),
  'meta.approved': z.strictObject({
    requestId: Text,
    action: z.enum(META_ACTIONS),
    target: PartyIdText,
    requestedBy: Text.describe('the user id of the requester (maker); the actor is the approver (checker)'),
  }),
  'meta.rejected': z.strictObject({
    requestId: Text,
    action: z.enum(META_ACTIONS),
    target: PartyIdText,
    requestedBy: Text,
  }),
} as const satisfies Record<AuditEventType, z.ZodType>;

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
      'A lead entered the system (file, form, sync or api); its personal data is committed, not stored in the entry.',
    subjects: 'lead:<id>',
  },
  'lead.screened': {
    category: 'lead',
    records:
      'A screening result: outcome and hit summary (names stay in the committed personal data), and, when Perimeter screened the lead, the `thresholds` (potential, strong) of the policy active then and the `listVersions` screened against.',
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
    records:
      'An officer took a case, or a claim was released (`action: "release"`; an admin deactivating the holder names `claimedBy` and the reason).',
    subjects: 'case:<id>, user:<id>',
  },
  'case.decided': {
    category: 'case',
    records:
      'A case decision (first pair of eyes). On a screening case, the optional `hits` names the hits it clears or confirms (list id, entry id, list version).',
    subjects: 'case:<id>, lead:<id>',
  },
  'case.approved': {
    category: 'case',
    records: 'The second, independent approval of a four-eyes decision.',
    subjects: 'case:<id>, lead:<id>',
  },
  'personal_data.read': {
    category: 'privacy',
    records: "Every read of a lead's personal data: who (actor) saw which fields of whom (subject), when, and why.",
    subjects: 'lead:<id> (the data subject)',
  },
  'user.created': { category: 'administration', records: 'A user account created.', subjects: 'user:<id>' },
  'user.role_changed': { category: 'administration', records: "A user's role changed.", subjects: 'user:<id>' },
  'permission.granted': {
    category: 'administration',
    records:
      "A permission granted. `workstation-sign-in` (re-enrolment, reactivation) makes the user active, and `passphraseChosenBy` names the admin who chose a new initial passphrase (decision 0161); `keychain-unlock` is one device's OS keychain sign-in.",
    subjects: 'user:<id>',
  },
  'permission.revoked': {
    category: 'administration',
    records:
      "A permission revoked. `workstation-sign-in` deactivates the user (the leaver process: `reason`, `releasedCases`); `keychain-unlock` forgets one device's OS keychain sign-in.",
    subjects: 'user:<id>',
  },
  'market.reassigned': {
    category: 'administration',
    records: 'A market moved between teams or entities.',
    subjects: 'market:<code>, team:<id>',
  },
  'policy.published': {
    category: 'administration',
    records: 'A policy bundle published, by rule version (content hash).',
    subjects: 'policy:<rule version>',
  },
  'list.imported': {
    category: 'administration',
    records: 'A sanctions, PEP or internal list imported or updated, with its version.',
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
};

export const isAuditEventType = (value: string): value is AuditEventType =>
  Object.prototype.hasOwnProperty.call(EVENT_PAYLOAD_SCHEMAS, value);
