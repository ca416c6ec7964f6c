// View state of the queues: counts, the filters, sort and page of the case list, its rows and the selected row.
import { create } from 'zustand';
import type { ApiRequest, ApiResponse, CaseRow } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { useCase } from '../case/case-store.ts';
import type { CaseStatus, Queue } from '../../app/labels.ts';

export type QueueChoice = Queue | 'all' | 'awaiting_mine';
export type StatusChoice = 'active' | CaseStatus | 'any';
export type SortKey = 'slaDueAt' | 'openedAt' | 'risk' | 'jurisdiction';
export type Counts = ApiResponse<'cases.counts'>;

export const STATUS_CHOICES: Readonly<Record<StatusChoice, { label: string; statuses: CaseStatus[] | undefined }>> = {
  // No status sent: the services' default view (every status but closed), counted exactly from maintained counters.
  active: { label: 'Active (open, claimed, awaiting approval)', statuses: undefined },
  open: { label: 'Open', statuses: ['open'] },
  claimed: { label: 'Claimed', statuses: ['claimed'] },
  awaiting_approval: { label: 'Awaiting approval', statuses: ['awaiting_approval'] },
  closed: { label: 'Closed', statuses: ['closed'] },
  any: { label: 'Any status', statuses: ['open', 'claimed', 'awaiting_approval', 'closed'] },
};

export const PAGE_SIZES = [50, 100, 250, 500] as const;

export type Filters = {
  readonly queue: QueueChoice;
  readonly status: StatusChoice;
  readonly overdueOnly: boolean;
  readonly search: string;
  readonly sort: SortKey;
  readonly direction: 'asc' | 'desc';
  readonly page: number;
  readonly pageSize: number;
};

type QueueState = Filters & {
  readonly counts: Counts | null;
  readonly rows: readonly CaseRow[];
  readonly total: number;
  readonly totalCapped: boolean;
  readonly loading: boolean;
  readonly error: string | null;
  readonly selectedId: string | null;
  /** Grows whenever the search is set (typed, or by applying a saved view): the search box follows it. */
  readonly searchRevision: number;
  readonly setFilters: (change: Partial<Filters>) => void;
  readonly load: () => Promise<void>;
  readonly loadCounts: () => Promise<void>;
  readonly select: (caseId: string | null) => void;
  /** Moves the selection by one row (j / k); returns the newly selected case id. */
  readonly move: (delta: 1 | -1) => string | null;
  /** After a decision: reload, then select the case that followed the decided one (auto-advance). */
  readonly advanceAfter: (caseId: string) => Promise<void>;
  readonly reset: () => void;
};

const initialFilters: Filters = {
  queue: 'all',
  status: 'active',
  overdueOnly: false,
  search: '',
  sort: 'slaDueAt',
  direction: 'asc',
  page: 0,
  pageSize: 100,
};

let loadTicket = 0;

export type CaseListRequest = ApiRequest<'cases.list'>;

/** The cases.list request for these filters: also what a saved view keeps (without the page). */
export const caseListRequest = (state: Filters): CaseListRequest => ({
  ...(state.queue === 'all' || state.queue === 'awaiting_mine' ? {} : { queue: state.queue }),
  ...(state.queue === 'awaiting_mine' ? { awaitingMyApproval: true } : {}),
  ...(state.queue === 'awaiting_mine' || STATUS_CHOICES[state.status].statuses === undefined
    ? {}
    : { status: STATUS_CHOICES[state.status].statuses }),
  ...(state.overdueOnly ? { overdueOnly: true } : {}),
  ...(state.search.trim() ? { search: state.search.trim() } : {}),
  sort: state.sort,
  direction: state.direction,
  page: state.page,
  pageSize: state.pageSize,
});

const sameStatuses = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  a === undefined || b === undefined ? a === b : a.length === b.length && a.every((status) => b.includes(status));

/** The screen's filters for a saved cases.list request (a status set the screen has no choice for shows as "any"). */
export const filtersFromRequest = (request: CaseListRequest): Filters => ({
  queue: request.awaitingMyApproval ? 'awaiting_mine' : (request.queue ?? 'all'),
  status: request.awaitingMyApproval
    ? 'active'
    : ((Object.keys(STATUS_CHOICES) as StatusChoice[]).find((choice) =>
        sameStatuses(STATUS_CHOICES[choice].statuses, request.status),
      ) ?? 'any'),
  overdueOnly: request.overdueOnly ?? false,
  search: request.search ?? '',
  sort: request.sort ?? 'slaDueAt',
  direction: request.direction ?? 'asc',
  page: 0,
  pageSize: request.pageSize ?? initialFilters.pageSize,
});

export const useQueues = create<QueueState>()((set, get) => ({
  ...initialFilters,
  counts: null,
  rows: [],
  total: 0,
  totalCapped: false,
  loading: false,
  error: null,
  selectedId: null,
  searchRevision: 0,
  setFilters: (change) => {
    // Any change other than the page itself starts again at the first page.
    set({
      ...change,
      page: change.page ?? 0,
      ...('search' in change ? { searchRevision: get().searchRevision + 1 } : {}),
    });
    void get().load();
  },
  load: async () => {
    const ticket = ++loadTicket;
    const state = get();
    set({ loading: true, error: null });
    const reply = await call('cases.list', caseListRequest(state));
    if (ticket !== loadTicket) return; // a newer request has superseded this one
    if (!reply.ok) {
      set({ loading: false, error: reply.error.message, rows: [], total: 0, totalCapped: false });
      return;
    }
    const { rows, total, totalCapped } = reply.value;
    const selectedId = get().selectedId;
    set({
      loading: false,
      rows,
      total,
      totalCapped,
      selectedId: rows.some((row) => row.id === selectedId) ? selectedId : (rows[0]?.id ?? null),
    });
  },
  loadCounts: async () => {
    const reply = await call('cases.counts', {});
    if (reply.ok) set({ counts: reply.value });
  },
  select: (selectedId) => set({ selectedId }),
  move: (delta) => {
    const { rows, selectedId } = get();
    if (rows.length === 0) return null;
    const index = rows.findIndex((row) => row.id === selectedId);
    const next = index === -1 ? 0 : Math.min(rows.length - 1, Math.max(0, index + delta));
    const id = rows[next]?.id ?? null;
    set({ selectedId: id });
    return id;
  },
  advanceAfter: async (caseId) => {
    const before = get().rows;
    const index = before.findIndex((row) => row.id === caseId);
    const following = index === -1 ? [] : before.slice(index + 1).map((row) => row.id);
    // The officer waits for the next case, not for the list: open it from the page already shown, before the list and
    // counts reload (their requests would otherwise queue ahead of it).
    const guess = following[0] ?? (index > 0 ? before[index - 1]?.id : undefined);
    if (guess !== undefined) {
      set({ selectedId: guess });
      await useCase.getState().open(guess);
    }
    await Promise.all([get().load(), get().loadCounts()]);
    const { rows, selectedId } = get();
    // Still listed (or the officer has moved on meanwhile): keep it.
    if (selectedId !== null && selectedId !== caseId && rows.some((row) => row.id === selectedId)) return;
    const next =
      following.find((id) => rows.some((row) => row.id === id)) ??
      rows[Math.min(Math.max(0, index), rows.length - 1)]?.id ??
      null;
    set({ selectedId: next });
    // Nothing else to go to: the decided case stays on screen, so show what the decision did to it.
    if (next === caseId) await useCase.getState().refresh();
  },
  reset: () =>
    set({ ...initialFilters, counts: null, rows: [], total: 0, totalCapped: false, error: null, selectedId: null }),
}));
