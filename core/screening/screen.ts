// Screening one party against the index: candidates, scores with their parts, and the outcome from the thresholds.
import { countryCode } from './countries.ts';
import { MAX_EVIDENCE_BOOST, weighEvidence } from './evidence.ts';
import type { EvidencePart, PartyEvidence } from './evidence.ts';
import {
  NAME_FLAG_PART_OF_LONGER,
  NAME_FLAG_REPEATS,
  NAME_FLAG_WEAK,
  indexedNameTokens,
  queryToken,
} from './match-index.ts';
import type { QueryToken, ScreeningIndex } from './match-index.ts';
import type { EntryType, ListKind, ListName } from './model.ts';
import { looksLikeCompany, normaliseName } from './normalise.ts';
import type { NameToken } from './normalise.ts';
import {
  NAME_SLOTS as SLOTS,
  SLOT_ACCUMULATED as ACCUMULATED,
  SLOT_BY_TOKEN as BY_TOKEN,
  SLOT_FIRST_RANK as FIRST_RANK,
  SLOT_MASK as MASK,
  SLOT_SPLIT_FIRST as SPLIT_FIRST,
  SLOT_SPLIT_SECOND as SPLIT_SECOND,
  SLOT_STAMP as STAMP,
} from './match-index.ts';
import { OMISSION_PENALTY, SUBSTITUTION_PENALTY, nameScore, scoreNames, tokenWeight } from './score.ts';
import type { ListedNameContext, NameRuleApplied, SimilarityLookup, TokenAlignment } from './score.ts';
import { keyedSimilarity } from './similarity.ts';
import type { TokenSimilarity } from './similarity.ts';

export type PartyType = 'person' | 'company';

/** One row to screen. `type` may be left out: a name with a legal form is taken for a company. */
export type Party = {
  readonly ref?: string;
  readonly name: string;
  readonly type?: PartyType;
  readonly dateOfBirth?: string;
  /** A country name, demonym or ISO alpha-2 code. */
  readonly nationality?: string;
  readonly country?: string;
};

/** From the policy: a score at or above `potential` needs review, at or above `strong` is a strong match. */
export type Thresholds = { readonly potential: number; readonly strong: number };

export type Outcome = 'clear' | 'potential' | 'strong';
export type Strength = 'potential' | 'strong';

/** A weak alias ("a.k.a. 'ABU ALI'") is broad by nature: it costs a little and never makes a strong match alone. */
export const WEAK_ALIAS_ADJUSTMENT = -0.05;

export type HitExplanation = {
  readonly queryTokens: readonly string[];
  readonly listedTokens: readonly string[];
  /** Which query tokens matched which listed tokens, how, and with what similarity and weight. */
  readonly alignments: readonly TokenAlignment[];
  readonly unmatchedQuery: readonly string[];
  readonly unmatchedListed: readonly string[];
  readonly substitutedWeight: number;
  readonly omittedWeight: number;
  /** Matched weight over aligned weight plus the substitution and omission penalties. */
  readonly alignmentScore: number;
  /** The precision rules that lowered the alignment score, each with its amount and the words it concerns. */
  readonly nameRules: readonly NameRuleApplied[];
  /**
   * The parts of the score: name score (the alignment score with the rules applied), weak-alias adjustment, evidence
   * adjustments; they add up to the score.
   */
  readonly nameScore: number;
  readonly weakAliasAdjustment: number;
  readonly evidence: readonly EvidencePart[];
  /** nameScore + weakAliasAdjustment + the evidence adjustments; the score is this, clamped to [0, 1]. */
  readonly sumOfParts: number;
  /** A weak alias reached the strong threshold but, being weak, only makes a potential match. */
  readonly strengthCapped: boolean;
};

export type Hit = {
  readonly listId: string;
  readonly listVersion: string;
  readonly listKind: ListKind;
  readonly entryId: string;
  readonly entryName: string;
  readonly entryType: EntryType;
  readonly matchedName: string;
  readonly matchedNameRole: ListName['role'];
  readonly weakAlias: boolean;
  readonly score: number;
  readonly strength: Strength;
  readonly explanation: HitExplanation;
};

/** How much of the index one query looked at: names sharing a similar token, and those worth scoring. */
export type CandidateStats = { readonly indexedNames: number; readonly touched: number; readonly scored: number };

