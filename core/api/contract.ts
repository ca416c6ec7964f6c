// The one contract between the workstation UI and the data: a zod request and response schema per method.
// Served by Electron IPC and by the browser host alike; nothing throws across it (see envelope.ts).
import * as z from 'zod';

const Id = z.string().trim().min(1).max(100);
const Reason = z.string().trim().min(5, 'a reason of at least 5 characters is required').max(2000);
const IsoTime = z.string();

export const RoleSchema = z.enum(['compliance_officer', 'senior_officer', 'operations_admin', 'auditor', 'field_rep']);
export const QueueSchema = z.enum([
  'screening_review',
  'enhanced_due_diligence',
  'compliance_review',
  'expansion_review',
  'suitability_review',
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

export const API = {
  'session.whoami': { request: z.strictObject({}), response: UserSchema },
  'leads.import': {
    request: z.strictObject({
      fileName: z.string().min(1).max(260),
      format: z.enum(['csv', 'jsonl']),
      content: z.string().max(64 * 1024 * 1024),
      /** all: the batch lands whole or not at all; valid: bad rows are reported and the rest land. */
      mode: z.enum(['all', 'valid']),
      sourceSystem: z.string().min(1).max(64),
      /** For CRM exports: their column name → our documented column name (docs/leads.md). */
      columnMapping: z.record(z.string(), z.string()).optional(),
    }),
    response: ImportResultSchema,
  },
  'leads.add': {
    request: z.strictObject({
      lead: z.record(z.string(), z.unknown()),
      sourceSystem: z.string().min(1).max(64).default('form'),
    }),
    response: z.strictObject({ leadId: z.string(), decisions: z.array(DecisionSummarySchema) }),
  },
  'leads.get': {
    request: z.strictObject({ leadId: Id, purpose: z.string().trim().min(3).max(200) }),
    response: z.strictObject({
      leadId: z.string(),
      jurisdiction: z.string().nullable(),
      personalData: z.record(z.string(), z.unknown()).nullable(),
      erased: z.boolean(),
      paths: z.array(DecisionSummarySchema),
    }),
  },
  'cases.list': {
    request: z.strictObject({
      queue: QueueSchema.optional(),
      status: z.array(CaseStatusSchema).optional(),
      overdueOnly: z.boolean().optional(),
      awaitingMyApproval: z.boolean().optional(),
      search: z.string().max(100).optional(),
      sort: z.enum(['slaDueAt', 'openedAt', 'risk', 'jurisdiction']).default('slaDueAt'),
      direction: z.enum(['asc', 'desc']).default('asc'),
      page: z.number().int().min(0).default(0),
      pageSize: z.number().int().min(1).max(500).default(50),
    }),
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
      maker: z.record(z.string(), z.unknown()).nullable(),
      checker: z.record(z.string(), z.unknown()).nullable(),
      trace: z.record(z.string(), z.unknown()),
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
    }),
    response: CaseRowSchema,
  },
  'cases.approve': { request: z.strictObject({ caseId: Id, reason: Reason }), response: CaseRowSchema },
  'cases.return': { request: z.strictObject({ caseId: Id, reason: Reason }), response: CaseRowSchema },
  'users.list': { request: z.strictObject({}), response: z.array(UserSchema) },
  'users.create': {
    request: z.strictObject({
      id: z.string().regex(/^[a-z][a-z0-9._-]{1,40}$/, 'user ids are lower-case letters, digits, ".", "_" or "-"'),
      name: z.string().trim().min(1).max(200),
      roles: z.array(RoleSchema).min(1),
      markets: z.array(z.string().min(1).max(64)).min(1),
      passphrase: z.string().min(12, 'a passphrase has at least 12 characters').max(1024),
    }),
    response: UserSchema,
  },
  'users.setRoles': {
    request: z.strictObject({ userId: Id, roles: z.array(RoleSchema).min(1), reason: Reason }),
    response: UserSchema,
  },
  'users.setMarkets': {
    request: z.strictObject({ userId: Id, markets: z.array(z.string().min(1).max(64)).min(1), reason: Reason }),
    response: UserSchema,
  },
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
