// The lists screen's state (decision 0193): the active lists and recent re-screening runs, the version uploaded and
// its diff waiting for activation, and the run being followed. Kept outside the screen so an admin can leave it while
// the leads are re-screened and come back to the progress.
import { create } from 'zustand';
import type { ApiRequest, ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { useQueues } from '../queues/queue-store.ts';

export type ListsOverview = ApiResponse<'lists.overview'>;
export type ListPreview = ApiResponse<'lists.preview'>;
export type RescreenRun = ApiResponse<'lists.rescreenStatus'>;
export type PreviewRequest = ApiRequest<'lists.preview'>;

type ListsState = {
  readonly overview: ListsOverview | null;
  readonly preview: ListPreview | null;
  /** The run this admin started (or resumed) and follows; null when none. */
  readonly run: RescreenRun | null;
  readonly busy: boolean;
  readonly error: string | null;
  readonly load: () => Promise<void>;
  readonly previewFiles: (request: PreviewRequest) => Promise<void>;
  readonly discard: () => void;
  readonly activate: () => Promise<void>;
  /** Reads the followed run's status once; the screen polls it while it runs. */
  readonly refreshRun: () => Promise<RescreenRun | null>;
  readonly cancelRun: () => Promise<void>;
  readonly resume: (runId: string) => Promise<void>;
  readonly reset: () => void;
};

const initial = { overview: null, preview: null, run: null, busy: false, error: null } as const;

export const useLists = create<ListsState>()((set, get) => ({
  ...initial,
  load: async () => {
    const reply = await call('lists.overview', {});
    set(reply.ok ? { overview: reply.value } : { error: reply.error.message });
  },
  previewFiles: async (request) => {
    set({ busy: true, error: null, preview: null });
    const reply = await call('lists.preview', request);
    set(reply.ok ? { busy: false, preview: reply.value } : { busy: false, error: reply.error.message });
  },
  discard: () => set({ preview: null, error: null }),
  activate: async () => {
    const { preview } = get();
    if (preview === null) return;
    set({ busy: true, error: null });
    const reply = await call('lists.activate', {
      listId: preview.version.listId,
      version: preview.version.version,
      expectedActive: preview.previous?.version ?? null,
    });
    if (!reply.ok) {
      set({ busy: false, error: reply.error.message });
      return;
    }
    set({ busy: false, preview: null, run: reply.value.run });
    await get().load();
  },
  refreshRun: async () => {
    const { run } = get();
    if (run === null) return null;
    const reply = await call('lists.rescreenStatus', { runId: run.runId });
    if (get().run?.runId !== run.runId) return null;
    if (!reply.ok) {
      set({ error: reply.error.message });
      return null;
    }
    set({ run: reply.value });
    // Ended (or no longer carried out here): the overview's runs and the queue counts change with it.
    if (reply.value.state !== 'running' || !reply.value.live) {
      await get().load();
      void useQueues.getState().loadCounts();
    }
    return reply.value;
  },
  cancelRun: async () => {
    const { run } = get();
    if (run === null) return;
    const reply = await call('lists.cancelRescreen', { runId: run.runId });
    set(reply.ok ? { run: reply.value } : { error: reply.error.message });
  },
  resume: async (runId) => {
    set({ busy: true, error: null });
    const reply = await call('lists.resumeRescreen', { runId });
    set(reply.ok ? { busy: false, run: reply.value } : { busy: false, error: reply.error.message });
  },
  reset: () => set(initial),
}));

/** A file's bytes as base64, for the api (list files may be ZIP or XML as published). */
export const fileBase64 = async (file: File): Promise<string> => {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  return btoa(binary);
};
