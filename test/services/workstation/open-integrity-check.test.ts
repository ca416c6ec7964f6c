// Signing in checks every page of the file (quick_check) unless the caller says it checks the file itself: the crash
// test, which opens after every kill and runs quick_check at its full checks (decision 0170).
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateLeads } from '../../fixtures/generate-leads.ts';
import { StoreError } from '../../../electron/services/store/errors.ts';
import { handleApiCall } from '../../../electron/services/workstation/api/api.ts';
import { openWorkstation } from '../../../electron/services/workstation/session/workstation.ts';
import { ADMIN_PASSPHRASE, createTestWorkstation } from '../../support/workstation.ts';

const codeOf = (run: () => unknown): string | null => {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof StoreError ? error.code : String(error);
  }
};

describe('the integrity check on sign-in', () => {
  it('finds a damaged page by default, and leaves it to the caller with integrityCheck none', () => {
    const ws = createTestWorkstation();
    for (let n = 0; n < 40; n += 1)
      handleApiCall(ws.admin, 'leads.add', {
        lead: { ...generateLeads(n, 1)[0]!, id: `L-${n}` },
        sourceSystem: 'test',
      });
    ws.admin.workstation.close();
    // A page near the end of the file (the log's entries, read by neither sign-in) is overwritten.
    const fd = openSync(ws.path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xee), 0, 4096, statSync(ws.path).size - 8192);
    closeSync(fd);
    const input = { path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE };
    expect(codeOf(() => openWorkstation(input, ws.deps))).toBe('corrupt');
    expect(codeOf(() => openWorkstation(input, { ...ws.deps, integrityCheck: 'quick' }))).toBe('corrupt');
    const session = openWorkstation(input, { ...ws.deps, integrityCheck: 'none' });
    expect(session.user.id).toBe('ada');
    session.workstation.close();
  });
});
