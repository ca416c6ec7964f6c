// Senzing-style entity records (JSON lines or one JSON array), as OpenSanctions exports its PEP data.
import * as z from 'zod';
import { countryCode } from '../../../../core/screening/countries.ts';
import { parseDateOfBirth } from '../dates.ts';
import {
  addCountry,
  addDate,
  addName,
  checkRecord,
  countBy,
  draftEntry,
  finishEntry,
  kindFromTopics,
} from '../importer.ts';
import type { ImportOptions, ImportedList, Importer } from '../importer.ts';
import { reject } from '../rejection.ts';
import { decodeText } from '../source-files.ts';
import type { InputFile } from '../source-files.ts';
import { isLatinScript } from './script.ts';

const Name = z
  .object({
    NAME_TYPE: z.string().optional(),
    NAME_FULL: z.string().optional(),
    NAME_ORG: z.string().optional(),
    NAME_FIRST: z.string().optional(),
    NAME_MIDDLE: z.string().optional(),
    NAME_LAST: z.string().optional(),
  })
  .loose();

const RecordSchema = z.object({
  DATA_SOURCE: z.string({ error: 'DATA_SOURCE is required' }).min(1),
  RECORD_ID: z.string({ error: 'RECORD_ID is required' }).min(1),
  RECORD_TYPE: z.string().nullable().optional(),
  NAMES: z.array(Name, { error: 'NAMES must be a list' }).min(1, 'a record needs at least one name'),
  DATES: z.array(z.object({ DATE_OF_BIRTH: z.string().optional() }).loose()).optional(),
  COUNTRIES: z
    .array(
      z
        .object({
          NATIONALITY: z.string().optional(),
          CITIZENSHIP: z.string().optional(),
          COUNTRY_OF_ASSOCIATION: z.string().optional(),
          REGISTRATION_COUNTRY: z.string().optional(),
        })
        .loose(),
    )
    .optional(),
  RISKS: z.array(z.object({ TOPIC: z.string() }).loose()).optional(),
});

const fullName = (name: z.infer<typeof Name>): string | undefined =>
  name.NAME_FULL ??
  name.NAME_ORG ??
  ([name.NAME_FIRST, name.NAME_MIDDLE, name.NAME_LAST].filter((part) => part !== undefined && part !== '').join(' ') ||
    undefined);

type Located = { line: number; value: unknown };

// JSON lines, or a single JSON array (then every record is reported at the array's line).
const recordsOf = (file: InputFile): Located[] => {
  const text = decodeText(file);
  if (text.trimStart().startsWith('[')) {
    try {
      const array = JSON.parse(text) as unknown;
      if (!Array.isArray(array)) return reject(file.name, 1, 'expected a JSON array of records');
      return array.map((value, i) => ({ line: i + 1, value }));
    } catch (error) {
      return reject(file.name, 1, `not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const records: Located[] = [];
  text.split('\n').forEach((lineText, index) => {
    if (lineText.trim() === '') return;
    try {
      records.push({ line: index + 1, value: JSON.parse(lineText) as unknown });
    } catch (error) {
      reject(file.name, index + 1, `not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return records;
};

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const read = (files: readonly InputFile[], options: ImportOptions): ImportedList => {
  const counts: Record<string, number> = { records: 0, entries: 0, aliases: 0 };
  const seen = new Set<string>();
  let dataSource: string | undefined;
  const entries = files.flatMap((file) =>
    recordsOf(file).flatMap(({ line, value }) => {
      const record = checkRecord(RecordSchema, value, file.name, line);
      countBy(counts, 'records');
      dataSource ??= record.DATA_SOURCE;
      const topics = (record.RISKS ?? []).map((risk) => risk.TOPIC);
      // Records without a type or any risk describe positions ("United States senator"), not parties.
      if ((record.RECORD_TYPE === null || record.RECORD_TYPE === undefined) && topics.length === 0) {
        countBy(counts, 'skippedNotParties');
        return [];
      }
      const key = `${record.DATA_SOURCE}/${record.RECORD_ID}`;
      if (seen.has(key)) reject(file.name, line, `record ${record.RECORD_ID} appears twice`, 'RECORD_ID');
      seen.add(key);
      const type =
        record.RECORD_TYPE === 'PERSON' ? 'person' : record.RECORD_TYPE === 'ORGANIZATION' ? 'company' : 'unknown';
      const kind = kindFromTopics(topics, options.kind) ?? 'pep';
      const draft = draftEntry(record.RECORD_ID, kind, type);
      const ordered = [...record.NAMES].sort(
        (a, b) => Number(b.NAME_TYPE === 'PRIMARY') - Number(a.NAME_TYPE === 'PRIMARY'),
      );
      ordered.forEach((name, i) => {
        const value = fullName(name);
        if (value === undefined)
          reject(file.name, line, 'a name with no NAME_FULL, NAME_ORG or name parts', `NAMES[${i}]`);
        const role = i === 0 ? 'primary' : !isLatinScript(value!) ? 'original_script' : 'alias';
        addName(draft, value, role);
        if (i > 0) countBy(counts, 'aliases');
      });
      for (const date of record.DATES ?? []) {
        if (date.DATE_OF_BIRTH !== undefined) addDate(draft, parseDateOfBirth(date.DATE_OF_BIRTH));
      }
      for (const country of record.COUNTRIES ?? []) {
        addCountry(draft.nationalities, countryCode(country.NATIONALITY));
        addCountry(draft.nationalities, countryCode(country.CITIZENSHIP));
        addCountry(draft.countries, countryCode(country.COUNTRY_OF_ASSOCIATION));
        addCountry(draft.countries, countryCode(country.REGISTRATION_COUNTRY));
      }
      draft.programs.push(...topics);
      countBy(counts, 'entries');
      countBy(counts, `kind.${kind}`);
      return [finishEntry(draft)];
    }),
  );
  return { listId: slug(dataSource ?? 'senzing'), publishedAt: null, entries, counts };
};

export const senzingJson: Importer = {
  describe: 'Senzing-style JSON records (JSON lines or an array), e.g. OpenSanctions PEP exports',
  read,
};
