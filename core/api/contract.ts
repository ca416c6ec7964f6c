// The one contract between the workstation UI and the data: a zod request and response schema per method.
// Served by Electron IPC and by the browser host alike; nothing throws across it (see envelope.ts).
import * as z from 'zod';
import { LICENSING_API } from './licensing.ts';
import { LIFECYCLE_API } from './lifecycle.ts';
import { SYNC_API } from './sync.ts';
import { DISTRIBUTION_API } from './distribution.ts';
import { AuditEventTypeSchema } from '../audit/event-types.ts';
import { UtcTime } from '../audit/fields.ts';
import { NewPassphraseSchema } from '../access/passphrase.ts';
import { MetaRequestSchema, PendingSchema } from './approvals.ts';
import { LIST_KINDS, LIST_SOURCES } from '../screening/model.ts';

const Id = z.string().trim().min(1).max(100);

const NameMap = z.record(z.string(), z.string());
/** core/routing/trace-names.ts TraceNames: what a routing trace's ids stand for in the policy it cites. */
const TraceNamesSchema = z.strictObject({
  policyLabel: z.string(),
  policyName: z.string(),
  entities: NameMap,
  teams: NameMap,
  reps: NameMap,
  products: NameMap,
  licences: z.record(
    z.string(),
    z.strictObject({
      regulator: z.string(),
      regime: z.string(),
      reference: z.string().nullable(),
      entityId: z.string(),
    }),
  ),
  rules: z.record(
    z.string(),
    z.strictObject({
      description: z.string(),
      effect: z.string(),
      reads: z.array(z.string()),
      tests: z.array(z.string()),
    }),
  ),
  teamFacts: z.record(z.string(), z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
});
const Reason = z.string().trim().min(5, 'a reason of at least 5 characters is required').max(2000);
const IsoTime = z.string();

export const RoleSchema = z.enum(['compliance_officer', 'senior_officer', 'operations_admin', 'auditor', 'field_rep']);
export const QueueSchema = z.enum([
  'screening_review',
  'enhanced_due_diligence',
  'compliance_review',
  'expansion_review',
  'suitability_review',
  // Two decisions taken offline on one case version (decision 0244): resolved by a senior officer.
  'sync_conflict',
]);
export const CaseStatusSchema = z.enum(['open', 'claimed', 'awaiting_approval', 'closed']);
export const DispositionSchema = z.enum([
  'approve_assignment',
  'reject',
  'clear_false_positive',
  'confirm_match',
  'escalate',
  'request_information',
  'pursue_expansion',
  'decline_expansion',
]);
export const AssignmentSchema = z.strictObject({ entityId: Id, teamId: Id, repId: Id });
/** A screening hit as a decision names it (core/screening/case-hits.ts HitId): the listed entry in the version screened. */
// Compared exactly with the lead's recorded hits: not trimmed.
const HitPart = z.string().min(1).max(1000);
export const HitIdSchema = z.strictObject({ listId: HitPart, entryId: HitPart, listVersion: HitPart });
/** The hits a screening decision clears or confirms; absent: every open hit of the case (decision 0180). */
const DecidedHits = z.array(HitIdSchema).min(1).max(200).optional();

export const UserSchema = z.strictObject({
  id: Id,
  name: z.string().min(1).max(200),
  roles: z.array(RoleSchema),
  markets: z.array(z.string().min(1).max(64)),
  active: z.boolean(),
});

export const DecisionSummarySchema = z.strictObject({
  leadId: z.string(),
  productId: z.string(),
  outcome: z.enum(['assigned', 'refused', 'held', 'waiting_for_capacity']),
  queue: QueueSchema.nullable(),
  reason: z.string().nullable(),
  entityId: z.string().nullable(),
  teamId: z.string().nullable(),
  repId: z.string().nullable(),
  caseId: z.string().nullable(),
});

export const CaseRowSchema = z.strictObject({
  id: z.string(),
  type: QueueSchema,
  leadId: z.string(),
  productId: z.string(),
  reason: z.string(),
  risk: z.enum(['low', 'medium', 'high']),
  jurisdiction: z.string().nullable(),
  status: CaseStatusSchema,
  openedAt: IsoTime,
  slaDueAt: IsoTime,
  overdue: z.boolean(),
  claimedBy: z.string().nullable(),
  makerId: z.string().nullable(),
  checkerId: z.string().nullable(),
  resolution: z.string().nullable(),
  /** The lead's display name: a person or company name. Reading it is not a personal-data read; the detail is. */
  subject: z.string(),
});

export const RowProblemSchema = z.strictObject({ line: z.number(), field: z.string(), message: z.string() });

export const ImportResultSchema = z.strictObject({
  imported: z.number(),
  duplicates: z.number(),
  rejected: z.array(RowProblemSchema),
  decisions: z.record(z.string(), z.number()),
  casesOpened: z.number(),
});

/** A queue page request: also the filter a saved view keeps (views.save validates it with this same schema). */
export const CaseListRequestSchema = z.strictObject({
  queue: QueueSchema.optional(),
  status: z.array(CaseStatusSchema).optional(),
  overdueOnly: z.boolean().optional(),
  awaitingMyApproval: z.boolean().optional(),
  search: z.string().max(100).optional(),
  sort: z.enum(['slaDueAt', 'openedAt', 'risk', 'jurisdiction']).default('slaDueAt'),
  direction: z.enum(['asc', 'desc']).default('asc'),
  page: z.number().int().min(0).default(0),
  pageSize: z.number().int().min(1).max(500).default(50),
});

export const SavedViewSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  filter: CaseListRequestSchema,
  createdAt: IsoTime,
  updatedAt: IsoTime,
});

