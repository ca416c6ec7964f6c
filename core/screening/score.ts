// Name scoring: aligns query with listed tokens, turns the alignment into a score, applies the precision rules.
import { ROLE_WEIGHT } from './normalise.ts';
import type { NameToken } from './normalise.ts';
import { MIN_TOKEN_SIMILARITY, ONE_EDIT_SIMILARITY, editDistance, tokenSimilarity } from './similarity.ts';
import type { TokenMatchHow, TokenSimilarity } from './similarity.ts';

/**
 * A token present in both names but different (a surname swapped for another) costs its full weight; a token
 * present in one name only (a dropped middle name, an added patronymic) costs this fraction of it.
 */
export const SUBSTITUTION_PENALTY = 1;
export const OMISSION_PENALTY = 0.15;
/** A single letter carries half a word's weight: "J." says less than "John". */
export const INITIAL_WEIGHT = 0.5;

export type TokenAlignment = {
  readonly query: readonly string[];
  readonly listed: readonly string[];
  readonly how: TokenMatchHow;
  readonly similarity: number;
  readonly weight: number;
};

/**
 * The precision rules: what an alignment that looks good can still be hiding. Each lowers the name score by a stated
 * amount and is listed in the explanation with the words it concerns.
 * - `fuzzy_only`: no word of the name agrees exactly (or as a spelling variant or abjad transliteration); it rests on
 *   two or more words that only look alike.
 * - `order_with_fuzzy`: the words agree in a different order and one of them only by spelling ("Taylor Davis" against
 *   "David Taylor"); order alone is no doubt (surname first), nor is spelling alone, but both together are. The
 *   amount grows with the share of the name concerned (ORDER_WITH_FUZZY_FACTOR).
 * - `partial_with_fuzzy`: one name has words the other lacks and a word agrees only loosely: two edits, by sound, with
 *   another first letter, as an initial, or one edit in a word of four letters or fewer ("Daniela Vasquez" against
 *   "GOMEZ VELASQUEZ, Daniela"). One edit in a longer word beside a dropped middle name is still a name ("Wladimir
 *   Putin" against "PUTIN, Vladimir Vladimirovich").
 * - `single_word_name`: a listed name of one word that is only part of the entry's name (its other names are longer:
 *   "John", "Maria") matched by one word of a longer screened name scores at most SINGLE_WORD_NAME_CAP.
 */
export type NameRule = 'fuzzy_only' | 'order_with_fuzzy' | 'partial_with_fuzzy' | 'single_word_name';
export type NameRuleApplied = {
  readonly rule: NameRule;
  /** Added to the alignment score (always negative). */
  readonly adjustment: number;
  readonly detail: string;
};
export const NAME_RULE_ADJUSTMENT = {
  fuzzy_only: -0.05,
  partial_with_fuzzy: -0.05,
} as const;
/**
 * `order_with_fuzzy` lowers the score by this much times the share of the aligned weight that is both out of order
 * and alike only in spelling: -0.15 for "Taylor Davis" against "David Taylor" (half the name), -0.10 for "Gim Jong Un"
 * against "KIM, Jong Un" (a third).
 */
export const ORDER_WITH_FUZZY_FACTOR = 0.3;
/** Words of this many letters or fewer: one edit there is a loose match for `partial_with_fuzzy`. */
export const SHORT_WORD = 4;
export const SINGLE_WORD_NAME_CAP = 0.7;

/** What the scorer knows about the listed name beyond its tokens. */
export type ListedNameContext = {
  /** The listed name is one word of an entry that also has longer names (so it is only part of a name). */
  readonly partOfLongerName: boolean;
};
const FULL_NAME: ListedNameContext = { partOfLongerName: false };

export type NameScore = {
  /** In [0, 1]: the alignment score with the precision rules applied. */
  readonly score: number;
  /** Matched weight over aligned weight plus the penalties, before the rules. */
  readonly alignmentScore: number;
  readonly rules: readonly NameRuleApplied[];
  readonly alignments: readonly TokenAlignment[];
  readonly unmatchedQuery: readonly string[];
  readonly unmatchedListed: readonly string[];
  /** Weight of tokens that differ between the names (counted once for the pair). */
  readonly substitutedWeight: number;
  /** Weight of tokens that only one of the names has. */
  readonly omittedWeight: number;
};

/** The similarity of query token i with listed token j; screening passes a memoised one. */
export type SimilarityLookup = (queryPosition: number, listedPosition: number) => TokenSimilarity;

