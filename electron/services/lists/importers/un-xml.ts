// UN Security Council consolidated list XML: individuals and entities, aliases by quality, original-script names.
import * as z from 'zod';
import { countryCode } from '../../../../core/screening/countries.ts';
import type { ListDate } from '../../../../core/screening/model.ts';
import { addCountry, addDate, addName, checkRecord, countBy, draftEntry, finishEntry } from '../importer.ts';
import type { ImportedList, Importer } from '../importer.ts';
import { reject } from '../rejection.ts';
import { decodeText } from '../source-files.ts';
import type { InputFile } from '../source-files.ts';
import { arrayOf, childOf, readXml, textOf } from '../xml.ts';
import type { XmlNode } from '../xml.ts';

const ARRAYS = new Set([
  'INDIVIDUAL',
  'ENTITY',
  'INDIVIDUAL_ALIAS',
  'ENTITY_ALIAS',
  'INDIVIDUAL_ADDRESS',
  'ENTITY_ADDRESS',
  'INDIVIDUAL_DATE_OF_BIRTH',
  'INDIVIDUAL_PLACE_OF_BIRTH',
  'INDIVIDUAL_DOCUMENT',
  'NATIONALITY',
  'DESIGNATION',
  'TITLE',
  'VALUE',
  'LAST_DAY_UPDATED',
]);

const RecordSchema = z.object({
  DATAID: z.string({ error: 'DATAID is required' }).regex(/^\d+$/, 'DATAID must be a whole number'),
  REFERENCE_NUMBER: z.string({ error: 'REFERENCE_NUMBER is required' }).min(1),
  FIRST_NAME: z.string({ error: 'FIRST_NAME is required' }).min(1),
});

const Quality = z.enum(['Good', 'Low', 'a.k.a.', 'f.k.a.'], {
  error: 'alias QUALITY must be Good, Low, a.k.a. or f.k.a.',
});

const dateOfBirth = (element: unknown): ListDate | undefined => {
  const type = textOf(childOf(element, 'TYPE_OF_DATE'));
  const approximate = type === 'APPROXIMATELY';
  const date = textOf(childOf(element, 'DATE'));
  const year = textOf(childOf(element, 'YEAR'));
  const fromYear = textOf(childOf(element, 'FROM_YEAR'));
  const toYear = textOf(childOf(element, 'TO_YEAR'));
  if (type === 'BETWEEN' && fromYear !== undefined && toYear !== undefined) {
    return { from: fromYear, to: toYear, approximate: false };
  }
  if (date !== undefined && /^\d{4}-\d{2}-\d{2}/.test(date)) return { from: date.slice(0, 10), approximate };
  if (year !== undefined && /^\d{4}$/.test(year)) return { from: year, approximate };
  return undefined;
};

const valuesOf = (element: unknown): string[] =>
  arrayOf(element)
    .flatMap((item) => arrayOf(childOf(item, 'VALUE')))
    .map(textOf)
    .filter((value): value is string => value !== undefined);

