// Bulk decisions: which cases of the page are selected (checkboxes, shift-click ranges, the x key), and the bulk form:
// one disposition valid for every selected case, a reason per case, and a result per case (cases.decideMany).
import { create } from 'zustand';
import type { ApiResponse, CaseRow } from '../../../../core/api/contract.ts';
import { dispositionsFor } from '../../../../core/cases/case.ts';
import type { Disposition } from '../../../../core/cases/case.ts';
import { call } from '../../api/client.ts';
import { useQueues } from '../queues/queue-store.ts';

export type BulkResult = ApiResponse<'cases.decideMany'>[number];

type BulkState = {
  /** Selected case ids, in the order they were selected. */
  readonly selected: readonly string[];
  /** Where a shift-click range starts: the last case toggled on its own. */
  readonly anchor: string | null;
  readonly formOpen: boolean;
  /** The selected cases as they were when the form opened: the list below does not shift while the officer writes. */
  readonly items: readonly CaseRow[];
  readonly disposition: Disposition | null;
  readonly reasons: Readonly<Record<string, string>>;
  readonly results: Readonly<Record<string, BulkResult>>;
  readonly busy: boolean;
  readonly error: string | null;
  readonly toggle: (caseId: string) => void;
  /** Selects every case from the anchor to this one (shift-click). */
  readonly selectRange: (caseId: string) => void;
  readonly setAll: (caseIds: readonly string[], on: boolean) => void;
  readonly clear: () => void;
  readonly openForm: () => void;
  readonly closeForm: () => void;
  readonly setDisposition: (disposition: Disposition) => void;
  readonly setReason: (caseId: string, reason: string) => void;
  /** "Copy this reason to all": every case still gets (and shows) its own copy, which can be edited. */
  readonly copyReason: (from: string) => void;
  /** Sends every item without a success yet; answers when all results are in. */
  readonly submit: () => Promise<void>;
  readonly reset: () => void;
};

/**
 * The dispositions every one of these cases allows. Approving an assignment is left out: it names an entity, team and
 * rep for one case, which the case view asks for.
 */
export const commonDispositions = (items: readonly Pick<CaseRow, 'type'>[]): Disposition[] => {
  if (items.length === 0) return [];
  const types = [...new Set(items.map((item) => item.type))];
  return dispositionsFor(types[0]!).filter(
    (disposition) =>
      disposition !== 'approve_assignment' && types.every((type) => dispositionsFor(type).includes(disposition)),
  );
};

export const MIN_REASON = 5;

const empty = {
  selected: [] as readonly string[],
  anchor: null,
  formOpen: false,
  items: [] as readonly CaseRow[],
  disposition: null,
  reasons: {},
  results: {},
  busy: false,
  error: null,
};

export const useBulk = create<BulkState>()((set, get) => ({
  ...empty,
  toggle: (caseId) => {
    const { selected } = get();
    set({
      selected: selected.includes(caseId) ? selected.filter((id) => id !== caseId) : [...selected, caseId],
      anchor: caseId,
    });
  },
  selectRange: (caseId) => {
    const { anchor, selected } = get();
    const ids = useQueues.getState().rows.map((row) => row.id);
    const from = anchor === null ? -1 : ids.indexOf(anchor);
    const to = ids.indexOf(caseId);
    if (from === -1 || to === -1) {
      get().toggle(caseId);
      return;
    }
    const range = ids.slice(Math.min(from, to), Math.max(from, to) + 1);
    set({ selected: [...selected, ...range.filter((id) => !selected.includes(id))] });
  },
  setAll: (caseIds, on) => {
    const { selected } = get();
    set({
      selected: on
        ? [...selected, ...caseIds.filter((id) => !selected.includes(id))]
        : selected.filter((id) => !caseIds.includes(id)),
    });
  },
  clear: () => set({ selected: [], anchor: null }),
  openForm: () => {
    const rows = useQueues.getState().rows;
    const items = get()
      .selected.map((id) => rows.find((row) => row.id === id))
      .filter((row): row is CaseRow => row !== undefined);
    const common = commonDispositions(items);
    set({
      formOpen: true,
      items,
      disposition: get().disposition !== null && common.includes(get().disposition!) ? get().disposition : null,
      results: {},
      error: null,
    });
  },
  closeForm: () => set({ formOpen: false, items: [], results: {}, reasons: {}, disposition: null, error: null }),
  setDisposition: (disposition) => set({ disposition, error: null }),
  setReason: (caseId, reason) => set({ reasons: { ...get().reasons, [caseId]: reason } }),
  copyReason: (from) => {
    const { items, reasons, results } = get();
    const text = reasons[from] ?? '';
    set({
      reasons: Object.fromEntries(
        items.map((item) => [item.id, results[item.id]?.ok ? (reasons[item.id] ?? '') : text]),
      ),
    });
  },
  submit: async () => {
    const { items, disposition, reasons, results } = get();
    if (disposition === null) {
      set({ error: 'Choose a disposition first.' });
      return;
    }
    const pending = items.filter((item) => !results[item.id]?.ok);
    const short = pending.filter((item) => (reasons[item.id] ?? '').trim().length < MIN_REASON);
    if (short.length > 0) {
      set({
        error: `Give each case a reason of at least ${MIN_REASON} characters (${short.map((item) => item.id).join(', ')}).`,
      });
      return;
    }
    set({ busy: true, error: null });
    const reply = await call('cases.decideMany', {
      items: pending.map((item) => ({ caseId: item.id, disposition, reason: (reasons[item.id] ?? '').trim() })),
    });
    if (!reply.ok) {
      set({ busy: false, error: reply.error.message });
      return;
    }
    const next = { ...get().results };
    for (const result of reply.value) next[result.caseId] = result;
    const decided = reply.value.filter((result) => result.ok).map((result) => result.caseId);
    set({ busy: false, results: next, selected: get().selected.filter((id) => !decided.includes(id)) });
    const queues = useQueues.getState();
    await Promise.all([queues.load(), queues.loadCounts()]);
  },
  reset: () => set(empty),
}));

// Only cases on the current page stay selected: a new page, queue or filter narrows the selection to what is shown.
useQueues.subscribe((state, previous) => {
  if (state.rows === previous.rows || state.loading) return;
  const shown = new Set(state.rows.map((row) => row.id));
  const { selected, anchor } = useBulk.getState();
  const kept = selected.filter((id) => shown.has(id));
  if (kept.length !== selected.length || (anchor !== null && !shown.has(anchor)))
    useBulk.setState({ selected: kept, anchor: anchor !== null && shown.has(anchor) ? anchor : null });
});