/** One item of a bulk decision: its own case, disposition and reason (checked per item, like cases.decide). */
export const BulkDecisionItemSchema = z.strictObject({
  caseId: Id,
  disposition: DispositionSchema,
  reason: z.string().max(2000),
  assignment: AssignmentSchema.optional(),
  hits: DecidedHits,
});

export const BulkDecisionResultSchema = z.union([
  z.strictObject({ caseId: z.string(), ok: z.literal(true), case: CaseRowSchema }),
  z.strictObject({
    caseId: z.string(),
    ok: z.literal(false),
    error: z.strictObject({ code: z.string(), message: z.string() }),
  }),
]);

// Audit viewer, exports and dashboard (issue 6; docs/ui.md, decisions 0090–0094): shared schemas.
/** What the audit viewer filters by; the same filter narrows a CSV or JSON export. Times: from inclusive, to exclusive. */
export const AuditFilterSchema = z.strictObject({
  types: z.array(AuditEventTypeSchema).max(30).optional(),
  /** kind:id (user:ada, system:setup); a bare id means user:<id>. */
  actor: z.string().trim().min(1).max(200).optional(),
  /** kind:id, such as lead:L-1042 or case:C-7. */
  subject: z.string().trim().min(1).max(200).optional(),
  from: UtcTime.optional(),
  to: UtcTime.optional(),
});

export const AuditEntryViewSchema = z.strictObject({
  sequence: z.string(),
  time: z.string(),
  actor: z.string(),
  type: z.string(),
  subjects: z.array(z.string()),
  /** As stored in the hashed entry: never personal data (that sits beside the log, committed). */
  payload: z.record(z.string(), z.unknown()),
  /** SHA-256 commitment to personal data beside the log, or null. */
  commitment: z.string().nullable(),
  /** The RFC 6962 leaf hash (hex) of the entry's canonical bytes. */
  leafHash: z.string(),
});

export const AgeBucketsSchema = z.strictObject({
  under1d: z.number(),
  from1dTo3d: z.number(),
  from3dTo7d: z.number(),
  over7d: z.number(),
});

/** A lead file to import (leads.import, and leads.startImport as a background job). */
export const LeadImportRequestSchema = z.strictObject({
  fileName: z.string().min(1).max(260),
  format: z.enum(['csv', 'jsonl']),
  content: z.string().max(64 * 1024 * 1024),
  /** all: the batch lands whole or not at all; valid: bad rows are reported and the rest land. */
  mode: z.enum(['all', 'valid']),
  sourceSystem: z.string().min(1).max(64),
  /** For CRM exports: their column name → our documented column name (docs/leads.md). */
  columnMapping: z.record(z.string(), z.string()).optional(),
});

// Lead imports as background jobs with progress (issue 5; docs/workstation.md, decision 0048): shared schemas.
/** An import job as its owner sees it; jobs live in memory (the last 20 finished are kept) and a restart loses them. */
export const ImportJobStatusSchema = z.strictObject({
  jobId: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** Leads through so far: imported (valid mode) or screened (all mode, which then writes them all in one go). */
  processed: z.number().int().min(0),
  total: z.number().int().min(0),
  /** What landed: so far (valid mode) or in the end; null in all mode until its one transaction has committed. */
  result: ImportResultSchema.nullable(),
  error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  startedAt: IsoTime,
  finishedAt: IsoTime.nullable(),
});