const read = (files: readonly InputFile[]): ImportedList => {
  if (files.length !== 1) return reject(files[1]?.name ?? '(none)', undefined, 'give one UN consolidated XML file');
  const file = files[0]!;
  const { root, lineOf } = readXml(file.name, decodeText(file), ARRAYS);
  const list = childOf(root, 'CONSOLIDATED_LIST') as XmlNode | undefined;
  if (list === undefined || typeof list !== 'object') {
    return reject(file.name, 1, 'not a UN consolidated list: no <CONSOLIDATED_LIST>');
  }
  const generated = list['@dateGenerated'];
  const publishedAt = typeof generated === 'string' ? generated : null;
  const counts: Record<string, number> = {
    entries: 0,
    individuals: 0,
    entities: 0,
    aliases: 0,
    weakAliases: 0,
    originalScriptNames: 0,
  };
  const seen = new Set<string>();

  const readRecord = (record: unknown, individual: boolean): ReturnType<typeof finishEntry> => {
    const line = lineOf(record);
    const fields = {
      DATAID: textOf(childOf(record, 'DATAID')),
      REFERENCE_NUMBER: textOf(childOf(record, 'REFERENCE_NUMBER')),
      FIRST_NAME: textOf(childOf(record, 'FIRST_NAME')),
    };
    const checked = checkRecord(RecordSchema, fields, file.name, line);
    // The reference number (QDi.001, CDe.002) is the UN's stable public identifier; DATAID changes with edits.
    const id = checked.REFERENCE_NUMBER;
    if (seen.has(id)) reject(file.name, line, `reference number ${id} appears twice`, 'REFERENCE_NUMBER');
    seen.add(id);
    const draft = draftEntry(id, 'sanctions', individual ? 'person' : 'company');
    const parts = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME']
      .map((part) => textOf(childOf(record, part)))
      .filter((part): part is string => part !== undefined);
    // An entity's name field sometimes holds two names: "COMPAGNIE AERIENNE DES GRANDS LACS (CAGL) ; GREAT LAKES …".
    const names = individual ? [parts.join(' ')] : parts.join(' ').split(/\s;\s/);
    names.forEach((name, i) => addName(draft, name, i === 0 ? 'primary' : 'alias'));
    const original = textOf(childOf(record, 'NAME_ORIGINAL_SCRIPT'));
    if (original !== undefined) {
      addName(draft, original, 'original_script');
      countBy(counts, 'originalScriptNames');
    }
    for (const alias of arrayOf(childOf(record, individual ? 'INDIVIDUAL_ALIAS' : 'ENTITY_ALIAS'))) {
      const name = textOf(childOf(alias, 'ALIAS_NAME'));
      if (name === undefined) continue;
      const quality = checkRecord(
        Quality,
        textOf(childOf(alias, 'QUALITY')) ?? 'Good',
        file.name,
        lineOf(alias) ?? line,
      );
      addName(draft, name, quality === 'f.k.a.' ? 'former' : 'alias', quality === 'Low');
      countBy(counts, quality === 'Low' ? 'weakAliases' : 'aliases');
    }
    for (const nationality of valuesOf(childOf(record, 'NATIONALITY'))) {
      addCountry(draft.nationalities, countryCode(nationality));
    }
    for (const address of arrayOf(childOf(record, individual ? 'INDIVIDUAL_ADDRESS' : 'ENTITY_ADDRESS'))) {
      addCountry(draft.countries, countryCode(textOf(childOf(address, 'COUNTRY'))));
    }
    for (const place of arrayOf(childOf(record, 'INDIVIDUAL_PLACE_OF_BIRTH'))) {
      addCountry(draft.countries, countryCode(textOf(childOf(place, 'COUNTRY'))));
    }
    for (const date of arrayOf(childOf(record, 'INDIVIDUAL_DATE_OF_BIRTH'))) addDate(draft, dateOfBirth(date));
    const program = textOf(childOf(record, 'UN_LIST_TYPE'));
    if (program !== undefined) draft.programs.push(program);
    const comments = textOf(childOf(record, 'COMMENTS1'));
    if (comments !== undefined) draft.remarks = comments.replace(/\s+/g, ' ');
    countBy(counts, 'entries');
    countBy(counts, individual ? 'individuals' : 'entities');
    return finishEntry(draft);
  };

  const entries = [
    ...arrayOf(childOf(list.INDIVIDUALS, 'INDIVIDUAL')).map((record) => readRecord(record, true)),
    ...arrayOf(childOf(list.ENTITIES, 'ENTITY')).map((record) => readRecord(record, false)),
  ];
  return { listId: 'un-sc-consolidated', publishedAt, entries, counts };
};

export const unXml: Importer = { describe: 'UN Security Council consolidated list (XML)', read };
