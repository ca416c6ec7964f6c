// Which screening hits a review case is about, and how a decision names them: list id, entry id and list version.
import type { ListKind } from './model.ts';
import { REVIEW_QUEUE_BY_KIND } from './routing-input.ts';
import type { ReviewQueue } from './routing-input.ts';

/** A hit as a decision names it: the listed entry in the list version screened (no name: ids and versions only). */
export type HitId = { readonly listId: string; readonly entryId: string; readonly listVersion: string };

type RecordedHit = HitId & { readonly listKind: ListKind; readonly cleared: boolean };

/** The refusal reasons a screening hit causes: only cases opened for these are about hits. */
export const SCREENING_REFUSALS: ReadonlySet<string> = new Set([
  'sanctions_match',
  'potential_sanctions_match',
  'pep_match',
  'adverse_media_match',
  'blocklist_match',
]);

export const isScreeningCase = (kase: { readonly reason: string }): boolean => SCREENING_REFUSALS.has(kase.reason);

export const sameHit = (a: HitId, b: HitId): boolean =>
  a.listId === b.listId && a.entryId === b.entryId && a.listVersion === b.listVersion;

export const hitIdOf = (hit: HitId): HitId => ({
  listId: hit.listId,
  entryId: hit.entryId,
  listVersion: hit.listVersion,
});

export const hitLabel = (hit: HitId): string => `${hit.listId}/${hit.entryId}@${hit.listVersion}`;

/**
 * The lead's hits a case in this queue reviews: those whose list kind feeds the queue (sanctions → screening review,
 * PEP and adverse media → enhanced due diligence, blocklist → compliance review), cleared ones included, in the lead's
 * order, each listed entry once.
 */
export const hitsForQueue = <H extends RecordedHit>(queue: string, hits: readonly H[]): H[] => {
  const found: H[] = [];
  for (const hit of hits)
    if (REVIEW_QUEUE_BY_KIND[hit.listKind] === (queue as ReviewQueue) && !found.some((seen) => sameHit(seen, hit)))
      found.push(hit);
  return found;
};

/**
 * The hits a decision on a screening case covers: the ones named (each must be a hit of the case), or, when none are
 * named, every hit of the case still open. Returns the problem as text when a named hit is not one of the case's.
 */
export const hitsDecided = (
  caseHits: readonly RecordedHit[],
  named: readonly HitId[] | undefined,
): { ok: true; hits: HitId[] } | { ok: false; message: string } => {
  if (named === undefined || named.length === 0)
    return { ok: true, hits: caseHits.filter((hit) => !hit.cleared).map(hitIdOf) };
  const hits: HitId[] = [];
  for (const [position, hit] of named.entries()) {
    if (!caseHits.some((candidate) => sameHit(candidate, hit)))
      return { ok: false, message: `hits.${position}: ${hitLabel(hit)} is not a screening hit of this case` };
    if (!hits.some((seen) => sameHit(seen, hit))) hits.push(hitIdOf(hit));
  }
  return { ok: true, hits };
};
