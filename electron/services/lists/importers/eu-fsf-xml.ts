// EU Financial Sanctions Files (FSF) XML, schema 1.1: one sanctionEntity per entry, names in many languages and scripts.
import * as z from 'zod';
import { countryCode } from '../../../../core/screening/countries.ts';
import type { ListDate } from '../../../../core/screening/model.ts';
import { isCalendarDay } from '../dates.ts';
import { addCountry, addDate, addName, checkRecord, countBy, draftEntry, finishEntry } from '../importer.ts';
import type { ImportedList, Importer } from '../importer.ts';
import { reject } from '../rejection.ts';
import { decodeText } from '../source-files.ts';
import type { InputFile } from '../source-files.ts';
import { arrayOf, attributeOf, childOf, readXml, textOf } from '../xml.ts';
import { isLatinScript } from './script.ts';

// The elements the schema allows more than once (maxOccurs="unbounded"); and regulation, once in schema 1.1, read as a
// list in case a file repeats it.
const ARRAYS = new Set([
  'sanctionEntity',
  'regulation',
  'nameAlias',
  'citizenship',
  'birthdate',
  'address',
  'identification',
  'remark',
  'additionalInformation',
  'contactInfo',
  'corrigendum',
]);

const WholeNumber = (field: string): z.ZodString =>
  z.string({ error: `${field} is required` }).regex(/^\d+$/, `${field} must be a whole number`);
const Year = (field: string): z.ZodString => z.string().regex(/^\d{4}$/, `${field} must be a four-digit year`);
const XmlBoolean = (field: string) =>
  z.enum(['true', 'false', '1', '0'], { error: `${field} must be true or false` }).optional();

const EntitySchema = z.object({
  logicalId: WholeNumber('logicalId'),
  euReferenceNumber: z.string().min(1).optional(),
  // The schema's own person/enterprise switch; `code` (person, enterprise) is a finer label that may grow.
  subjectType: z.enum(['P', 'E'], {
    error: 'a sanctionEntity needs a subjectType with classificationCode P (person) or E (enterprise)',
  }),
});

const isCalendarDate = (text: string): boolean => {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  return isCalendarDay(year, month, day);
};

const BirthdateSchema = z.object({
  birthdate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'birthdate must be a date, YYYY-MM-DD')
    .refine(isCalendarDate, 'birthdate is not a day of the calendar')
    .optional(),
  year: Year('year').optional(),
  monthOfYear: WholeNumber('monthOfYear')
    .refine((month) => Number(month) >= 1 && Number(month) <= 12, 'monthOfYear must be 1 to 12')
    .optional(),
  dayOfMonth: WholeNumber('dayOfMonth')
    .refine((day) => Number(day) >= 1 && Number(day) <= 31, 'dayOfMonth must be 1 to 31')
    .optional(),
  yearRangeFrom: Year('yearRangeFrom').optional(),
  yearRangeTo: Year('yearRangeTo').optional(),
  circa: XmlBoolean('circa'),
  calendarType: z.string().optional(),
});

const StrongSchema = z.object({ strong: XmlBoolean('strong') });

/** The attributes of an element, empty values left out (the EU writes every optional attribute, most as ""). */
const attributes = (element: unknown, names: readonly string[]): Record<string, string> => {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = attributeOf(element, name)?.trim();
    if (value !== undefined && value !== '') values[name] = value;
  }
  return values;
};

const pad = (value: string): string => String(Number(value)).padStart(2, '0');

/** A birthdate element as a date of birth: the full date, else year (and month, and day), else the year range. */
const dateOfBirth = (birth: z.infer<typeof BirthdateSchema>): ListDate | undefined => {
  const approximate = birth.circa === 'true' || birth.circa === '1';
  if (birth.birthdate !== undefined) return { from: birth.birthdate, approximate };
  if (birth.year !== undefined) {
    if (birth.monthOfYear === undefined) return { from: birth.year, approximate };
    const month = `${birth.year}-${pad(birth.monthOfYear)}`;
    return { from: birth.dayOfMonth === undefined ? month : `${month}-${pad(birth.dayOfMonth)}`, approximate };
  }
  const from = birth.yearRangeFrom ?? birth.yearRangeTo;
  const to = birth.yearRangeTo ?? birth.yearRangeFrom;
  if (from === undefined || to === undefined) return undefined;
  return from === to ? { from, approximate } : { from, to, approximate };
};

const NAME_ATTRIBUTES = ['wholeName', 'firstName', 'middleName', 'lastName', 'strong', 'nameLanguage'] as const;
const BIRTHDATE_ATTRIBUTES = [
  'birthdate',
  'year',
  'monthOfYear',
  'dayOfMonth',
  'yearRangeFrom',
  'yearRangeTo',
  'circa',
  'calendarType',
  'countryIso2Code',
] as const;

