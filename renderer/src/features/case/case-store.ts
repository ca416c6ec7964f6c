// View state of the open case: its detail (cases.get), the decision being drafted, and the case actions.
import { create } from 'zustand';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import type { Disposition } from '../../../../core/cases/case.ts';
import { call } from '../../api/client.ts';
import type { ApiEnvelope } from '../../../../core/api/envelope.ts';

export type CaseDetail = ApiResponse<'cases.get'>;
type CaseRow = ApiResponse<'cases.claim'>;
export type Assignment = { readonly entityId: string; readonly teamId: string; readonly repId: string };
const NO_ASSIGNMENT: Assignment = { entityId: '', teamId: '', repId: '' };

type CaseState = {
  readonly caseId: string | null;
  readonly detail: CaseDetail | null;
  readonly loading: boolean;
  readonly busy: boolean;
  readonly error: string | null;
  readonly notice: string | null;
  readonly disposition: Disposition | null;
  readonly reason: string;
  /** For approve_assignment: the entity, team and rep, re-checked by the services against the licensing map. */
  readonly assignment: Assignment;
  readonly open: (caseId: string | null) => Promise<void>;
  readonly refresh: () => Promise<void>;
  readonly setDisposition: (disposition: Disposition | null) => void;
  readonly setReason: (reason: string) => void;
  readonly setAssignment: (change: Partial<Assignment>) => void;
  readonly claim: () => Promise<boolean>;
  readonly release: () => Promise<boolean>;
  /** Claims the case if nobody holds it, then records the decision; true when it was recorded. */
  readonly decide: () => Promise<boolean>;
  readonly approve: (reason: string) => Promise<boolean>;
  readonly returnForRework: (reason: string) => Promise<boolean>;
  readonly clear: () => void;
};

let openTicket = 0;

export const useCase = create<CaseState>()((set, get) => {
  const act = async (run: () => Promise<ApiEnvelope<CaseRow>>, notice: (row: CaseRow) => string): Promise<boolean> => {
    set({ busy: true, error: null, notice: null });
    const reply = await run();
    if (!reply.ok) {
      set({ busy: false, error: reply.error.message });
      return false;
    }
    set({ busy: false, notice: notice(reply.value) });
    await get().refresh();
    return true;
  };
  return {
    caseId: null,
    detail: null,
    loading: false,
    busy: false,
    error: null,
    notice: null,
    disposition: null,
    reason: '',
    assignment: NO_ASSIGNMENT,
    open: async (caseId) => {
      const ticket = ++openTicket;
      if (caseId !== get().caseId) set({ disposition: null, reason: '', assignment: NO_ASSIGNMENT, error: null });
      set({ caseId, loading: caseId !== null });
      if (caseId === null) {
        set({ detail: null });
        return;
      }
      const reply = await call('cases.get', { caseId });
      if (ticket !== openTicket) return;
      if (!reply.ok) set({ loading: false, detail: null, error: reply.error.message });
      else set({ loading: false, detail: reply.value });
    },
    refresh: async () => {
      const { caseId } = get();
      if (caseId === null) return;
      const reply = await call('cases.get', { caseId });
      if (reply.ok && get().caseId === caseId) set({ detail: reply.value });
    },
    setDisposition: (disposition) => set({ disposition, error: null }),
    setReason: (reason) => set({ reason }),
    setAssignment: (change) => set({ assignment: { ...get().assignment, ...change } }),
    claim: () =>
      act(
        () => call('cases.claim', { caseId: get().caseId ?? '' }),
        (row) => `${row.id} is claimed by you.`,
      ),
    release: () =>
      act(
        () => call('cases.release', { caseId: get().caseId ?? '' }),
        (row) => `${row.id} is released.`,
      ),
    decide: async () => {
      const { caseId, detail, disposition, reason, assignment } = get();
      if (caseId === null || detail === null) return false;
      if (disposition === null) {
        set({ error: 'Choose a disposition first.' });
        return false;
      }
      if (reason.trim().length < 5) {
        set({ error: 'A reason of at least 5 characters is required.' });
        return false;
      }
      const assigning = disposition === 'approve_assignment';
      if (assigning && (!assignment.entityId.trim() || !assignment.teamId.trim() || !assignment.repId.trim())) {
        set({ error: 'Approving an assignment names the entity, team and rep.' });
        return false;
      }
      set({ busy: true, error: null, notice: null });
      if (detail.case.status === 'open') {
        const claimed = await call('cases.claim', { caseId });
        if (!claimed.ok) {
          set({ busy: false, error: claimed.error.message });
          return false;
        }
      }
      const reply = await call('cases.decide', {
        caseId,
        disposition,
        reason: reason.trim(),
        ...(assigning
          ? {
              assignment: {
                entityId: assignment.entityId.trim(),
                teamId: assignment.teamId.trim(),
                repId: assignment.repId.trim(),
              },
            }
          : {}),
      });
      if (!reply.ok) {
        set({ busy: false, error: reply.error.message });
        await get().refresh();
        return false;
      }
      const row = reply.value;
      set({
        busy: false,
        disposition: null,
        reason: '',
        assignment: NO_ASSIGNMENT,
        notice:
          row.status === 'awaiting_approval'
            ? `${row.id}: decision recorded; it needs a second officer's approval.`
            : `${row.id}: decision recorded (${row.status === 'closed' ? 'closed' : 'still open'}).`,
      });
      await get().refresh();
      return true;
    },
    approve: (reason) =>
      act(
        () => call('cases.approve', { caseId: get().caseId ?? '', reason }),
        (row) => `${row.id}: approved; the decision takes effect.`,
      ),
    returnForRework: (reason) =>
      act(
        () => call('cases.return', { caseId: get().caseId ?? '', reason }),
        (row) => `${row.id}: returned to the maker; the case is open again.`,
      ),
    clear: () =>
      set({
        caseId: null,
        detail: null,
        disposition: null,
        reason: '',
        assignment: NO_ASSIGNMENT,
        error: null,
        notice: null,
        loading: false,
      }),
  };
});
