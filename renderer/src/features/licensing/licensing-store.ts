// The licensing map screen's state: the active policy as a map, its filters, and the candidate being imported.
import { create } from 'zustand';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';

export type CurrentPolicy = ApiResponse<'policy.current'>;
export type Preview = ApiResponse<'policy.preview'>;
export type Publication = ApiResponse<'policy.publish'>;

/** A file read and previewed: the exact text is kept, so what is published is what was previewed. */
export type Candidate = { readonly fileName: string; readonly text: string; readonly preview: Preview };

type LicensingState = {
  readonly current: CurrentPolicy | null;
  readonly error: string | null;
  readonly entity: string;
  readonly jurisdiction: string;
  readonly candidate: Candidate | null;
  readonly importError: string | null;
  readonly busy: boolean;
  readonly published: Publication | null;
  readonly load: () => Promise<void>;
  readonly setEntity: (entity: string) => void;
  readonly setJurisdiction: (jurisdiction: string) => void;
  readonly previewFile: (fileName: string, text: string) => Promise<void>;
  readonly clearCandidate: () => void;
  readonly publish: (reason: string) => Promise<boolean>;
  readonly reset: () => void;
};

const EMPTY = {
  current: null,
  error: null,
  entity: '',
  jurisdiction: '',
  candidate: null,
  importError: null,
  busy: false,
  published: null,
} as const;

export const useLicensing = create<LicensingState>()((set, get) => ({
  ...EMPTY,
  load: async () => {
    const reply = await call('policy.current', {});
    if (reply.ok) set({ current: reply.value, error: null });
    else set({ error: reply.error.message });
  },
  setEntity: (entity) => set({ entity }),
  setJurisdiction: (jurisdiction) => set({ jurisdiction }),
  previewFile: async (fileName, text) => {
    set({ busy: true, candidate: null, importError: null, published: null });
    const reply = await call('policy.preview', { fileName, text });
    if (reply.ok) set({ busy: false, candidate: { fileName, text, preview: reply.value } });
    else set({ busy: false, importError: reply.error.message });
  },
  clearCandidate: () => set({ candidate: null, importError: null }),
  publish: async (reason) => {
    const candidate = get().candidate;
    if (candidate === null || !candidate.preview.valid) return false;
    set({ busy: true, importError: null });
    const reply = await call('policy.publish', {
      fileName: candidate.fileName,
      text: candidate.text,
      ruleVersion: candidate.preview.ruleVersion,
      activeRuleVersion: candidate.preview.activeRuleVersion,
      reason,
    });
    if (!reply.ok) {
      set({ busy: false, importError: reply.error.message });
      return false;
    }
    set({ busy: false, candidate: null, published: reply.value });
    await get().load();
    return true;
  },
  reset: () => set(EMPTY),
}));
