// What changed between two versions of a list: entries added, removed and changed (with the fields that changed).
import type { EntryId, ListEntry, ListId, ListSnapshot, ListVersionId } from './model.ts';
import { entryFingerprint } from './version.ts';
import { canonicalJson } from '../shared/canonical-json.ts';

export type ChangedEntry = { readonly id: EntryId; readonly name: string; readonly fields: readonly string[] };
export type ListDiff = {
  readonly listId: ListId;
  readonly from: ListVersionId | null;
  readonly to: ListVersionId;
  readonly added: readonly { readonly id: EntryId; readonly name: string }[];
  readonly removed: readonly { readonly id: EntryId; readonly name: string }[];
  readonly changed: readonly ChangedEntry[];
  readonly unchanged: number;
};

const nameOf = (entry: ListEntry): string => entry.names[0]?.value ?? entry.id;

const changedFields = (before: ListEntry, after: ListEntry): string[] => {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const fields: string[] = [];
  for (const key of [...keys].sort()) {
    const a = (before as Record<string, unknown>)[key];
    const b = (after as Record<string, unknown>)[key];
    if (canonicalJson(a ?? null) !== canonicalJson(b ?? null)) fields.push(key);
  }
  return fields;
};

/** Compares entries by id. With no previous version, everything is added. */
export const diffListVersions = (previous: ListSnapshot | undefined, next: ListSnapshot): ListDiff => {
  const before = new Map<string, ListEntry>();
  for (const entry of previous?.entries ?? []) before.set(entry.id, entry);
  const seen = new Set<string>();
  const added: { id: EntryId; name: string }[] = [];
  const changed: ChangedEntry[] = [];
  let unchanged = 0;
  for (const entry of next.entries) {
    seen.add(entry.id);
    const old = before.get(entry.id);
    if (old === undefined) added.push({ id: entry.id, name: nameOf(entry) });
    else if (entryFingerprint(old) !== entryFingerprint(entry)) {
      changed.push({ id: entry.id, name: nameOf(entry), fields: changedFields(old, entry) });
    } else unchanged += 1;
  }
  const removed = [...before.values()]
    .filter((entry) => !seen.has(entry.id))
    .map((entry) => ({ id: entry.id, name: nameOf(entry) }));
  return {
    listId: next.version.listId,
    from: previous?.version.version ?? null,
    to: next.version.version,
    added,
    removed,
    changed,
    unchanged,
  };
};
