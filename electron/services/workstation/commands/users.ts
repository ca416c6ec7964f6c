// Users, roles and market scopes (audited meta-actions needing an operations admin), and audited personal-data reads.
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { hasPermission, inScope } from '../../../../core/access/roles.ts';
import type { Role, User } from '../../../../core/access/roles.ts';
import { readPersonalData } from '../../audit/audit-log.ts';
import { changePassphrase, keySlotUsers, prepareKeySlot } from '../../store/key-slots.ts';
import { StoreError } from '../../store/errors.ts';
import { DEFAULT_SCRYPT_COST } from '../../store/key-slots.ts';
import { statement } from '../../store/statements.ts';
import { actorOf, commit, commitWithKeySlot, findUser, userFromRow, WorkstationError } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';
import type { JsonObject } from '../../../../core/audit/entry.ts';
import { approvalFields, refuseSelfGrant, requestMetaAction, requiresSecondApproval } from './duties.ts';
import type { MetaApplier, Pending } from './duties.ts';
import { staffRecord, userCreatedEvent } from '../session/staff-records.ts';

const requireAdmin = (session: Session): void => {
  if (!hasPermission(session.user, 'user.manage'))
    throw new WorkstationError('forbidden', `${session.user.id} is not an operations admin`);
};

const checkMarkets = (session: Session, markets: readonly string[]): void => {
  const vocabulary = session.workstation.policy().compiled.vocabulary;
  for (const market of markets)
    if (market !== '*' && vocabulary.kindOf(market) === undefined)
      throw new WorkstationError(
        'invalid_input',
        `markets: "${market}" is not a market, group or jurisdiction of the active policy`,
      );
};

export const listUsers = (session: Session): User[] => {
  requireAdmin(session);
  return session.workstation.db
    .prepare<[], { id: string; name: string; roles: string; markets: string; active: number }>(
      'SELECT id, name, roles, markets, active FROM users ORDER BY id',
    )
    .all()
    .map(userFromRow);
};

export type NewUser = {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly markets: readonly string[];
  readonly passphrase: string;
};

// The entries each change writes, the same whether applied at once or on a second admin's approval (duties.ts).

/** The reason an admin gave, beside the log (decision 0141); an approved request's reason stays in its request. */
const reasonData = (userId: string, reason: string | null) =>
  reason === null ? {} : { personalData: staffRecord(`user:${userId}`, { reason }) };

const rolesChangedEvent = (
  actor: string,
  change: { readonly userId: string; readonly roles: readonly string[]; readonly previous: readonly string[] },
  reason: string | null,
  approval: JsonObject = {},
) => ({
  actor,
  type: 'user.role_changed' as const,
  subjects: [`user:${change.userId}`],
  payload: {
    pv: PAYLOAD_VERSION,
    userId: change.userId,
    roles: [...change.roles],
    previous: [...change.previous],
    ...approval,
  },
  ...reasonData(change.userId, reason),
});

const marketsChangedEvent = (
  actor: string,
  change: { readonly userId: string; readonly markets: readonly string[]; readonly previous: readonly string[] },
  reason: string | null,
  approval: JsonObject = {},
) => ({
  actor,
  type: 'market.reassigned' as const,
  subjects: [`user:${change.userId}`],
  payload: {
    pv: PAYLOAD_VERSION,
    userId: change.userId,
    markets: [...change.markets],
    previous: [...change.previous],
    ...approval,
  },
  ...reasonData(change.userId, reason),
});

/**
 * Creates a user, or, where the active policy puts user.create under a second admin's approval, requests it: the key
 * slot is wrapped now and installed only on approval (duties.ts).
 */
