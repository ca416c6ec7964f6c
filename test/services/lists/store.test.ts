// The list directory: versions, the active manifest, diffs between versions, atomicity and integrity checks.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ListStoreError,
  activeVersions,
  importList,
  loadActiveSnapshots,
  readManifest,
} from '../../../electron/services/lists/store.ts';
import { sanctionsDir, sdnSet } from './paths.ts';

const AT = '2026-03-01T09:00:00.000Z';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'perimeter-lists-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const unwrap = <T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!result.ok) throw new Error(`import rejected: ${JSON.stringify(result.error)}`);
  return result.value;
};

describe('list versions in a directory', () => {
  it('shows what the 2021 SDN list added, removed and changed since 2019', async () => {
    const first = unwrap(
      await importList(dir, { source: 'ofac-sdn-csv', files: sdnSet('ofac-sdn-2019'), importedAt: AT }),
    );
    expect(first).toMatchObject({ status: 'activated', previous: null });
    expect(first.diff.added).toHaveLength(7379);
    const second = unwrap(
      await importList(dir, { source: 'ofac-sdn-csv', files: sdnSet('ofac-sdn-2021'), importedAt: AT }),
    );
    expect(second.previous?.version).toBe(first.version.version);
    expect(second.diff.from).toBe(first.version.version);
    expect(second.diff.added).toHaveLength(1858);
    expect(second.diff.removed).toHaveLength(261);
    expect(second.diff.changed).toHaveLength(841);
    expect(second.diff.unchanged).toBe(6277);
    expect(7379 + 1858 - 261).toBe(8976);
    expect(second.diff.removed).toContainEqual({ id: '6953', name: 'AL BARAKA EXCHANGE LLC' });
    expect(second.diff.added).toContainEqual({ id: '18299', name: 'ROSNEFT TRADING S.A.' });
    const active = await activeVersions(dir);
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({ listId: 'ofac-sdn', version: second.version.version, counts: { entries: 8976 } });
    const manifest = await readManifest(dir);
    expect(manifest.lists['ofac-sdn']!.history.map((version) => version.version)).toEqual([
      first.version.version,
      second.version.version,
    ]);
  }, 60_000);

  it('records source, publication date, content hash, counts and import time', async () => {
    const result = unwrap(
      await importList(dir, {
        source: 'un-xml',
        files: [join(sanctionsDir, 'un', 'UN_consolidated-2026-02-27.xml')],
        importedAt: AT,
      }),
    );
    expect(result.version).toMatchObject({
      listId: 'un-sc-consolidated',
      source: 'un-xml',
      publishedAt: '2026-02-27T00:00:09.554Z',
      importedAt: AT,
      counts: { entries: 1003, individuals: 730, entities: 273 },
    });
    expect(result.version.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.version.sourceFiles).toEqual([
      { name: 'UN_consolidated-2026-02-27.xml', bytes: 2030620, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
  });

  it('recognises the same content imported again and changes nothing', async () => {
    const files = [join(sanctionsDir, 'blocked.txt')];
    const first = unwrap(await importList(dir, { source: 'blocklist', files, importedAt: AT }));
    const again = unwrap(await importList(dir, { source: 'blocklist', files, importedAt: '2026-04-01T00:00:00.000Z' }));
    expect(again.status).toBe('unchanged');
    expect(again.version).toEqual(first.version);
    expect((await readManifest(dir)).lists['internal-blocklist']!.history).toHaveLength(1);
  });

  it('keeps the previous version active when an import is interrupted before activation', async () => {
    const blocked = join(sanctionsDir, 'blocked.txt');
    const first = unwrap(await importList(dir, { source: 'blocklist', files: [blocked], importedAt: AT }));
    const extra = join(dir, 'more.txt');
    await writeFile(extra, 'Acme Evil Corp\n');
    await expect(
      importList(dir, {
        source: 'blocklist',
        files: [blocked, extra],
        importedAt: AT,
        beforeActivate: () => {
          throw new Error('power cut');
        },
      }),
    ).rejects.toThrow('power cut');
    expect((await activeVersions(dir)).map((version) => version.version)).toEqual([first.version.version]);
    expect((await loadActiveSnapshots(dir))[0]!.entries).toHaveLength(3);
    // The orphaned version file is harmless and is reused by the next, completed import.
    expect(await readdir(join(dir, 'versions', 'internal-blocklist'))).toHaveLength(2);
    const retried = unwrap(await importList(dir, { source: 'blocklist', files: [blocked, extra], importedAt: AT }));
    expect(retried.diff.added).toEqual([{ id: 'acme-evil-corp', name: 'Acme Evil Corp' }]);
    expect((await readdir(dir)).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('refuses to load a version file whose content no longer matches its hash', async () => {
    const result = unwrap(
      await importList(dir, { source: 'blocklist', files: [join(sanctionsDir, 'blocked.txt')], importedAt: AT }),
    );
    const path = join(dir, 'versions', 'internal-blocklist', `${result.version.version}.json`);
    await writeFile(path, (await readFile(path, 'utf8')).replace('MADURO', 'MADUR0'));
    await expect(loadActiveSnapshots(dir)).rejects.toThrow(ListStoreError);
  });

  it('refuses a second import while one holds the lock', async () => {
    await writeFile(join(dir, '.lock'), '12345');
    await expect(
      importList(dir, { source: 'blocklist', files: [join(sanctionsDir, 'blocked.txt')], importedAt: AT }),
    ).rejects.toThrow(/another import is running/);
  });

  it('refuses a damaged manifest', async () => {
    await writeFile(join(dir, 'manifest.json'), '{"format":"perimeter-lists/1","lists":{"x":{}}}');
    await expect(activeVersions(dir)).rejects.toThrow(ListStoreError);
  });
});
