// The workstation's sync status as the header and the Sync screen show it (sync.status), polled while an enrolment or
// a sync runs in the background and once a minute otherwise, so the offline indicator follows the last attempt.
import { create } from 'zustand';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';

export type SyncStatus = ApiResponse<'sync.status'>;

type SyncState = {
  readonly status: SyncStatus | null;
  readonly error: string | null;
  readonly load: () => Promise<void>;
  readonly enrol: (input: { hubUrl: string; region: string }) => Promise<boolean>;
  readonly syncNow: () => Promise<void>;
  readonly reset: () => void;
};

const RUNNING_POLL_MS = 400;
let timer: ReturnType<typeof setTimeout> | null = null;

const follow = (status: SyncStatus): void => {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  if (status.running !== null) timer = setTimeout(() => void useSync.getState().load(), RUNNING_POLL_MS);
};

export const useSync = create<SyncState>((set) => ({
  status: null,
  error: null,
  load: async () => {
    const reply = await call('sync.status', {});
    if (reply.ok) {
      set({ status: reply.value, error: null });
      follow(reply.value);
    } else set({ error: reply.error.message });
  },
  enrol: async (input) => {
    const reply = await call('sync.enrol', input);
    if (!reply.ok) {
      set({ error: reply.error.message });
      return false;
    }
    set({ status: reply.value, error: null });
    follow(reply.value);
    return true;
  },
  syncNow: async () => {
    const reply = await call('sync.now', {});
    if (!reply.ok) {
      set({ error: reply.error.message });
      return;
    }
    set({ status: reply.value, error: null });
    follow(reply.value);
  },
  reset: () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    set({ status: null, error: null });
  },
}));

/** The header's word for the sync state: what a field user must see at a glance. */
export const syncBadge = (
  status: SyncStatus | null,
): { readonly label: string; readonly tone: 'ok' | 'warn' | 'danger' | 'muted' } | null => {
  if (status === null) return null;
  if (!status.enrolled) return { label: 'Not enrolled', tone: 'muted' };
  if (status.running === 'sync') return { label: 'Syncing…', tone: 'muted' };
  if (status.standing === 'revoked') return { label: 'Revoked by the hub', tone: 'danger' };
  if (status.online === false) return { label: 'Offline', tone: 'danger' };
  if (status.standing === 'pending') return { label: 'Awaiting approval', tone: 'warn' };
  return { label: 'Online', tone: 'ok' };
};