export const tokenWeight = (token: NameToken): number =>
  token.role === 'name' && token.text.length === 1 ? INITIAL_WEIGHT : ROLE_WEIGHT[token.role];

// Scratch space for one alignment at a time (JavaScript runs one at a time per thread). Names longer than
// MAX_TOKENS tokens fall back to fresh arrays.
const MAX_TOKENS = 32;
const MAX_PAIRS = MAX_TOKENS * MAX_TOKENS * 3;
const pairSimilarity = new Float64Array(MAX_PAIRS);
const pairBounds = new Int32Array(MAX_PAIRS * 4);
const pairHow: TokenMatchHow[] = new Array<TokenMatchHow>(MAX_PAIRS);
const pairOrder = new Int32Array(MAX_PAIRS);
const chosenPairs = new Int32Array(MAX_TOKENS * 2);
const queryUsedScratch = new Uint8Array(MAX_TOKENS);
const chosenWeightScratch = new Float64Array(MAX_TOKENS * 2);
const crossedFuzzyScratch = new Uint8Array(MAX_TOKENS * 2);
const listedUsedScratch = new Uint8Array(MAX_TOKENS);

type Alignment = { count: number; queryUsed: Uint8Array; listedUsed: Uint8Array; chosen: Int32Array };

const comesBefore = (a: number, b: number): boolean => {
  const similarityA = pairSimilarity[a]!;
  const similarityB = pairSimilarity[b]!;
  if (similarityA !== similarityB) return similarityA > similarityB;
  const spanA = pairBounds[a * 4 + 1]! - pairBounds[a * 4]! + pairBounds[a * 4 + 3]! - pairBounds[a * 4 + 2]!;
  const spanB = pairBounds[b * 4 + 1]! - pairBounds[b * 4]! + pairBounds[b * 4 + 3]! - pairBounds[b * 4 + 2]!;
  if (spanA !== spanB) return spanA > spanB;
  if (pairBounds[a * 4] !== pairBounds[b * 4]) return pairBounds[a * 4]! < pairBounds[b * 4]!;
  return pairBounds[a * 4 + 2]! < pairBounds[b * 4 + 2]!;
};

/**
 * Greedy alignment on similarity (ties go to the pairing that covers more tokens, then to the earlier one), with
 * two neighbouring tokens allowed to match one written together ("JanDaniel", "SiemensAG", "MOHAMMADHASNI").
 */
const align = (query: readonly NameToken[], listed: readonly NameToken[], lookup: SimilarityLookup): Alignment => {
  if (query.length > MAX_TOKENS || listed.length > MAX_TOKENS) {
    return alignSlowly(query, listed, lookup);
  }
  let count = 0;
  const add = (q0: number, q1: number, c0: number, c1: number, similarity: number, how: TokenMatchHow): void => {
    pairSimilarity[count] = similarity;
    pairBounds[count * 4] = q0;
    pairBounds[count * 4 + 1] = q1;
    pairBounds[count * 4 + 2] = c0;
    pairBounds[count * 4 + 3] = c1;
    pairHow[count] = how;
    count += 1;
  };
  for (let i = 0; i < query.length; i += 1) {
    for (let j = 0; j < listed.length; j += 1) {
      const found = lookup(i, j);
      if (found.similarity >= MIN_TOKEN_SIMILARITY) add(i, i + 1, j, j + 1, found.similarity, found.how);
    }
  }
  addJoinedPairs(query, listed, false, add);
  addJoinedPairs(listed, query, true, add);
  // Insertion sort: a handful of pairs, no allocation.
  for (let k = 0; k < count; k += 1) {
    const pair = k;
    let position = k;
    while (position > 0 && comesBefore(pair, pairOrder[position - 1]!)) {
      pairOrder[position] = pairOrder[position - 1]!;
      position -= 1;
    }
    pairOrder[position] = pair;
  }
  queryUsedScratch.fill(0, 0, query.length);
  listedUsedScratch.fill(0, 0, listed.length);
  let chosen = 0;
  for (let k = 0; k < count; k += 1) {
    const pair = pairOrder[k]!;
    const q0 = pairBounds[pair * 4]!;
    const q1 = pairBounds[pair * 4 + 1]!;
    const c0 = pairBounds[pair * 4 + 2]!;
    const c1 = pairBounds[pair * 4 + 3]!;
    let free = true;
    for (let i = q0; i < q1; i += 1) if (queryUsedScratch[i] === 1) free = false;
    for (let j = c0; j < c1; j += 1) if (listedUsedScratch[j] === 1) free = false;
    if (!free) continue;
    for (let i = q0; i < q1; i += 1) queryUsedScratch[i] = 1;
    for (let j = c0; j < c1; j += 1) listedUsedScratch[j] = 1;
    chosenPairs[chosen] = pair;
    chosen += 1;
  }
  return { count: chosen, queryUsed: queryUsedScratch, listedUsed: listedUsedScratch, chosen: chosenPairs };
};