const read = (files: readonly InputFile[]): ImportedList => {
  if (files.length !== 1) return reject(files[1]?.name ?? '(none)', undefined, 'give one EU FSF XML file');
  const file = files[0]!;
  const { root, lineOf } = readXml(file.name, decodeText(file), ARRAYS);
  const exported = childOf(root, 'export');
  if (exported === undefined || exported === null || typeof exported !== 'object') {
    return reject(file.name, 1, 'not an EU Financial Sanctions Files export: no <export>');
  }
  const publishedAt = attributeOf(exported, 'generationDate') ?? null;
  const counts: Record<string, number> = {
    entries: 0,
    persons: 0,
    enterprises: 0,
    aliases: 0,
    weakAliases: 0,
    originalScriptNames: 0,
    nonGregorianDates: 0,
  };
  const seen = new Set<string>();

  const entries = arrayOf(childOf(exported, 'sanctionEntity')).map((entity) => {
    const line = lineOf(entity);
    const checked = checkRecord(
      EntitySchema,
      {
        ...attributes(entity, ['logicalId', 'euReferenceNumber']),
        subjectType: attributeOf(arrayOf(childOf(entity, 'subjectType'))[0], 'classificationCode'),
      },
      file.name,
      line,
    );
    // The EU reference number (EU.27.28) is the public, stable id; logicalId is the database's, kept as a fallback.
    const id = checked.euReferenceNumber ?? `logical-${checked.logicalId}`;
    const idField = checked.euReferenceNumber === undefined ? 'logicalId' : 'euReferenceNumber';
    if (seen.has(id)) reject(file.name, line, `sanctionEntity ${id} appears twice`, idField);
    seen.add(id);
    const person = checked.subjectType === 'P';
    const draft = draftEntry(id, 'sanctions', person ? 'person' : 'company');

    const names = arrayOf(childOf(entity, 'nameAlias')).flatMap((alias) => {
      const values = attributes(alias, NAME_ATTRIBUTES);
      const { strong } = checkRecord(StrongSchema, values, file.name, lineOf(alias) ?? line);
      const value =
        values.wholeName ??
        [values.firstName, values.middleName, values.lastName].filter((part) => part !== undefined).join(' ');
      if (value === '') return [];
      return [{ value, weak: strong === 'false' || strong === '0', latin: isLatinScript(value) }];
    });
    if (names.length === 0) reject(file.name, line, 'a sanctionEntity needs at least one named nameAlias', 'nameAlias');
    // The primary name: the first strong name in Latin script (the EU lists translations and weak names beside it).
    const primary = names.find((name) => name.latin && !name.weak) ?? names.find((name) => name.latin) ?? names[0]!;
    addName(draft, primary.value, 'primary');
    for (const name of names) {
      if (name === primary) continue;
      if (!name.latin) {
        addName(draft, name.value, 'original_script', name.weak);
        countBy(counts, 'originalScriptNames');
      } else {
        addName(draft, name.value, 'alias', name.weak);
        countBy(counts, name.weak ? 'weakAliases' : 'aliases');
      }
    }

    for (const birth of arrayOf(childOf(entity, 'birthdate'))) {
      const values = attributes(birth, BIRTHDATE_ATTRIBUTES);
      const checkedBirth = checkRecord(BirthdateSchema, values, file.name, lineOf(birth) ?? line);
      // The birth country is a country of the entry even when the date is missing or in another calendar.
      addCountry(draft.countries, countryCode(values.countryIso2Code));
      // A year in the Islamic or another calendar is not a Gregorian year: compared as one it would mislead.
      if (checkedBirth.calendarType !== undefined && checkedBirth.calendarType !== 'GREGORIAN') {
        countBy(counts, 'nonGregorianDates');
        continue;
      }
      addDate(draft, dateOfBirth(checkedBirth));
    }
    for (const citizenship of arrayOf(childOf(entity, 'citizenship'))) {
      addCountry(
        person ? draft.nationalities : draft.countries,
        countryCode(attributeOf(citizenship, 'countryIso2Code')),
      );
    }
    for (const address of arrayOf(childOf(entity, 'address'))) {
      addCountry(draft.countries, countryCode(attributeOf(address, 'countryIso2Code')));
    }
    for (const regulation of arrayOf(childOf(entity, 'regulation'))) {
      const programme = attributeOf(regulation, 'programme')?.trim();
      if (programme !== undefined && programme !== '' && !draft.programs.includes(programme)) {
        draft.programs.push(programme);
      }
    }
    const remarks = arrayOf(childOf(entity, 'remark'))
      .map(textOf)
      .filter((remark): remark is string => remark !== undefined);
    if (remarks.length > 0) draft.remarks = remarks.join(' ').replace(/\s+/g, ' ');
    countBy(counts, 'entries');
    countBy(counts, person ? 'persons' : 'enterprises');
    return finishEntry(draft);
  });
  return { listId: 'eu-fsf', publishedAt, entries, counts };
};

export const euFsfXml: Importer = { describe: 'EU Financial Sanctions Files (FSF) consolidated list, XML 1.1', read };
