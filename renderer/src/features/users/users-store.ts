// The users screen's state (operations admins): the workstation's users, and adding a user or changing one's roles or
// markets through the api. The services check `user.manage`, the markets and the reason again, and audit each change.
import { create } from 'zustand';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import type { Role } from '../../app/labels.ts';
import { parseMarkets } from './users-form.ts';
import type { MetaRequestView } from '../approvals/approvals-store.ts';
import type { NewUserForm } from './users-form.ts';

export type UserView = ApiResponse<'users.list'>[number];
export type KeySlotsView = ApiResponse<'users.keySlots'>;
export type RotationView = ApiResponse<'users.rotateDatabaseKey'>;
export type ClaimedCaseView = ApiResponse<'users.claimedCases'>[number];
export type SetActiveView = ApiResponse<'users.setActive'>;

/** The outcome of a change: `null` when it was made, else the message to show. */
export type Outcome = string | null;

type UsersState = {
  readonly users: readonly UserView[];
  readonly loaded: boolean;
  readonly loading: boolean;
  readonly error: string | null;
  readonly busy: boolean;
  /** Who can sign in (has a key slot) and who needs re-enrolment; null until loaded or when it failed. */
  readonly keySlots: KeySlotsView | null;
  /** The user changes awaiting a second operations admin (decision 0161), shown as pending. */
  readonly pending: readonly MetaRequestView[];
  /** The last change, when it was recorded as a request rather than applied. */
  readonly lastPending: MetaRequestView | null;
  readonly load: () => Promise<void>;
  readonly createUser: (form: NewUserForm) => Promise<Outcome>;
  readonly setRoles: (userId: string, roles: readonly Role[], reason: string) => Promise<Outcome>;
  readonly setMarkets: (userId: string, markets: readonly string[], reason: string) => Promise<Outcome>;
  /** Rotates the database key (decision 0037): the result, or the message to show. */
  readonly rotateKey: (passphrase: string, reason: string) => Promise<RotationView | string>;
  readonly reEnrol: (userId: string, initialPassphrase: string, reason: string) => Promise<Outcome>;
  /** The cases a user holds claimed (what deactivating them releases), or the message to show. */
  readonly claimedCases: (userId: string) => Promise<readonly ClaimedCaseView[] | string>;
  /** Deactivates or reactivates a user (decision 0039): the result, or the message to show. */
  readonly setActive: (
    userId: string,
    active: boolean,
    reason: string,
    initialPassphrase?: string,
  ) => Promise<SetActiveView | string>;
  readonly reset: () => void;
};

let latest = 0;

const initial = {
  users: [],
  loaded: false,
  loading: false,
  error: null,
  busy: false,
  keySlots: null,
  pending: [],
  lastPending: null,
};

export const useUsers = create<UsersState>()((set, get) => {
  /** Runs one change, then reloads the list so it shows what the services now hold. */
  const change = async (
    send: () => Promise<{ ok: true; value: object } | { ok: false; error: { message: string } }>,
  ) => {
    set({ busy: true, lastPending: null });
    const reply = await send();
    set({ busy: false });
    if (!reply.ok) return reply.error.message;
    if ('pending' in reply.value) set({ lastPending: (reply.value as { pending: MetaRequestView }).pending });
    await get().load();
    return null;
  };
  return {
    ...initial,
    load: async () => {
      const ticket = ++latest;
      set({ loading: true, error: null });
      const [reply, slots, requests] = await Promise.all([
        call('users.list', {}),
        call('users.keySlots', {}),
        call('approvals.list', {}),
      ]);
      if (ticket !== latest) return; // a newer load (or a sign-out) superseded this one
      const keySlots = slots.ok ? slots.value : null;
      const pending = requests.ok ? requests.value.filter((request) => request.action !== 'policy.publish') : [];
      if (reply.ok) set({ users: reply.value, loaded: true, loading: false, keySlots, pending });
      else set({ users: [], loaded: true, loading: false, error: reply.error.message, keySlots, pending });
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
    rotateKey: async (passphrase, reason) => {
      set({ busy: true });
      const reply = await call('users.rotateDatabaseKey', { passphrase, reason: reason.trim() });
      set({ busy: false });
      if (!reply.ok) return reply.error.message;
      await get().load();
      return reply.value;
    },
    reEnrol: (userId, initialPassphrase, reason) =>
      change(() => call('users.reEnrol', { userId, initialPassphrase, reason: reason.trim() })),
    claimedCases: async (userId) => {
      const reply = await call('users.claimedCases', { userId });
      return reply.ok ? reply.value : reply.error.message;
    },
    setActive: async (userId, active, reason, initialPassphrase) => {
      set({ busy: true });
      const reply = await call('users.setActive', {
        userId,
        active,
        reason: reason.trim(),
        ...(initialPassphrase === undefined ? {} : { initialPassphrase }),
      });
      set({ busy: false });
      if (!reply.ok) return reply.error.message;
      await get().load();
      return reply.value;
    },
    reset: () => {
      latest++;
      set(initial);
    },
  };
});