export type PartyResult = {
  readonly ref?: string;
  readonly name: string;
  readonly party: PartyType;
  readonly outcome: Outcome;
  readonly hits: readonly Hit[];
  readonly candidates: CandidateStats;
};

export type ScreenOptions = {
  /** At most this many hits per party, best first. */
  readonly maxHits?: number;
};

const round = (value: number): number => Math.round(value * 10_000) / 10_000;
const clamp = (value: number): number => Math.min(1, Math.max(0, value));

/** What a party's evidence is, with countries resolved to ISO codes (unresolvable ones are left out). */
export const partyEvidence = (party: Party): PartyEvidence => {
  const nationality = countryCode(party.nationality);
  const country = countryCode(party.country);
  return {
    ...(party.dateOfBirth === undefined || party.dateOfBirth.trim() === '' ? {} : { dateOfBirth: party.dateOfBirth }),
    ...(nationality === undefined ? {} : { nationality }),
    ...(country === undefined ? {} : { country }),
  };
};

const compatible = (party: PartyType, entry: EntryType): boolean =>
  entry === 'unknown' || (party === 'person' ? entry === 'person' : entry !== 'person');

type Scored = { name: number; score: number };

/**
 * Screens one party. Candidate generation accumulates, per indexed name, the weight of query tokens it shares
 * (exactly or similarly); only names whose best possible score could reach the potential threshold are scored.
 */
export const screenParty = (
  index: ScreeningIndex,
  party: Party,
  thresholds: Thresholds,
  options: ScreenOptions = {},
): PartyResult => {
  // An untyped party is screened against every entry type and reported as what its name suggests, or else as
  // what its best hit is.
  const suggested: PartyType | undefined = party.type ?? (looksLikeCompany(party.name) ? 'company' : undefined);
  const query = normaliseName(party.name, party.type ?? 'unknown').tokens;
  const evidence = partyEvidence(party);
  // The outcome is decided on every hit; only the listing is cut to maxHits.
  const result = (hits: Hit[], touched = 0, scored = 0): PartyResult => ({
    ...(party.ref === undefined ? {} : { ref: party.ref }),
    name: party.name,
    party:
      suggested ?? (hits[0] !== undefined && !['person', 'unknown'].includes(hits[0].entryType) ? 'company' : 'person'),
    outcome: hits.some((hit) => hit.strength === 'strong') ? 'strong' : hits.length > 0 ? 'potential' : 'clear',
    hits: hits.slice(0, options.maxHits ?? 10),
    candidates: { indexedNames: index.nameEntry.length, touched, scored },
  });
  if (query.length === 0) return result([]);

  const tokens = query.map((token) => queryToken(index, token.text));
  const joined = joinedVocabulary(index, query);
  // Similar tokens are known from the index; any other token a candidate holds is compared once per query.
  const compared = tokens.map(() => new Map<number, TokenSimilarity>());
  const similarity = (position: number, id: number): TokenSimilarity => {
    const known = tokens[position]!.similarities.get(id);
    if (known !== undefined) return known;
    const memo = compared[position]!;
    let found = memo.get(id);
    if (found === undefined) {
      found = keyedSimilarity(tokens[position]!.keys, index.keys[id]!);
      memo.set(id, found);
    }
    return found;
  };
  const lookupFor =
    (name: number): SimilarityLookup =>
    (i, j) =>
      similarity(i, index.tokenIds[index.nameOffsets[name]! + j]!);

  const totalWeight = query.reduce((sum, token) => sum + tokenWeight(token), 0);
  const hasEvidence = Object.keys(evidence).length > 0;
  const floor = thresholds.potential - (hasEvidence ? MAX_EVIDENCE_BOOST : 0);
  const { candidates, touched } = collectCandidates(index, query, tokens, joined, totalWeight, floor, party.type);

  const bestByEntry = new Map<number, Scored>();
  for (const name of candidates) {
    const score = nameScore(query, indexedNameTokens(index, name), lookupFor(name), contextOf(index, name));
    if (score < floor) continue;
    const entry = index.nameEntry[name]!;
    const previous = bestByEntry.get(entry);
    const adjusted = score + ((index.nameFlags[name]! & NAME_FLAG_WEAK) !== 0 ? WEAK_ALIAS_ADJUSTMENT : 0);
    if (previous === undefined || adjusted > previous.score) bestByEntry.set(entry, { name, score: adjusted });
  }

  const hits: Hit[] = [];
  for (const [entryPosition, best] of bestByEntry) {
    const hit = explainHit(index, entryPosition, best.name, query, lookupFor(best.name), evidence, thresholds);
    if (hit !== undefined) hits.push(hit);
  }
  // Strong hits first (a weak alias can score high and still be only potential), then by score.
  const rank = (hit: Hit): number => (hit.strength === 'strong' ? 1 : 0);
  hits.sort(
    (a, b) =>
      rank(b) - rank(a) || b.score - a.score || a.listId.localeCompare(b.listId) || a.entryId.localeCompare(b.entryId),
  );
  return result(hits, touched, candidates.length);
};

