// What the side-by-side view derives from cases.screeningHits: the score's parts as rows, dates and names as written,
// and which hits a decision covers (every open hit unless the officer narrows it).
import type { ApiResponse } from '../../../../core/api/contract.ts';

export type HitsView = ApiResponse<'cases.screeningHits'>;
export type HitView = HitsView['hits'][number];
export type HitMatch = NonNullable<HitView['match']>;
export type HitId = HitView['hit'];

export const hitKey = (hit: HitId): string => `${hit.listId}/${hit.entryId}@${hit.listVersion}`;

export type ScorePart = {
  readonly label: string;
  /** Added to the score: the name similarity itself, then adjustments (negative lowers it). */
  readonly value: number;
  readonly effect: 'base' | 'raised' | 'lowered' | 'none';
  readonly detail: string;
};

const FIELD_LABEL = { dateOfBirth: 'Date of birth', nationality: 'Nationality', country: 'Country' } as const;

const VERDICT_LABEL: Readonly<Record<string, string>> = {
  exact: 'same date',
  same_year: 'same year',
  near: 'a year apart (approximate)',
  conflict: 'differs',
  match: 'agrees',
  no_match: 'not among the listed',
};

/** Which words found no counterpart, on which side: they are what pulls the name similarity under 1. */
const unmatchedWords = (match: HitMatch): string => {
  const words = (tokens: HitMatch['queryTokens']): string[] =>
    tokens.filter((token) => token.pair === null).map((token) => token.text);
  const screened = words(match.queryTokens);
  const listed = words(match.listedTokens);
  const aligned = [...match.queryTokens, ...match.listedTokens].filter((token) => token.pair !== null);
  const inexact = aligned.some((token) => token.how !== 'exact');
  const parts = [
    ...(screened.length > 0 ? [`only in the screened name: ${screened.join(' ')}`] : []),
    ...(listed.length > 0 ? [`only in the listed name: ${listed.join(' ')}`] : []),
  ];
  if (parts.length === 0) return inexact ? 'every word aligned, some by spelling' : 'every word aligned exactly';
  return `${parts.join('; ')}${inexact ? '; some words aligned by spelling' : ''}`;
};

const effectOf = (value: number): ScorePart['effect'] => (value > 0 ? 'raised' : value < 0 ? 'lowered' : 'none');

const RULE_LABEL: Readonly<Record<HitMatch['nameRules'][number]['rule'], string>> = {
  fuzzy_only: 'Only by spelling',
  order_with_fuzzy: 'Order and spelling',
  partial_with_fuzzy: 'Part of the name, by spelling',
  single_word_name: 'One word of a longer name',
};

/**
 * The score's parts in the order they add up: name similarity (the alignment), each precision rule that lowered it,
 * the weak-alias adjustment, then each piece of evidence.
 */
export const scoreParts = (match: HitMatch): ScorePart[] => [
  {
    label: 'Name similarity',
    value: match.alignmentScore,
    effect: 'base',
    detail: unmatchedWords(match),
  },
  ...match.nameRules.map((rule) => ({
    label: RULE_LABEL[rule.rule],
    value: rule.adjustment,
    effect: effectOf(rule.adjustment),
    detail: rule.detail,
  })),
  ...(match.weakAliasAdjustment === 0
    ? []
    : [
        {
          label: 'Weak alias',
          value: match.weakAliasAdjustment,
          effect: effectOf(match.weakAliasAdjustment),
          detail: 'matched on a weak or low-quality alias: never a strong match on its own',
        },
      ]),
  ...match.evidence.map((part) => ({
    label: FIELD_LABEL[part.field],
    value: part.adjustment,
    effect: effectOf(part.adjustment),
    detail: `${part.query} against ${part.listed.join(', ') || 'nothing listed'}: ${VERDICT_LABEL[part.verdict] ?? part.verdict}`,
  })),
];

export const formatNumber = (value: number): string => value.toFixed(2);
export const formatSigned = (value: number): string => (value > 0 ? `+${value.toFixed(2)}` : value.toFixed(2));

/** A listed date of birth as published: a date, a month, a year, or a range; "circa" when approximate. */
export const formatListDate = (date: HitView['entry']['datesOfBirth'][number]): string =>
  `${date.approximate ? 'circa ' : ''}${date.to === null ? date.from : `${date.from} to ${date.to}`}`;

export const NAME_ROLE_LABEL: Readonly<Record<HitView['entry']['names'][number]['role'], string>> = {
  primary: 'Primary name',
  alias: 'Alias',
  former: 'Former name',
  original_script: 'Original script',
};

/** The hits a decision covers by default: every hit of the case not cleared yet. */
export const openHitIds = (view: HitsView): HitId[] => view.hits.filter((hit) => !hit.cleared).map((hit) => hit.hit);

/** Adds or removes one hit from the hits a decision covers, keeping the case's order. */
export const toggleHit = (view: HitsView, chosen: readonly HitId[], hit: HitId): HitId[] => {
  const key = hitKey(hit);
  const selected = new Set(chosen.map(hitKey));
  if (selected.has(key)) selected.delete(key);
  else selected.add(key);
  return view.hits.map((candidate) => candidate.hit).filter((candidate) => selected.has(hitKey(candidate)));
};
