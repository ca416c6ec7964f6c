// View state of the session: who is signed in, and unlocking, locking and switching user through the api.
import { create } from 'zustand';
import type { UserDto } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';

type SessionState = {
  readonly user: UserDto | null;
  readonly busy: boolean;
  readonly error: string | null;
  /** The user id to prefill after a lock, so "switch user" starts empty and a plain lock does not. */
  readonly lastUserId: string;
  readonly unlock: (userId: string, passphrase: string) => Promise<boolean>;
  readonly lock: (options?: { switchUser?: boolean }) => Promise<void>;
};

export const useSession = create<SessionState>()((set, get) => ({
  user: null,
  busy: false,
  error: null,
  lastUserId: '',
  unlock: async (userId, passphrase) => {
    set({ busy: true, error: null });
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
    set({ user: reply.value, busy: false, error: null, lastUserId: reply.value.id });
    return true;
  },
  lock: async (options = {}) => {
    const lastUserId = options.switchUser ? '' : (get().user?.id ?? '');
    await call('session.lock', {});
    set({ user: null, error: null, lastUserId });
  },
}));
