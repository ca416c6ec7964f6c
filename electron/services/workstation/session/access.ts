// The door's refusals as log entries (decision 0130): a refused api call or CLI command of a signed-in user appends
// `access.denied` (who, which action, why, on which subject) in its own transaction, after the refused command
// rolled back, so nothing of the refused change lands and the refusal is never silent.
import { hasPermission } from '../../../../core/access/roles.ts';
import type { Permission } from '../../../../core/access/roles.ts';
import { actorOf, commit, WorkstationError } from './workstation.ts';
import type { AccessDenial, Session } from './workstation.ts';

/** The refusal an error stands for, or null when it is no refusal (bad input, a conflict, a missing record). */
export const denialOf = (error: unknown): AccessDenial | null =>
  error instanceof WorkstationError ? error.denial : null;

/** Throws the door's `forbidden` refusal unless the signed-in user holds the permission. */
export const requirePermission = (session: Session, permission: Permission, what: string): void => {
  if (!hasPermission(session.user, permission))
    throw new WorkstationError('forbidden', `${session.user.id} may not ${what} (needs ${permission})`);
};

/** Throws the door's `forbidden` refusal unless the user's markets are every market ("*"). */
export const requireEveryMarket = (session: Session, what: string): void => {
  if (!session.user.markets.includes('*'))
    throw new WorkstationError(
      'forbidden',
      `${session.user.id} may not ${what}: it covers every market, and ${session.user.id}'s markets are ${session.user.markets.join(', ') || 'none'}`,
      { reason: 'out_of_market' },
    );
};

/**
 * Appends `access.denied` for a refusal of `action` (an api method such as "cases.claim", or a CLI command such as
 * "audit export"). Returns the entry's sequence, or null when the log could not take it (the store is gone or another
 * writer holds the lock past its wait): the caller's refusal stands either way.
 */
export const recordAccessDenied = (session: Session, action: string, denial: AccessDenial): number | null => {
  try {
    return commit(session.workstation, (append) =>
      append({
        actor: actorOf(session.user),
        type: 'access.denied',
        subjects: denial.subject === undefined ? [] : [denial.subject],
        payload: { action, reason: denial.reason },
      }),
    ).sequence;
  } catch {
    return null;
  }
};

/** Runs a service call as the door: a refusal it throws is recorded as `access.denied`, then thrown on. */
export const throughTheDoor = <T>(session: Session, action: string, run: () => T): T => {
  try {
    return run();
  } catch (error) {
    const denial = denialOf(error);
    if (denial !== null) recordAccessDenied(session, action, denial);
    throw error;
  }
};