const PART_OF_LONGER: ListedNameContext = { partOfLongerName: true };
const FULL_NAME: ListedNameContext = { partOfLongerName: false };
const contextOf = (index: ScreeningIndex, name: number): ListedNameContext =>
  (index.nameFlags[name]! & NAME_FLAG_PART_OF_LONGER) !== 0 ? PART_OF_LONGER : FULL_NAME;

// Query tokens the list writes together ("jan daniel" → "jandaniel") or apart ("siemensag" → "siemens ag").
// These only bring names in as candidates: the scorer itself aligns joined tokens when it compares two names.
/**
 * Vocabulary ids per query position, and the ids a query token splits into (first and second parts), each with the
 * positions that split so.
 */
type Joined = {
  readonly byPosition: readonly Set<number>[];
  readonly splitFirst: ReadonlyMap<number, number>;
  readonly splitSecond: ReadonlyMap<number, number>;
};

const joinedVocabulary = (index: ScreeningIndex, query: readonly NameToken[]): Joined => {
  const joined = query.map(() => new Set<number>());
  // Listed tokens that a query token written together splits into: a name holding them may match more listed
  // weight than query weight, which the candidate bound must allow for.
  const splitFirst = new Map<number, number>();
  const splitSecond = new Map<number, number>();
  for (let i = 0; i + 1 < query.length; i += 1) {
    const id = index.vocabularyIds.get(query[i]!.text + query[i + 1]!.text);
    if (id === undefined) continue;
    joined[i]!.add(id);
    joined[i + 1]!.add(id);
  }
  query.forEach((token, position) => {
    const text = token.text;
    if (text.length < 5) return;
    for (let cut = 2; cut <= text.length - 2; cut += 1) {
      const left = index.vocabularyIds.get(text.slice(0, cut));
      const right = index.vocabularyIds.get(text.slice(cut));
      if (left === undefined || right === undefined) continue;
      joined[position]!.add(left);
      joined[position]!.add(right);
      const bit = position < 31 ? 1 << position : 0;
      splitFirst.set(left, (splitFirst.get(left) ?? 0) | bit);
      splitSecond.set(right, (splitSecond.get(right) ?? 0) | bit);
    }
  });
  return { byPosition: joined, splitFirst, splitSecond };
};

const bitCount = (bits: number): number => {
  let count = 0;
  for (let rest = bits; rest !== 0; rest &= rest - 1) count += 1;
  return count;
};

/** A name is scored when its best possible score comes within this of the floor. */
const CANDIDATE_MARGIN = 0.05;

/** How much more query weight a name may match than its own weight (a particle here, a name there). */
const ROLE_SLACK = 0.7;