// The same alignment for very long names, with arrays of their own.
const alignSlowly = (
  query: readonly NameToken[],
  listed: readonly NameToken[],
  lookup: SimilarityLookup,
): Alignment => {
  type Pair = { q0: number; q1: number; c0: number; c1: number; similarity: number; how: TokenMatchHow };
  const pairs: Pair[] = [];
  const add = (q0: number, q1: number, c0: number, c1: number, similarity: number, how: TokenMatchHow): void => {
    pairs.push({ q0, q1, c0, c1, similarity, how });
  };
  for (let i = 0; i < query.length; i += 1) {
    for (let j = 0; j < listed.length; j += 1) {
      const found = lookup(i, j);
      if (found.similarity >= MIN_TOKEN_SIMILARITY) add(i, i + 1, j, j + 1, found.similarity, found.how);
    }
  }
  addJoinedPairs(query, listed, false, add);
  addJoinedPairs(listed, query, true, add);
  const span = (pair: Pair): number => pair.q1 - pair.q0 + pair.c1 - pair.c0;
  pairs.sort((a, b) => b.similarity - a.similarity || span(b) - span(a) || a.q0 - b.q0 || a.c0 - b.c0);
  const queryUsed = new Uint8Array(query.length);
  const listedUsed = new Uint8Array(listed.length);
  const chosen: number[] = [];
  // Reuse the shared buffers' layout for the chosen pairs, in a local copy.
  const similarity: number[] = [];
  const bounds: number[] = [];
  const how: TokenMatchHow[] = [];
  for (const pair of pairs) {
    let free = true;
    for (let i = pair.q0; i < pair.q1; i += 1) if (queryUsed[i] === 1) free = false;
    for (let j = pair.c0; j < pair.c1; j += 1) if (listedUsed[j] === 1) free = false;
    if (!free) continue;
    for (let i = pair.q0; i < pair.q1; i += 1) queryUsed[i] = 1;
    for (let j = pair.c0; j < pair.c1; j += 1) listedUsed[j] = 1;
    chosen.push(similarity.length);
    similarity.push(pair.similarity);
    bounds.push(pair.q0, pair.q1, pair.c0, pair.c1);
    how.push(pair.how);
  }
  // Copy into the shared buffers so the readers below see one layout (these names are rare).
  similarity.forEach((value, k) => {
    pairSimilarity[k] = value;
    pairHow[k] = how[k]!;
    for (let b = 0; b < 4; b += 1) pairBounds[k * 4 + b] = bounds[k * 4 + b]!;
  });
  return { count: chosen.length, queryUsed, listedUsed, chosen: Int32Array.from(chosen) };
};

type Totals = {
  matched: number;
  aligned: number;
  nameTokenAligned: boolean;
  unmatchedQueryWeight: number;
  unmatchedListedWeight: number;
  /**
   * Alignments holding a name word on either side: agreeing exactly (exact, variant, transliteration, joined exactly)
   * or only by spelling.
   */
  agreeing: number;
  fuzzy: number;
  /**
   * Of those, the loose ones: below one edit's similarity (two edits, sound-alike, first letter, initial), or one edit
   * in a word of four letters or fewer, where one letter is a quarter of the word or more.
   */
  loose: number;
  /**
   * Weight of the alignments that agree only by spelling and stand in the opposite order to another name-word
   * alignment on the two sides.
   */
  crossedFuzzyWeight: number;
  /** Name words left unmatched on either side. */
  unmatchedNames: number;
  queryNames: number;
  listedNames: number;
};

const AGREEING: ReadonlySet<TokenMatchHow> = new Set<TokenMatchHow>(['exact', 'variant', 'transliteration']);
const agreesExactly = (pair: number): boolean =>
  AGREEING.has(pairHow[pair]!) || (pairHow[pair] === 'joined' && pairSimilarity[pair] === 1);

