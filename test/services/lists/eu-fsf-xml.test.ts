// The EU FSF XML importer on small files made to the EU's XSD 1.1: the exact list model, and broken files refused whole.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMPORTERS } from '../../../electron/services/lists/importers/index.ts';
import { RejectedImport } from '../../../electron/services/lists/rejection.ts';
import type { ImportRejection } from '../../../electron/services/lists/rejection.ts';
import { inputFileFromBytes, readInputFile } from '../../../electron/services/lists/source-files.ts';
import type { InputFile } from '../../../electron/services/lists/source-files.ts';
import { importList } from '../../../electron/services/lists/store.ts';
import { sanctionsDir } from './paths.ts';

const fixture = (name: string): string => join(import.meta.dirname, '..', '..', 'fixtures', 'lists', 'eu-fsf', name);
const read = async (path: string) => IMPORTERS['eu-fsf-xml'].read([await readInputFile(path)], {});

const rejectionOf = async (path: string): Promise<ImportRejection> => {
  try {
    await read(path);
  } catch (error) {
    if (error instanceof RejectedImport) return error.rejection;
    throw error;
  }
  throw new Error(`${path} was not refused`);
};

describe('EU Financial Sanctions Files XML', () => {
  it('reads every sanctionEntity: names by strength and script, partial and circa dates, citizenships', async () => {
    expect(await read(fixture('eu-fsf-sample.xml'))).toEqual({
      listId: 'eu-fsf',
      publishedAt: '2026-11-20T17:02:11.123+01:00',
      counts: {
        entries: 4,
        persons: 3,
        enterprises: 1,
        aliases: 1,
        weakAliases: 3,
        originalScriptNames: 3,
        nonGregorianDates: 1,
      },
      entries: [
        {
          id: 'EU.9001.11',
          kind: 'sanctions',
          type: 'person',
          names: [
            { value: 'Ivan Petrovich Sidorenko', role: 'primary', weak: false },
            { value: 'Иван Петрович Сидоренко', role: 'original_script', weak: false },
            { value: 'Jean Sidorenko', role: 'alias', weak: false },
            { value: 'Vanya', role: 'alias', weak: true },
          ],
          datesOfBirth: [
            { from: '1961-04-14', approximate: false },
            { from: '1962', approximate: true },
          ],
          nationalities: ['RU'],
          countries: ['RU', 'BY'],
          programs: ['UKR'],
          remarks: 'Fictional test entry. Former deputy minister.',
        },
        {
          id: 'EU.9002.22',
          kind: 'sanctions',
          type: 'person',
          names: [
            { value: 'Amira Haddad', role: 'primary', weak: false },
            { value: 'أميرة حداد', role: 'original_script', weak: false },
            { value: 'Umm Khalid', role: 'alias', weak: true },
          ],
          datesOfBirth: [
            { from: '1975-07', approximate: false },
            { from: '1970', to: '1972', approximate: true },
          ],
          nationalities: ['SY', 'LB'],
          countries: ['SY'],
          programs: ['SYR'],
        },
        {
          id: 'EU.9003.33',
          kind: 'sanctions',
          type: 'company',
          names: [
            { value: 'Northern Star Trading LLC', role: 'primary', weak: false },
            { value: 'ООО Северная звезда', role: 'original_script', weak: false },
            { value: 'NST', role: 'alias', weak: true },
          ],
          datesOfBirth: [],
          nationalities: [],
          countries: ['RU', 'AE'],
          programs: ['RUS'],
          remarks: 'Fictional test entry. Registration number 1027700000001.',
        },
        {
          // No euReferenceNumber: the logicalId stands in; the Islamic-calendar year is not read as a Gregorian one.
          id: 'logical-9004',
          kind: 'sanctions',
          type: 'person',
          names: [{ value: 'Yusuf Barakzai', role: 'primary', weak: false }],
          datesOfBirth: [],
          nationalities: [],
          countries: ['AF'],
          programs: ['TAQA'],
        },
      ],
    });
  });

  it.each([
    [
      'eu-fsf-broken.xml',
      {
        file: 'eu-fsf-broken.xml',
        line: 13,
        reason:
          "malformed XML: Expected closing tag 'nameAlias' (opened in line 11, col 9) instead of closing tag 'sanctionEntity'.",
      },
    ],
    [
      'eu-fsf-missing-subject-type.xml',
      {
        file: 'eu-fsf-missing-subject-type.xml',
        line: 10,
        field: 'subjectType',
        reason: 'a sanctionEntity needs a subjectType with classificationCode P (person) or E (enterprise)',
      },
    ],
    [
      'eu-fsf-bad-birthdate.xml',
      {
        file: 'eu-fsf-bad-birthdate.xml',
        line: 9,
        field: 'birthdate',
        reason: 'birthdate is not a day of the calendar',
      },
    ],
  ])('refuses %s, naming the file, line and field', async (name, rejection) => {
    expect(await rejectionOf(fixture(name))).toEqual(rejection);
  });

  it('refuses a UN consolidated list given as EU XML by its missing <export>', async () => {
    const un = await readInputFile(join(sanctionsDir, 'un', 'UN_consolidated-2026-02-27.xml'));
    expect(() => IMPORTERS['eu-fsf-xml'].read([un], {})).toThrow(
      expect.objectContaining({
        rejection: {
          file: 'UN_consolidated-2026-02-27.xml',
          line: 1,
          reason: 'not an EU Financial Sanctions Files export: no <export>',
        },
      }),
    );
  });

  it('refuses a strong flag that is not a boolean, and the same entity twice', () => {
    const xml = (strong: string, second: string): InputFile =>
      inputFileFromBytes(
        'eu.xml',
        new TextEncoder().encode(
          `<export generationDate="2026-01-01T00:00:00">\n` +
            `<sanctionEntity euReferenceNumber="EU.1.1" logicalId="1"><subjectType code="person" classificationCode="P"/>\n` +
            `<nameAlias wholeName="Ann Example" strong="${strong}"/></sanctionEntity>\n` +
            `<sanctionEntity euReferenceNumber="${second}" logicalId="2"><subjectType code="enterprise" classificationCode="E"/>\n` +
            `<nameAlias wholeName="Example Ltd" strong="true"/></sanctionEntity>\n</export>\n`,
        ),
      );
    expect(() => IMPORTERS['eu-fsf-xml'].read([xml('yes', 'EU.2.2')], {})).toThrow(
      expect.objectContaining({
        rejection: { file: 'eu.xml', line: 3, field: 'strong', reason: 'strong must be true or false' },
      }),
    );
    expect(() => IMPORTERS['eu-fsf-xml'].read([xml('true', 'EU.1.1')], {})).toThrow(
      expect.objectContaining({
        rejection: {
          file: 'eu.xml',
          line: 4,
          field: 'euReferenceNumber',
          reason: 'sanctionEntity EU.1.1 appears twice',
        },
      }),
    );
  });
});

describe('a refused EU file changes nothing in the list directory', () => {
  let dir: string;
  let active: string;
  let manifest: string;
  const AT = '2026-11-21T09:00:00.000Z';

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'perimeter-eu-fsf-'));
    const first = await importList(dir, {
      source: 'eu-fsf-xml',
      files: [fixture('eu-fsf-sample.xml')],
      importedAt: AT,
    });
    if (!first.ok) throw new Error('the sample should import');
    active = first.value.version.version;
    manifest = await readFile(join(dir, 'manifest.json'), 'utf8');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['eu-fsf-broken.xml', 'eu-fsf-missing-subject-type.xml', 'eu-fsf-bad-birthdate.xml'])(
    '%s: refused whole, the previous version still active, no file written',
    async (name) => {
      const result = await importList(dir, { source: 'eu-fsf-xml', files: [fixture(name)], importedAt: AT });
      expect(result).toEqual({ ok: false, error: await rejectionOf(fixture(name)) });
      expect(await readFile(join(dir, 'manifest.json'), 'utf8')).toBe(manifest);
      expect(await readdir(join(dir, 'versions', 'eu-fsf'))).toEqual([`${active}.json`]);
    },
  );
});
