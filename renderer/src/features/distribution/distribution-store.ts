// Signed distribution as the Sync screen's Distribution section shows it (distribution.status), polled while a check or
// a fetch runs in the background.
import { create } from 'zustand';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';

export type DistributionStatus = ApiResponse<'distribution.status'>;

type DistributionState = {
  readonly status: DistributionStatus | null;
  readonly error: string | null;
  readonly load: () => Promise<void>;
  readonly check: () => Promise<void>;
  readonly fetch: () => Promise<void>;
  readonly pinKey: (verifierKey: string) => Promise<boolean>;
};

const RUNNING_POLL_MS = 400;
let timer: ReturnType<typeof setTimeout> | null = null;

const follow = (status: DistributionStatus): void => {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  if (status.running !== null) timer = setTimeout(() => void useDistribution.getState().load(), RUNNING_POLL_MS);
};

export const useDistribution = create<DistributionState>((set) => {
  const run = async (method: 'distribution.status' | 'distribution.check' | 'distribution.fetch'): Promise<void> => {
    const reply = await call(method, {});
    if (!reply.ok) {
      set({ error: reply.error.message });
      return;
    }
    set({ status: reply.value, error: null });
    follow(reply.value);
  };
  return {
    status: null,
    error: null,
    load: () => run('distribution.status'),
    check: () => run('distribution.check'),
    fetch: () => run('distribution.fetch'),
    pinKey: async (verifierKey) => {
      const reply = await call('distribution.pinKey', { verifierKey });
      if (!reply.ok) {
        set({ error: reply.error.message });
        return false;
      }
      set({ status: reply.value, error: null });
      return true;
    },
  };
});
