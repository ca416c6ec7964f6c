// Small hand-made lists for the screening tests: entries built from a line of data each.
import type {
  EntryId,
  EntryType,
  ListDate,
  ListEntry,
  ListKind,
  ListName,
  ListSnapshot,
} from '../../../core/screening/model.ts';
import { makeListVersion } from '../../../core/screening/version.ts';

export type EntrySpec = {
  id: string;
  names: (string | { value: string; weak?: boolean; role?: ListName['role'] })[];
  type?: EntryType;
  kind?: ListKind;
  dob?: (string | ListDate)[];
  nationalities?: string[];
  countries?: string[];
};

export const entry = (spec: EntrySpec): ListEntry => ({
  id: spec.id as EntryId,
  kind: spec.kind ?? 'sanctions',
  type: spec.type ?? 'person',
  names: spec.names.map((name, i) =>
    typeof name === 'string'
      ? { value: name, role: i === 0 ? 'primary' : 'alias', weak: false }
      : { value: name.value, role: name.role ?? (i === 0 ? 'primary' : 'alias'), weak: name.weak ?? false },
  ),
  datesOfBirth: (spec.dob ?? []).map((date) => (typeof date === 'string' ? { from: date, approximate: false } : date)),
  nationalities: spec.nationalities ?? [],
  countries: spec.countries ?? [],
  programs: [],
});

export const snapshot = (
  listId: string,
  entries: EntrySpec[],
  source: ListSnapshot['version']['source'] = 'blocklist',
): ListSnapshot =>
  makeListVersion({
    listId,
    source,
    publishedAt: null,
    entries: entries.map(entry),
    sourceFiles: [],
    counts: { entries: entries.length },
    importedAt: '2026-01-01T00:00:00.000Z',
  });
