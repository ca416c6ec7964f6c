// OpenSanctions FollowTheMoney entities, one JSON object a line: persons, companies, organisations, vessels.
import { basename } from 'node:path';
import * as z from 'zod';
import { countryCode } from '../../../../core/screening/countries.ts';
import type { EntryType } from '../../../../core/screening/model.ts';
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

const Values = z.array(z.string()).optional();
const EntitySchema = z.object({
  id: z.string({ error: 'id is required' }).min(1),
  schema: z.string({ error: 'schema is required' }).min(1),
  caption: z.string().optional(),
  target: z.boolean().optional(),
  properties: z
    .object({
      name: Values,
      alias: Values,
      weakAlias: Values,
      previousName: Values,
      firstName: Values,
      lastName: Values,
      birthDate: Values,
      nationality: Values,
      citizenship: Values,
      country: Values,
      jurisdiction: Values,
      topics: Values,
      program: Values,
      notes: Values,
    })
    .loose()
    .default({}),
});

const SCREENED: Readonly<Record<string, EntryType>> = {
  Person: 'person',
  Company: 'company',
  Organization: 'company',
  LegalEntity: 'unknown',
  PublicBody: 'company',
  Vessel: 'vessel',
  Airplane: 'aircraft',
};

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const readOne = (file: InputFile, options: ImportOptions, counts: Record<string, number>, seen: Set<string>) => {
  const lines = decodeText(file).split('\n');
  const entries: ReturnType<typeof finishEntry>[] = [];
  lines.forEach((text, index) => {
    const line = index + 1;
    if (text.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      reject(file.name, line, `not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    const entity = checkRecord(EntitySchema, json, file.name, line);
    countBy(counts, 'records');
    const type = SCREENED[entity.schema];
    if (type === undefined) {
      countBy(counts, 'skippedNotParties');
      return;
    }
    // Context entities (owners, relatives) ship with the targets but are not on the list themselves.
    if (entity.target === false) {
      countBy(counts, 'skippedNotTargets');
      return;
    }
    if (seen.has(entity.id)) reject(file.name, line, `entity ${entity.id} appears twice`, 'id');
    seen.add(entity.id);
    const props = entity.properties;
    const kind = kindFromTopics(props.topics ?? [], options.kind) ?? 'sanctions';
    const draft = draftEntry(entity.id, kind, type);
    const names = props.name ?? [];
    const primary = entity.caption !== undefined && names.includes(entity.caption) ? entity.caption : names[0];
    if (primary === undefined && (props.lastName ?? []).length === 0) {
      reject(file.name, line, 'an entity needs a name', 'properties.name');
    }
    addName(draft, primary ?? [props.firstName?.[0], props.lastName?.[0]].filter(Boolean).join(' '), 'primary');
    const addNames = (values: readonly string[] | undefined, role: 'alias' | 'former', weak: boolean): void => {
      for (const value of values ?? []) {
        const latin = isLatinScript(value);
        addName(draft, value, latin ? role : 'original_script', weak);
        countBy(counts, !latin ? 'originalScriptNames' : weak ? 'weakAliases' : 'aliases');
      }
    };
    addNames(names, 'alias', false);
    addNames(props.alias, 'alias', false);
    addNames(props.previousName, 'former', false);
    addNames(props.weakAlias, 'alias', true);
    for (const date of props.birthDate ?? []) addDate(draft, parseDateOfBirth(date));
    for (const code of [...(props.nationality ?? []), ...(props.citizenship ?? [])]) {
      addCountry(type === 'person' ? draft.nationalities : draft.countries, countryCode(code));
    }
    for (const code of [...(props.country ?? []), ...(props.jurisdiction ?? [])]) {
      addCountry(draft.countries, countryCode(code));
    }
    draft.programs.push(...(props.program ?? []));
    if (props.notes !== undefined) draft.remarks = props.notes.join(' ');
    countBy(counts, 'entries');
    countBy(counts, `kind.${kind}`);
    countBy(counts, `type.${type}`);
    entries.push(finishEntry(draft));
  });
  return entries;
};

const read = (files: readonly InputFile[], options: ImportOptions): ImportedList => {
  const counts: Record<string, number> = { records: 0, entries: 0, aliases: 0, weakAliases: 0 };
  const seen = new Set<string>();
  const entries = files.flatMap((file) => readOne(file, options, counts, seen));
  const first = files[0] === undefined ? 'ftm' : basename(files[0].name).replace(/\.(ftm\.)?jsonl?$/i, '');
  return { listId: `ftm-${slug(first)}`, publishedAt: null, entries, counts };
};

export const ftmJsonl: Importer = {
  describe: 'OpenSanctions FollowTheMoney entities (JSON lines)',
  read,
};