export const createUser = (session: Session, input: NewUser): User | Pending => {
  requireAdmin(session);
  checkMarkets(session, input.markets);
  const { workstation } = session;
  if (findUser(workstation.db, input.id)) throw new WorkstationError('conflict', `user ${input.id} exists already`);
  // The slot is written inside the entry's transaction and taken away if it does not commit (commitWithKeySlot). A slot
  // for an id with no user row is a leftover of a create that failed before that rule: it unlocks nothing (sign-in
  // needs the row), so this create replaces it rather than refusing the id for ever.
  const prepared = prepareKeySlot(
    workstation.path,
    workstation.key(),
    { user: input.id, passphrase: input.passphrase },
    workstation.deps.scryptCost ?? DEFAULT_SCRYPT_COST,
  );
  if (requiresSecondApproval(session, 'user.create'))
    return requestMetaAction(session, {
      action: 'user.create',
      target: `user:${input.id}`,
      change: { userId: input.id, roles: [...input.roles], markets: [...input.markets], withKeySlot: true },
      personal: { reason: null, name: input.name },
      slot: prepared,
    });
  commitWithKeySlot(workstation, { prepared, replacing: keySlotUsers(workstation.path).includes(input.id) }, (append) =>
    append(userCreatedEvent(actorOf(session.user), input)),
  );
  return findUser(workstation.db, input.id)!;
};

/** Applies an approved user.create: the user row (its slot is installed by the approval's transaction). */
export const applyUserCreate: MetaApplier = (session, append, request) => {
  const userId = String(request.change.userId);
  if (findUser(session.workstation.db, userId)) throw new WorkstationError('conflict', `user ${userId} exists already`);
  const name = request.personal.name;
  if (typeof name !== 'string')
    throw new WorkstationError('conflict', `${request.id}: the requested user's name was erased; reject it`);
  append(
    userCreatedEvent(
      `user:${request.requestedBy}`,
      {
        id: userId,
        name,
        roles: request.change.roles as Role[],
        markets: request.change.markets as string[],
      },
      approvalFields(request, session.user),
    ),
  );
};

export const setRoles = (
  session: Session,
  input: { readonly userId: string; readonly roles: readonly Role[]; readonly reason: string },
): User | Pending => {
  requireAdmin(session);
  refuseSelfGrant(session, input.userId, 'changes the roles of');
  const target = findUser(session.workstation.db, input.userId);
  if (!target) throw new WorkstationError('not_found', `no user ${input.userId}`);
  const change = { userId: input.userId, roles: [...input.roles], previous: [...target.roles] };
  if (requiresSecondApproval(session, 'role.grant'))
    return requestMetaAction(session, {
      action: 'role.grant',
      target: `user:${input.userId}`,
      change,
      personal: { reason: input.reason },
    });
  commit(session.workstation, (append) => append(rolesChangedEvent(actorOf(session.user), change, input.reason)));
  return findUser(session.workstation.db, input.userId)!;
};

export const applyRoleGrant: MetaApplier = (session, append, request) => {
  const userId = String(request.change.userId);
  const target = findUser(session.workstation.db, userId);
  if (!target) throw new WorkstationError('not_found', `no user ${userId}`);
  append(
    rolesChangedEvent(
      `user:${request.requestedBy}`,
      { userId, roles: request.change.roles as string[], previous: [...target.roles] },
      null,
      approvalFields(request, session.user),
    ),
  );
};

export const setMarkets = (
  session: Session,
  input: { readonly userId: string; readonly markets: readonly string[]; readonly reason: string },
): User | Pending => {
  requireAdmin(session);
  refuseSelfGrant(session, input.userId, 'changes the markets of');
  checkMarkets(session, input.markets);
  const target = findUser(session.workstation.db, input.userId);
  if (!target) throw new WorkstationError('not_found', `no user ${input.userId}`);
  const change = { userId: input.userId, markets: [...input.markets], previous: [...target.markets] };
  if (requiresSecondApproval(session, 'market.grant'))
    return requestMetaAction(session, {
      action: 'market.grant',
      target: `user:${input.userId}`,
      change,
      personal: { reason: input.reason },
    });
  commit(session.workstation, (append) => append(marketsChangedEvent(actorOf(session.user), change, input.reason)));
  return findUser(session.workstation.db, input.userId)!;
};

export const applyMarketGrant: MetaApplier = (session, append, request) => {
  const userId = String(request.change.userId);
  const target = findUser(session.workstation.db, userId);
  if (!target) throw new WorkstationError('not_found', `no user ${userId}`);
  const markets = request.change.markets as string[];
  checkMarkets(session, markets);
  append(
    marketsChangedEvent(
      `user:${request.requestedBy}`,
      { userId, markets, previous: [...target.markets] },
      null,
      approvalFields(request, session.user),
    ),
  );
};

