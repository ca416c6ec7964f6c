// View state of the audit log screen: the filter, order and keyset page (a stack of cursors for going back), the
// entries of the page, the selected entry, and exports in progress.
import { create } from 'zustand';
import type { ApiRequest, ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { downloadBase64 } from './download.ts';

export type AuditEntryView = ApiResponse<'audit.list'>['entries'][number];
export type AuditFilterForm = {
  /** One event type, or '' for every type. */
  readonly type: string;
  readonly actor: string;
  readonly subject: string;
  /** datetime-local values (UTC, as the screen says), or ''. */
  readonly from: string;
  readonly to: string;
};
export type ExportFormat = 'csv' | 'json' | 'bundle';

export const PAGE_SIZE = 50;

const emptyFilter: AuditFilterForm = { type: '', actor: '', subject: '', from: '', to: '' };

/** A datetime-local value read as UTC, in the log's own spelling; '' stays unset. */
const utc = (value: string): string | undefined => {
  if (value === '') return undefined;
  const time = new Date(`${value}${value.length === 16 ? ':00' : ''}Z`);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
};

/** The contract's filter from the form: empty fields are left out. */
export const toRequestFilter = (form: AuditFilterForm): NonNullable<ApiRequest<'audit.export'>['filter']> => {
  const from = utc(form.from);
  const to = utc(form.to);
  return {
    ...(form.type ? { types: [form.type as NonNullable<ApiRequest<'audit.list'>['types']>[number]] } : {}),
    ...(form.actor.trim() ? { actor: form.actor.trim() } : {}),
    ...(form.subject.trim() ? { subject: form.subject.trim() } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
};

type AuditState = {
  readonly filter: AuditFilterForm;
  readonly order: 'newest' | 'oldest';
  /** Cursors of the pages before this one; the current page's cursor is the last (undefined for the first page). */
  readonly cursors: readonly (string | undefined)[];
  readonly entries: readonly AuditEntryView[];
  readonly total: number;
  readonly totalCapped: boolean;
  readonly nextCursor: string | null;
  readonly logSize: number;
  readonly loading: boolean;
  readonly error: string | null;
  readonly selected: string | null;
  readonly exporting: ExportFormat | null;
  readonly exportMessage: string | null;
  readonly apply: (filter: AuditFilterForm, order: 'newest' | 'oldest') => Promise<void>;
  readonly load: () => Promise<void>;
  readonly next: () => Promise<void>;
  readonly previous: () => Promise<void>;
  readonly first: () => Promise<void>;
  readonly select: (sequence: string | null) => void;
  readonly exportAs: (format: ExportFormat) => Promise<void>;
  readonly reset: () => void;
};

let latest = 0;

// Where the screen starts, and where a lock or a user switch puts it back.
const initial = {
  filter: emptyFilter,
  order: 'newest' as const,
  cursors: [undefined] as (string | undefined)[],
  entries: [],
  total: 0,
  totalCapped: false,
  nextCursor: null,
  logSize: 0,
  loading: false,
  error: null,
  selected: null,
  exporting: null,
  exportMessage: null,
};

export const useAudit = create<AuditState>()((set, get) => ({
  ...initial,
  apply: async (filter, order) => {
    set({ filter, order, cursors: [undefined], selected: null });
    await get().load();
  },
  load: async () => {
    const { filter, order, cursors } = get();
    const cursor = cursors.at(-1);
    const ticket = ++latest;
    set({ loading: true, error: null });
    const reply = await call('audit.list', {
      ...toRequestFilter(filter),
      order,
      limit: PAGE_SIZE,
      ...(cursor === undefined ? {} : { cursor }),
    });
    if (ticket !== latest) return; // a newer request superseded this one
    if (!reply.ok) {
      set({ loading: false, error: reply.error.message, entries: [], total: 0, nextCursor: null });
      return;
    }
    const { entries, total, totalCapped, nextCursor, logSize } = reply.value;
    const selected = get().selected;
    set({
      loading: false,
      entries,
      total,
      totalCapped,
      nextCursor,
      logSize,
      selected: entries.some((entry) => entry.sequence === selected) ? selected : (entries[0]?.sequence ?? null),
    });
  },
  next: async () => {
    const { nextCursor, cursors } = get();
    if (nextCursor === null) return;
    set({ cursors: [...cursors, nextCursor] });
    await get().load();
  },
  previous: async () => {
    const { cursors } = get();
    if (cursors.length <= 1) return;
    set({ cursors: cursors.slice(0, -1) });
    await get().load();
  },
  first: async () => {
    set({ cursors: [undefined] });
    await get().load();
  },
  select: (selected) => set({ selected }),
  exportAs: async (format) => {
    set({ exporting: format, exportMessage: null });
    const filter = toRequestFilter(get().filter);
    const reply = await call('audit.export', {
      format,
      ...(format !== 'bundle' && Object.keys(filter).length > 0 ? { filter } : {}),
    });
    if (!reply.ok) {
      set({ exporting: null, exportMessage: `Export failed: ${reply.error.message}` });
      return;
    }
    const { fileName, mediaType, base64, entries, exportSequence } = reply.value;
    downloadBase64(base64, fileName, mediaType);
    set({
      exporting: null,
      exportMessage: `Downloaded ${fileName}: ${entries.toLocaleString('en')} entries. The export is recorded as entry ${exportSequence}.`,
    });
    // The export appended its own entry: show it.
    await get().load();
  },
  reset: () => {
    latest++;
    set(initial);
  },
}));