// The screening hit side by side (issue 16; docs/ui.md, decisions 0180–0182): shared schemas.
const TokenSchema = z.strictObject({
  text: z.string(),
  role: z.enum(['name', 'particle', 'title', 'legal_form']),
  /** The aligned pair this token belongs to (1, 2, …; the same number on both sides), or null: unmatched. */
  pair: z.number().int().min(1).nullable(),
  how: z.string().nullable(),
});
const EvidencePartSchema = z.strictObject({
  field: z.enum(['dateOfBirth', 'nationality', 'country']),
  query: z.string(),
  listed: z.array(z.string()),
  verdict: z.string(),
  adjustment: z.number(),
});
export const ScreenedPartySchema = z.strictObject({
  party: z.enum(['person', 'company']),
  name: z.string(),
  dateOfBirth: z.string().nullable(),
  nationality: z.string().nullable(),
  country: z.string().nullable(),
});
export const ListedEntrySchema = z.strictObject({
  id: z.string(),
  type: z.string(),
  names: z.array(
    z.strictObject({
      value: z.string(),
      role: z.enum(['primary', 'alias', 'former', 'original_script']),
      /** A weak or low-quality alias, as the publisher flags it. */
      weak: z.boolean(),
      /** This name's own score against the screened name (weak-alias adjustment included); null when not compared. */
      score: z.number().nullable(),
      /** The name the hit rests on. */
      matched: z.boolean(),
    }),
  ),
  datesOfBirth: z.array(z.strictObject({ from: z.string(), to: z.string().nullable(), approximate: z.boolean() })),
  nationalities: z.array(z.string()),
  countries: z.array(z.string()),
  /** Sanctions programmes, or a PEP or adverse-media entry's topics. */
  programs: z.array(z.string()),
  remarks: z.string().nullable(),
});
export const NameRuleSchema = z.strictObject({
  rule: z.enum(['fuzzy_only', 'order_with_fuzzy', 'partial_with_fuzzy', 'single_word_name']),
  /** Added to the alignment score (negative). */
  adjustment: z.number(),
  detail: z.string(),
});
export const HitMatchSchema = z.strictObject({
  queryTokens: z.array(TokenSchema),
  listedTokens: z.array(TokenSchema),
  /** The name's alignment score, before the precision rules. */
  alignmentScore: z.number(),
  /** The precision rules that lowered it (docs/screening.md), each with its amount and the words it concerns. */
  nameRules: z.array(NameRuleSchema),
  /** The alignment score with the rules applied. */
  nameScore: z.number(),
  weakAliasAdjustment: z.number(),
  evidence: z.array(EvidencePartSchema),
  substitutedWeight: z.number(),
  omittedWeight: z.number(),
  /** The score recomputed now, clamped to [0, 1]; its strength under today's thresholds, or null: under them. */
  score: z.number(),
  strength: z.enum(['potential', 'strong']).nullable(),
  strengthCapped: z.boolean(),
});
export const ScreeningHitViewSchema = z.strictObject({
  hit: HitIdSchema,
  party: z.enum(['person', 'company']),
  listKind: z.enum(['sanctions', 'pep', 'adverse_media', 'blocklist']),
  /** As recorded when the lead was screened. */
  strength: z.enum(['potential', 'strong']),
  score: z.number(),
  cleared: z.boolean(),
  list: z.strictObject({
    listId: z.string(),
    version: z.string(),
    source: z.string(),
    publishedAt: z.string().nullable(),
    importedAt: z.string(),
  }),
  entry: ListedEntrySchema,
  /** Null when the screened party's personal data has been erased: nothing to compare. */
  match: HitMatchSchema.nullable(),
  /**
   * Set when a list update resolved the hit (its entry left the list; decision 0235): the reason, when, the run and the
   * list version that no longer lists the entry. A resolved hit reads as cleared in the lead's screening.
   */
  resolution: z
    .strictObject({ reason: z.string(), resolvedAt: z.string(), run: z.string(), version: z.string().nullable() })
    .nullable(),
});
/** An entry of a device's log: its origin and its sequence there (decision 0242). */
export const EntryRefSchema = z.strictObject({
  origin: z.string().min(1).max(500),
  seq: z.number().int().nonnegative(),
});

/** One decision a sync conflict holds: its entry (origin, seq, type, actor, time), what it decided and on what. */
const ConflictDecisionSchema = z.strictObject({
  origin: z.string(),
  seq: z.number(),
  type: z.string(),
  actor: z.string(),
  time: z.string(),
  decision: z.string().nullable(),
  caseVersion: z.number().nullable(),
  /** The officer's reason: personal data of the lead (erased with it). */
  reason: z.string().nullable(),
  state: z.record(z.string(), z.unknown()),
  effect: z.record(z.string(), z.unknown()).nullable(),
  hits: z.unknown(),
});

/** A resolution of a conflict (case.conflict_resolved): its entry, who, when, what it chose. */
const ConflictResolutionSchema = z.strictObject({
  origin: z.string(),
  seq: z.number(),
  by: z.string(),
  at: z.string(),
  chosen: EntryRefSchema.nullable(),
});

/** A sync conflict (decisions 0244, 0266-0268): every decision involved, and how it was resolved. */
export const SyncConflictSchema = z.strictObject({
  id: z.string(),
  caseId: z.string(),
  leadId: z.string(),
  reason: z.string(),
  seenVersion: z.number(),
  decisions: z.array(ConflictDecisionSchema),
  status: z.enum(['open', 'resolved']),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  chosen: EntryRefSchema.nullable(),
  /** Resolutions taken concurrently on other devices that lost to the one that stands (decision 0268). */
  superseded: z.array(ConflictResolutionSchema),
  /** Entries recorded on the lead after the first decision in conflict (stage changes, contacts…): kept, shown (0267). */
  followUps: z.array(z.strictObject({ sequence: z.string(), type: z.string(), actor: z.string(), time: z.string() })),
});

export const ScreeningHitsSchema = z.strictObject({
  caseId: z.string(),
  leadId: z.string(),
  queue: QueueSchema,
  erased: z.boolean(),
  thresholds: z.strictObject({ potential: z.number(), strong: z.number() }),
  parties: z.array(ScreenedPartySchema),
  hits: z.array(ScreeningHitViewSchema),
});

const RetentionHoldShape = {
  regime: z.string(),
  years: z.number(),
  basis: z.string().nullable(),
  /** The first day (UTC) the data may be erased. */
  erasableFrom: z.string(),
};
export const RetentionHoldSchema = z.strictObject(RetentionHoldShape);

