// OFAC Enhanced XML (SDN_ENHANCED / CONS_ENHANCED), as published or inside its ZIP: names in every script, features.
import { unzipSync } from 'fflate';
import * as z from 'zod';
import { countryCode } from '../../../../core/screening/countries.ts';
import type { EntryType, ListDate } from '../../../../core/screening/model.ts';
import { addCountry, addDate, addName, checkRecord, countBy, draftEntry, finishEntry } from '../importer.ts';
import type { ImportedList, Importer } from '../importer.ts';
import { reject } from '../rejection.ts';
import { decodeText, inputFileFromBytes } from '../source-files.ts';
import type { InputFile } from '../source-files.ts';
import { arrayOf, attributeOf, childOf, readXml, textOf } from '../xml.ts';

const ARRAYS = new Set([
  'referenceValue',
  'entity',
  'name',
  'translation',
  'namePart',
  'address',
  'feature',
  'sanctionsList',
  'sanctionsProgram',
  'sanctionsType',
  'legalAuthority',
  'relationship',
  'identityDocument',
  'addressPart',
]);

const TYPES: Readonly<Record<string, EntryType>> = {
  Individual: 'person',
  Entity: 'company',
  Vessel: 'vessel',
  Aircraft: 'aircraft',
};

const EntitySchema = z.object({
  id: z.string().regex(/^\d+$/, 'entity id must be a whole number'),
  entityType: z.enum(['Individual', 'Entity', 'Vessel', 'Aircraft'], {
    error: 'entityType must be Individual, Entity, Vessel or Aircraft',
  }),
  names: z.array(z.unknown()).min(1, 'an entity needs at least one name'),
});

const isZip = (bytes: Uint8Array): boolean =>
  bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/** The XML inside the ZIP OFAC publishes (CONS_ENHANCED.ZIP holds CONS_ENHANCED.XML), or the file itself. */
const xmlFileOf = (file: InputFile): InputFile => {
  if (!isZip(file.bytes)) return file;
  let contents: Record<string, Uint8Array>;
  try {
    contents = unzipSync(file.bytes);
  } catch (error) {
    return reject(file.name, undefined, `unreadable ZIP: ${error instanceof Error ? error.message : String(error)}`);
  }
  const xmlNames = Object.keys(contents).filter((name) => name.toLowerCase().endsWith('.xml'));
  if (xmlNames.length !== 1) {
    return reject(file.name, undefined, `the ZIP should hold one XML file, it holds ${xmlNames.length}`);
  }
  return inputFileFromBytes(`${file.name}!${xmlNames[0]}`, contents[xmlNames[0]!]!);
};

// A feature's date: the Enhanced XML gives a range even for one day; a whole calendar year means "born in YYYY".
const featureDate = (feature: unknown): ListDate | undefined => {
  const valueDate = childOf(feature, 'valueDate');
  const from = textOf(childOf(valueDate, 'fromDateBegin'));
  const to = textOf(childOf(valueDate, 'toDateEnd')) ?? textOf(childOf(valueDate, 'toDateBegin'));
  const approximate = textOf(childOf(valueDate, 'isApproximate')) === 'true';
  if (from === undefined || !/^\d{4}-\d{2}-\d{2}/.test(from)) return undefined;
  const start = from.slice(0, 10);
  const end = to?.slice(0, 10) ?? start;
  if (start === end) return { from: start, approximate };
  if (start.endsWith('-01-01') && end.endsWith('-12-31')) {
    const first = start.slice(0, 4);
    const last = end.slice(0, 4);
    return first === last ? { from: first, approximate } : { from: first, to: last, approximate };
  }
  return { from: start, to: end, approximate };
};

