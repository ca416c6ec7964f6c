// The importer contract and what every importer shares: entry assembly, zod checks with file/line/field, kinds.
import type * as z from 'zod';
import type { EntryId, ListDate, ListEntry, ListKind, ListName, EntryType } from '../../../core/screening/model.ts';
import { firstIssue } from './list-schema.ts';
import { reject } from './rejection.ts';
import type { InputFile } from './source-files.ts';

export type ImportedList = {
  /** The list id this file set suggests (the caller may override it). */
  readonly listId: string;
  readonly publishedAt: string | null;
  readonly entries: ListEntry[];
  readonly counts: Record<string, number>;
};

export type ImportOptions = {
  /** For formats that carry several kinds or none (FollowTheMoney, Senzing, blocklists): the kind to assume. */
  readonly kind?: ListKind;
};

/** Reads a file set into entries, or throws `RejectedImport` naming the file, line and reason. Never half-reads. */
export type Importer = {
  readonly describe: string;
  readonly read: (files: readonly InputFile[], options: ImportOptions) => ImportedList;
};

/** Validates one record with zod; the first issue becomes the rejection's field and reason. */
export const checkRecord = <T extends z.ZodType>(
  schema: T,
  value: unknown,
  file: string,
  line: number | undefined,
): z.infer<T> => {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = firstIssue(parsed.error);
  return reject(file, line, issue.message, issue.field === '' ? undefined : issue.field);
};

export type EntryDraft = {
  id: string;
  kind: ListKind;
  type: EntryType;
  names: ListName[];
  datesOfBirth: ListDate[];
  nationalities: string[];
  countries: string[];
  programs: string[];
  remarks?: string;
};

export const draftEntry = (id: string, kind: ListKind, type: EntryType): EntryDraft => ({
  id,
  kind,
  type,
  names: [],
  datesOfBirth: [],
  nationalities: [],
  countries: [],
  programs: [],
});

const pushUnique = <T>(list: T[], value: T, same: (a: T, b: T) => boolean = (a, b) => a === b): void => {
  if (!list.some((existing) => same(existing, value))) list.push(value);
};

/** Adds a name unless the entry already has exactly that string (the first, strongest role wins). */
export const addName = (draft: EntryDraft, value: string | undefined, role: ListName['role'], weak = false): void => {
  const trimmed = value?.replace(/\s+/g, ' ').trim();
  if (trimmed === undefined || trimmed === '') return;
  pushUnique(draft.names, { value: trimmed, role, weak }, (a, b) => a.value === b.value);
};

export const addDate = (draft: EntryDraft, date: ListDate | undefined): void => {
  if (date !== undefined) {
    pushUnique(draft.datesOfBirth, date, (a, b) => a.from === b.from && a.to === b.to);
  }
};

export const addCountry = (list: string[], code: string | undefined): void => {
  if (code !== undefined) pushUnique(list, code);
};

/** Freezes a draft into an entry, in a stable field order (the content hash depends on it). */
export const finishEntry = (draft: EntryDraft): ListEntry => ({
  id: draft.id as EntryId,
  kind: draft.kind,
  type: draft.type,
  names: draft.names,
  datesOfBirth: draft.datesOfBirth,
  nationalities: draft.nationalities,
  countries: draft.countries,
  programs: draft.programs,
  ...(draft.remarks === undefined || draft.remarks === '' ? {} : { remarks: draft.remarks }),
});

/** Topics (FollowTheMoney, Senzing) → list kind: sanctions first, then PEP, then the adverse-media family. */
export const kindFromTopics = (topics: readonly string[], fallback: ListKind | undefined): ListKind | undefined => {
  if (topics.some((topic) => topic === 'sanction' || topic.startsWith('sanction.'))) return 'sanctions';
  if (topics.some((topic) => topic === 'role.pep' || topic === 'role.rca' || topic.startsWith('gov.'))) return 'pep';
  if (
    topics.some(
      (topic) =>
        topic.startsWith('crime') ||
        topic.startsWith('reg.') ||
        topic === 'poi' ||
        topic === 'debarment' ||
        topic === 'corp.disqual' ||
        topic === 'export.control' ||
        topic === 'wanted',
    )
  ) {
    return 'adverse_media';
  }
  return fallback;
};

/** Finds a file in a set by base name (case-insensitive). */
export const fileNamed = (files: readonly InputFile[], ...names: string[]): InputFile | undefined =>
  files.find((file) => names.includes(file.name.toLowerCase()));

export const countBy = (counts: Record<string, number>, key: string, by = 1): void => {
  counts[key] = (counts[key] ?? 0) + by;
};