const totalsOf = (query: readonly NameToken[], listed: readonly NameToken[], alignment: Alignment): Totals => {
  let matched = 0;
  let aligned = 0;
  let nameTokenAligned = false;
  let agreeing = 0;
  let fuzzy = 0;
  let loose = 0;
  const weights =
    alignment.count <= chosenWeightScratch.length ? chosenWeightScratch : new Float64Array(alignment.count);
  const crossedFuzzy =
    alignment.count <= crossedFuzzyScratch.length ? crossedFuzzyScratch : new Uint8Array(alignment.count);
  crossedFuzzy.fill(0, 0, alignment.count);
  for (let k = 0; k < alignment.count; k += 1) {
    const pair = alignment.chosen[k]!;
    let queryWeight = 0;
    let listedWeight = 0;
    let queryName = false;
    let listedName = false;
    for (let i = pairBounds[pair * 4]!; i < pairBounds[pair * 4 + 1]!; i += 1) {
      queryWeight += tokenWeight(query[i]!);
      if (query[i]!.role === 'name') queryName = true;
    }
    for (let j = pairBounds[pair * 4 + 2]!; j < pairBounds[pair * 4 + 3]!; j += 1) {
      listedWeight += tokenWeight(listed[j]!);
      if (listed[j]!.role === 'name') listedName = true;
    }
    if (queryName && listedName) nameTokenAligned = true;
    // A name word on either side makes the pair count for the rules ("Evans" against the initial "E.", which a
    // person's name also reads as the particle "e").
    if (queryName || listedName) {
      const exactly = agreesExactly(pair);
      if (exactly) agreeing += 1;
      else fuzzy += 1;
      if (!exactly && (pairSimilarity[pair]! < ONE_EDIT_SIMILARITY || shortWordPair(query, listed, pair))) loose += 1;
      // Order: a crossing with an earlier name alignment marks whichever of the two agrees only by spelling.
      for (let m = 0; m < k; m += 1) {
        const other = alignment.chosen[m]!;
        if (!isNamePair(query, listed, other)) continue;
        const otherExactly = agreesExactly(other);
        if (exactly && otherExactly) continue;
        const byQuery = pairBounds[pair * 4]! - pairBounds[other * 4]!;
        const byListed = pairBounds[pair * 4 + 2]! - pairBounds[other * 4 + 2]!;
        if (byQuery * byListed >= 0) continue;
        if (!exactly) crossedFuzzy[k] = 1;
        if (!otherExactly) crossedFuzzy[m] = 1;
      }
    }
    const weight = (queryWeight + listedWeight) / 2;
    weights[k] = weight;
    matched += pairSimilarity[pair]! * weight;
    aligned += weight;
  }
  let crossedFuzzyWeight = 0;
  for (let k = 0; k < alignment.count; k += 1) if (crossedFuzzy[k] === 1) crossedFuzzyWeight += weights[k]!;
  let unmatchedQueryWeight = 0;
  let unmatchedListedWeight = 0;
  let unmatchedNames = 0;
  let queryNames = 0;
  let listedNames = 0;
  for (let i = 0; i < query.length; i += 1) {
    const isName = query[i]!.role === 'name';
    if (isName) queryNames += 1;
    if (alignment.queryUsed[i] !== 1) {
      unmatchedQueryWeight += tokenWeight(query[i]!);
      if (isName) unmatchedNames += 1;
    }
  }
  for (let j = 0; j < listed.length; j += 1) {
    const isName = listed[j]!.role === 'name';
    if (isName) listedNames += 1;
    if (alignment.listedUsed[j] !== 1) {
      unmatchedListedWeight += tokenWeight(listed[j]!);
      if (isName) unmatchedNames += 1;
    }
  }
  return {
    matched,
    aligned,
    nameTokenAligned,
    unmatchedQueryWeight,
    unmatchedListedWeight,
    agreeing,
    fuzzy,
    loose,
    crossedFuzzyWeight,
    unmatchedNames,
    queryNames,
    listedNames,
  };
};

const shortWordPair = (query: readonly NameToken[], listed: readonly NameToken[], pair: number): boolean => {
  const q0 = pairBounds[pair * 4]!;
  const c0 = pairBounds[pair * 4 + 2]!;
  if (pairBounds[pair * 4 + 1]! - q0 !== 1 || pairBounds[pair * 4 + 3]! - c0 !== 1) return false;
  return Math.min(query[q0]!.text.length, listed[c0]!.text.length) <= SHORT_WORD;
};

