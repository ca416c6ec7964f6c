// The lead screener of a running workstation (`perimeter serve --lists DIR`) follows the list directory's active
// versions: a version another process activates (`perimeter lists import --db` while serve runs) screens the next lead,
// with no restart and no reload call.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lead } from '../../../core/routing/lead.ts';
import { importList } from '../../../electron/services/lists/store.ts';
import { loadLeadScreener } from '../../../electron/services/workstation/commands/screener.ts';

const HEADER = 'id,name,type,date_of_birth,nationality,notes\n';
const QUARRINGTON = 'W-2,Ignatius Quarrington,person,1955-01-01,GB,listed 2020\n';
const BRENNER = 'W-3,Viktor Brenner,person,1970-05-05,AT,listed 2026\n';
const THRESHOLDS = { potentialMatchThreshold: 0.85, strongMatchThreshold: 0.93 };

let dir: string;
let listsDir: string;

const importVersion = async (rows: string, importedAt: string): Promise<string> => {
  const file = join(dir, 'watch.csv');
  writeFileSync(file, HEADER + rows);
  const outcome = await importList(listsDir, {
    source: 'blocklist',
    files: [file],
    listId: 'watch',
    kind: 'sanctions',
    importedAt,
  });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
  return outcome.value.version.version;
};

const viktor = { id: 'L-1', person: { fullName: 'Viktor Brenner' } } as unknown as Lead;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'perimeter-screener-'));
  listsDir = join(dir, 'lists');
  await importVersion(QUARRINGTON, '2026-11-01T00:00:00.000Z');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the lead screener of a running workstation', () => {
  it('screens against a version activated by another process, without a restart', async () => {
    const screener = await loadLeadScreener(listsDir);
    const first = screener.listVersions;
    expect(first).toHaveLength(1);
    expect(screener(viktor, '2026-11-02T00:00:00.000Z', THRESHOLDS)?.hits).toEqual([]);
    // Unchanged directory: the same index answers (the versions object is the one it was built with).
    expect(screener.listVersions).toBe(first);

    // Another process (the CLI) imports and activates a version that lists Viktor Brenner.
    const version = await importVersion(QUARRINGTON + BRENNER, '2026-11-03T00:00:00.000Z');
    expect(screener.listVersions).toEqual([{ listId: 'watch', version }]);
    const hits = screener(viktor, '2026-11-03T00:00:01.000Z', THRESHOLDS)?.hits ?? [];
    expect(hits.map((hit) => [hit.listId, hit.entryId, hit.listVersion])).toEqual([['watch', 'W-3', version]]);
  });
});