const collectCandidates = (
  index: ScreeningIndex,
  query: readonly NameToken[],
  tokens: readonly QueryToken[],
  joined: Joined,
  totalWeight: number,
  floor: number,
  partyType: PartyType | undefined,
): { candidates: number[]; touched: number } => {
  const scratch = index.scratch;
  scratch.stamp += 1;
  const queryStamp = scratch.stamp;
  const slots = scratch.names;
  const weights = scratch.nameWeights;
  const touched: number[] = [];
  // Initials are not looked up (every word starting with the letter would match): the bound assumes they match.
  const initialsWeight = query.reduce((sum, token) => sum + (token.text.length === 1 ? tokenWeight(token) : 0), 0);
  // Two upper bounds on the query weight a name shares, accumulated in one pass over the postings of every distinct
  // vocabulary token the query reaches: per query position (each position counted once, at its full weight) and
  // per listed token (each listed token credited once, with the best query position it could match). The second
  // is the tighter one for long queries that repeat a token, and holds for every name that repeats no token.
  const reach = new Map<number, { credit: number; positions: number }>();
  const positionWeights = query.map((token) => tokenWeight(token));
  // Positions past the 31st are not tracked one by one: the per-position bound counts them as matched.
  const untracked = positionWeights.slice(31).reduce((sum, weight) => sum + weight, 0);
  const reached = (id: number): { credit: number; positions: number } => {
    let found = reach.get(id);
    if (found === undefined) {
      found = { credit: 0, positions: 0 };
      reach.set(id, found);
    }
    return found;
  };
  query.forEach((_, position) => {
    const bit = position < 31 ? 1 << position : 0;
    for (const [id, similarity] of tokens[position]!.generating) {
      const found = reached(id);
      found.credit = Math.max(found.credit, positionWeights[position]! * similarity);
      found.positions |= bit;
    }
  });
  // A listed token written as two query tokens together stands for both positions.
  const joinedCredit = new Map<number, number>();
  query.forEach((_, position) => {
    for (const id of joined.byPosition[position]!) {
      joinedCredit.set(id, (joinedCredit.get(id) ?? 0) + positionWeights[position]!);
      reached(id).positions |= position < 31 ? 1 << position : 0;
    }
  });
  for (const [id, credit] of joinedCredit) reached(id).credit = Math.max(reached(id).credit, credit);

  // The listed tokens with the longest postings ("al", "abu", "mohammad") are walked last, and only to credit names
  // the other tokens already reached, as long as a name reached through them alone could not reach the floor
  // (`tokensToWalkLast`). The candidates and their bounds are the same; far fewer names are visited.
  const common = tokensToWalkLast(
    index,
    reach,
    joinedCredit,
    positionWeights,
    totalWeight,
    initialsWeight + untracked,
    floor,
  );
  let rank = 0;
  for (const [id, found] of reach) {
    rank += 1;
    if (common.has(id)) continue;
    const first = joined.splitFirst.get(id) ?? 0;
    const second = joined.splitSecond.get(id) ?? 0;
    for (let p = index.postingOffsets[id]!; p < index.postingOffsets[id + 1]!; p += 1) {
      const name = index.postings[p]!;
      if (slots[name * SLOTS + STAMP] !== queryStamp) {
        slots[name * SLOTS + STAMP] = queryStamp;
        weights[name * SLOTS + ACCUMULATED] = 0;
        weights[name * SLOTS + BY_TOKEN] = 0;
        slots[name * SLOTS + MASK] = 0;
        slots[name * SLOTS + SPLIT_FIRST] = 0;
        slots[name * SLOTS + SPLIT_SECOND] = 0;
        slots[name * SLOTS + FIRST_RANK] = rank;
        touched.push(name);
      }
      credit(slots, scratch.nameWeights, name, found, first, second, positionWeights);
    }
  }
  if (common.size > 0) creditCommonTokens(index, reach, common, touched, positionWeights);
  // The best a name can score when it shares query weight m: its own other tokens and the query's other tokens
  // pair up as substitutions as far as they can, and only the rest counts as omitted.
  const candidates: number[] = [];
  for (const name of touched) {
    // A name cannot match more query weight than it carries itself: a query repeating "mohammad" gets credit once
    // per listed "mohammad", not once per query position. The slack covers a token whose role differs between
    // the two names and a query pair written together in the list.
    const nameWeight = index.nameWeights[name]!;
    const byToken =
      (index.nameFlags[name]! & NAME_FLAG_REPEATS) !== 0
        ? Infinity
        : weights[name * SLOTS + BY_TOKEN]! + initialsWeight;
    const matched = Math.min(
      totalWeight,
      weights[name * SLOTS + ACCUMULATED]! + initialsWeight + untracked,
      byToken,
      nameWeight + ROLE_SLACK,
    );
    // A query token split over two listed tokens ("sangho" / "Sang-ho") aligns more listed weight than query weight,
    // up to two tokens' worth more per position whose both parts the name holds: the listed side may match that much
    // more, and the aligned weight is the mean of both sides.
    const splits = bitCount(slots[name * SLOTS + SPLIT_FIRST]! & slots[name * SLOTS + SPLIT_SECOND]!);
    const listedMatched = splits === 0 ? matched : Math.min(nameWeight, matched + 2 * splits);
    const alignedBound = splits === 0 ? matched : (matched + listedMatched) / 2;
    const queryLeft = totalWeight - matched;
    const listedLeft = Math.max(0, nameWeight - listedMatched);
    const substituted = Math.min(queryLeft, listedLeft);
    const omitted = Math.max(queryLeft, listedLeft) - substituted;
    const ceiling = alignedBound / (alignedBound + SUBSTITUTION_PENALTY * substituted + OMISSION_PENALTY * omitted);
    if (ceiling + CANDIDATE_MARGIN < floor) continue;
    const entry = index.entries[index.nameEntry[name]!]!;
    if (partyType !== undefined && !compatible(partyType, entry.type)) continue;
    candidates.push(name);
  }
  // Candidates in the order a walk of every token in turn would have met them (ties between two names of one entry
  // go to the first met): by the first token reaching them, then by name.
  if (common.size > 0) {
    candidates.sort((a, b) => slots[a * SLOTS + FIRST_RANK]! - slots[b * SLOTS + FIRST_RANK]! || a - b);
  }
  return { candidates, touched: touched.length };
};

