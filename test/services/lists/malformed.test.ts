// Broken files (sanctions/malformed) are refused with file, line and reason; the active version stays active.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activeVersions, importList, loadActiveSnapshots } from '../../../electron/services/lists/store.ts';
import { sanctionsDir, sdnSet } from './paths.ts';

const AT = '2026-03-01T09:00:00.000Z';
let dir: string;
let activeBefore: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'perimeter-lists-'));
  const first = await importList(dir, { source: 'ofac-sdn-csv', files: sdnSet('ofac-sdn-2019'), importedAt: AT });
  if (!first.ok) throw new Error('the 2019 set should import');
  activeBefore = first.value.version.version;
}, 30_000);
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const malformed = (name: string): string => join(sanctionsDir, 'malformed', name);
const good = (name: string): string => join(sanctionsDir, 'ofac-sdn-2019', name);

const expectUnchanged = async (): Promise<void> => {
  const active = await activeVersions(dir);
  expect(active.map((version) => `${version.listId}@${version.version}`)).toEqual([`ofac-sdn@${activeBefore}`]);
  expect(await readdir(join(dir, 'versions', 'ofac-sdn'))).toEqual([`${activeBefore}.json`]);
  expect((await loadActiveSnapshots(dir))[0]!.entries).toHaveLength(7379);
};

describe('malformed OFAC and CSL files', () => {
  it.each([
    [
      'sdn.csv',
      [malformed('sdn.csv'), good('alt.csv'), good('add.csv')],
      { file: 'sdn.csv', line: 7380, reason: 'expected 12 fields, found 1' },
    ],
    [
      'alt.csv',
      [good('sdn.csv'), malformed('alt.csv')],
      { file: 'alt.csv', line: 9683, reason: 'expected 5 fields, found 1' },
    ],
    [
      'add.csv',
      [good('sdn.csv'), malformed('add.csv')],
      { file: 'add.csv', line: 1, field: 'city_state_postal', reason: 'text value "Havana" is not quoted' },
    ],
    [
      'sdn_comments.csv',
      [good('sdn.csv'), malformed('sdn_comments.csv')],
      { file: 'sdn_comments.csv', line: 4, reason: 'expected 2 fields, found 1' },
    ],
  ])(
    'refuses the broken %s and keeps the previous version active',
    async (_name, files, rejection) => {
      const result = await importList(dir, { source: 'ofac-sdn-csv', files, importedAt: AT });
      expect(result).toEqual({ ok: false, error: rejection });
      await expectUnchanged();
    },
    30_000,
  );

  it('refuses the whole malformed set at its first broken line', async () => {
    const result = await importList(dir, { source: 'ofac-sdn-csv', files: sdnSet('malformed'), importedAt: AT });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ file: 'sdn.csv', line: 7380 });
    await expectUnchanged();
  }, 30_000);

  it('refuses the broken trade.gov Consolidated Screening List file', async () => {
    const result = await importList(dir, { source: 'csl-csv', files: [malformed('csl.csv')], importedAt: AT });
    expect(result).toEqual({ ok: false, error: { file: 'csl.csv', line: 2, reason: 'expected 28 fields, found 2' } });
    await expectUnchanged();
  });
});
