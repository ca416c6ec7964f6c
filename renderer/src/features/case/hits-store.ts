// View state of the screening hit side by side: the hits of the open case (read on request: an audited read) and the
// hits the decision being drafted covers.
import { create } from 'zustand';
import { call } from '../../api/client.ts';
import { openHitIds, toggleHit } from './hit-view.ts';
import type { HitId, HitsView } from './hit-view.ts';

type HitsState = {
  readonly caseId: string | null;
  readonly view: HitsView | null;
  readonly loading: boolean;
  readonly error: string | null;
  /** The hits the decision covers; null until the view is shown (the services then take every open hit). */
  readonly chosen: readonly HitId[] | null;
  readonly show: (caseId: string) => Promise<void>;
  readonly toggle: (hit: HitId) => void;
  /** The hits to send with a decision on this case, or undefined to let the services take every open one. */
  readonly chosenFor: (caseId: string) => readonly HitId[] | undefined;
  readonly reset: (caseId: string | null) => void;
};

export const useHits = create<HitsState>()((set, get) => ({
  caseId: null,
  view: null,
  loading: false,
  error: null,
  chosen: null,
  show: async (caseId) => {
    if (get().loading && get().caseId === caseId) return;
    set({ caseId, loading: true, error: null });
    const reply = await call('cases.screeningHits', { caseId });
    if (get().caseId !== caseId) return;
    if (reply.ok) set({ loading: false, view: reply.value, chosen: openHitIds(reply.value) });
    else set({ loading: false, view: null, chosen: null, error: reply.error.message });
  },
  toggle: (hit) => {
    const { view, chosen } = get();
    if (view === null || chosen === null) return;
    set({ chosen: toggleHit(view, chosen, hit) });
  },
  chosenFor: (caseId) => {
    const { caseId: shown, view, chosen } = get();
    return shown === caseId && view !== null && chosen !== null ? chosen : undefined;
  },
  reset: (caseId) => {
    if (get().caseId !== caseId) set({ caseId, view: null, loading: false, error: null, chosen: null });
  },
}));
