// Separation of duties for meta-actions (decisions 0160, 0161): requests a second operations admin approves or rejects,
// and the person rule (maker ≠ checker by person, not by account) that case four-eyes approvals share.
import { createHash } from 'node:crypto';
import { hasPermission } from '../../../../core/access/roles.ts';
import type { User } from '../../../../core/access/roles.ts';
import { needsSecondApproval, samePerson } from '../../../../core/access/duties.ts';
import type { AccountOrigin, MetaAction } from '../../../../core/access/duties.ts';
import type { JsonObject } from '../../../../core/audit/entry.ts';
import type { PreparedKeySlot } from '../../store/key-slots.ts';
import { keySlotUsers } from '../../store/key-slots.ts';
import { actorOf, commit, commitWithKeySlot, userFromRow, WorkstationError } from '../session/workstation.ts';
import type { Appender, Session, Workstation } from '../session/workstation.ts';
import { staffRecord } from '../session/staff-records.ts';

export type MetaRequestView = {
  readonly id: string;
  readonly action: MetaAction;
  readonly target: string;
  /** One line for people: what approval would do. */
  readonly summary: string;
  readonly change: Record<string, unknown>;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly reason: string | null;
  readonly status: 'pending' | 'approved' | 'rejected';
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly decisionReason: string | null;
  /** Whether the signed-in admin may approve it; when not, why (`whyNot`). */
  readonly mayApprove: boolean;
  readonly whyNot: string | null;
  /** No active operations admin other than the requester's person exists: the request waits for one to be added. */
  readonly needsAnotherAdmin: boolean;
};

export type Pending = { readonly pending: MetaRequestView };

/** The account, who requested its creation and who chose its passphrase; unknown accounts are their own person. */
export const accountOrigin = (workstation: Workstation, userId: string): AccountOrigin => {
  const row = workstation.db
    .prepare<[string], { requested_by: string | null; passphrase_by: string | null }>(
      'SELECT requested_by, passphrase_by FROM users WHERE id = ?',
    )
    .get(userId);
  return { id: userId, requestedBy: row?.requested_by ?? null, passphraseBy: row?.passphrase_by ?? null };
};

/** Every account that counts as the same person as `userId` (samePerson, core/access/duties.ts). */
export const tiedAccounts = (workstation: Workstation, userId: string): string[] => {
  const origin = accountOrigin(workstation, userId);
  const controlled = workstation.db
    .prepare<[string, string], string>('SELECT id FROM users WHERE requested_by = ? OR passphrase_by = ? ORDER BY id')
    .pluck()
    .all(userId, userId);
  const controllers = [origin.requestedBy, origin.passphraseBy].filter((id): id is string => id !== null);
  return [...new Set([userId, ...controllers, ...controlled])];
};

const tieOf = (account: AccountOrigin, other: string): string | null =>
  account.requestedBy === other
    ? `${account.id}'s account was created at ${other}'s request`
    : account.passphraseBy === other
      ? `${account.id}'s initial passphrase was chosen by ${other}`
      : null;

/** Why `checker` may not check what `makerId` did (null: they are two people). */
export const personConflict = (workstation: Workstation, makerId: string, checker: User): string | null => {
  if (makerId === checker.id) return 'the maker can never be the checker';
  const maker = accountOrigin(workstation, makerId);
  const check = accountOrigin(workstation, checker.id);
  if (!samePerson(maker, check)) return null;
  const tie = tieOf(check, makerId) ?? tieOf(maker, checker.id);
  return `${tie ?? `${checker.id} and ${makerId} are the same person`}: one person cannot make and check`;
};

const requireAdmin = (session: Session): void => {
  if (!hasPermission(session.user, 'user.manage'))
    throw new WorkstationError('forbidden', `${session.user.id} is not an operations admin`);
};

/** Whether the active policy puts this meta-action under a second operations admin's approval. */
export const requiresSecondApproval = (session: Session, action: MetaAction): boolean =>
  needsSecondApproval(session.workstation.policy().loaded.policy.approvals ?? { meta: [] }, action);