/**
 * Credits the names already reached with the common listed tokens they hold: by walking those tokens' postings, or,
 * when the reached names hold fewer tokens than the postings list, by reading each reached name's tokens.
 */
const creditCommonTokens = (
  index: ScreeningIndex,
  reach: ReadonlyMap<number, { readonly credit: number; readonly positions: number }>,
  common: ReadonlySet<number>,
  touched: readonly number[],
  positionWeights: readonly number[],
): void => {
  const scratch = index.scratch;
  const queryStamp = scratch.stamp;
  const slots = scratch.names;
  let postings = 0;
  let rank = 0;
  for (const id of reach.keys()) {
    rank += 1;
    if (!common.has(id)) continue;
    postings += index.postingOffsets[id + 1]! - index.postingOffsets[id]!;
    scratch.tokenStamp[id] = queryStamp;
    scratch.tokenRank[id] = rank;
  }
  let held = 0;
  for (const name of touched) held += index.nameOffsets[name + 1]! - index.nameOffsets[name]!;
  if (held < postings) {
    for (const name of touched) {
      const from = index.nameOffsets[name]!;
      const to = index.nameOffsets[name + 1]!;
      for (let t = from; t < to; t += 1) {
        const id = index.tokenIds[t]!;
        if (scratch.tokenStamp[id] !== queryStamp) continue;
        // A name holding a token twice is credited once, as its postings list it once.
        let again = false;
        for (let u = from; u < t; u += 1) if (index.tokenIds[u] === id) again = true;
        if (again) continue;
        const tokenRank = scratch.tokenRank[id]!;
        if (tokenRank < slots[name * SLOTS + FIRST_RANK]!) slots[name * SLOTS + FIRST_RANK] = tokenRank;
        credit(slots, scratch.nameWeights, name, reach.get(id)!, 0, 0, positionWeights);
      }
    }
    return;
  }
  for (const id of common) {
    const found = reach.get(id)!;
    const tokenRank = scratch.tokenRank[id]!;
    for (let p = index.postingOffsets[id]!; p < index.postingOffsets[id + 1]!; p += 1) {
      const name = index.postings[p]!;
      if (slots[name * SLOTS + STAMP] !== queryStamp) continue;
      if (tokenRank < slots[name * SLOTS + FIRST_RANK]!) slots[name * SLOTS + FIRST_RANK] = tokenRank;
      credit(slots, scratch.nameWeights, name, found, 0, 0, positionWeights);
    }
  }
};

/** What one reached listed token adds to a name's bounds. */
const credit = (
  slots: Int32Array,
  weights: Float32Array,
  name: number,
  found: { readonly credit: number; readonly positions: number },
  splitFirst: number,
  splitSecond: number,
  positionWeights: readonly number[],
): void => {
  if (splitFirst !== 0) slots[name * SLOTS + SPLIT_FIRST]! |= splitFirst;
  if (splitSecond !== 0) slots[name * SLOTS + SPLIT_SECOND]! |= splitSecond;
  weights[name * SLOTS + BY_TOKEN]! += found.credit;
  let fresh = found.positions & ~slots[name * SLOTS + MASK]!;
  if (fresh !== 0) {
    slots[name * SLOTS + MASK]! |= fresh;
    while (fresh !== 0) {
      const position = 31 - Math.clz32(fresh);
      weights[name * SLOTS + ACCUMULATED]! += positionWeights[position]!;
      fresh &= ~(1 << position);
    }
  }
};

/** Below this many postings a listed token is always walked in full: skipping it saves nothing worth the check. */
const COMMON_POSTINGS = 64;

