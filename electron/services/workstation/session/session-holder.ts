// One signed-in session at a time for a transport (Electron IPC, the browser host): unlock, lock, and every api call
// in the { ok, value | error } envelope. Unlocking as another user locks the first, as on a shared desktop. The OS
// keychain methods are answered `unsupported` here; Electron's door answers them itself and calls unlockWithKey,
// currentKey and recordKeychain (electron/main/keychain-session.ts).
import { SESSION_API } from '../../../../core/api/contract.ts';
import type { SessionMethod } from '../../../../core/api/contract.ts';
import { apiErr, apiOk, describeIssues } from '../../../../core/api/envelope.ts';
import type { ApiEnvelope } from '../../../../core/api/envelope.ts';
import { StoreError } from '../../store/errors.ts';
import { apiErrorOf, withoutPaths } from '../api/api-errors.ts';
import { createPassphraseThrottle } from './passphrase-throttle.ts';
import type { PassphraseThrottleLimits } from './passphrase-throttle.ts';
import { handleApiCall } from '../api/api.ts';
import { recordKeychainChange } from './device-keychain.ts';
import type { KeychainChange } from './device-keychain.ts';
import { findUser } from './workstation.ts';
import { recordFailedSignIn, recordLockedRefusal, signIn, signInWithKey, signOut } from './sign-in.ts';
import type { SignOutReason } from './sign-in.ts';
import { API } from '../../../../core/api/contract.ts';
import { purgeExpired, RETENTION_ACTOR } from '../commands/erasure.ts';
import type { RetentionRun } from '../commands/erasure.ts';
import type { LeadScreener, Session, WorkstationDeps } from './workstation.ts';
import { deliverKycOutbox } from '../commands/kyc-delivery.ts';
import type { KycDeliveryOptions, KycDeliveryPass } from '../commands/kyc-delivery.ts';
import { receiveKycCallback } from '../commands/kyc-outcomes.ts';
import type { KycCallbackAnswer, KycOutcomeApplier } from '../commands/kyc-outcomes.ts';
import { applyKycOutcome } from '../commands/lead-facts.ts';

export type SessionHolderOptions = {
  readonly dbPath: string;
  readonly deps: WorkstationDeps;
  readonly screener?: LeadScreener | null;
  /** Limits on wrong passphrases (decision 0126); the defaults are PASSPHRASE_THROTTLE. */
  readonly throttle?: Partial<PassphraseThrottleLimits>;
  /** Applies a KYC outcome (default: the lifecycle's applyKycOutcome, the one fact-update door). */
  readonly kycApplier?: KycOutcomeApplier;
  /** How the background KYC delivery job sends (timeouts, retry schedule). */
  readonly kycDelivery?: KycDeliveryOptions;
};

export type SessionHolder = {
  /** Answers a session method or an api method; never throws. */
  readonly call: (method: string, raw: unknown) => ApiEnvelope<unknown>;
  readonly lock: () => void;
  readonly isUnlocked: () => boolean;
  /** Signs in with a database key unwrapped elsewhere (the OS keychain); answers like session.unlock. */
  readonly unlockWithKey: (userId: string, key: Uint8Array) => ApiEnvelope<unknown>;
  /** The signed-in user and a copy of the database key (for sealing; the caller zeroes it), or null while locked. */
  readonly currentKey: () => { readonly userId: string; readonly key: Uint8Array } | null;
  /** Audits a keychain slot written or removed for `userId`, who must still be the one signed in. */
  readonly recordKeychain: (userId: string, change: KeychainChange) => ApiEnvelope<{ readonly sequence: number }>;
  /**
   * Purges what the policy's retention periods let expire (as system:retention): run at every sign-in and by the
   * host's daily timer. Null while locked (the key is needed), or when the run failed (the next one tries again).
   */
  readonly runRetention: () => RetentionRun | null;
  /**
   * One pass of the KYC outbox's delivery (as system:kyc), the host's background job (decision 0211): null while
   * locked, when a pass is still running, or when it failed (the next one tries again).
   */
  readonly runKycDelivery: () => Promise<KycDeliveryPass | null>;
  /** A signed KYC callback (decision 0213): answered 503 while locked (the key is needed; the sender retries). */
  readonly receiveKycCallback: (
    headers: Readonly<Record<string, string | string[] | undefined>>,
    body: Uint8Array,
  ) =>
    | KycCallbackAnswer
    | { readonly status: 503; readonly body: { readonly accepted: false; readonly reason: 'locked' } };
};