export const PendingOverrideSchema = z.strictObject({
  requestId: z.string(),
  leadId: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  regime: z.string(),
  years: z.number(),
  erasableFrom: z.string(),
});

export const ErasureOutcomeSchema = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('erased'), leadId: z.string(), records: z.number(), tombstone: z.string() }),
  z.strictObject({
    outcome: z.literal('refused'),
    leadId: z.string(),
    message: z.string(),
    sequence: z.string(),
    ...RetentionHoldShape,
  }),
  z.strictObject({
    outcome: z.literal('override_requested'),
    leadId: z.string(),
    message: z.string(),
    requestId: z.string(),
    ...RetentionHoldShape,
  }),
]);

const PurgedRuleSchema = z.strictObject({
  regime: z.string(),
  years: z.number(),
  cutoff: z.string(),
  subjects: z.string(),
});

export const RetentionRunSchema = z.strictObject({
  at: z.string(),
  sequence: z.string().nullable(),
  records: z.number(),
  rules: z.array(PurgedRuleSchema),
});

export const RetentionReportSchema = z.strictObject({
  at: z.string(),
  rules: z.array(
    z.strictObject({
      regime: z.string(),
      years: z.number(),
      required: z.boolean(),
      basis: z.string().nullable(),
      cutoff: z.string(),
      heldSubjects: z.number(),
      expiredSubjects: z.number(),
    }),
  ),
  lastRuns: z.array(
    z.strictObject({
      sequence: z.string(),
      at: z.string(),
      actor: z.string(),
      records: z.number(),
      rules: z.array(z.strictObject({ regime: z.string(), cutoff: z.string(), subjects: z.string().nullable() })),
    }),
  ),
});

// Ongoing monitoring (issue 16; docs/screening.md "Ongoing monitoring", decisions 0193–0195): shared schemas.
/** A stored list version as the lists screen shows it. */
export const ListVersionViewSchema = z.strictObject({
  listId: z.string(),
  version: z.string(),
  source: z.string(),
  publishedAt: z.string().nullable(),
  contentSha256: z.string(),
  importedAt: z.string(),
  entries: z.number().int().min(0),
  counts: z.record(z.string(), z.number()),
});
const ListEntryRefSchema = z.strictObject({ id: z.string(), name: z.string() });
/** A re-screening run after a list update: what it compares, how far it came, what it found. */
export const RescreenRunSchema = z.strictObject({
  runId: z.string(),
  listId: z.string(),
  version: z.string(),
  /** running: not ended in the log; `live` says whether this workstation is carrying it out now. */
  state: z.enum(['running', 'done', 'stopped']),
  stopReason: z.string().nullable(),
  live: z.boolean(),
  requestedBy: z.string(),
  /** Leads to re-screen, and how many were read so far. */
  total: z.number().int().min(0),
  leads: z.number().int().min(0),
  added: z.number().int().min(0),
  changed: z.number().int().min(0),
  removed: z.number().int().min(0),
  leadsWithHits: z.number().int().min(0),
  hits: z.number().int().min(0),
  suppressed: z.number().int().min(0),
  resolved: z.number().int().min(0),
  casesOpened: z.number().int().min(0),
  startedAt: IsoTime,
  finishedAt: IsoTime.nullable(),
});
const ListFileSchema = z.strictObject({
  name: z.string().trim().min(1).max(260),
  /** The file's bytes, base64 (list files may be ZIP or XML as published). */
  base64: z.string().max(96 * 1024 * 1024),
});

const KycOutboxStateSchema = z.enum(['pending', 'delivered', 'dead']);
/** One event of the KYC outbox as the outbox view shows it. */
export const KycOutboxEventSchema = z.strictObject({
  eventId: z.string(),
  leadId: z.string(),
  productId: z.string(),
  jurisdiction: z.string(),
  state: KycOutboxStateSchema,
  attempts: z.number().int().min(0),
  queuedAt: IsoTime,
  nextAttemptAt: IsoTime.nullable(),
  lastAttemptAt: IsoTime.nullable(),
  lastError: z.string().nullable(),
  connector: z.string().nullable(),
  deliveredAt: IsoTime.nullable(),
  deadAt: IsoTime.nullable(),
  outcome: z.string().nullable(),
  outcomeAt: IsoTime.nullable(),
});