const isNamePair = (query: readonly NameToken[], listed: readonly NameToken[], pair: number): boolean => {
  for (let i = pairBounds[pair * 4]!; i < pairBounds[pair * 4 + 1]!; i += 1) if (query[i]!.role === 'name') return true;
  for (let j = pairBounds[pair * 4 + 2]!; j < pairBounds[pair * 4 + 3]!; j += 1) {
    if (listed[j]!.role === 'name') return true;
  }
  return false;
};

const alignmentScoreOf = (totals: Totals): number => {
  const substituted = Math.min(totals.unmatchedQueryWeight, totals.unmatchedListedWeight);
  const omitted = Math.max(totals.unmatchedQueryWeight, totals.unmatchedListedWeight) - substituted;
  const denominator = totals.aligned + SUBSTITUTION_PENALTY * substituted + OMISSION_PENALTY * omitted;
  // Agreeing only on particles, titles or legal forms ("Al", "Sheikh", "LLC") is no match at all.
  return totals.nameTokenAligned && denominator > 0 ? round(totals.matched / denominator) : 0;
};

type RuleAmount = { readonly rule: NameRule; readonly adjustment: number };

/** The precision rules that apply to an alignment, with their amounts (details are written by `scoreNames`). */
const rulesOf = (totals: Totals, alignmentScore: number, context: ListedNameContext): RuleAmount[] => {
  if (alignmentScore === 0) return [];
  const rules: RuleAmount[] = [];
  if (totals.agreeing === 0 && totals.fuzzy >= 2) {
    rules.push({ rule: 'fuzzy_only', adjustment: NAME_RULE_ADJUSTMENT.fuzzy_only });
  }
  if (totals.crossedFuzzyWeight > 0) {
    const share = totals.crossedFuzzyWeight / totals.aligned;
    rules.push({ rule: 'order_with_fuzzy', adjustment: round(-ORDER_WITH_FUZZY_FACTOR * share) });
  }
  if (totals.unmatchedNames > 0 && totals.loose > 0) {
    rules.push({ rule: 'partial_with_fuzzy', adjustment: NAME_RULE_ADJUSTMENT.partial_with_fuzzy });
  }
  if (context.partOfLongerName && totals.listedNames === 1 && totals.queryNames > 1) {
    const sofar = rules.reduce((sum, rule) => sum + rule.adjustment, alignmentScore);
    if (sofar > SINGLE_WORD_NAME_CAP) {
      rules.push({ rule: 'single_word_name', adjustment: round(SINGLE_WORD_NAME_CAP - sofar) });
    }
  }
  return rules;
};

const finalScore = (alignmentScore: number, rules: readonly RuleAmount[]): number => {
  const adjusted = rules.reduce((sum, rule) => sum + rule.adjustment, alignmentScore);
  return round(Math.max(0, adjusted));
};

/** The score alone, for ranking candidates: the same number `scoreNames` gives, without the explanation. */
export const nameScore = (
  query: readonly NameToken[],
  listed: readonly NameToken[],
  lookup: SimilarityLookup = (i, j) => tokenSimilarity(query[i]!.text, listed[j]!.text),
  context: ListedNameContext = FULL_NAME,
): number => {
  const totals = totalsOf(query, listed, align(query, listed, lookup));
  const alignmentScore = alignmentScoreOf(totals);
  return finalScore(alignmentScore, rulesOf(totals, alignmentScore, context));
};

/**
 * Scores a listed name against a query name, with its parts. Word order alone does not matter; unmatched tokens are
 * penalised as substitutions when both names have some, as omissions for the rest:
 * alignment score = Σ similarity × weight / (Σ aligned weight + substituted weight + 0.15 × omitted weight),
 * and the score is the alignment score with the precision rules (`NameRule`) applied, each one listed.
 */
