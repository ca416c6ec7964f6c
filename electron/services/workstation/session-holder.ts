// One signed-in session at a time for a transport (Electron IPC, the browser host): unlock, lock, and every api call
// in the { ok, value | error } envelope. Unlocking as another user locks the first, as on a shared desktop.
import { SESSION_API } from '../../../core/api/contract.ts';
import { apiErr, apiOk, describeIssues } from '../../../core/api/envelope.ts';
import type { ApiEnvelope } from '../../../core/api/envelope.ts';
import { StoreError } from '../store/errors.ts';
import { handleApiCall } from './api.ts';
import { openWorkstation, WorkstationError } from './workstation.ts';
import type { LeadScreener, Session, WorkstationDeps } from './workstation.ts';

export type SessionHolderOptions = {
  readonly dbPath: string;
  readonly deps: WorkstationDeps;
  readonly screener?: LeadScreener | null;
};

export type SessionHolder = {
  /** Answers a session method or an api method; never throws. */
  readonly call: (method: string, raw: unknown) => ApiEnvelope<unknown>;
  readonly lock: () => void;
  readonly isUnlocked: () => boolean;
};

const unlockError = (error: unknown): ApiEnvelope<never> => {
  if (error instanceof StoreError)
    return apiErr(
      error.code === 'wrong-passphrase' || error.code === 'unknown-user' ? 'unauthenticated' : error.code,
      error.message,
    );
  if (error instanceof WorkstationError) return apiErr(error.code, error.message);
  return apiErr('internal', error instanceof Error ? error.message : String(error));
};

export const createSessionHolder = (options: SessionHolderOptions): SessionHolder => {
  let session: Session | null = null;

  const lock = (): void => {
    const closing = session;
    session = null;
    closing?.workstation.close();
  };

  const unlock = (raw: unknown): ApiEnvelope<unknown> => {
    const parsed = SESSION_API['session.unlock'].request.safeParse(raw ?? {});
    if (!parsed.success) return apiErr('invalid_request', `session.unlock: ${describeIssues(parsed.error)}`);
    lock();
    try {
      session = openWorkstation(
        { path: options.dbPath, userId: parsed.data.userId, passphrase: parsed.data.passphrase },
        options.deps,
        options.screener ?? null,
      );
      return apiOk({ ...session.user, roles: [...session.user.roles], markets: [...session.user.markets] });
    } catch (error) {
      return unlockError(error);
    }
  };

  const call = (method: string, raw: unknown): ApiEnvelope<unknown> => {
    try {
      if (method === 'session.lock') {
        lock();
        return apiOk({ locked: true });
      }
      if (method === 'session.unlock') return unlock(raw);
      if (session === null) return apiErr('unauthenticated', 'the workstation is locked: unlock first');
      return handleApiCall(session, method, raw);
    } catch (error) {
      return apiErr('internal', error instanceof Error ? error.message : String(error));
    }
  };

  return { call, lock, isUnlocked: () => session !== null };
};