/**
 * The best score a name can reach when it shares at most `matched` of the query's weight: every other query token
 * counted as omitted, the cheapest way to leave it unmatched (a substitution costs more). An upper bound on the
 * candidate bound below, whatever the name holds.
 */
const bestWithShared = (matched: number, totalWeight: number): number =>
  matched >= totalWeight ? 1 : matched / (matched + OMISSION_PENALTY * (totalWeight - matched));

/**
 * The listed tokens whose postings can be walked last (crediting only names already reached): the longest postings
 * first, as many as keep the query weight they can match, with the initials and untracked positions, below what
 * any name needs to become a candidate. Tokens a query token splits into or joins with are never among them.
 */
const tokensToWalkLast = (
  index: ScreeningIndex,
  reach: ReadonlyMap<number, { readonly credit: number; readonly positions: number }>,
  joinedCredit: ReadonlyMap<number, number>,
  positionWeights: readonly number[],
  totalWeight: number,
  alwaysMatched: number,
  floor: number,
): Set<number> => {
  const common = new Set<number>();
  const long: number[] = [];
  for (const id of reach.keys()) {
    if (joinedCredit.has(id)) continue;
    if (index.postingOffsets[id + 1]! - index.postingOffsets[id]! >= COMMON_POSTINGS) long.push(id);
  }
  if (long.length === 0) return common;
  long.sort(
    (a, b) =>
      index.postingOffsets[b + 1]! -
        index.postingOffsets[b]! -
        (index.postingOffsets[a + 1]! - index.postingOffsets[a]!) || a - b,
  );
  let positions = 0;
  for (const id of long) {
    const found = reach.get(id)!;
    // A token reached from a position past the 31st has no bit; those positions are in `alwaysMatched` already.
    const widened = positions | found.positions;
    let shared = alwaysMatched;
    for (let rest = widened; rest !== 0; rest &= rest - 1) shared += positionWeights[31 - Math.clz32(rest & -rest)]!;
    // The accumulators are single precision: a little slack so rounding can never let a name past the bound.
    if (bestWithShared(Math.min(totalWeight, shared + 1e-4), totalWeight) + CANDIDATE_MARGIN >= floor) continue;
    positions = widened;
    common.add(id);
  }
  return common;
};

const explainHit = (
  index: ScreeningIndex,
  entryPosition: number,
  name: number,
  query: readonly NameToken[],
  lookup: SimilarityLookup,
  evidence: PartyEvidence,
  thresholds: Thresholds,
): Hit | undefined => {
  const entry = index.entries[entryPosition]!;
  const list = index.lists[index.entryList[entryPosition]!]!;
  const listedTokens = indexedNameTokens(index, name);
  const scored = scoreNames(query, listedTokens, lookup, contextOf(index, name));
  const weak = (index.nameFlags[name]! & NAME_FLAG_WEAK) !== 0;
  const weakAliasAdjustment = weak ? WEAK_ALIAS_ADJUSTMENT : 0;
  const evidenceParts = weighEvidence(evidence, entry);
  const sumOfParts = scored.score + weakAliasAdjustment + evidenceParts.reduce((sum, part) => sum + part.adjustment, 0);
  const score = round(clamp(sumOfParts));
  if (score < thresholds.potential) return undefined;
  const strengthCapped = weak && score >= thresholds.strong;
  const strength: Strength = score >= thresholds.strong && !weak ? 'strong' : 'potential';
  const source = entry.names[index.nameSource[name]!]!;
  return {
    listId: list.listId,
    listVersion: list.version,
    listKind: entry.kind,
    entryId: entry.id,
    entryName: entry.names[0]?.value ?? entry.id,
    entryType: entry.type,
    matchedName: source.value,
    matchedNameRole: source.role,
    weakAlias: weak,
    score,
    strength,
    explanation: {
      queryTokens: query.map((token) => token.text),
      listedTokens: listedTokens.map((token) => token.text),
      alignments: scored.alignments,
      unmatchedQuery: scored.unmatchedQuery,
      unmatchedListed: scored.unmatchedListed,
      substitutedWeight: scored.substitutedWeight,
      omittedWeight: scored.omittedWeight,
      alignmentScore: scored.alignmentScore,
      nameRules: scored.rules,
      nameScore: scored.score,
      weakAliasAdjustment,
      evidence: evidenceParts,
      sumOfParts: round(sumOfParts),
      strengthCapped,
    },
  };
};