export const scoreNames = (
  query: readonly NameToken[],
  listed: readonly NameToken[],
  lookup: SimilarityLookup = (i, j) => tokenSimilarity(query[i]!.text, listed[j]!.text),
  context: ListedNameContext = FULL_NAME,
): NameScore => {
  const alignment = align(query, listed, lookup);
  const totals = totalsOf(query, listed, alignment);
  const alignmentScore = alignmentScoreOf(totals);
  const amounts = rulesOf(totals, alignmentScore, context);
  const alignments: TokenAlignment[] = [];
  for (let k = 0; k < alignment.count; k += 1) {
    const pair = alignment.chosen[k]!;
    const q0 = pairBounds[pair * 4]!;
    const q1 = pairBounds[pair * 4 + 1]!;
    const c0 = pairBounds[pair * 4 + 2]!;
    const c1 = pairBounds[pair * 4 + 3]!;
    const queryTokens = query.slice(q0, q1);
    const listedTokens = listed.slice(c0, c1);
    const weight =
      (queryTokens.reduce((sum, token) => sum + tokenWeight(token), 0) +
        listedTokens.reduce((sum, token) => sum + tokenWeight(token), 0)) /
      2;
    alignments.push({
      query: queryTokens.map((token) => token.text),
      listed: listedTokens.map((token) => token.text),
      how: pairHow[pair]!,
      similarity: round(pairSimilarity[pair]!),
      weight: round(weight),
    });
  }
  const substituted = Math.min(totals.unmatchedQueryWeight, totals.unmatchedListedWeight);
  const omitted = Math.max(totals.unmatchedQueryWeight, totals.unmatchedListedWeight) - substituted;
  const unmatchedQuery = query.filter((_, i) => alignment.queryUsed[i] !== 1).map((token) => token.text);
  const unmatchedListed = listed.filter((_, j) => alignment.listedUsed[j] !== 1).map((token) => token.text);
  return {
    score: finalScore(alignmentScore, amounts),
    alignmentScore,
    rules: amounts.map((amount) => ({
      ...amount,
      detail: ruleDetail(amount.rule, alignments, unmatchedQuery, unmatchedListed),
    })),
    alignments,
    unmatchedQuery,
    unmatchedListed,
    substitutedWeight: round(substituted),
    omittedWeight: round(omitted),
  };
};

const onlyBySpelling = (alignment: TokenAlignment): boolean =>
  !AGREEING.has(alignment.how) && !(alignment.how === 'joined' && alignment.similarity === 1);

const shown = (alignment: TokenAlignment): string =>
  `${alignment.query.join(' ')} ~ ${alignment.listed.join(' ')} (${alignment.how})`;

const ruleDetail = (
  rule: NameRule,
  alignments: readonly TokenAlignment[],
  unmatchedQuery: readonly string[],
  unmatchedListed: readonly string[],
): string => {
  const fuzzy = alignments.filter(onlyBySpelling).map(shown).join(', ');
  switch (rule) {
    case 'fuzzy_only':
      return `no word agrees exactly; only by spelling: ${fuzzy}`;
    case 'order_with_fuzzy':
      return `words in a different order, and some only by spelling: ${fuzzy}`;
    case 'partial_with_fuzzy': {
      const missing = [
        ...(unmatchedQuery.length > 0 ? [`only screened: ${unmatchedQuery.join(' ')}`] : []),
        ...(unmatchedListed.length > 0 ? [`only listed: ${unmatchedListed.join(' ')}`] : []),
      ].join('; ');
      return `${missing}; and only by spelling: ${fuzzy}`;
    }
    case 'single_word_name':
      return `one word of a longer listed name, matched by one word of the screened name; at most ${SINGLE_WORD_NAME_CAP}`;
  }
};

type AddPair = (q0: number, q1: number, c0: number, c1: number, similarity: number, how: TokenMatchHow) => void;

// One token of `single` against two neighbouring tokens of `split` written together.
const addJoinedPairs = (
  single: readonly NameToken[],
  split: readonly NameToken[],
  singleIsListed: boolean,
  add: AddPair,
): void => {
  for (let i = 0; i < single.length; i += 1) {
    const word = single[i]!.text;
    if (word.length < 4) continue;
    for (let j = 0; j + 1 < split.length; j += 1) {
      const first = split[j]!.text;
      const second = split[j + 1]!.text;
      if (first.charCodeAt(0) !== word.charCodeAt(0)) continue;
      if (Math.abs(first.length + second.length - word.length) > 1) continue;
      const joined = first + second;
      // Written together exactly, or with one slip ("FridrichBuchenberg" is two slips and does not count).
      const found = joined === word ? 1 : editDistance(word, joined, 1) === 1 ? ONE_EDIT_SIMILARITY : 0;
      if (found === 0) continue;
      if (singleIsListed) add(j, j + 2, i, i + 1, found, 'joined');
      else add(i, i + 1, j, j + 2, found, 'joined');
    }
  }
};

const round = (value: number): number => Math.round(value * 10_000) / 10_000;