/** Nobody grants themselves anything: a meta-action on one's own account is refused, whoever would approve it. */
export const refuseSelfGrant = (session: Session, targetUserId: string, what: string): void => {
  if (targetUserId === session.user.id)
    throw new WorkstationError('forbidden', `nobody ${what} themselves: another operations admin must request it`);
};

const keyCheckOf = (key: Uint8Array): string =>
  createHash('sha256').update('perimeter-meta-request-slot:').update(key).digest('hex');

type RequestRow = {
  id: string;
  action: MetaAction;
  target: string;
  change: string;
  requested_by: string;
  requested_at: string;
  requested_seq: number;
  status: MetaRequestView['status'];
  decided_by: string | null;
  decided_at: string | null;
  decided_seq: number | null;
};

const personalOf = (workstation: Workstation, sequence: number | null): Record<string, unknown> => {
  if (sequence === null) return {};
  const row = workstation.db
    .prepare<[number], { data: Buffer | null }>('SELECT data FROM audit_personal_data WHERE sequence = ?')
    .get(sequence);
  return row?.data ? (JSON.parse(row.data.toString('utf8')) as Record<string, unknown>) : {};
};

const list = (value: unknown): string => (Array.isArray(value) ? value.join(', ') : '');

const summaryOf = (action: MetaAction, change: Record<string, unknown>, name: unknown): string => {
  switch (action) {
    case 'user.create':
      return `Create user ${String(change.userId)}${typeof name === 'string' ? ` (${name})` : ''}: roles ${list(change.roles)}; markets ${list(change.markets)}`;
    case 'role.grant':
      return `Set the roles of ${String(change.userId)} to ${list(change.roles)} (now ${list(change.previous)})`;
    case 'market.grant':
      return `Set the markets of ${String(change.userId)} to ${list(change.markets)} (now ${list(change.previous)})`;
    case 'user.reactivate':
      return `Reactivate ${String(change.userId)}${change.withKeySlot === true ? ' with a new initial passphrase' : ''}`;
    case 'policy.publish':
      return `Publish policy ${String(change.label)} (${String(change.ruleVersion)})`;
    case 'kyc.configure':
      return `Set the KYC connector to ${String(change.connector)}${change.endpoint ? ` at ${String(change.endpoint)}` : ''}${change.secretKeyId ? `, signing secret ${String(change.secretKeyId)}` : ''}${change.callbackSecretKeyId ? `, callback secret ${String(change.callbackSecretKeyId)}` : ''}`;
  }
};

const activeAdmins = (workstation: Workstation): User[] =>
  workstation.db
    .prepare<[], { id: string; name: string; roles: string; markets: string; active: number }>(
      'SELECT id, name, roles, markets, active FROM users WHERE active = 1 ORDER BY id',
    )
    .all()
    .map(userFromRow)
    .filter((user) => hasPermission(user, 'user.manage'));

/** Why `checker` may not approve this request (null: they may). */
const approvalProblem = (workstation: Workstation, row: RequestRow, checker: User): string | null => {
  if (row.status !== 'pending') return `request ${row.id} is ${row.status}`;
  if (!hasPermission(checker, 'user.manage')) return `${checker.id} is not an operations admin`;
  const conflict = personConflict(workstation, row.requested_by, checker);
  if (conflict !== null) return conflict;
  if (row.target === `user:${checker.id}`) return 'nobody approves a change to their own account';
  return null;
};

const viewOf = (workstation: Workstation, row: RequestRow, viewer: User): MetaRequestView => {
  const requested = personalOf(workstation, row.requested_seq);
  const decided = personalOf(workstation, row.decided_seq);
  const change = JSON.parse(row.change) as Record<string, unknown>;
  const whyNot = approvalProblem(workstation, row, viewer);
  const needsAnotherAdmin =
    row.status === 'pending' &&
    activeAdmins(workstation).every(
      (admin) => personConflict(workstation, row.requested_by, admin) !== null || row.target === `user:${admin.id}`,
    );
  const { bundle: _bundle, ...shown } = change;
  return {
    id: row.id,
    action: row.action,
    target: row.target,
    summary: summaryOf(row.action, change, requested.name),
    change: shown,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    reason: typeof requested.reason === 'string' ? requested.reason : null,
    status: row.status,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionReason: typeof decided.reason === 'string' ? decided.reason : null,
    mayApprove: whyNot === null,
    whyNot,
    needsAnotherAdmin,
  };
};

