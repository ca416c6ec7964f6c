// The lead import running in the background (leads.startImport): its job id and last status, kept outside the import
// screen so the officer can leave it and come back to the progress or the result (decision 0048).
import { create } from 'zustand';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';

export type ImportJobStatus = ApiResponse<'leads.importStatus'>;

type ImportJobState = {
  readonly jobId: string | null;
  /** How the job was started: the progress reads differently in "all" mode (screened, then written in one go). */
  readonly mode: 'all' | 'valid';
  readonly fileName: string;
  readonly status: ImportJobStatus | null;
  readonly error: string | null;
  readonly started: (jobId: string, mode: 'all' | 'valid', fileName: string) => void;
  /** Reads the job's status once; a job the services no longer know (a restart, another user) is forgotten. */
  readonly refresh: () => Promise<ImportJobStatus | null>;
  readonly cancel: () => Promise<void>;
  readonly clear: () => void;
};

export const useImportJob = create<ImportJobState>()((set, get) => ({
  jobId: null,
  mode: 'all',
  fileName: '',
  status: null,
  error: null,
  started: (jobId, mode, fileName) => set({ jobId, mode, fileName, status: null, error: null }),
  refresh: async () => {
    const { jobId } = get();
    if (jobId === null) return null;
    const reply = await call('leads.importStatus', { jobId });
    if (get().jobId !== jobId) return null; // another import started meanwhile
    if (!reply.ok) {
      set(
        reply.error.code === 'not_found' ? { jobId: null, status: null, error: null } : { error: reply.error.message },
      );
      return null;
    }
    set({ status: reply.value, error: null });
    return reply.value;
  },
  cancel: async () => {
    const { jobId } = get();
    if (jobId === null) return;
    const reply = await call('leads.cancelImport', { jobId });
    if (get().jobId !== jobId) return;
    set(reply.ok ? { status: reply.value, error: null } : { error: reply.error.message });
  },
  clear: () => set({ jobId: null, status: null, error: null }),
}));
