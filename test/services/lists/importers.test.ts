// Every importer on the real published files: the record counts the data README gives, names, dates, countries.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ListEntry } from '../../../core/screening/model.ts';
import { IMPORTERS } from '../../../electron/services/lists/importers/index.ts';
import { RejectedImport } from '../../../electron/services/lists/rejection.ts';
import { inputFileFromBytes, readInputFile } from '../../../electron/services/lists/source-files.ts';
import type { InputFile } from '../../../electron/services/lists/source-files.ts';
import { dataDir, sanctionsDir, sdnSet } from './paths.ts';

const read = async (source: keyof typeof IMPORTERS, paths: string[], kind?: 'pep') =>
  IMPORTERS[source].read(await Promise.all(paths.map(readInputFile)), kind === undefined ? {} : { kind });

const byId = (entries: readonly ListEntry[], id: string): ListEntry => {
  const found = entries.find((entry) => entry.id === id);
  if (found === undefined) throw new Error(`no entry ${id}`);
  return found;
};

describe('OFAC SDN legacy CSV', () => {
  it('reads the 2021 set: 8,976 entries, 11,910 aliases, 13,837 addresses', async () => {
    const list = await read('ofac-sdn-csv', sdnSet('ofac-sdn-2021'));
    expect(list.listId).toBe('ofac-sdn');
    expect(list.publishedAt).toBeNull();
    expect(list.entries).toHaveLength(8976);
    expect(list.counts).toMatchObject({ entries: 8976, aliases: 11910, addresses: 13837 });
    const bnc = byId(list.entries, '306');
    expect(bnc.type).toBe('company');
    expect(bnc.names.map((name) => [name.value, name.role, name.weak])).toEqual([
      ['BANCO NACIONAL DE CUBA', 'primary', false],
      ['BNC', 'alias', true],
      ['NATIONAL BANK OF CUBA', 'alias', false],
    ]);
    expect(bnc.countries).toEqual(expect.arrayContaining(['CH', 'ES', 'JP', 'PA']));
  }, 30_000);

  it('reads dates of birth, nationality and weak aliases from the remarks', async () => {
    const list = await read('ofac-sdn-csv', sdnSet('ofac-sdn-2019'));
    expect(list.entries).toHaveLength(7379);
    const malkevich = byId(list.entries, '26235');
    expect(malkevich).toMatchObject({ type: 'person', datesOfBirth: [{ from: '1975-06-14', approximate: false }] });
    expect(list.counts.commentsWithoutEntry).toBe(10);
  }, 30_000);
});

describe('OFAC Enhanced XML', () => {
  it('reads the consolidated ZIP: 443 entities, original-script names, ISO countries', async () => {
    const list = await read('ofac-enhanced-xml', [join(sanctionsDir, 'ofac-consolidated-2025', 'CONS_ENHANCED.ZIP')]);
    expect(list.listId).toBe('ofac-consolidated');
    expect(list.publishedAt).toBe('2025-01-10T00:00:00');
    expect(list.entries).toHaveLength(443);
    expect(list.counts).toMatchObject({ 'type.person': 80, 'type.company': 363 });
    const haniya = byId(list.entries, '9639');
    expect(haniya.names[0]).toEqual({ value: 'HANIYA, Ismail Abdul Salah', role: 'primary', weak: false });
    expect(haniya.datesOfBirth).toEqual([{ from: '1962', approximate: false }]);
    expect(
      list.entries.some((entry) =>
        entry.names.some((name) => name.role === 'original_script' && /[\u4e00-\u9fff]/.test(name.value)),
      ),
    ).toBe(true);
    expect(list.entries.some((entry) => entry.names.some((name) => /[\u0400-\u04ff]/.test(name.value)))).toBe(true);
  });
});

describe('UN Security Council consolidated XML', () => {
  it('reads 730 individuals and 273 entities, 378 with original-script names', async () => {
    const list = await read('un-xml', [join(sanctionsDir, 'un', 'UN_consolidated-2026-02-27.xml')]);
    expect(list.listId).toBe('un-sc-consolidated');
    expect(list.publishedAt).toBe('2026-02-27T00:00:09.554Z');
    expect(list.counts).toMatchObject({ individuals: 730, entities: 273, originalScriptNames: 378 });
    const saddam = byId(list.entries, 'IQi.001');
    expect(saddam.names[0]!.value).toBe('SADDAM HUSSEIN AL-TIKRITI');
    expect(saddam.names).toContainEqual({ value: 'صدام حسين التكريتي', role: 'original_script', weak: false });
    expect(saddam.nationalities).toEqual(['IQ']);
    expect(list.entries.filter((entry) => entry.names.some((name) => name.weak)).length).toBeGreaterThan(100);
  });
});

