// The users screen's state (operations admins): the workstation's users, and adding a user or changing one's roles or
// markets through the api. The services check `user.manage`, the markets and the reason again, and audit each change.
import { create } from 'zustand';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import type { Role } from '../../app/labels.ts';
import { parseMarkets } from './users-form.ts';
import type { NewUserForm } from './users-form.ts';

export type UserView = ApiResponse<'users.list'>[number];

/** The outcome of a change: `null` when it was made, else the message to show. */
export type Outcome = string | null;

type UsersState = {
  readonly users: readonly UserView[];
  readonly loaded: boolean;
  readonly loading: boolean;
  readonly error: string | null;
  readonly busy: boolean;
  readonly load: () => Promise<void>;
  readonly createUser: (form: NewUserForm) => Promise<Outcome>;
  readonly setRoles: (userId: string, roles: readonly Role[], reason: string) => Promise<Outcome>;
  readonly setMarkets: (userId: string, markets: readonly string[], reason: string) => Promise<Outcome>;
  readonly reset: () => void;
};

let latest = 0;

const initial = { users: [], loaded: false, loading: false, error: null, busy: false };

export const useUsers = create<UsersState>()((set, get) => {
  /** Runs one change, then reloads the list so it shows what the services now hold. */
  const change = async (send: () => Promise<{ ok: true } | { ok: false; error: { message: string } }>) => {
    set({ busy: true });
    const reply = await send();
    set({ busy: false });
    if (!reply.ok) return reply.error.message;
    await get().load();
    return null;
  };
  return {
    ...initial,
    load: async () => {
      const ticket = ++latest;
      set({ loading: true, error: null });
      const reply = await call('users.list', {});
      if (ticket !== latest) return; // a newer load (or a sign-out) superseded this one
      if (reply.ok) set({ users: reply.value, loaded: true, loading: false });
      else set({ users: [], loaded: true, loading: false, error: reply.error.message });
    },
    createUser: (form) =>
      change(() =>
        call('users.create', {
          id: form.id.trim(),
          name: form.name.trim(),
          roles: [...form.roles],
          markets: parseMarkets(form.markets),
          passphrase: form.passphrase,
        }),
      ),
    setRoles: (userId, roles, reason) =>
      change(() => call('users.setRoles', { userId, roles: [...roles], reason: reason.trim() })),
    setMarkets: (userId, markets, reason) =>
      change(() => call('users.setMarkets', { userId, markets: [...markets], reason: reason.trim() })),
    reset: () => {
      latest++;
      set(initial);
    },
  };
});