export const API = {
  'session.whoami': { request: z.strictObject({}), response: UserSchema },
  'leads.import': { request: LeadImportRequestSchema, response: ImportResultSchema },
  // Lead imports as background jobs with progress (issue 5; decision 0048). Only the starter sees or cancels a job.
  /** Reads the file (bad rows as in leads.import), starts the import in the background and answers at once. */
  'leads.startImport': { request: LeadImportRequestSchema, response: z.strictObject({ jobId: z.string() }) },
  'leads.importStatus': { request: z.strictObject({ jobId: Id }), response: ImportJobStatusSchema },
  /** Valid mode stops after the current chunk (what committed stays); all mode cancelled lands nothing. */
  'leads.cancelImport': { request: z.strictObject({ jobId: Id }), response: ImportJobStatusSchema },
  'leads.add': {
    request: z.strictObject({
      lead: z.record(z.string(), z.unknown()),
      sourceSystem: z.string().min(1).max(64).default('form'),
    }),
    /** `leadId` is the lead's internal id; `sourceId` the id the request gave it (decision 0178). */
    response: z.strictObject({ leadId: z.string(), sourceId: z.string(), decisions: z.array(DecisionSummarySchema) }),
  },
  /**
   * The leads of the caller's markets that an id names: the internal id, or a source system's id for the lead (one per
   * source system that sent it). Names no personal data; an erased lead is found by its internal id only.
   */
  'leads.find': {
    request: z.strictObject({ id: Id }),
    response: z.strictObject({
      leads: z.array(
        z.strictObject({
          leadId: z.string(),
          sourceSystem: z.string(),
          jurisdiction: z.string().nullable(),
          ingestedAt: z.string(),
          erased: z.boolean(),
        }),
      ),
    }),
  },
  'leads.get': {
    request: z.strictObject({ leadId: Id, purpose: z.string().trim().min(3).max(200) }),
    response: z.strictObject({
      leadId: z.string(),
      jurisdiction: z.string().nullable(),
      /** Where the lead's data must reside (decision 0248); null when the policy maps none. */
      residencyRegion: z.string().nullable(),
      personalData: z.record(z.string(), z.unknown()).nullable(),
      erased: z.boolean(),
      paths: z.array(DecisionSummarySchema),
    }),
  },
  // Erasure and retention (issue 13; docs/ui.md, decision 0150): erased, refused inside a required period, or an
  // override for a second senior officer.
  'leads.erase': {
    request: z.strictObject({ leadId: Id, reason: Reason, override: z.boolean().default(false) }),
    response: ErasureOutcomeSchema,
  },
  'leads.erasureStatus': {
    request: z.strictObject({ leadId: Id }),
    response: z.strictObject({
      leadId: z.string(),
      erased: z.boolean(),
      hold: RetentionHoldSchema.nullable(),
      pendingOverride: PendingOverrideSchema.nullable(),
    }),
  },
  'leads.approveErasureOverride': {
    request: z.strictObject({ requestId: Id, reason: Reason }),
    response: ErasureOutcomeSchema,
  },
  'retention.report': { request: z.strictObject({}), response: RetentionReportSchema },
  'retention.run': { request: z.strictObject({}), response: RetentionRunSchema },
  'cases.list': {
    request: CaseListRequestSchema,
    /** total is exact unless totalCapped: counting stops at 10,000 matches for filtered queries (shown as "10,000+"). */
    response: z.strictObject({ rows: z.array(CaseRowSchema), total: z.number(), totalCapped: z.boolean() }),
  },
  'cases.counts': {
    request: z.strictObject({}),
    response: z.strictObject({
      queues: z.array(
        z.strictObject({ queue: QueueSchema, open: z.number(), overdue: z.number(), awaitingApproval: z.number() }),
      ),
      awaitingMyApproval: z.number(),
    }),
  },
  'cases.get': {
    request: z.strictObject({ caseId: Id }),
    response: z.strictObject({
      case: CaseRowSchema,
      /** The lead's source system and the id it gave the lead (null once erased): decision 0178. */
      lead: z.strictObject({
        sourceSystem: z.string(),
        sourceId: z.string().nullable(),
        /** Where the lead's data must reside (decision 0248); null when the policy maps none. */
        residencyRegion: z.string().nullable(),
      }),
      maker: z.record(z.string(), z.unknown()).nullable(),
      checker: z.record(z.string(), z.unknown()).nullable(),
      trace: z.record(z.string(), z.unknown()),
      /** Names for the ids the trace mentions, from the policy its rule version cites; null when that policy is not here. */
      names: TraceNamesSchema.nullable(),
      history: z.array(
        z.strictObject({
          sequence: z.string(),
          time: z.string(),
          actor: z.string(),
          type: z.string(),
          payload: z.record(z.string(), z.unknown()),
        }),
      ),
    }),
  },
  'cases.claim': { request: z.strictObject({ caseId: Id }), response: CaseRowSchema },
  'cases.release': { request: z.strictObject({ caseId: Id }), response: CaseRowSchema },
  'cases.decide': {
    request: z.strictObject({
      caseId: Id,
      disposition: DispositionSchema,
      reason: Reason,
      assignment: AssignmentSchema.optional(),
      hits: DecidedHits,
    }),
    response: CaseRowSchema,
  },
  // The screening hit side by side (issue 16; docs/ui.md, decisions 0180–0182).
  /** The screened party (an audited personal-data read) beside each listed entry the case's hits name, explained. */
  'cases.screeningHits': { request: z.strictObject({ caseId: Id }), response: ScreeningHitsSchema },
  'cases.approve': { request: z.strictObject({ caseId: Id, reason: Reason }), response: CaseRowSchema },
  'cases.return': { request: z.strictObject({ caseId: Id, reason: Reason }), response: CaseRowSchema },
  // Sync conflicts (decisions 0244, 0266-0268): read one, and a senior officer resolves it.
  'cases.conflict': { request: z.strictObject({ conflictId: Id }), response: SyncConflictSchema },
  'cases.resolveConflict': {
    request: z.strictObject({
      conflictId: Id,
      /** The decision that stands, by its entry; null: none does, the case is open again for a new decision. */
      chosen: EntryRefSchema.nullable(),
      reason: Reason,
    }),
    response: SyncConflictSchema,
  },
  'users.list': { request: z.strictObject({}), response: z.array(UserSchema) },
  'users.create': {
    request: z.strictObject({
      id: z.string().regex(/^[a-z][a-z0-9._-]{1,40}$/, 'user ids are lower-case letters, digits, ".", "_" or "-"'),
      name: z.string().trim().min(1).max(200),
      roles: z.array(RoleSchema).min(1),
      markets: z.array(z.string().min(1).max(64)).min(1),
      passphrase: NewPassphraseSchema,
    }),
    response: z.union([UserSchema, PendingSchema]),
  },
  'users.setRoles': {
    request: z.strictObject({ userId: Id, roles: z.array(RoleSchema).min(1), reason: Reason }),
    response: z.union([UserSchema, PendingSchema]),
  },
  'users.setMarkets': {
    request: z.strictObject({ userId: Id, markets: z.array(z.string().min(1).max(64)).min(1), reason: Reason }),
    response: z.union([UserSchema, PendingSchema]),
  },
  /** The signed-in user's own passphrase: re-wraps their key slot only (nothing else changes, nothing is re-encrypted). */
  'users.changeOwnPassphrase': {
    request: z.strictObject({
      current: z.string().min(1).max(1024),
      next: NewPassphraseSchema,
    }),
    response: z.strictObject({ changed: z.literal(true) }),
  },
  // Rotating the database key and re-enrolling the users it dropped (operations admins; decision 0037).
  /** Who has a passphrase key slot (can sign in), who has none (needs re-enrolment), and whether a keychain slot exists. */
  'users.keySlots': {
    request: z.strictObject({}),
    response: z.strictObject({
      withSlot: z.array(z.string()),
      withoutSlot: z.array(z.string()),
      keychainSlot: z.boolean(),
    }),
  },
  /** Re-encrypts the database under a new key; only the caller's slot is kept (re-wrapped), every other one dropped. */
  'users.rotateDatabaseKey': {
    request: z.strictObject({ passphrase: z.string().min(1).max(1024), reason: Reason }),
    response: z.strictObject({
      sequence: z.number().int().min(0),
      keptSlots: z.array(z.string()),
      droppedSlots: z.array(z.string()),
      keychainSlotRemoved: z.boolean(),
    }),
  },
  /** Gives a user without a key slot a new one under an initial passphrase, from the key the caller's session holds. */
  'users.reEnrol': {
    request: z.strictObject({
      userId: Id,
      initialPassphrase: NewPassphraseSchema,
      reason: Reason,
    }),
    response: z.strictObject({ userId: z.string(), sequence: z.number().int().min(0) }),
  },
  // Deactivating a leaver and reactivating a user (operations admins; decision 0039).
  /** The cases a user holds claimed: what deactivating them releases to their queues. */
  'users.claimedCases': {
    request: z.strictObject({ userId: Id }),
    response: z.array(
      z.strictObject({
        id: z.string(),
        type: QueueSchema,
        leadId: z.string(),
        productId: z.string(),
        claimedAt: z.string().nullable(),
      }),
    ),
  },
  /**
   * Deactivates (sign-in revoked, claimed cases released, key slots removed) or reactivates a user (sign-in granted;
   * `initialPassphrase` gives a new key slot and is required when the user has none). Never oneself, never the last
   * active operations admin.
   */
  'users.setActive': {
    request: z.strictObject({
      userId: Id,
      active: z.boolean(),
      reason: Reason,
      initialPassphrase: NewPassphraseSchema.optional(),
    }),
    response: z.union([
      z.strictObject({
        user: UserSchema,
        sequence: z.number().int().min(0),
        releasedCases: z.array(z.string()),
        keySlotChanged: z.boolean(),
        keychainSlotRemoved: z.boolean(),
        warnings: z.array(z.string()),
      }),
      PendingSchema,
    ]),
  },
  // Meta-actions awaiting a second operations admin (decision 0161).
  /** Pending requests (default) or every request, newest first, each saying whether the caller may approve it. */
  'approvals.list': {
    request: z.strictObject({ status: z.enum(['pending', 'all']).default('pending') }),
    response: z.array(MetaRequestSchema),
  },
  /** Another person approves: the change is applied in the same transaction. */
  'approvals.approve': { request: z.strictObject({ requestId: Id }), response: MetaRequestSchema },
  /** Another admin rejects, or the requester withdraws; nothing is applied. */
  'approvals.reject': { request: z.strictObject({ requestId: Id, reason: Reason }), response: MetaRequestSchema },
  'notifications.list': {
    request: z.strictObject({ limit: z.number().int().min(1).max(500).default(100) }),
    response: z.array(
      z.strictObject({
        id: z.string(),
        at: z.string(),
        kind: z.string(),
        message: z.string(),
        leadId: z.string().nullable(),
      }),
    ),
  },
  // Licensing map and policy publication (issue 6; docs/policy.md, decisions 0085–0089): schemas in licensing.ts.
  ...LICENSING_API,
  ...LIFECYCLE_API,
  ...SYNC_API,
  ...DISTRIBUTION_API,
  // Audit viewer, exports and dashboard (issue 6; docs/ui.md, decisions 0090–0094).
  'audit.list': {
    request: AuditFilterSchema.extend({
      order: z.enum(['newest', 'oldest']).default('newest'),
      /** Keyset paging: the page starts after this sequence (in the chosen order); absent for the first page. */
      cursor: z
        .string()
        .regex(/^(0|[1-9][0-9]{0,14})$/)
        .optional(),
      limit: z.number().int().min(1).max(200).default(50),
    }),
    /**
     * total is exact unless totalCapped: then a lower bound (filtered counts stop at 10,000; an actor filter alone counts
     * within the newest 20,000 entries of the window). nextCursor is null on the last page.
     */
    response: z.strictObject({
      entries: z.array(AuditEntryViewSchema),
      total: z.number(),
      totalCapped: z.boolean(),
      nextCursor: z.string().nullable(),
      logSize: z.number(),
    }),
  },
  /**
   * The personal data one entry committed to (names, reasons, purposes beside the log), on request with a purpose:
   * the read is a personal_data.read entry. A lead's data only inside the reader's markets (decision 0177).
   */
  'audit.personalData': {
    request: z.strictObject({
      sequence: z.string().regex(/^(0|[1-9][0-9]{0,14})$/, 'an entry sequence, such as "42"'),
      purpose: z.string().trim().min(3).max(200),
    }),
    response: z.strictObject({
      sequence: z.string(),
      subject: z.string(),
      regime: z.string(),
      data: z.record(z.string(), z.unknown()).nullable(),
      erased: z.boolean(),
    }),
  },
  'audit.export': {
    request: z.strictObject({
      /** csv and json: the entries (filtered or all), without personal data; bundle: the whole regulator bundle. */
      format: z.enum(['csv', 'json', 'bundle']),
      /** Narrows csv and json; refused with bundle (a bundle is always the whole log). */
      filter: AuditFilterSchema.optional(),
    }),
    response: z.strictObject({
      fileName: z.string(),
      mediaType: z.string(),
      /** The file, base64; at most 64 MiB of entries before encoding (larger: perimeter audit export). */
      base64: z.string(),
      bytes: z.number(),
      entries: z.number(),
      /** The audit.exported entry this export appended. */
      exportSequence: z.string(),
    }),
  },
  'dashboard.summary': {
    request: z.strictObject({}),
    /** Within the caller's markets. Ages are from opening; overdue (SLA passed) overlaps the age buckets. */
    response: z.strictObject({
      at: IsoTime,
      queues: z.array(
        z.strictObject({ queue: QueueSchema, open: z.number(), overdue: z.number(), age: AgeBucketsSchema }),
      ),
      /** Product paths whose current routing decision is a refusal, by reason. */
      refusals: z.array(z.strictObject({ reason: z.string(), queue: QueueSchema, count: z.number() })),
    }),
  },
  // Saved views and bulk decisions (queue screen; docs/ui.md, decisions 0095–0097).
  'views.list': { request: z.strictObject({}), response: z.array(SavedViewSchema) },
  'views.save': {
    request: z.strictObject({
      /** Given: rename or overwrite that view of yours; absent: a new view. */
      id: Id.optional(),
      name: z.string().trim().min(1, 'a view needs a name').max(80),
      filter: CaseListRequestSchema,
    }),
    response: SavedViewSchema,
  },
  'views.delete': { request: z.strictObject({ id: Id }), response: z.strictObject({ id: z.string() }) },
  // Ongoing monitoring (decisions 0193–0195).
  /** The active version of every list and the latest re-screening runs (operations admins: lists.import). */
  'lists.overview': {
    request: z.strictObject({}),
    response: z.strictObject({ lists: z.array(ListVersionViewSchema), runs: z.array(RescreenRunSchema) }),
  },
  /** Reads and checks an uploaded list file set, stores it as a version that is not active yet, and diffs it. */
  'lists.preview': {
    request: z.strictObject({
      source: z.enum(LIST_SOURCES),
      listId: z
        .string()
        .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a list id is lower-case letters, digits, dot, dash, underscore')
        .optional(),
      kind: z.enum(LIST_KINDS).optional(),
      files: z.array(ListFileSchema).min(1).max(10),
    }),
    response: z.strictObject({
      status: z.enum(['new', 'unchanged']),
      version: ListVersionViewSchema,
      previous: ListVersionViewSchema.nullable(),
      diff: z.strictObject({
        added: z.number().int().min(0),
        removed: z.number().int().min(0),
        changed: z.number().int().min(0),
        unchanged: z.number().int().min(0),
        /** The first entries of each kind of change (at most 10 each). */
        sample: z.strictObject({
          added: z.array(ListEntryRefSchema),
          removed: z.array(ListEntryRefSchema),
          changed: z.array(ListEntryRefSchema.extend({ fields: z.array(z.string()) })),
        }),
      }),
    }),
  },
  /** Activates a previewed version if the active one is still `expectedActive`, and starts re-screening the leads. */
  'lists.activate': {
    request: z.strictObject({
      listId: z.string().min(1).max(64),
      version: z.string().regex(/^[0-9a-f]{16}$/, 'a version id: 16 hex digits'),
      expectedActive: z
        .string()
        .regex(/^[0-9a-f]{16}$/)
        .nullable(),
    }),
    response: z.strictObject({ sequence: z.number().int().min(0), run: RescreenRunSchema.nullable() }),
  },
  'lists.rescreenStatus': { request: z.strictObject({ runId: Id }), response: RescreenRunSchema },
  /** Stops a run this workstation is carrying out after the chunk in hand (what it did stays). */
  'lists.cancelRescreen': { request: z.strictObject({ runId: Id }), response: RescreenRunSchema },
  /** Carries on with a run that is not running here (interrupted by a lock or a restart) from where it stopped. */
  'lists.resumeRescreen': { request: z.strictObject({ runId: Id }), response: RescreenRunSchema },
  /** The allow-list: cleared false positives re-screening does not raise again (compliance and senior officers). */
  'screening.allowList': {
    request: z.strictObject({}),
    response: z.strictObject({
      rows: z.array(
        z.strictObject({
          leadId: z.string(),
          /** The lead's display name, as the case list shows it. */
          subject: z.string(),
          listId: z.string(),
          entryId: z.string(),
          entryName: z.string().nullable(),
          entryVersion: z.string(),
          listVersion: z.string(),
          caseId: z.string(),
          clearedAt: IsoTime,
          suppressed: z.number().int().min(0),
          lastSuppressedAt: IsoTime.nullable(),
          /** From then on re-screening raises the hit again (the policy's allowListReviewDays; decision 0197). */
          reviewBy: IsoTime,
        }),
      ),
      /** The policy's review period of a row, in days. */
      reviewDays: z.number().int().positive(),
    }),
  },
  /** Takes a cleared false positive off the allow-list, with a reason: re-screening raises the hit again. */
  'screening.removeFromAllowList': {
    request: z.strictObject({
      leadId: Id,
      listId: z.string().min(1).max(500),
      entryId: z.string().min(1).max(500),
      entryVersion: z.string().regex(/^[0-9a-f]{64}$/),
      reason: z.string().trim().min(10).max(2000),
    }),
    response: z.strictObject({ sequence: z.number().int().min(0) }),
  },
  /** The KYC outbox (decision 0210): each initiation event with its state, attempts and last error; no personal data. */
  'kyc.outbox': {
    request: z.strictObject({
      state: KycOutboxStateSchema.optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    }),
    response: z.strictObject({
      events: z.array(KycOutboxEventSchema),
      counts: z.strictObject({ pending: z.number().int(), delivered: z.number().int(), dead: z.number().int() }),
    }),
  },
  /** Sends a dead-lettered KYC initiation again with a fresh schedule of attempts (audited: kyc.delivery_retried). */
  'kyc.retry': {
    request: z.strictObject({ eventId: z.string().regex(/^kyc_[0-9a-f]{32}$/, 'a KYC event id') }),
    response: KycOutboxEventSchema,
  },
  'cases.decideMany': {
    request: z.strictObject({
      items: z
        .array(BulkDecisionItemSchema)
        .min(1)
        .max(100)
        .refine((items) => new Set(items.map((item) => item.caseId)).size === items.length, 'each case at most once'),
    }),
    /** One result per item, in request order; each item is its own transaction, so a failure undoes only itself. */
    response: z.array(BulkDecisionResultSchema),
  },
} as const;

