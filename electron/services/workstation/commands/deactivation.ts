// Deactivating a leaver and reactivating a user (users.setActive, users.claimedCases): operations admins only,
// decision 0039. Deactivation revokes sign-in, releases the user's claimed cases and drops their key slots.
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { hasPermission } from '../../../../core/access/roles.ts';
import type { User } from '../../../../core/access/roles.ts';
import type { CaseType } from '../../../../core/cases/case.ts';
import { removeKeychainSlot } from '../../store/keychain-slots-file.ts';
import { DEFAULT_SCRYPT_COST, dropKeySlot, keySlotUsers, prepareKeySlot } from '../../store/key-slots.ts';
import { releaseClaimsOf } from './cases.ts';
import { SIGN_IN_PERMISSION } from './key-rotation.ts';
import { actorOf, commit, commitWithKeySlot, findUser, userFromRow, WorkstationError } from '../session/workstation.ts';
import type { Session } from '../session/workstation.ts';
import type { JsonObject } from '../../../../core/audit/entry.ts';
import { approvalFields, refuseSelfGrant, requestMetaAction, requiresSecondApproval } from './duties.ts';
import type { MetaApplier, Pending } from './duties.ts';
import { staffRecord } from '../session/staff-records.ts';

const requireAdmin = (session: Session): void => {
  if (!hasPermission(session.user, 'user.manage'))
    throw new WorkstationError('forbidden', `${session.user.id} is not an operations admin`);
};

const targetOf = (session: Session, userId: string): User => {
  const target = findUser(session.workstation.db, userId);
  if (!target) throw new WorkstationError('not_found', `no user ${userId}`);
  return target;
};

export type ClaimedCase = {
  readonly id: string;
  readonly type: CaseType;
  readonly leadId: string;
  readonly productId: string;
  readonly claimedAt: string | null;
};

/** The cases a user holds claimed: what deactivating them releases to their queues (for the confirmation). */
export const claimedCases = (session: Session, userId: string): ClaimedCase[] => {
  requireAdmin(session);
  targetOf(session, userId);
  return session.workstation.db
    .prepare<[string], { id: string; type: CaseType; lead_id: string; product_id: string; claimed_at: string | null }>(
      "SELECT id, type, lead_id, product_id, claimed_at FROM cases WHERE status = 'claimed' AND claimed_by = ? ORDER BY opened_seq",
    )
    .all(userId)
    .map((row) => ({
      id: row.id,
      type: row.type,
      leadId: row.lead_id,
      productId: row.product_id,
      claimedAt: row.claimed_at,
    }));
};

export type SetActiveInput = {
  readonly userId: string;
  readonly active: boolean;
  readonly reason: string;
  /** Reactivation only: a new key slot under this passphrase (required when the user has no slot). */
  readonly initialPassphrase?: string | undefined;
};

export type SetActiveResult = {
  readonly user: User;
  /** The permission.revoked / permission.granted entry. */
  readonly sequence: number;
  /** Deactivation: the cases released back to their queues. */
  readonly releasedCases: string[];
  /** Deactivation: whether a passphrase key slot was removed; reactivation: whether one was written. */
  readonly keySlotChanged: boolean;
  /** Deactivation: whether the OS keychain slot file on this device held the user's slot (now removed). */
  readonly keychainSlotRemoved: boolean;
  /** Slots that could not be removed after the deactivation was committed (harmless: sign-in refuses the user). */
  readonly warnings: string[];
};

const activeOperationsAdmins = (session: Session): string[] =>
  session.workstation.db
    .prepare<[], { id: string; name: string; roles: string; markets: string; active: number }>(
      'SELECT id, name, roles, markets, active FROM users WHERE active = 1 ORDER BY id',
    )
    .all()
    .map(userFromRow)
    .filter((user) => user.roles.includes('operations_admin'))
    .map((user) => user.id);

/**
 * Deactivates a leaver: ONE command appends `permission.revoked` ("workstation-sign-in") and releases every case they
 * hold claimed (projected: users.active = 0, the cases open again). Only after the commit are their passphrase key
 * slot and their OS keychain slot on this device removed: a crash in between leaves a slot that unlocks nothing, since
 * sign-in refuses inactive users; the reverse order could leave an active user locked out.
 */