describe('FollowTheMoney JSON lines', () => {
  it('reads the screenable targets and skips addresses, sanctions and context entities', async () => {
    const t1 = await read('ftm-jsonl', [join(dataDir, 'opensanctions', 't1.ftm.jsonl')]);
    expect(t1.counts).toMatchObject({ records: 7, entries: 6, skippedNotParties: 1 });
    const kuzmenko = byId(t1.entries, 'NK-2Ka3UvopqbpZmVDFjWd4LA');
    expect(kuzmenko).toMatchObject({ kind: 'sanctions', type: 'person', nationalities: ['RU'] });
    expect(kuzmenko.names).toContainEqual({ value: 'Виталий Юрьевич КУЗЬМЕНКО', role: 'original_script', weak: false });
    const zala = await read('ftm-jsonl', [join(dataDir, 'opensanctions', 'zala.ftm.jsonl')]);
    expect(zala.counts).toMatchObject({ records: 91, entries: 14, skippedNotTargets: 3 });
    expect(zala.entries.some((entry) => entry.names.some((name) => name.weak))).toBe(true);
  });
});

describe('Senzing JSON (PEP)', () => {
  it('reads 1,317 politically exposed persons of 1,319 records (two are positions, not people)', async () => {
    const list = await read('senzing-json', [join(dataDir, 'pep', 'us_congress_senzing.jsonl')]);
    expect(list.listId).toBe('os-us-congress');
    expect(list.counts).toMatchObject({ records: 1319, entries: 1317, skippedNotParties: 2, 'kind.pep': 1317 });
    expect(byId(list.entries, 'Q101198561').names.map((name) => name.value)).toEqual([
      'Scott Franklin',
      'C. Scott Franklin',
    ]);
  });
});

describe('internal blocklist', () => {
  it('reads one name a line, skipping comments', async () => {
    const blocked = await read('blocklist', [join(sanctionsDir, 'blocked.txt')]);
    expect(blocked.entries.map((entry) => entry.names[0]!.value)).toEqual([
      'Ali Wahib AL-ZAIN',
      "AL-SA'DUN, Muhammad Zimam abd-al-Razzaq",
      'Nicolas Ernesto MADURO GUERRA',
    ]);
    expect(blocked.entries.every((entry) => entry.kind === 'blocklist')).toBe(true);
    const allowed = await read('blocklist', [join(sanctionsDir, 'allowed.txt')]);
    expect(allowed.entries).toHaveLength(2);
  });

  it('reads a CSV with a name column and optional details', () => {
    const csv =
      'id,name,type,aliases,date_of_birth,nationality\nacme,Acme Trading LLC,company,Acme Co;ACME,,\nj1,John Doe,person,,1970-01-02,gb\n';
    const list = IMPORTERS.blocklist.read([inputFileFromBytes('block.csv', new TextEncoder().encode(csv))], {});
    expect(list.entries.map((entry) => [entry.id, entry.type, entry.names.length, entry.nationalities])).toEqual([
      ['acme', 'company', 3, []],
      ['j1', 'person', 1, ['GB']],
    ]);
  });

  it('rejects a row without a name, naming the line and field', () => {
    const csv = 'name,date_of_birth\nJohn Doe,1970\n,1980\n';
    expect(() =>
      IMPORTERS.blocklist.read([inputFileFromBytes('block.csv', new TextEncoder().encode(csv))], {}),
    ).toThrow(
      expect.objectContaining({
        rejection: { file: 'block.csv', line: 3, field: 'name', reason: 'a name is required' },
      }),
    );
  });
});

describe('format checks', () => {
  const bytes = async (path: string): Promise<InputFile> =>
    inputFileFromBytes(basename(path), new Uint8Array(await readFile(path)));

  it('refuses a UN file given as OFAC Enhanced XML', async () => {
    const un = await bytes(join(sanctionsDir, 'un', 'UN_consolidated-2026-02-27.xml'));
    expect(() => IMPORTERS['ofac-enhanced-xml'].read([un], {})).toThrow(RejectedImport);
  });

  it('refuses truncated XML with the line where it breaks', () => {
    const xml = '<?xml version="1.0"?>\n<CONSOLIDATED_LIST dateGenerated="x">\n<INDIVIDUALS>\n<INDIVIDUAL>\n';
    try {
      IMPORTERS['un-xml'].read([inputFileFromBytes('un.xml', new TextEncoder().encode(xml))], {});
      expect.unreachable();
    } catch (error) {
      expect((error as RejectedImport).rejection).toMatchObject({
        file: 'un.xml',
        reason: expect.stringMatching(/malformed XML/),
      });
      expect((error as RejectedImport).rejection.line).toBeGreaterThan(0);
    }
  });

  it('refuses bytes that are not UTF-8, naming the line', () => {
    const bad = new Uint8Array([...new TextEncoder().encode('Ali Hassan\nJos'), 0xe9, 0x0a]);
    expect(() => IMPORTERS.blocklist.read([inputFileFromBytes('names.txt', bad)], {})).toThrow(
      expect.objectContaining({ rejection: { file: 'names.txt', line: 2, reason: 'not valid UTF-8 text' } }),
    );
  });
});