/**
 * Methods that open and close the session itself: handled by the transport (Electron IPC, the browser host), since
 * every other method runs as the signed-in user. Switching user is a lock followed by an unlock.
 */
export const SESSION_API = {
  'session.unlock': {
    request: z.strictObject({ userId: z.string().trim().min(1).max(100), passphrase: z.string().min(1).max(1024) }),
    response: UserSchema,
  },
  'session.lock': { request: z.strictObject({}), response: z.strictObject({ locked: z.literal(true) }) },
  // OS-keychain sign-in (Electron only; the browser host answers `unsupported`; docs/electron.md, decision 0077).
  'session.unlockWithKeychain': {
    request: z.strictObject({ userId: z.string().trim().min(1).max(100) }),
    response: UserSchema,
  },
  'session.rememberOnThisDevice': {
    request: z.strictObject({}),
    response: z.strictObject({ backend: z.string().min(1).max(100) }),
  },
  'session.forgetOnThisDevice': {
    request: z.strictObject({}),
    response: z.strictObject({ forgotten: z.literal(true) }),
  },
  'session.keychainStatus': {
    request: z.strictObject({}),
    response: z.strictObject({ available: z.boolean(), message: z.string().max(1000).nullable() }),
  },
} as const;
export type SessionMethod = keyof typeof SESSION_API;

export type ApiMethod = keyof typeof API;
export type ApiRequest<M extends ApiMethod> = z.input<(typeof API)[M]['request']>;
export type ApiParsedRequest<M extends ApiMethod> = z.output<(typeof API)[M]['request']>;
export type ApiResponse<M extends ApiMethod> = z.output<(typeof API)[M]['response']>;
export type CaseRow = z.infer<typeof CaseRowSchema>;
export type DecisionSummary = z.infer<typeof DecisionSummarySchema>;
export type UserDto = z.infer<typeof UserSchema>;
export const API_METHODS = Object.keys(API) as ApiMethod[];
