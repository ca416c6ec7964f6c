// Meta-actions awaiting a second operations admin (decision 0161): the pending requests, approving and rejecting them.
// The services decide who may approve (never the requester nor an account tied to them) and say why not.
import { create } from 'zustand';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import type { ApiEnvelope } from '../../../../core/api/envelope.ts';
import { call } from '../../api/client.ts';

export type MetaRequestView = ApiResponse<'approvals.list'>[number];

type ApprovalsState = {
  readonly requests: readonly MetaRequestView[];
  readonly loaded: boolean;
  readonly error: string | null;
  readonly busy: boolean;
  readonly load: () => Promise<void>;
  /** Approves or rejects: the message to show (done or refused). */
  readonly approve: (requestId: string) => Promise<{ ok: boolean; message: string }>;
  readonly reject: (requestId: string, reason: string) => Promise<{ ok: boolean; message: string }>;
  readonly reset: () => void;
};

const initial = { requests: [], loaded: false, error: null, busy: false };
let latest = 0;

/** What a pending request means for people: it takes effect only when another admin approves it. */
export const pendingNotice = (request: MetaRequestView): string =>
  `Requested (${request.id}): ${request.summary}. Nothing changes until a second operations admin approves it` +
  (request.needsAnotherAdmin
    ? ': a second operations admin is needed, and this workstation has none who may approve it yet.'
    : '.');

export const useApprovals = create<ApprovalsState>()((set, get) => {
  const decide = async (
    requestId: string,
    send: () => Promise<ApiEnvelope<MetaRequestView>>,
    done: (request: MetaRequestView) => string,
  ): Promise<{ ok: boolean; message: string }> => {
    set({ busy: true });
    const reply = await send();
    set({ busy: false });
    await get().load();
    return reply.ok
      ? { ok: true, message: done(reply.value) }
      : { ok: false, message: `${requestId} not decided: ${reply.error.message}` };
  };
  return {
    ...initial,
    load: async () => {
      const ticket = ++latest;
      const reply = await call('approvals.list', {});
      if (ticket !== latest) return;
      if (reply.ok) set({ requests: reply.value, loaded: true, error: null });
      else set({ requests: [], loaded: true, error: reply.error.message });
    },
    approve: (requestId) =>
      decide(
        requestId,
        () => call('approvals.approve', { requestId }),
        (request) => `Approved ${request.id}: ${request.summary}.`,
      ),
    reject: (requestId, reason) =>
      decide(
        requestId,
        () => call('approvals.reject', { requestId, reason: reason.trim() }),
        (request) => `Rejected ${request.id}: ${request.summary}.`,
      ),
    reset: () => {
      latest++;
      set(initial);
    },
  };
});

/** The requests the signed-in admin may approve now. */
export const awaitingMine = (requests: readonly MetaRequestView[]): MetaRequestView[] =>
  requests.filter((request) => request.status === 'pending' && request.mayApprove);
