// The reference lists and evaluation sets from ../shared/data, read in memory for the evaluation and the benchmark.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { ListSnapshot, ListSource } from '../../core/screening/model.ts';
import type { Party } from '../../core/screening/screen.ts';
import { makeListVersion } from '../../core/screening/version.ts';
import { IMPORTERS } from '../../electron/services/lists/importers/index.ts';
import { describeSourceFile, readInputFile } from '../../electron/services/lists/source-files.ts';
import { nativeSha256 } from '../../electron/services/lists/store.ts';

export const repoRoot = join(fileURLToPath(import.meta.url), '..', '..', '..');
export const dataDir = join(repoRoot, '..', 'shared', 'data');

const REFERENCE: readonly { source: ListSource; files: string[] }[] = [
  {
    source: 'ofac-sdn-csv',
    files: ['sdn.csv', 'alt.csv', 'add.csv', 'sdn_comments.csv'].map((f) => join('sanctions', 'ofac-sdn-2021', f)),
  },
  { source: 'ofac-enhanced-xml', files: [join('sanctions', 'ofac-consolidated-2025', 'CONS_ENHANCED.ZIP')] },
  { source: 'un-xml', files: [join('sanctions', 'un', 'UN_consolidated-2026-02-27.xml')] },
  { source: 'senzing-json', files: [join('pep', 'us_congress_senzing.jsonl')] },
];

/** OFAC SDN 2021, OFAC Consolidated 2025, UN 2026-02-27 and the US Congress PEP list, as imported versions. */
export const readReferenceLists = async (importedAt: string): Promise<ListSnapshot[]> =>
  Promise.all(
    REFERENCE.map(async ({ source, files }) => {
      const inputs = await Promise.all(files.map((file) => readInputFile(join(dataDir, file))));
      const imported = IMPORTERS[source].read(inputs, {});
      return makeListVersion(
        {
          listId: imported.listId,
          source,
          publishedAt: imported.publishedAt,
          entries: imported.entries,
          sourceFiles: inputs.map(describeSourceFile),
          counts: imported.counts,
          importedAt,
        },
        nativeSha256,
      );
    }),
  );

const readCsv = async (name: string): Promise<Record<string, string>[]> =>
  parse(await readFile(join(dataDir, 'eval', 'screening', name), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];

/** A row of positives_un.csv or negatives_global.csv as a party: these are people, with date of birth and nationality. */
const personOf = (row: Record<string, string>): Party => ({
  name: row.full_name!,
  type: 'person',
  ...(row.date_of_birth ? { dateOfBirth: row.date_of_birth } : {}),
  ...(row.nationality ? { nationality: row.nationality } : {}),
});

export const readPositives = async (): Promise<Party[]> => (await readCsv('positives_un.csv')).map(personOf);
export const readNegatives = async (): Promise<Party[]> => (await readCsv('negatives_global.csv')).map(personOf);

export type NamePair = {
  readonly schema: string;
  readonly name1: string;
  readonly name2: string;
  readonly isMatch: boolean;
};
export const readNamePairs = async (): Promise<NamePair[]> =>
  (await readCsv('name_pairs.csv')).map((row) => ({
    schema: row.schema!,
    name1: row.name1!,
    name2: row.name2!,
    isMatch: row.is_match === 'true',
  }));
