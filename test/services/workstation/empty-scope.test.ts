// A scoped user whose markets hold no case yet: the queues are empty and counted as zero, never an error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { handleApiCall } from '../../../electron/services/workstation/api/api.ts';
import { examplesDir } from '../../support/examples.ts';
import { addUser, createTestWorkstation } from '../../support/workstation.ts';

const ws = createTestWorkstation({ example: 'fintech' });
afterAll(() => rmSync(ws.dir, { recursive: true, force: true }));

describe('a market scope with no cases in it', () => {
  it('lists nothing and counts zero for every queue, sort and filter', () => {
    const imported = handleApiCall(ws.admin, 'leads.import', {
      fileName: 'leads.jsonl',
      format: 'jsonl',
      content: readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8'),
      mode: 'all',
      sourceSystem: 'crm',
    });
    expect(imported.ok).toBe(true);
    const gulf = addUser(ws, 'gia', ['senior_officer'], ['GCC']);
    // The admin sees cases, so the empty answer below is the scope's doing.
    const all = handleApiCall(ws.admin, 'cases.list', {});
    expect(all.ok && (all.value as { total: number }).total).toBeGreaterThan(0);
    for (const request of [
      {},
      { queue: 'compliance_review' },
      { queue: 'screening_review', sort: 'openedAt' },
      { overdueOnly: true },
      { awaitingMyApproval: true },
      { search: 'Ltd' },
    ]) {
      const listed = handleApiCall(gulf, 'cases.list', request);
      expect(listed, JSON.stringify(request)).toEqual({ ok: true, value: { rows: [], total: 0, totalCapped: false } });
    }
    const counts = handleApiCall(gulf, 'cases.counts', {});
    if (!counts.ok) throw new Error(counts.error.message);
    const value = counts.value as { queues: { open: number; overdue: number }[]; awaitingMyApproval: number };
    expect(value.queues.every((queue) => queue.open === 0 && queue.overdue === 0)).toBe(true);
    expect(value.awaitingMyApproval).toBe(0);
    gulf.workstation.close();
  });
});
