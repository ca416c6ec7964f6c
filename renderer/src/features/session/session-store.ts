// View state of the session: who is signed in, and unlocking (passphrase or OS keychain), locking, switching user and
// remembering this device through the api.
import { create } from 'zustand';
import type { UserDto } from '../../../../core/api/contract.ts';
import { call, onSignedOut } from '../../api/client.ts';
import { FORGOTTEN_NOTICE, keychainUnlockFailure, rememberedNotice } from './keychain-view.ts';
import type { KeychainStatus } from './keychain-view.ts';

type SessionState = {
  readonly user: UserDto | null;
  readonly busy: boolean;
  readonly error: string | null;
  /** The user id to prefill after a lock, so "switch user" starts empty and a plain lock does not. */
  readonly lastUserId: string;
  /** Whether this transport can use the OS keychain (null until asked; unavailable in the browser host). */
  readonly keychain: KeychainStatus | null;
  /** The outcome of the last remember/forget, for the header: a notice or an error. */
  readonly deviceNotice: { readonly kind: 'ok' | 'error'; readonly text: string } | null;
  readonly unlock: (userId: string, passphrase: string) => Promise<boolean>;
  readonly unlockWithKeychain: (userId: string) => Promise<boolean>;
  readonly loadKeychainStatus: () => Promise<void>;
  readonly rememberOnThisDevice: () => Promise<void>;
  readonly forgetOnThisDevice: () => Promise<void>;
  readonly lock: (options?: { switchUser?: boolean }) => Promise<void>;
};

// The lock on its way to the host, if any. An unlock waits for it: sent before it lands, the unlock could be overtaken
// and the lock would end the new session.
let pendingLock: Promise<void> | null = null;
const lockLanded = async (): Promise<void> => {
  if (pendingLock !== null) await pendingLock;
};

export const useSession = create<SessionState>()((set, get) => ({
  user: null,
  busy: false,
  error: null,
  lastUserId: '',
  keychain: null,
  deviceNotice: null,
  unlock: async (userId, passphrase) => {
    set({ busy: true, error: null });
    await lockLanded();
    const reply = await call('session.unlock', { userId, passphrase });
    if (!reply.ok) {
      set({
        busy: false,
        error:
          reply.error.code === 'unauthenticated'
            ? 'That user id and passphrase do not open this workstation.'
            : reply.error.message,
      });
      return false;
    }
    set({ user: reply.value, busy: false, error: null, lastUserId: reply.value.id, deviceNotice: null });
    return true;
  },
  unlockWithKeychain: async (userId) => {
    set({ busy: true, error: null });
    await lockLanded();
    const reply = await call('session.unlockWithKeychain', { userId });
    if (!reply.ok) {
      set({ busy: false, error: keychainUnlockFailure(reply.error) });
      return false;
    }
    set({ user: reply.value, busy: false, error: null, lastUserId: reply.value.id, deviceNotice: null });
    return true;
  },
  loadKeychainStatus: async () => {
    const reply = await call('session.keychainStatus', {});
    set({ keychain: reply.ok ? reply.value : { available: false, message: reply.error.message } });
  },
  rememberOnThisDevice: async () => {
    set({ busy: true, deviceNotice: null });
    const reply = await call('session.rememberOnThisDevice', {});
    set({
      busy: false,
      deviceNotice: reply.ok
        ? { kind: 'ok', text: rememberedNotice(reply.value.backend) }
        : { kind: 'error', text: reply.error.message },
    });
  },
  forgetOnThisDevice: async () => {
    set({ busy: true, deviceNotice: null });
    const reply = await call('session.forgetOnThisDevice', {});
    set({
      busy: false,
      deviceNotice: reply.ok ? { kind: 'ok', text: FORGOTTEN_NOTICE } : { kind: 'error', text: reply.error.message },
    });
  },
  lock: async (options = {}) => {
    const lastUserId = options.switchUser ? '' : (get().user?.id ?? '');
    // The window leaves the signed-in screens at once, not when the host answers: on a slow machine the old screens
    // stayed up meanwhile, and what was typed for the next sign-in went into them (the users screen has a "User id"
    // field too) while the unlock form came up later holding the previous user's id.
    set({ user: null, error: null, lastUserId, deviceNotice: null });
    const lock = call('session.lock', {}).then(() => undefined);
    pendingLock = lock;
    await lock;
    if (pendingLock === lock) pendingLock = null;
  },
}));

// A session that ended under the window (an admin deactivated this user, or it was locked elsewhere) returns it to the
// unlock screen, saying why.
onSignedOut((message) => {
  const { user } = useSession.getState();
  if (user === null) return;
  useSession.setState({ user: null, error: `Signed out: ${message}`, lastUserId: user.id, deviceNotice: null });
});