const loadRequest = (workstation: Workstation, requestId: string): RequestRow => {
  const row = workstation.db.prepare<[string], RequestRow>('SELECT * FROM meta_requests WHERE id = ?').get(requestId);
  if (!row) throw new WorkstationError('not_found', `no meta-action request ${requestId}`);
  return row;
};

/** The meta-action requests, newest first: pending only (the default) or every one. */
export const listMetaRequests = (
  session: Session,
  query: { readonly status?: 'pending' | 'all' | undefined } = {},
): MetaRequestView[] => {
  requireAdmin(session);
  const rows = session.workstation.db
    .prepare<[], RequestRow>(
      `SELECT * FROM meta_requests ${query.status === 'all' ? '' : "WHERE status = 'pending'"} ORDER BY requested_seq DESC LIMIT 500`,
    )
    .all();
  return rows.map((row) => viewOf(session.workstation, row, session.user));
};

export type MetaRequestInput = {
  readonly action: MetaAction;
  /** user:<id> or policy:<rule version>. */
  readonly target: string;
  /** What approval applies (no personal data: names and reasons go in `personal`). */
  readonly change: JsonObject;
  readonly personal: { readonly reason: string | null; readonly name?: string; readonly fileName?: string };
  /** The key slot approval installs (user.create, a user.reactivate with an initial passphrase). */
  readonly slot?: PreparedKeySlot | null;
};

/** Records a meta-action request: audited, pending, nothing applied. The caller has checked the input. */
export const requestMetaAction = (session: Session, input: MetaRequestInput): Pending => {
  requireAdmin(session);
  const { workstation, user } = session;
  const id = commit(workstation, (append) => {
    const duplicate = workstation.db
      .prepare<[string, string], { id: string }>(
        "SELECT id FROM meta_requests WHERE status = 'pending' AND action = ? AND target = ?",
      )
      .get(input.action, input.target);
    if (duplicate)
      throw new WorkstationError(
        'conflict',
        `${input.action} of ${input.target} is already requested (${duplicate.id}); approve or reject that first`,
      );
    const next =
      workstation.db.prepare<[], number>('SELECT coalesce(max(sequence), -1) + 1 FROM audit_entries').pluck().get() ??
      0;
    const requestId = `MR-${next}`;
    const personalSubject = input.target.startsWith('user:') ? input.target : actorOf(user);
    append({
      actor: actorOf(user),
      type: 'meta.requested',
      subjects: [...new Set([`meta:${requestId}`, input.target, personalSubject])],
      payload: { requestId, action: input.action, target: input.target, change: input.change },
      personalData: staffRecord(personalSubject, {
        reason: input.personal.reason,
        ...(input.personal.name === undefined ? {} : { name: input.personal.name }),
        ...(input.personal.fileName === undefined ? {} : { fileName: input.personal.fileName }),
      }),
    });
    if (input.slot)
      workstation.db
        .prepare('INSERT INTO meta_request_slots (request_id, user_id, slot, key_check) VALUES (?, ?, ?, ?)')
        .run(requestId, input.slot.user, JSON.stringify(input.slot.slot), keyCheckOf(workstation.key()));
    return requestId;
  });
  return { pending: viewOf(workstation, loadRequest(workstation, id), user) };
};

/** What approving a request appends after meta.approved, as the requester with the approver named (one per action). */
export type MetaApplier = (
  session: Session,
  append: Appender,
  request: {
    readonly id: string;
    readonly requestedBy: string;
    readonly change: Record<string, unknown>;
    readonly personal: Record<string, unknown>;
  },
) => void;

