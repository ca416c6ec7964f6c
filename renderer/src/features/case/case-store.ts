// View state of the open case: its detail (cases.get), the decision being drafted, and the case actions.
import { create } from 'zustand';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import type { Disposition } from '../../../../core/cases/case.ts';
import { call } from '../../api/client.ts';
import type { ApiEnvelope } from '../../../../core/api/envelope.ts';
import { useHits } from './hits-store.ts';

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
  /**
   * Claims the case if nobody holds it and records the decision, in one request and one transaction (cases.decideMany
   * with one item): a refused decision leaves no claim behind. True when it was recorded; the screen then moves on.
   */
  readonly decide: () => Promise<boolean>;
  readonly approve: (reason: string) => Promise<boolean>;
  readonly returnForRework: (reason: string) => Promise<boolean>;
  readonly clear: () => void;
  /** Fetches a case ahead (the one auto-advance will open next), so opening it shows it at once. */
  readonly prefetch: (caseId: string) => Promise<void>;
};

let openTicket = 0;
// Cases fetched ahead of being opened: shown at once when opened, then fetched again, so what stays on screen is fresh.
// A few entries at most; emptied when the workstation locks.
const ahead = new Map<string, CaseDetail>();
const AHEAD_MAX = 4;

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
      // Already open or opening (auto-advance opens the next case before the list reloads): no second request.
      if (caseId !== null && caseId === get().caseId && (get().loading || get().detail?.case.id === caseId)) return;
      const ticket = ++openTicket;
      if (caseId !== get().caseId) set({ disposition: null, reason: '', assignment: NO_ASSIGNMENT, error: null });
      set({ caseId, loading: caseId !== null });
      if (caseId === null) {
        set({ detail: null });
        return;
      }
      const early = ahead.get(caseId);
      if (early !== undefined) {
        ahead.delete(caseId);
        set({ loading: false, detail: early });
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
      // Shown side by side, the hits the officer left ticked; otherwise the services take every open hit of the case.
      const hits = useHits.getState().chosenFor(caseId);
      if (hits !== undefined && hits.length === 0) {
        set({ error: 'Tick at least one hit this decision covers.' });
        return false;
      }
      set({ busy: true, error: null, notice: null });
      const replies = await call('cases.decideMany', {
        items: [
          {
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
            ...(hits === undefined ? {} : { hits: hits.map((hit) => ({ ...hit })) }),
          },
        ],
      });
      const reply = !replies.ok ? replies : replies.value[0];
      if (reply === undefined || !reply.ok) {
        set({ busy: false, error: reply?.error.message ?? 'the workstation gave no result for this decision' });
        await get().refresh();
        return false;
      }
      const row = reply.case;
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
      // No refresh of this case: the screen advances to the next one at once (and reloads this one if it stays).
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
    prefetch: async (caseId) => {
      if (ahead.has(caseId) || caseId === get().caseId) return;
      const reply = await call('cases.get', { caseId });
      if (!reply.ok) return;
      ahead.set(caseId, reply.value);
      for (const key of ahead.keys()) if (ahead.size > AHEAD_MAX) ahead.delete(key);
    },
    clear: () => {
      ahead.clear();
      set({
        caseId: null,
        detail: null,
        disposition: null,
        reason: '',
        assignment: NO_ASSIGNMENT,
        error: null,
        notice: null,
        loading: false,
      });
    },
  };
});
