// View state of the queues: counts, the filters, sort and page of the case list, its rows and the selected row.
import { create } from 'zustand';
import type { ApiResponse, CaseRow } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
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

type Filters = {
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

export const useQueues = create<QueueState>()((set, get) => ({
  ...initialFilters,
  counts: null,
  rows: [],
  total: 0,
  totalCapped: false,
  loading: false,
  error: null,
  selectedId: null,
  setFilters: (change) => {
    // Any change other than the page itself starts again at the first page.
    set({ ...change, page: change.page ?? 0 });
    void get().load();
  },
  load: async () => {
    const ticket = ++loadTicket;
    const state = get();
    set({ loading: true, error: null });
    const reply = await call('cases.list', {
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
    await Promise.all([get().load(), get().loadCounts()]);
    const { rows } = get();
    const next =
      following.find((id) => rows.some((row) => row.id === id)) ??
      rows[Math.min(Math.max(0, index), rows.length - 1)]?.id ??
      null;
    set({ selectedId: next });
  },
  reset: () =>
    set({ ...initialFilters, counts: null, rows: [], total: 0, totalCapped: false, error: null, selectedId: null }),
}));