/** A second operations admin (another person) approves: meta.approved and the change itself, in one transaction. */
export const approveMetaRequest = (
  session: Session,
  requestId: string,
  appliers: Readonly<Record<MetaAction, MetaApplier>>,
): MetaRequestView => {
  requireAdmin(session);
  const { workstation, user } = session;
  const before = loadRequest(workstation, requestId);
  const problem = approvalProblem(workstation, before, user);
  if (problem !== null)
    throw new WorkstationError(before.status === 'pending' ? 'forbidden' : 'conflict', `${requestId}: ${problem}`);
  const applier = appliers[before.action];
  const slotRow = workstation.db
    .prepare<[string], { user_id: string; slot: string; key_check: string }>(
      'SELECT user_id, slot, key_check FROM meta_request_slots WHERE request_id = ?',
    )
    .get(requestId);
  if (slotRow && slotRow.key_check !== keyCheckOf(workstation.key()))
    throw new WorkstationError(
      'conflict',
      `${requestId}: the database key was rotated since the request, so its initial passphrase no longer unlocks it; reject it and request again`,
    );
  const prepared: PreparedKeySlot | null = slotRow
    ? { user: slotRow.user_id, slot: JSON.parse(slotRow.slot) as PreparedKeySlot['slot'] }
    : null;
  const replacing = prepared !== null && keySlotUsers(workstation.path).includes(prepared.user);
  commitWithKeySlot(workstation, prepared && { prepared, replacing }, (append) => {
    // Checked again inside the write transaction: two approvers cannot both pass.
    const row = loadRequest(workstation, requestId);
    const again = approvalProblem(workstation, row, user);
    if (again !== null) throw new WorkstationError('conflict', `${requestId}: ${again}`);
    append({
      actor: actorOf(user),
      type: 'meta.approved',
      subjects: [`meta:${row.id}`, row.target],
      payload: { requestId: row.id, action: row.action, target: row.target, requestedBy: row.requested_by },
    });
    applier(session, append, {
      id: row.id,
      requestedBy: row.requested_by,
      change: JSON.parse(row.change) as Record<string, unknown>,
      personal: personalOf(workstation, row.requested_seq),
    });
    workstation.db.prepare('DELETE FROM meta_request_slots WHERE request_id = ?').run(row.id);
  });
  return viewOf(workstation, loadRequest(workstation, requestId), user);
};

/**
 * Rejects a request with a reason: another operations admin, or the requester withdrawing it (decision 0161). Nothing
 * is applied; a key slot it carried is dropped.
 */
export const rejectMetaRequest = (session: Session, requestId: string, reason: string): MetaRequestView => {
  requireAdmin(session);
  const { workstation, user } = session;
  if (reason.trim().length < 5) throw new WorkstationError('invalid_input', 'reason: at least 5 characters');
  commit(workstation, (append) => {
    const row = loadRequest(workstation, requestId);
    if (row.status !== 'pending') throw new WorkstationError('conflict', `request ${row.id} is ${row.status}`);
    append({
      actor: actorOf(user),
      type: 'meta.rejected',
      subjects: [`meta:${row.id}`, row.target, actorOf(user)],
      payload: { requestId: row.id, action: row.action, target: row.target, requestedBy: row.requested_by },
      personalData: staffRecord(actorOf(user), { reason: reason.trim() }),
    });
    workstation.db.prepare('DELETE FROM meta_request_slots WHERE request_id = ?').run(row.id);
    // A proposed KYC connector's URL and secrets go with the request they waited for (decision 0240).
    workstation.db.prepare('DELETE FROM kyc_connector_proposals WHERE request_id = ?').run(row.id);
  });
  return viewOf(workstation, loadRequest(workstation, requestId), user);
};

/** The approval fields an applied change's entry carries (the actor is the requester). */
export const approvalFields = (request: { readonly id: string; readonly requestedBy: string }, approver: User) => ({
  requestId: request.id,
  requestedBy: request.requestedBy,
  approvedBy: approver.id,
});
