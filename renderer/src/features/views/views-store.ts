// The signed-in user's saved queue views (views.list / views.save / views.delete): kept by the services in the
// encrypted store, never in the browser's storage, since a view's search can name a person.
import { create } from 'zustand';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { caseListRequest, filtersFromRequest, useQueues } from '../queues/queue-store.ts';
import type { CaseListRequest } from '../queues/queue-store.ts';

export type SavedView = ApiResponse<'views.list'>[number];

type ViewsState = {
  readonly views: readonly SavedView[];
  readonly error: string | null;
  readonly notice: string | null;
  readonly load: () => Promise<void>;
  /** Saves the queue screen's current filters under a name (a new view, or `id` renamed and overwritten). */
  readonly saveCurrent: (name: string, id?: string) => Promise<boolean>;
  readonly rename: (view: SavedView, name: string) => Promise<boolean>;
  readonly remove: (view: SavedView) => Promise<boolean>;
  readonly apply: (view: SavedView) => void;
  readonly reset: () => void;
};

/** The current filters as a view keeps them: the cases.list request, from its first page. */
export const currentFilter = (): CaseListRequest => ({ ...caseListRequest(useQueues.getState()), page: 0 });

/** Whether a view's filter is what the queue screen shows now (ignoring the page). */
export const isCurrent = (view: SavedView, current: CaseListRequest): boolean => {
  const normalise = (request: CaseListRequest): string =>
    JSON.stringify(caseListRequest({ ...filtersFromRequest(request), page: 0 }));
  return normalise(view.filter) === normalise(current);
};

export const useViews = create<ViewsState>()((set, get) => {
  const store = async (name: string, filter: CaseListRequest, id?: string): Promise<SavedView | null> => {
    set({ error: null, notice: null });
    const reply = await call('views.save', { ...(id === undefined ? {} : { id }), name, filter });
    if (!reply.ok) {
      set({ error: reply.error.message });
      return null;
    }
    await get().load();
    return reply.value;
  };
  return {
    views: [],
    error: null,
    notice: null,
    load: async () => {
      const reply = await call('views.list', {});
      if (reply.ok) set({ views: reply.value });
      else set({ error: reply.error.message });
    },
    saveCurrent: async (name, id) => {
      const saved = await store(name, currentFilter(), id);
      if (saved) set({ notice: `View “${saved.name}” saved.` });
      return saved !== null;
    },
    rename: async (view, name) => {
      const saved = await store(name, view.filter, view.id);
      if (saved) set({ notice: `View renamed to “${saved.name}”.` });
      return saved !== null;
    },
    remove: async (view) => {
      set({ error: null, notice: null });
      const reply = await call('views.delete', { id: view.id });
      if (!reply.ok) {
        set({ error: reply.error.message });
        return false;
      }
      set({ notice: `View “${view.name}” deleted.` });
      await get().load();
      return true;
    },
    apply: (view) => {
      set({ error: null, notice: null });
      useQueues.getState().setFilters(filtersFromRequest(view.filter));
    },
    reset: () => set({ views: [], error: null, notice: null }),
  };
});
