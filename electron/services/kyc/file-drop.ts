// The file-drop connector (decision 0212): one JSON file per event, `<event id>.json`, written atomically into the
// configured folder (a private temporary beside it, flushed, renamed, the folder flushed), for offline and
// air-gapped sites. A reader takes only `kyc_*.json` names; temporaries end in `.tmp`. The same event written again
// (a crash between the rename and the outbox update) replaces its file with the same bytes.
import { join } from 'node:path';
import { writeBytesAtomically } from '../store/atomic-file.ts';
import type { AttemptResult } from './webhook.ts';

export const dropFileName = (eventId: string): string => `${eventId}.json`;

export const dropEvent = (folder: string, eventId: string, body: Uint8Array): AttemptResult => {
  try {
    writeBytesAtomically(join(folder, dropFileName(eventId)), body, { syncFolder: true });
    return { ok: true, httpStatus: null };
  } catch (error) {
    const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : '';
    return {
      ok: false,
      error:
        code === 'ENOENT'
          ? 'folder_missing'
          : code === 'ENOSPC'
            ? 'disk_full'
            : code === 'EACCES'
              ? 'no_permission'
              : 'write_failed',
      httpStatus: null,
    };
  }
};
