// What the device knows of distribution, read from its own audit log (decision 0255): the publisher key it pinned
// (the latest `distribution.key_pinned`), the last sequence it activated on each stream (the highest `distribution`
// named by a `policy.published` or `list.imported` entry) and the refusals it logged. No table of its own: the log is
// the source of truth, so a rebuild or a restored backup cannot disagree with it.
import type * as z from 'zod';
import type { DistributionRef } from '../../../core/audit/events/sync.ts';
import type { Database } from '../store/database.ts';

export type DistributionRefValue = z.infer<typeof DistributionRef>;

type Entry = { readonly payload: Record<string, unknown> };

const payloadsOf = (db: Database, type: string): Entry[] =>
  db
    .prepare<[string], Buffer>('SELECT canonical FROM audit_entries WHERE type = ? ORDER BY sequence')
    .pluck()
    .all(type)
    .map((bytes) => JSON.parse(bytes.toString('utf8')) as Entry);

/** The pinned publisher verifier key, or null when none is pinned yet. */
export const pinnedPublisherKey = (db: Database): string | null => {
  const last = payloadsOf(db, 'distribution.key_pinned').at(-1);
  return typeof last?.payload.key === 'string' ? last.payload.key : null;
};

const refOf = (entry: Entry): DistributionRefValue | null => {
  const ref = entry.payload.distribution;
  return typeof ref === 'object' && ref !== null ? (ref as DistributionRefValue) : null;
};

/** The highest sequence activated on each stream, by stream. */
export const activeSequences = (db: Database): Map<string, number> => {
  const found = new Map<string, number>();
  for (const type of ['policy.published', 'list.imported'])
    for (const entry of payloadsOf(db, type)) {
      const ref = refOf(entry);
      if (ref !== null && ref.sequence > (found.get(ref.stream) ?? 0)) found.set(ref.stream, ref.sequence);
    }
  return found;
};

/** Whether this refusal (stream, sequence, problem) is logged already: a statement refused again is not re-logged. */
export const refusalLogged = (db: Database, stream: string, sequence: number, problem: string): boolean =>
  payloadsOf(db, 'distribution.refused').some(
    (e) => e.payload.stream === stream && e.payload.sequence === sequence && e.payload.problem === problem,
  );
