// Users, roles and market scopes (audited meta-actions needing an operations admin), and audited personal-data reads.
import { PAYLOAD_VERSION } from '../../../core/audit/event-types.ts';
import { WORKFORCE_REGIME } from '../../../core/intake/lead-record.ts';
import { inTransaction } from '../store/transaction.ts';
import { hasPermission, inScope } from '../../../core/access/roles.ts';
import type { Role, User } from '../../../core/access/roles.ts';
import { readPersonalData } from '../audit/audit-log.ts';
import { eraseSubject } from '../audit/erasure.ts';
import { changePassphrase, keySlotUsers, prepareKeySlot } from '../store/key-slots.ts';
import { StoreError } from '../store/errors.ts';
import { DEFAULT_SCRYPT_COST } from '../store/key-slots.ts';
import { projectEntry } from './projector.ts';
import { actorOf, commit, commitWithKeySlot, findUser, userFromRow, WorkstationError } from './workstation.ts';
import type { Session } from './workstation.ts';
import type { AuditEntry } from '../../../core/audit/entry.ts';

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

export const createUser = (
  session: Session,
  input: {
    readonly id: string;
    readonly name: string;
    readonly roles: readonly Role[];
    readonly markets: readonly string[];
    readonly passphrase: string;
  },
): User => {
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
  commitWithKeySlot(workstation, { prepared, replacing: keySlotUsers(workstation.path).includes(input.id) }, (append) =>
    append({
      actor: actorOf(session.user),
      type: 'user.created',
      subjects: [`user:${input.id}`],
      payload: { pv: PAYLOAD_VERSION, userId: input.id, roles: [...input.roles], markets: [...input.markets] },
      personalData: { subject: `user:${input.id}`, regime: WORKFORCE_REGIME, data: { name: input.name } },
    }),
  );
  return findUser(workstation.db, input.id)!;
};

export const setRoles = (
  session: Session,
  input: { readonly userId: string; readonly roles: readonly Role[]; readonly reason: string },
): User => {
  requireAdmin(session);
  const target = findUser(session.workstation.db, input.userId);
  if (!target) throw new WorkstationError('not_found', `no user ${input.userId}`);
  commit(session.workstation, (append) =>
    append({
      actor: actorOf(session.user),
      type: 'user.role_changed',
      subjects: [`user:${input.userId}`],
      payload: { pv: PAYLOAD_VERSION, userId: input.userId, roles: [...input.roles], previous: [...target.roles] },
      personalData: { subject: `user:${input.userId}`, regime: WORKFORCE_REGIME, data: { reason: input.reason } },
    }),
  );
  return findUser(session.workstation.db, input.userId)!;
};

export const setMarkets = (
  session: Session,
  input: { readonly userId: string; readonly markets: readonly string[]; readonly reason: string },
): User => {
  requireAdmin(session);
  checkMarkets(session, input.markets);
  const target = findUser(session.workstation.db, input.userId);
  if (!target) throw new WorkstationError('not_found', `no user ${input.userId}`);
  commit(session.workstation, (append) =>
    append({
      actor: actorOf(session.user),
      type: 'market.reassigned',
      subjects: [`user:${input.userId}`],
      payload: {
        pv: PAYLOAD_VERSION,
        userId: input.userId,
        markets: [...input.markets],
        previous: [...target.markets],
      },
      personalData: { subject: `user:${input.userId}`, regime: WORKFORCE_REGIME, data: { reason: input.reason } },
    }),
  );
  return findUser(session.workstation.db, input.userId)!;
};

type LeadRow = { id: string; scope: string | null; jurisdiction: string | null; ingested_seq: number };

const visibleLead = (session: Session, leadId: string): LeadRow => {
  const row = session.workstation.db
    .prepare<[string], LeadRow>('SELECT id, scope, jurisdiction, ingested_seq FROM leads WHERE id = ?')
    .get(leadId);
  if (!row || !inScope(session.user, row.jurisdiction ?? row.scope, session.workstation.policy().compiled.vocabulary))
    throw new WorkstationError('not_found', `no lead ${leadId}`);
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

/** Erases a lead's personal data (GDPR): data and salt deleted, a tombstone logged, the chain intact. */
export const eraseLead = (session: Session, leadId: string, basis: string): { erased: number } => {
  const { workstation, user } = session;
  if (!hasPermission(user, 'lead.erase'))
    throw new WorkstationError('forbidden', `${user.id} may not erase personal data`);
  visibleLead(session, leadId);
  const result = inTransaction(workstation.db, () => {
    const erased = eraseSubject(
      workstation.db,
      { subject: `lead:${leadId}`, actor: actorOf(user), now: workstation.deps.now(), basis },
      workstation.deps,
    );
    const entry = workstation.db
      .prepare<[number], { canonical: Buffer }>('SELECT canonical FROM audit_entries WHERE sequence = ?')
      .get(erased.tombstone)!;
    projectEntry(workstation.db, JSON.parse(entry.canonical.toString('utf8')) as AuditEntry, erased.tombstone);
    return erased;
  });
  return { erased: result.erased.length };
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
