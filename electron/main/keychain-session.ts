// The OS-keychain methods of the session, free of Electron: the keystore (safeStorage, asynchronous) seals and opens
// the database key in the keychain slot; the session holder (synchronous) signs in, hands out the key and audits.
import { SESSION_API } from '../../core/api/contract.ts';
import type { SessionMethod } from '../../core/api/contract.ts';
import { apiErr, apiOk, describeIssues } from '../../core/api/envelope.ts';
import type { ApiEnvelope } from '../../core/api/envelope.ts';
import { recoverInterruptedRekey } from '../services/store/rekey.ts';
import type { SessionHolder } from '../services/workstation/session/session-holder.ts';
import type { Keystore } from './keychain-slot.ts';

export type KeychainSessionOptions = {
  readonly dbPath: string;
  readonly holder: SessionHolder;
  readonly keystore: Keystore;
};

export type KeychainSession = {
  /** Answers one of the keychain session methods (KEYCHAIN_METHODS); never throws or rejects. */
  readonly call: (method: SessionMethod, raw: unknown) => Promise<ApiEnvelope<unknown>>;
};

const LOCKED = 'the workstation is locked: sign in with your passphrase first';

export const createKeychainSession = (options: KeychainSessionOptions): KeychainSession => {
  const { dbPath, holder, keystore } = options;

  const status = async (): Promise<ApiEnvelope<unknown>> => {
    const verdict = await keystore.availability();
    return apiOk(verdict.ok ? { available: true, message: null } : { available: false, message: verdict.message });
  };

  // Any unlock attempt ends the current session first, as session.unlock does.
  const unlock = async (userId: string): Promise<ApiEnvelope<unknown>> => {
    holder.lock();
    // A re-key interrupted by a crash is finished or undone before the keychain slot is read (decision 0037).
    recoverInterruptedRekey(dbPath);
    const opened = await keystore.unlock(dbPath, userId);
    if (!opened.ok) return apiErr(opened.reason, opened.message);
    try {
      return holder.unlockWithKey(userId, opened.value);
    } finally {
      opened.value.fill(0);
    }
  };

  // Seal first, then audit; if the entry cannot be written (or someone else signed in meanwhile) the slot goes again.
  const remember = async (): Promise<ApiEnvelope<unknown>> => {
    const current = holder.currentKey();
    if (current === null) return apiErr('unauthenticated', LOCKED);
    let sealed;
    try {
      sealed = await keystore.add(dbPath, current.userId, current.key);
    } finally {
      current.key.fill(0);
    }
    if (!sealed.ok) return apiErr(sealed.reason, sealed.message);
    const recorded = holder.recordKeychain(current.userId, { change: 'remembered', backend: sealed.value.backend });
    if (!recorded.ok) {
      keystore.remove(dbPath, current.userId);
      return recorded;
    }
    return apiOk({ backend: sealed.value.backend });
  };

  // Forget first, then audit: a failed entry leaves less access, never more.
  const forget = (): ApiEnvelope<unknown> => {
    const current = holder.currentKey();
    if (current === null) return apiErr('unauthenticated', LOCKED);
    current.key.fill(0);
    if (keystore.remove(dbPath, current.userId)) {
      const recorded = holder.recordKeychain(current.userId, { change: 'forgotten' });
      if (!recorded.ok) return recorded;
    }
    return apiOk({ forgotten: true });
  };

  const call = async (method: SessionMethod, raw: unknown): Promise<ApiEnvelope<unknown>> => {
    try {
      const parsed = SESSION_API[method].request.safeParse(raw ?? {});
      if (!parsed.success) return apiErr('invalid_request', `${method}: ${describeIssues(parsed.error)}`);
      switch (method) {
        case 'session.keychainStatus':
          return await status();
        case 'session.unlockWithKeychain':
          return await unlock((parsed.data as { userId: string }).userId);
        case 'session.rememberOnThisDevice':
          return await remember();
        case 'session.forgetOnThisDevice':
          return forget();
        default:
          return apiErr('unknown_method', `${method} is not a keychain method`);
      }
    } catch (error) {
      return apiErr('internal', error instanceof Error ? error.message : String(error));
    }
  };

  return { call };
};