/** The session methods that need the OS keychain: only Electron's door answers them for real. */
export const KEYCHAIN_METHODS: readonly SessionMethod[] = Object.freeze([
  'session.unlockWithKeychain',
  'session.rememberOnThisDevice',
  'session.forgetOnThisDevice',
  'session.keychainStatus',
]);

export const isKeychainMethod = (method: string): method is SessionMethod =>
  (KEYCHAIN_METHODS as readonly string[]).includes(method);

export const KEYCHAIN_UNSUPPORTED_MESSAGE =
  'The OS keychain is only available in the desktop app; sign in with your passphrase.';

// Without a keychain (the browser host, or Electron before it is wired): a valid request learns it is unsupported.
const answerWithoutKeychain = (method: SessionMethod, raw: unknown): ApiEnvelope<unknown> => {
  const parsed = SESSION_API[method].request.safeParse(raw ?? {});
  if (!parsed.success) return apiErr('invalid_request', `${method}: ${describeIssues(parsed.error)}`);
  if (method === 'session.keychainStatus') return apiOk({ available: false, message: KEYCHAIN_UNSUPPORTED_MESSAGE });
  return apiErr('unsupported', KEYCHAIN_UNSUPPORTED_MESSAGE);
};

const unlockError = (error: unknown): ApiEnvelope<never> => {
  const { code, message } = apiErrorOf(error);
  if (error instanceof StoreError && (error.code === 'wrong-passphrase' || error.code === 'unknown-user'))
    return apiErr('unauthenticated', message);
  return apiErr(code, message);
};

// Nothing a transport sends out names a place on this machine.
const scrubbed = <T>(reply: ApiEnvelope<T>): ApiEnvelope<T> =>
  reply.ok ? reply : apiErr(reply.error.code, withoutPaths(reply.error.message));

/** The api methods that check a passphrase again while signed in: a wrong one counts like a wrong unlock. */
const PASSPHRASE_CHECKING_METHODS: readonly string[] = ['users.changeOwnPassphrase', 'users.rotateDatabaseKey'];

// A key that does not open the database is refused like a wrong passphrase, with a message that says what to do.
const keyUnlockError = (error: unknown): ApiEnvelope<never> => {
  if (error instanceof StoreError && error.code === 'wrong-key')
    return apiErr(
      'unauthenticated',
      "The key from this device's keychain does not open this workstation's database (it was saved for another " +
        'database, or is out of date). Sign in with your passphrase.',
    );
  return unlockError(error);
};

const userDto = (session: Session): unknown => ({
  ...session.user,
  roles: [...session.user.roles],
  markets: [...session.user.markets],
});

