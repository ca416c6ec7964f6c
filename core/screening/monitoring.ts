// Ongoing monitoring (decisions 0193, 0195): what a new list version adds or changes as a small list of its own, the
// content version of a listed entry that an allow-list remembers, and re-screening a lead's parties against the delta.
import { canonicalJsonBytes } from '../shared/canonical-json.ts';
import { portableSha256, sha256Hex } from '../shared/sha256.ts';
import type { Sha256 } from '../shared/sha256.ts';
import { buildIndex } from './match-index.ts';
import type { ScreeningIndex } from './match-index.ts';
import type { EntryId, ListEntry, ListSnapshot, ListVersion } from './model.ts';
import { toRoutingScreening } from './routing-input.ts';
import type { RoutingScreeningHit } from './routing-input.ts';
import { screenParty } from './screen.ts';
import type { Party, PartyResult, Thresholds } from './screen.ts';
import { entryFingerprint } from './version.ts';

/** What one list version adds to and changes in the version before it (by entry id), and what it removes. */
export type ListDelta = {
  readonly version: ListVersion;
  /** The previous active version, or null for a list's first version (then everything is added). */
  readonly previous: ListVersion | null;
  /** The added and the changed entries, as the new version lists them, in its order. */
  readonly entries: readonly ListEntry[];
  readonly added: number;
  readonly changed: number;
  /** Ids of the entries the previous version listed and this one does not. */
  readonly removed: readonly EntryId[];
};

/** The delta between two versions of one list: the entries to re-screen against, and the ids removed. */
export const listDelta = (previous: ListSnapshot | undefined, next: ListSnapshot): ListDelta => {
  const before = new Map<string, string>();
  for (const entry of previous?.entries ?? []) before.set(entry.id, entryFingerprint(entry));
  const entries: ListEntry[] = [];
  let added = 0;
  let changed = 0;
  const seen = new Set<string>();
  for (const entry of next.entries) {
    seen.add(entry.id);
    const old = before.get(entry.id);
    if (old === undefined) added += 1;
    else if (old !== entryFingerprint(entry)) changed += 1;
    else continue;
    entries.push(entry);
  }
  const removed = [...before.keys()].filter((id) => !seen.has(id)) as EntryId[];
  return { version: next.version, previous: previous?.version ?? null, entries, added, changed, removed };
};

/**
 * The match index of the delta alone: the same index (and so the same scores) as the whole list's for these entries,
 * since a name's score depends on the two names and the party's evidence only, never on the other entries listed.
 * Its hits name the new version.
 */
export const deltaIndex = (delta: ListDelta): ScreeningIndex =>
  buildIndex([{ version: delta.version, entries: delta.entries }]);

/**
 * The content version of a listed entry: SHA-256 of its canonical JSON (RFC 8785), the same form the list diff compares.
 * Any change the publisher makes to the entry (a name, a date, a programme, a remark) gives another version.
 */
export const entryContentVersion = (entry: ListEntry, hash: Sha256 = portableSha256): string =>
  sha256Hex(canonicalJsonBytes(entry), hash);

/** A cleared false positive, as the allow-list holds it: this lead and this listed entry at this content version. */
export type AllowedHit = {
  readonly listId: string;
  readonly entryId: string;
  readonly entryVersion: string;
};

export const allowKey = (hit: AllowedHit): string => `${hit.listId}\u0000${hit.entryId}\u0000${hit.entryVersion}`;

/** A hit re-screening found, with the content version of the entry it names. */
export type MonitoringHit = RoutingScreeningHit & { readonly entryVersion: string };

export type Rescreened = {
  /** Hits to raise: not on the lead's allow-list. */
  readonly raised: readonly MonitoringHit[];
  /** Hits the allow-list holds (the same entry, unchanged, was cleared for this lead): not raised, but recorded. */
  readonly suppressed: readonly MonitoringHit[];
};

/**
 * Sorts a lead's screening results into hits to raise and hits the allow-list holds back: `allowed` holds the allowKey
 * of each listed entry cleared for this lead, `entries` the delta's entries by id, and `versionOf` gives an entry's
 * content version (the caller caches it per entry).
 */
export const sortRescreened = (
  results: readonly PartyResult[],
  screenedAt: string,
  entries: ReadonlyMap<string, ListEntry>,
  allowed: { readonly has: (key: string) => boolean },
  versionOf: (entry: ListEntry) => string,
): Rescreened => {
  const hits = toRoutingScreening(results, screenedAt).hits;
  if (hits.length === 0) return NOTHING;
  const raised: MonitoringHit[] = [];
  const suppressed: MonitoringHit[] = [];
  for (const hit of hits) {
    const entry = entries.get(hit.entryId);
    if (entry === undefined) continue;
    const withVersion = { ...hit, entryVersion: versionOf(entry) };
    (allowed.has(allowKey(withVersion)) ? suppressed : raised).push(withVersion);
  }
  return { raised, suppressed };
};

const NOTHING: Rescreened = { raised: [], suppressed: [] };

/** Screens a lead's parties against a delta index as intake does (at most `maxHits` per party), then sorts the hits. */
export const rescreenParties = (
  index: ScreeningIndex,
  parties: readonly Party[],
  thresholds: Thresholds,
  screenedAt: string,
  allowed: { readonly has: (key: string) => boolean },
  versionOf: (entry: ListEntry) => string,
  maxHits = 5,
): Rescreened =>
  sortRescreened(
    parties.map((party) => screenParty(index, party, thresholds, { maxHits })),
    screenedAt,
    new Map(index.entries.map((entry) => [String(entry.id), entry])),
    allowed,
    versionOf,
  );
