// Worker-thread batch screening gives the same results, in the same order, as screening on the main thread.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../../core/screening/match-index.ts';
import { DEFAULT_THRESHOLDS } from '../../../core/screening/routing-input.ts';
import { screenParty } from '../../../core/screening/screen.ts';
import type { Party } from '../../../core/screening/screen.ts';
import { IMPORTERS } from '../../../electron/services/lists/importers/index.ts';
import { readInputFile } from '../../../electron/services/lists/source-files.ts';
import { makeListVersion } from '../../../core/screening/version.ts';
import { startBatchScreener } from '../../../electron/services/screening/batch.ts';
import { sanctionsDir } from '../lists/paths.ts';

describe('startBatchScreener', () => {
  it('spreads a batch over two workers and returns every result in input order', async () => {
    const file = await readInputFile(join(sanctionsDir, 'un', 'UN_consolidated-2026-02-27.xml'));
    const imported = IMPORTERS['un-xml'].read([file], {});
    const list = makeListVersion({
      ...imported,
      source: 'un-xml',
      sourceFiles: [],
      importedAt: '2026-03-01T00:00:00.000Z',
    });
    const names = ['SADDAM HUSSEIN AL-TIKRITI', 'Jane Public', 'ERIC BADEGE', 'Frank Kakorere Bwambale', 'Maria Lopez'];
    const parties: Party[] = Array.from({ length: 600 }, (_, i) => ({
      ref: String(i),
      name: names[i % names.length]!,
      type: 'person',
    }));
    const screener = await startBatchScreener({ snapshots: [list] }, DEFAULT_THRESHOLDS, { workers: 2 });
    try {
      expect(screener.workers).toBe(2);
      const results = await screener.screen(parties);
      const index = buildIndex([list]);
      expect(results).toEqual(parties.map((party) => screenParty(index, party, DEFAULT_THRESHOLDS)));
      expect(results.filter((result) => result.outcome === 'strong')).toHaveLength(360);
    } finally {
      await screener.close();
    }
  }, 60_000);

  it('fails to start when the list directory has no lists', async () => {
    await expect(
      startBatchScreener({ dir: join(sanctionsDir, 'no-such-lists') }, DEFAULT_THRESHOLDS, { workers: 1 }),
    ).rejects.toThrow(/no lists imported/);
  }, 30_000);
});