type LeadRow = {
  id: string;
  scope: string | null;
  jurisdiction: string | null;
  ingested_seq: number;
  residency_region: string | null;
};

/** The lead, if it is inside the user's markets; unknown and out-of-market look alike to the caller (a logged refusal). */
export const visibleLead = (session: Session, leadId: string): LeadRow => {
  const row = statement<[string], LeadRow>(
    session.workstation.db,
    'SELECT id, scope, jurisdiction, ingested_seq, residency_region FROM leads WHERE id = ?',
  ).get(leadId);
  if (!row) throw new WorkstationError('not_found', `no lead ${leadId}`);
  // Out of the user's markets looks like an unknown lead to the caller (no probing for ids), but is a logged refusal.
  if (!inScope(session.user, row.jurisdiction ?? row.scope, session.workstation.policy().compiled.vocabulary))
    throw new WorkstationError('not_found', `no lead ${leadId}`, {
      reason: 'out_of_market',
      subject: `lead:${leadId}`,
    });
  return row;
};

/** Reads a lead's personal data: only in the user's markets, and every read is an audit entry (who, whose, what, why). */
export const readLead = (session: Session, leadId: string, purpose: string) => {
  const { workstation, user } = session;
  if (!hasPermission(user, 'lead.read_personal'))
    throw new WorkstationError('forbidden', `${user.id} may not read personal data`);
  const row = visibleLead(session, leadId);
  // The read and its audit entry are one transaction: there is no way to see the data without leaving the trace.
  const records = readPersonalData(
    workstation.db,
    // The lead's record only: reasons and read purposes held about the lead are not its data.
    {
      subject: `lead:${leadId}`,
      actor: actorOf(user),
      now: workstation.deps.now(),
      purpose,
      sequences: [row.ingested_seq],
    },
    workstation.deps,
  );
  const paths = workstation.db
    .prepare<
      [string],
      {
        product_id: string;
        outcome: string;
        queue: string | null;
        reason: string | null;
        entity_id: string | null;
        team_id: string | null;
        rep_id: string | null;
      }
    >(
      'SELECT product_id, outcome, queue, reason, entity_id, team_id, rep_id FROM product_paths WHERE lead_id = ? ORDER BY product_id',
    )
    .all(leadId);
  const caseIds = new Map(
    workstation.db
      .prepare<[string], { product_id: string; id: string }>(
        "SELECT product_id, id FROM cases WHERE lead_id = ? AND status <> 'closed'",
      )
      .all(leadId)
      .map((kase) => [kase.product_id, kase.id]),
  );
  const latest = records.at(-1);
  return {
    leadId,
    jurisdiction: row.jurisdiction,
    residencyRegion: row.residency_region,
    personalData: latest ? (latest.data as Record<string, unknown>) : null,
    erased: latest === undefined,
    paths: paths.map((path) => ({
      leadId,
      productId: path.product_id,
      outcome: path.outcome as 'assigned',
      queue: (path.queue ?? null) as null,
      reason: path.reason,
      entityId: path.entity_id,
      teamId: path.team_id,
      repId: path.rep_id,
      caseId: caseIds.get(path.product_id) ?? null,
    })),
  };
};

/**
 * Changes the signed-in user's own passphrase: their key slot is re-wrapped under the new one, every other slot and the
 * database stay as they are (decision 0036). The current passphrase is asked again, so an unattended session cannot
 * take the account over.
 */
export const changeOwnPassphrase = (session: Session, current: string, next: string): { changed: true } => {
  if (current === next) throw new WorkstationError('invalid_input', 'the new passphrase is the current one');
  const { workstation, user } = session;
  try {
    changePassphrase(workstation.path, user.id, current, next, workstation.deps.scryptCost ?? DEFAULT_SCRYPT_COST);
  } catch (error) {
    if (error instanceof StoreError && error.code === 'wrong-passphrase')
      throw new WorkstationError('unauthenticated', 'the current passphrase is wrong; nothing was changed');
    throw error;
  }
  return { changed: true };
};