const read = (files: readonly InputFile[]): ImportedList => {
  if (files.length !== 1) return reject(files[1]?.name ?? '(none)', undefined, 'give one Enhanced XML file or its ZIP');
  const file = xmlFileOf(files[0]!);
  const { root, lineOf } = readXml(file.name, decodeText(file), ARRAYS);
  const data = childOf(root, 'sanctionsData');
  if (data === undefined) return reject(file.name, 1, 'not an OFAC Enhanced XML file: no <sanctionsData>');
  const publication = childOf(data, 'publicationInfo');
  const publishedAt = textOf(childOf(publication, 'dataAsOf')) ?? null;
  const listNames = arrayOf(childOf(childOf(childOf(publication, 'filters'), 'sanctionsLists'), 'sanctionsList'))
    .map(textOf)
    .filter((name): name is string => name !== undefined);

  // Reference values map refIds to ISO country codes (and name scripts).
  const isoByRef = new Map<string, string>();
  for (const value of arrayOf(childOf(childOf(data, 'referenceValues'), 'referenceValue'))) {
    const iso = textOf(childOf(value, 'isoCode'));
    const ref = attributeOf(value, 'refId');
    if (ref !== undefined && iso !== undefined && textOf(childOf(value, 'type')) === 'COUNTRY') isoByRef.set(ref, iso);
  }
  const countryOf = (element: unknown): string | undefined => {
    const ref = attributeOf(element, 'refId') ?? textOf(childOf(element, 'valueRefId'));
    return (
      (ref === undefined ? undefined : isoByRef.get(ref)) ??
      countryCode(textOf(element) ?? textOf(childOf(element, 'value')))
    );
  };

  const counts: Record<string, number> = { entries: 0, aliases: 0, weakAliases: 0, originalScriptNames: 0 };
  const seen = new Set<string>();
  const entries = arrayOf(childOf(childOf(data, 'entities'), 'entity')).map((entity) => {
    const line = lineOf(entity);
    const checked = checkRecord(
      EntitySchema,
      {
        id: attributeOf(entity, 'id'),
        entityType: textOf(childOf(childOf(entity, 'generalInfo'), 'entityType')),
        names: arrayOf(childOf(childOf(entity, 'names'), 'name')),
      },
      file.name,
      line,
    );
    if (seen.has(checked.id)) reject(file.name, line, `entity ${checked.id} appears twice`, 'id');
    seen.add(checked.id);
    const draft = draftEntry(checked.id, 'sanctions', TYPES[checked.entityType]!);
    // The primary name first, then aliases in the order given.
    const names = [...checked.names].sort(
      (a, b) => Number(textOf(childOf(b, 'isPrimary')) === 'true') - Number(textOf(childOf(a, 'isPrimary')) === 'true'),
    );
    for (const name of names) {
      const primary = textOf(childOf(name, 'isPrimary')) === 'true';
      const weak = textOf(childOf(name, 'isLowQuality')) === 'true';
      const aliasType = textOf(childOf(name, 'aliasType'));
      const translations = arrayOf(childOf(childOf(name, 'translations'), 'translation'));
      if (translations.length === 0) reject(file.name, lineOf(name) ?? line, 'a name without any translation', 'names');
      for (const translation of translations) {
        const full = textOf(childOf(translation, 'formattedFullName'));
        if (full === undefined) {
          reject(file.name, lineOf(translation) ?? line, 'a name translation without formattedFullName', 'names');
        }
        const latin = textOf(childOf(translation, 'script')) === 'Latin';
        const role = !latin ? 'original_script' : primary ? 'primary' : aliasType === 'A.K.A.' ? 'alias' : 'former';
        addName(draft, full, role, weak && !primary);
        if (!latin) countBy(counts, 'originalScriptNames');
        else if (!primary) countBy(counts, weak ? 'weakAliases' : 'aliases');
      }
    }
    for (const address of arrayOf(childOf(childOf(entity, 'addresses'), 'address'))) {
      addCountry(draft.countries, countryOf(childOf(address, 'country')));
    }
    for (const feature of arrayOf(childOf(childOf(entity, 'features'), 'feature'))) {
      const type = textOf(childOf(feature, 'type'));
      if (type === 'Birthdate') addDate(draft, featureDate(feature));
      else if (type === 'Nationality Country' || type === 'Citizenship Country') {
        addCountry(draft.type === 'person' ? draft.nationalities : draft.countries, countryOf(feature));
      } else if (type === 'Nationality of Registration') addCountry(draft.countries, countryOf(feature));
      else if (type === 'Place of Birth') {
        const place = textOf(childOf(feature, 'value'));
        addCountry(draft.countries, countryCode(place?.split(',').pop()));
      }
    }
    for (const program of arrayOf(childOf(childOf(entity, 'sanctionsPrograms'), 'sanctionsProgram'))) {
      const text = textOf(program);
      if (text !== undefined && !draft.programs.includes(text)) draft.programs.push(text);
    }
    countBy(counts, 'entries');
    countBy(counts, `type.${draft.type}`);
    return finishEntry(draft);
  });

  const primaryList = listNames[0] ?? 'sdn';
  const listId = /sdn/i.test(primaryList) ? 'ofac-sdn' : `ofac-${slug(primaryList.replace(/\blist\b/i, ''))}`;
  return { listId, publishedAt, entries, counts };
};

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export const ofacEnhancedXml: Importer = {
  describe: 'OFAC Enhanced XML (SDN_ENHANCED.XML, CONS_ENHANCED.XML, or the ZIP they come in)',
  read,
};
