// Shared fixtures for the storage benchmarks: the real lists imported into a list directory, and generated leads
// carrying real-looking person names (from the negatives evaluation set) so screening does real work.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { LeadSchema } from '../../core/routing/lead.ts';
import type { Lead } from '../../core/routing/lead.ts';
import { generateLeads } from '../routing/generate.ts';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const sharedData = join(repoRoot, '..', 'shared', 'data');

const LIST_IMPORTS: readonly [string, string[]][] = [
  [
    'ofac-sdn-csv',
    [
      'sanctions/ofac-sdn-2021/sdn.csv',
      'sanctions/ofac-sdn-2021/add.csv',
      'sanctions/ofac-sdn-2021/alt.csv',
      'sanctions/ofac-sdn-2021/sdn_comments.csv',
    ],
  ],
  ['ofac-enhanced-xml', ['sanctions/ofac-consolidated-2025/CONS_ENHANCED.ZIP']],
  ['un-xml', ['sanctions/un/UN_consolidated-2026-02-27.xml']],
  ['senzing-json', ['pep/us_congress_senzing.jsonl']],
];

/** Imports every real list with the real CLI (`perimeter lists import`) into `dir`. */
export const importRealLists = (dir: string): void => {
  for (const [source, files] of LIST_IMPORTS) {
    const run = spawnSync(
      process.execPath,
      [
        join(repoRoot, 'electron', 'cli', 'main.ts'),
        'lists',
        'import',
        '--lists',
        dir,
        '--source',
        source,
        ...files.map((file) => join(sharedData, file)),
      ],
      {
        encoding: 'utf8',
      },
    );
    if (run.status !== 0) throw new Error(`lists import ${source} failed: ${run.stderr}`);
  }
};

/** Generated leads (bench/routing/generate.ts) for the generated map, half of them with a person from the negatives set. */
export const benchLeads = (count: number): Lead[] => {
  const people = parse(readFileSync(join(sharedData, 'eval', 'screening', 'negatives_global.csv'), 'utf8'), {
    columns: true,
  }) as { full_name: string; date_of_birth: string }[];
  return generateLeads(11, count).map((input, i) => {
    const person = people[i % people.length]!;
    const { screening: _ignored, ...rest } = input;
    return LeadSchema.parse({
      ...rest,
      ...(i % 2 === 0 ? { person: { fullName: person.full_name, dateOfBirth: person.date_of_birth } } : {}),
    });
  });
};
