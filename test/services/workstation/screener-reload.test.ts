// The lead screener of a running workstation (`perimeter serve --lists DIR`) follows the list directory's active
// versions: a version another process activates (`perimeter lists import --db` while serve runs) screens the next lead,
// with no restart and no reload call; and an empty list directory is accepted, its first list imported from the
// workstation by an operations admin (decision 0199).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lead } from '../../../core/routing/lead.ts';
import { importList } from '../../../electron/services/lists/store.ts';
import { loadLeadScreener } from '../../../electron/services/workstation/commands/screener.ts';
import { listStoreReader } from '../../../electron/services/lists/reader.ts';
import { initialiseWorkstation } from '../../../electron/services/workstation/session/workstation.ts';
import { examplesDir } from '../../support/examples.ts';
import { ADMIN_PASSPHRASE, TEST_SCRYPT, testClock, withoutApprovals } from '../../support/workstation.ts';
import { call } from '../../support/api.ts';

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

  it('starts on an empty list directory, screens nothing until an operations admin activates a first list', async () => {
    const empty = join(dir, 'empty-lists');
    mkdirSync(empty);
    const screener = await loadLeadScreener(empty);
    expect(screener.listVersions).toEqual([]);
    // No list: the lead is left unscreened (routing's screening gate holds it), never screened clear.
    expect(screener(viktor, '2026-11-02T00:00:00.000Z', THRESHOLDS)).toBeUndefined();

    const clock = testClock();
    const admin = initialiseWorkstation(
      {
        path: join(dir, 'workstation.db'),
        logId: 'empty-lists-device',
        admin: { id: 'ada', name: 'Ada Admin', passphrase: ADMIN_PASSPHRASE },
        policyText: withoutApprovals(readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8')),
      },
      { now: clock.now, scryptCost: TEST_SCRYPT, listStore: listStoreReader(empty) },
      screener,
    );
    expect(call<{ lists: unknown[] }>(admin, 'lists.overview', {}).lists).toEqual([]);
    const csv = Buffer.from(HEADER + QUARRINGTON + BRENNER).toString('base64');
    const preview = call<{ status: string; previous: unknown; version: { listId: string; version: string } }>(
      admin,
      'lists.preview',
      { source: 'blocklist', listId: 'watch', kind: 'sanctions', files: [{ name: 'watch.csv', base64: csv }] },
    );
    expect(preview).toMatchObject({ status: 'new', previous: null, version: { listId: 'watch' } });
    call(admin, 'lists.activate', { listId: 'watch', version: preview.version.version, expectedActive: null });
    expect(screener.listVersions).toEqual([{ listId: 'watch', version: preview.version.version }]);
    const hits = screener(viktor, '2026-11-03T00:00:00.000Z', THRESHOLDS)?.hits ?? [];
    expect(hits.map((hit) => hit.entryId)).toEqual(['W-3']);
  });
});
