// The screening evaluation: recall on UN positives, false positives on the negatives, precision/recall/F1 on name pairs.
import { buildIndex } from '../../core/screening/match-index.ts';
import type { ScreeningIndex } from '../../core/screening/match-index.ts';
import type { EntryId, EntryType, ListSnapshot } from '../../core/screening/model.ts';
import { screenParty } from '../../core/screening/screen.ts';
import type { Party, PartyType } from '../../core/screening/screen.ts';
import { makeListVersion } from '../../core/screening/version.ts';
import type { NamePair } from './reference.ts';

/** Screening well below any threshold we report, so one run yields every row's best score. */
const FLOOR = { potential: 0.6, strong: 0.99 };

/** The best score each party reaches against the index (0 when nothing comes near). */
export const bestScores = (index: ScreeningIndex, parties: readonly Party[]): number[] =>
  parties.map((party) => bestOf(screenParty(index, party, FLOOR, { maxHits: 5 }).hits));

// Hits list strong ones first, so the best score is the highest of the first few, not necessarily the first.
const bestOf = (hits: readonly { score: number }[]): number => Math.max(0, ...hits.map((hit) => hit.score));

const PAIR_TYPES: Readonly<Record<string, { party: PartyType | undefined; entry: EntryType }>> = {
  Person: { party: 'person', entry: 'person' },
  Company: { party: 'company', entry: 'company' },
  Organization: { party: 'company', entry: 'company' },
  LegalEntity: { party: 'company', entry: 'company' },
  Vessel: { party: undefined, entry: 'vessel' },
};

/**
 * Each pair goes through the same path as production: name2 becomes a one-entry list, indexed, and name1 is
 * screened against it. The pair's score is the hit's score.
 */
export const pairScores = (pairs: readonly NamePair[]): number[] =>
  pairs.map((pair) => {
    const types = PAIR_TYPES[pair.schema] ?? { party: undefined, entry: 'unknown' as const };
    const list: ListSnapshot = makeListVersion({
      listId: 'pair',
      source: 'blocklist',
      publishedAt: null,
      entries: [
        {
          id: 'pair' as EntryId,
          kind: 'sanctions',
          type: types.entry,
          names: [{ value: pair.name2, role: 'primary', weak: false }],
          datesOfBirth: [],
          nationalities: [],
          countries: [],
          programs: [],
        },
      ],
      sourceFiles: [],
      counts: {},
      importedAt: '2026-01-01T00:00:00.000Z',
    });
    const party: Party = { name: pair.name1, ...(types.party === undefined ? {} : { type: types.party }) };
    return bestOf(screenParty(buildIndex([list]), party, FLOOR, { maxHits: 1 }).hits);
  });

export type PairMetrics = {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
};

export const pairMetrics = (pairs: readonly NamePair[], scores: readonly number[], threshold: number): PairMetrics => {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  pairs.forEach((pair, i) => {
    const predicted = scores[i]! >= threshold;
    if (predicted && pair.isMatch) tp += 1;
    else if (predicted) fp += 1;
    else if (pair.isMatch) fn += 1;
    else tn += 1;
  });
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall), tp, fp, fn, tn };
};

export const rateAtOrAbove = (scores: readonly number[], threshold: number): number =>
  scores.filter((score) => score >= threshold).length / scores.length;

export type Evaluation = {
  readonly threshold: number;
  readonly positives: { readonly rows: number; readonly found: number; readonly recall: number };
  readonly negatives: { readonly rows: number; readonly flagged: number; readonly falsePositiveRate: number };
  readonly pairs: PairMetrics & { readonly rows: number };
};

export type Scores = { positives: number[]; negatives: number[]; pairs: number[] };

export const scoreEverything = (
  lists: readonly ListSnapshot[],
  positives: readonly Party[],
  negatives: readonly Party[],
  pairs: readonly NamePair[],
): Scores => {
  const un = buildIndex(lists.filter((list) => list.version.listId === 'un-sc-consolidated'));
  const all = buildIndex(lists);
  return { positives: bestScores(un, positives), negatives: bestScores(all, negatives), pairs: pairScores(pairs) };
};

export const evaluateAt = (scores: Scores, pairs: readonly NamePair[], threshold: number): Evaluation => ({
  threshold,
  positives: {
    rows: scores.positives.length,
    found: scores.positives.filter((score) => score >= threshold).length,
    recall: rateAtOrAbove(scores.positives, threshold),
  },
  negatives: {
    rows: scores.negatives.length,
    flagged: scores.negatives.filter((score) => score >= threshold).length,
    falsePositiveRate: rateAtOrAbove(scores.negatives, threshold),
  },
  pairs: { rows: pairs.length, ...pairMetrics(pairs, scores.pairs, threshold) },
});
