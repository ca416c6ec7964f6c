// The UK Sanctions List CSV importer on small files with the FCDO's 58-column header: the exact list model, and broken
// files refused whole.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMPORTERS } from '../../../electron/services/lists/importers/index.ts';
import { RejectedImport } from '../../../electron/services/lists/rejection.ts';
import type { ImportRejection } from '../../../electron/services/lists/rejection.ts';
import { inputFileFromBytes, readInputFile } from '../../../electron/services/lists/source-files.ts';
import { importList } from '../../../electron/services/lists/store.ts';

const fixture = (name: string): string =>
  join(import.meta.dirname, '..', '..', 'fixtures', 'lists', 'uk-sanctions', name);
const read = async (path: string) => IMPORTERS['uk-sanctions-csv'].read([await readInputFile(path)], {});

const rejectionOf = async (path: string): Promise<ImportRejection> => {
  try {
    await read(path);
  } catch (error) {
    if (error instanceof RejectedImport) return error.rejection;
    throw error;
  }
  throw new Error(`${path} was not refused`);
};

const RUSSIA = 'The Russia (Sanctions) (EU Exit) Regulations 2019';

describe('UK Sanctions List CSV', () => {
  it('groups the rows of each Unique ID: name types, alias strength, non-Latin names, partial dates of birth', async () => {
    expect(await read(fixture('uk-sanctions-sample.csv'))).toEqual({
      listId: 'uk-sanctions',
      publishedAt: '2026-11-20',
      counts: {
        rows: 11,
        entries: 4,
        individuals: 2,
        entities: 1,
        ships: 1,
        aliases: 3,
        weakAliases: 3,
        originalScriptNames: 3,
      },
      entries: [
        {
          id: 'RUS9001',
          kind: 'sanctions',
          type: 'person',
          names: [
            { value: 'Ivan Petrovich SIDORENKO', role: 'primary', weak: false },
            { value: 'Иван Петрович СИДОРЕНКО', role: 'original_script', weak: false },
            { value: 'Ivan Petrovych SYDORENKO', role: 'alias', weak: false },
            { value: 'Vanya', role: 'alias', weak: true },
          ],
          datesOfBirth: [
            { from: '1961-04-14', approximate: false },
            { from: '1962', approximate: false },
          ],
          nationalities: ['RU'],
          countries: ['BY', 'RU'],
          programs: [RUSSIA],
          remarks: 'Fictional test entry. Former deputy minister.',
        },
        {
          id: 'SYR9002',
          kind: 'sanctions',
          type: 'person',
          names: [
            { value: 'Amira HADDAD', role: 'primary', weak: false },
            { value: 'أميرة حداد', role: 'original_script', weak: false },
            { value: 'Amira AL-HADDAD', role: 'alias', weak: false },
            { value: 'Umm Khalid', role: 'alias', weak: true },
          ],
          datesOfBirth: [{ from: '1975-07', approximate: false }],
          nationalities: ['SY'],
          countries: ['SY', 'LB'],
          programs: ['The Syria (Sanctions) (EU Exit) Regulations 2019'],
        },
        {
          id: 'RUS9003',
          kind: 'sanctions',
          type: 'company',
          names: [
            { value: 'NORTHERN STAR TRADING LLC', role: 'primary', weak: false },
            { value: 'ООО Северная звезда', role: 'original_script', weak: false },
            { value: 'NST', role: 'alias', weak: true },
          ],
          datesOfBirth: [],
          nationalities: [],
          countries: ['RU', 'AE'],
          programs: [RUSSIA],
        },
        {
          id: 'RUS9004',
          kind: 'sanctions',
          type: 'vessel',
          names: [
            { value: 'POLAR DAWN', role: 'primary', weak: false },
            { value: 'DAWN STAR', role: 'alias', weak: false },
          ],
          datesOfBirth: [],
          nationalities: [],
          countries: [],
          programs: [RUSSIA],
          remarks: 'Fictional test entry, a ship carrying oil from Russia.',
        },
      ],
    });
  });

  it.each([
    ['uk-sanctions-broken.csv', { file: 'uk-sanctions-broken.csv', line: 7, reason: 'expected 58 fields, found 12' }],
    [
      'uk-sanctions-missing-id.csv',
      { file: 'uk-sanctions-missing-id.csv', line: 6, field: 'Unique ID', reason: 'Unique ID is required' },
    ],
    [
      'uk-sanctions-bad-dob.csv',
      {
        file: 'uk-sanctions-bad-dob.csv',
        line: 5,
        field: 'D.O.B',
        reason: 'D.O.B must be a day of the calendar as dd/mm/yyyy',
      },
    ],
  ])('refuses %s, naming the file, line and field', async (name, rejection) => {
    expect(await rejectionOf(fixture(name))).toEqual(rejection);
  });

  const csv = (text: string) => [inputFileFromBytes('uk.csv', new TextEncoder().encode(text))];

  it('refuses a file without the columns it needs, an unknown name type and a designation that changes type', () => {
    expect(() => IMPORTERS['uk-sanctions-csv'].read(csv('Report Date: 01-Dec-2026\nname,type\nA,B\n'), {})).toThrow(
      expect.objectContaining({
        rejection: {
          file: 'uk.csv',
          line: 2,
          reason: 'the header lacks the "Unique ID" column: not a UK Sanctions List CSV',
        },
      }),
    );
    const header = 'Unique ID,Name 6,Name type,Designation Type\n';
    expect(() => IMPORTERS['uk-sanctions-csv'].read(csv(`${header}UK1,ANN,Nickname,Individual\n`), {})).toThrow(
      expect.objectContaining({
        rejection: {
          file: 'uk.csv',
          line: 2,
          field: 'Name type',
          reason: 'Name type must be Primary name, Primary name variation or Alias',
        },
      }),
    );
    expect(() =>
      IMPORTERS['uk-sanctions-csv'].read(
        csv(`${header}UK1,ANN,Primary name,Individual\nUK1,ANN CO,Alias,Entity\n`),
        {},
      ),
    ).toThrow(
      expect.objectContaining({
        rejection: {
          file: 'uk.csv',
          line: 3,
          field: 'Designation Type',
          reason: 'UK1 is Entity here but not on line 2',
        },
      }),
    );
  });

  it('reads a file without the report-date line, with no publication date', () => {
    const list = IMPORTERS['uk-sanctions-csv'].read(
      csv(
        'Unique ID,Name 6,Name 1,Name type,Designation Type,D.O.B\nUK1,EXAMPLE,Ann,Primary name,Individual,dd/06/1980\n',
      ),
      {},
    );
    expect(list.publishedAt).toBeNull();
    expect(list.entries.map((entry) => [entry.id, entry.names[0]!.value, entry.datesOfBirth])).toEqual([
      ['UK1', 'Ann EXAMPLE', [{ from: '1980-06', approximate: false }]],
    ]);
  });
});

describe('a refused UK file changes nothing in the list directory', () => {
  let dir: string;
  let active: string;
  let manifest: string;
  const AT = '2026-11-21T09:00:00.000Z';

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'perimeter-uk-sanctions-'));
    const first = await importList(dir, {
      source: 'uk-sanctions-csv',
      files: [fixture('uk-sanctions-sample.csv')],
      importedAt: AT,
    });
    if (!first.ok) throw new Error('the sample should import');
    active = first.value.version.version;
    manifest = await readFile(join(dir, 'manifest.json'), 'utf8');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['uk-sanctions-broken.csv', 'uk-sanctions-missing-id.csv', 'uk-sanctions-bad-dob.csv'])(
    '%s: refused whole, the previous version still active, no file written',
    async (name) => {
      const result = await importList(dir, { source: 'uk-sanctions-csv', files: [fixture(name)], importedAt: AT });
      expect(result).toEqual({ ok: false, error: await rejectionOf(fixture(name)) });
      expect(await readFile(join(dir, 'manifest.json'), 'utf8')).toBe(manifest);
      expect(await readdir(join(dir, 'versions', 'uk-sanctions'))).toEqual([`${active}.json`]);
    },
  );
});