const deactivate = (session: Session, target: User, reason: string): SetActiveResult => {
  const { workstation } = session;
  if (target.id === session.user.id)
    throw new WorkstationError(
      'conflict',
      'you cannot deactivate yourself: another operations admin must do it, so the workstation keeps an admin who can sign in',
    );
  if (!target.active) throw new WorkstationError('conflict', `${target.id} is deactivated already`);
  if (target.roles.includes('operations_admin') && activeOperationsAdmins(session).every((id) => id === target.id))
    throw new WorkstationError(
      'conflict',
      `${target.id} is the last active operations admin; make someone else an operations admin first`,
    );
  let releasedCases: string[] = [];
  const { sequence } = commit(workstation, (append) => {
    const claimed = claimedCases(session, target.id).map((kase) => kase.id);
    const revoked = append({
      actor: actorOf(session.user),
      type: 'permission.revoked',
      subjects: [`user:${target.id}`],
      payload: {
        pv: PAYLOAD_VERSION,
        userId: target.id,
        permission: SIGN_IN_PERMISSION,
        scope: 'this-workstation',
        releasedCases: claimed,
      },
      personalData: staffRecord(`user:${target.id}`, { reason }),
    });
    releasedCases = releaseClaimsOf(session, append, target, reason);
    return revoked;
  });
  // After the commit: a failure here leaves a harmless slot (the user is inactive, so sign-in refuses it); it is said
  // in the answer, and a reactivation with a passphrase replaces it.
  const warnings: string[] = [];
  const attempt = (what: string, remove: () => boolean): boolean => {
    try {
      return remove();
    } catch (error) {
      warnings.push(`${what} could not be removed (${error instanceof Error ? error.message : String(error)})`);
      return false;
    }
  };
  const keySlotChanged = attempt('the passphrase key slot', () => dropKeySlot(workstation.path, target.id));
  const keychainSlotRemoved = attempt('the OS keychain slot', () => removeKeychainSlot(workstation.path, target.id));
  return {
    user: findUser(workstation.db, target.id)!,
    sequence,
    releasedCases,
    keySlotChanged,
    keychainSlotRemoved,
    warnings,
  };
};

/**
 * Reactivates a user: `permission.granted` ("workstation-sign-in") sets users.active = 1. A user without a key slot
 * gets one under the initial passphrase, written inside the entry's transaction as re-enrolment does (a slot that
 * cannot be written rolls the entry back). A slot left over from an interrupted deactivation is replaced when a
 * passphrase is given, so the leaver's old passphrase does not come back with them.
 */
const reactivatedEvent = (
  actor: string,
  userId: string,
  reason: string | null,
  passphraseChosenBy: string | null,
  approval: JsonObject = {},
) => ({
  actor,
  type: 'permission.granted' as const,
  subjects: [`user:${userId}`],
  payload: {
    pv: PAYLOAD_VERSION,
    userId,
    permission: SIGN_IN_PERMISSION,
    scope: 'this-workstation' as const,
    reactivated: true as const,
    // The person rule (decision 0161): whoever chose a new initial passphrase could act as the user.
    ...(passphraseChosenBy === null ? {} : { passphraseChosenBy }),
    ...approval,
  },
  // The reason given is free text: beside the log (decision 0141). An approved request's reason is in its request.
  ...(reason === null ? {} : { personalData: staffRecord(`user:${userId}`, { reason }) }),
});

const reactivate = (
  session: Session,
  target: User,
  reason: string,
  initialPassphrase: string | undefined,
): SetActiveResult | Pending => {
  const { workstation } = session;
  refuseSelfGrant(session, target.id, 'reactivates');
  if (target.active) throw new WorkstationError('conflict', `${target.id} is active already`);
  const hasSlot = keySlotUsers(workstation.path).includes(target.id);
  if (!hasSlot && initialPassphrase === undefined)
    throw new WorkstationError(
      'invalid_input',
      `initialPassphrase: ${target.id} has no key slot; reactivating them needs an initial passphrase of at least 12 characters`,
    );
  const prepared =
    initialPassphrase === undefined
      ? null
      : prepareKeySlot(
          workstation.path,
          workstation.key(),
          { user: target.id, passphrase: initialPassphrase },
          workstation.deps.scryptCost ?? DEFAULT_SCRYPT_COST,
        );
  if (requiresSecondApproval(session, 'user.reactivate'))
    return requestMetaAction(session, {
      action: 'user.reactivate',
      target: `user:${target.id}`,
      change: { userId: target.id, withKeySlot: prepared !== null },
      personal: { reason },
      slot: prepared,
    });
  // A leftover slot is replaced, and put back if the entry does not commit (commitWithKeySlot).
  const { sequence } = commitWithKeySlot(workstation, prepared && { prepared, replacing: true }, (append) =>
    append(reactivatedEvent(actorOf(session.user), target.id, reason, prepared === null ? null : session.user.id)),
  );
  return {
    user: findUser(workstation.db, target.id)!,
    sequence,
    releasedCases: [],
    keySlotChanged: initialPassphrase !== undefined,
    keychainSlotRemoved: false,
    warnings: [],
  };
};

/** Applies an approved user.reactivate (its key slot, if any, is installed by the approval's transaction). */
export const applyReactivate: MetaApplier = (session, append, request) => {
  const target = targetOf(session, String(request.change.userId));
  if (target.active) throw new WorkstationError('conflict', `${target.id} is active already`);
  if (request.change.withKeySlot !== true && !keySlotUsers(session.workstation.path).includes(target.id))
    throw new WorkstationError(
      'conflict',
      `${target.id} has no key slot any more; reject and request with a passphrase`,
    );
  append(
    reactivatedEvent(
      `user:${request.requestedBy}`,
      target.id,
      null,
      request.change.withKeySlot === true ? request.requestedBy : null,
      approvalFields(request, session.user),
    ),
  );
};

export const setActive = (session: Session, input: SetActiveInput): SetActiveResult | Pending => {
  requireAdmin(session);
  const target = targetOf(session, input.userId);
  if (input.active) return reactivate(session, target, input.reason, input.initialPassphrase);
  if (input.initialPassphrase !== undefined)
    throw new WorkstationError('invalid_input', 'initialPassphrase: only a reactivation takes an initial passphrase');
  return deactivate(session, target, input.reason);
};