export const createSessionHolder = (options: SessionHolderOptions): SessionHolder => {
  let session: Session | null = null;
  const throttle = createPassphraseThrottle(options.throttle);
  const nowMs = (): number => options.deps.now().getTime();

  // Every end of a session is a `session.signed_out` entry (decision 0132), then the key is wiped.
  const lock = (reason: SignOutReason = 'lock'): void => {
    const closing = session;
    session = null;
    if (closing !== null) signOut(closing, 'api', reason);
  };

  // The new session is opened first and takes the place of the old one only when it opened: a wrong passphrase (or
  // a refused key) leaves whoever is signed in signed in.
  const replaceWith = (next: Session): ApiEnvelope<unknown> => {
    lock('switch');
    session = next;
    // The workstation opens: retention runs by itself (decision 0151).
    runRetention();
    return apiOk(userDto(next));
  };

  const runRetention = (): RetentionRun | null => {
    if (session === null) return null;
    try {
      return purgeExpired(session.workstation, RETENTION_ACTOR);
    } catch {
      // A busy write lock or a policy that no longer loads must not stop a sign-in: the next run (daily) tries again.
      return null;
    }
  };

  let delivering = false;
  const runKycDelivery = async (): Promise<KycDeliveryPass | null> => {
    if (session === null || delivering) return null;
    delivering = true;
    try {
      return await deliverKycOutbox(session.workstation, options.kycDelivery);
    } catch {
      // A lock in the middle, a busy write lock: the events stay leased or pending, and the next pass carries on.
      return null;
    } finally {
      delivering = false;
    }
  };

  const kycCallback: SessionHolder['receiveKycCallback'] = (headers, body) => {
    if (session === null) return { status: 503, body: { accepted: false, reason: 'locked' } };
    return receiveKycCallback(session, { headers, body }, options.kycApplier ?? applyKycOutcome);
  };

  const unlock = (raw: unknown): ApiEnvelope<unknown> => {
    const parsed = SESSION_API['session.unlock'].request.safeParse(raw ?? {});
    if (!parsed.success) return apiErr('invalid_request', `session.unlock: ${describeIssues(parsed.error)}`);
    const { userId, passphrase } = parsed.data;
    const refusal = throttle.refusal(userId, nowMs());
    if (refusal !== null) {
      recordFailedSignIn(options.dbPath, { userId, at: options.deps.now(), reason: 'throttled', via: 'api' });
      return apiErr('rate_limited', refusal);
    }
    let opened: Session;
    try {
      opened = signIn({ path: options.dbPath, userId, passphrase }, 'api', options.deps, options.screener ?? null);
    } catch (error) {
      if (error instanceof StoreError && (error.code === 'wrong-passphrase' || error.code === 'unknown-user'))
        throttle.failed(userId, nowMs());
      return unlockError(error);
    }
    throttle.succeeded(userId);
    return replaceWith(opened);
  };

  const unlockWithKey = (userId: string, key: Uint8Array): ApiEnvelope<unknown> => {
    try {
      return replaceWith(signInWithKey({ path: options.dbPath, userId, key }, options.deps, options.screener ?? null));
    } catch (error) {
      return scrubbed(keyUnlockError(error));
    }
  };

  const currentKey = (): { readonly userId: string; readonly key: Uint8Array } | null =>
    session === null ? null : { userId: session.user.id, key: session.workstation.key().slice() };

  const recordKeychain = (userId: string, change: KeychainChange): ApiEnvelope<{ readonly sequence: number }> => {
    if (session === null) return apiErr('unauthenticated', 'the workstation is locked: unlock first');
    if (session.user.id !== userId)
      return apiErr('conflict', `${session.user.id} signed in meanwhile; the keychain change for ${userId} is undone`);
    try {
      return apiOk({ sequence: recordKeychainChange(session, change) });
    } catch (error) {
      return scrubbed(unlockError(error));
    }
  };

  const answer = (method: string, raw: unknown): ApiEnvelope<unknown> => {
    try {
      if (method === 'session.lock') {
        lock();
        return apiOk({ locked: true });
      }
      if (method === 'session.unlock') return unlock(raw);
      if (isKeychainMethod(method)) return answerWithoutKeychain(method, raw);
      if (session === null) {
        // Nobody to attribute it to and no store open: noted beside the database for the log (decision 0132).
        if (Object.hasOwn(API, method)) recordLockedRefusal(options.dbPath, method, options.deps.now());
        return apiErr('unauthenticated', 'the workstation is locked: unlock first');
      }
      const userId = session.user.id;
      const checksPassphrase = PASSPHRASE_CHECKING_METHODS.includes(method);
      if (checksPassphrase) {
        const refusal = throttle.refusal(userId, nowMs());
        if (refusal !== null) return apiErr('rate_limited', refusal);
      }
      const reply = handleApiCall(session, method, raw);
      // handleApiCall refuses a user deactivated meanwhile (by an admin in another session or process); that also
      // ends this session, key wiped (decision 0039). Only a refusal is looked into: a call that went through needs
      // no second read of the user.
      if (
        !reply.ok &&
        reply.error.code === 'unauthenticated' &&
        findUser(session.workstation.db, session.user.id)?.active !== true
      ) {
        lock('deactivated');
        return apiErr('unauthenticated', `${userId} has been deactivated and is signed out of this workstation`);
      }
      if (checksPassphrase && !reply.ok && reply.error.code === 'unauthenticated') throttle.failed(userId, nowMs());
      return reply;
    } catch (error) {
      return apiErr('internal', error instanceof Error ? error.message : String(error));
    }
  };

  const call = (method: string, raw: unknown): ApiEnvelope<unknown> => scrubbed(answer(method, raw));

  return {
    call,
    lock,
    isUnlocked: () => session !== null,
    unlockWithKey,
    currentKey,
    recordKeychain,
    runRetention,
    runKycDelivery,
    receiveKycCallback: kycCallback,
  };
};
