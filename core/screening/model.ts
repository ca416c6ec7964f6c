// The list model: list kinds, entries with their names and secondary data, list versions and their snapshots.
import type { Brand } from '../shared/brand.ts';

export type ListId = Brand<string, 'ListId'>;
/** A list version: the first 16 hex digits of the content hash, so the same content always has the same version. */
export type ListVersionId = Brand<string, 'ListVersionId'>;
export type EntryId = Brand<string, 'EntryId'>;

export const LIST_KINDS = ['sanctions', 'pep', 'adverse_media', 'blocklist'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

export const ENTRY_TYPES = ['person', 'company', 'vessel', 'aircraft', 'unknown'] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

/** The formats the importers read; recorded with each version. */
export const LIST_SOURCES = [
  'ofac-sdn-csv',
  'ofac-enhanced-xml',
  'un-xml',
  'eu-fsf-xml',
  'uk-sanctions-csv',
  'ftm-jsonl',
  'senzing-json',
  'csl-csv',
  'blocklist',
] as const;
export type ListSource = (typeof LIST_SOURCES)[number];

/**
 * One name an entry is known by. `weak` marks the low-quality aliases the publishers flag themselves (OFAC
 * "weak a.k.a.", UN "Low" quality, EU strong="false", UK "Low quality a.k.a", FollowTheMoney weakAlias): they are
 * screened, but score lower.
 */
export type ListName = {
  readonly value: string;
  readonly role: 'primary' | 'alias' | 'former' | 'original_script';
  readonly weak: boolean;
};

/**
 * A date of birth as published: a full date (YYYY-MM-DD), a month (YYYY-MM), a year (YYYY), or a range of years.
 * `approximate` is set when the publisher says "circa" or "approximately".
 */
export type ListDate = {
  readonly from: string;
  readonly to?: string;
  readonly approximate: boolean;
};

export type ListEntry = {
  readonly id: EntryId;
  readonly kind: ListKind;
  readonly type: EntryType;
  /** The first name is the primary name, shown as the entry's name. */
  readonly names: readonly ListName[];
  readonly datesOfBirth: readonly ListDate[];
  /** ISO 3166-1 alpha-2 codes, upper case: nationality and citizenship. */
  readonly nationalities: readonly string[];
  /** ISO 3166-1 alpha-2 codes, upper case: countries of address, registration or birth. */
  readonly countries: readonly string[];
  readonly programs: readonly string[];
  readonly remarks?: string;
};

export type SourceFile = { readonly name: string; readonly bytes: number; readonly sha256: string };

export type ListVersion = {
  readonly listId: ListId;
  readonly version: ListVersionId;
  readonly source: ListSource;
  /** The publisher's own date for this edition, where the format gives one (ISO date or date-time). */
  readonly publishedAt: string | null;
  /** SHA-256 of the canonical JSON of the imported entries: what screening actually used. */
  readonly contentSha256: string;
  readonly sourceFiles: readonly SourceFile[];
  /** Record counts by what was read: entries, aliases, addresses, original-script names, entries per kind and type. */
  readonly counts: Readonly<Record<string, number>>;
  readonly importedAt: string;
};

export type ListSnapshot = {
  readonly version: ListVersion;
  readonly entries: readonly ListEntry[];
};

export const primaryName = (entry: ListEntry): string => entry.names[0]?.value ?? String(entry.id);
