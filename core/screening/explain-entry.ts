// One screened party against one listed entry, explained for an officer: every name of the entry scored, the best one
// aligned token by token (numbered pairs to highlight on both sides), and the score's parts, as screening computed them.
import { weighEvidence } from './evidence.ts';
import { nameKindOf, partsOfLongerNames } from './match-index.ts';
import type { ListEntry, ListName } from './model.ts';
import { normaliseName } from './normalise.ts';
import type { NameToken, TokenRole } from './normalise.ts';
import { scoreNames } from './score.ts';
import { WEAK_ALIAS_ADJUSTMENT, partyEvidence } from './screen.ts';
import type { HitExplanation, Party, Strength, Thresholds } from './screen.ts';
import type { TokenMatchHow } from './similarity.ts';

/** One token of a name as shown: `pair` numbers the alignment it belongs to (1, 2, …), null when it matched nothing. */
export type ExplainedToken = {
  readonly text: string;
  readonly role: TokenRole;
  readonly pair: number | null;
  readonly how: TokenMatchHow | null;
};

/** One name of the entry with its own name score against the party (the weak-alias adjustment included). */
export type ScoredListName = ListName & {
  /** The name as matching sees it, or null when it normalises to nothing or repeats an earlier name of the entry. */
  readonly normalised: string | null;
  readonly nameScore: number;
  readonly adjustedScore: number;
  readonly best: boolean;
};

export type EntryMatch = {
  readonly names: readonly ScoredListName[];
  /** Position in `names` of the name the hit rests on: the best adjusted score, the first on a tie. */
  readonly matchedName: number;
  readonly queryTokens: readonly ExplainedToken[];
  readonly listedTokens: readonly ExplainedToken[];
  readonly explanation: HitExplanation;
  readonly score: number;
  /** null when the score is under the potential threshold today (the lists or the thresholds changed since). */
  readonly strength: Strength | null;
};

const round = (value: number): number => Math.round(value * 10_000) / 10_000;
const clamp = (value: number): number => Math.min(1, Math.max(0, value));

/**
 * Numbers each alignment and marks its tokens on both sides. Alignments name token texts, so each is placed on the
 * first free run of tokens with those texts (identical tokens are interchangeable to the reader).
 */
const markTokens = (
  tokens: readonly NameToken[],
  runs: readonly { readonly texts: readonly string[]; readonly how: TokenMatchHow }[],
): ExplainedToken[] => {
  const marked: { text: string; role: TokenRole; pair: number | null; how: TokenMatchHow | null }[] = tokens.map(
    (token) => ({ text: token.text, role: token.role, pair: null, how: null }),
  );
  runs.forEach((run, k) => {
    for (let start = 0; start + run.texts.length <= marked.length; start += 1) {
      const fits = run.texts.every(
        (text, offset) => marked[start + offset]!.pair === null && marked[start + offset]!.text === text,
      );
      if (!fits) continue;
      for (let offset = 0; offset < run.texts.length; offset += 1) {
        marked[start + offset]!.pair = k + 1;
        marked[start + offset]!.how = run.how;
      }
      return;
    }
  });
  return marked;
};

/**
 * Explains how a party matches a listed entry, as `screenParty` scores it: each name of the entry is scored against
 * the party's name, the best (after the weak-alias adjustment) is the matched name, and the party's date of birth,
 * nationality and country raise or lower it. Returns undefined when no name of the entry can be compared at all.
 */
export const explainEntryMatch = (party: Party, entry: ListEntry, thresholds: Thresholds): EntryMatch | undefined => {
  const query = normaliseName(party.name, party.type ?? 'unknown').tokens;
  const kind = nameKindOf(entry);
  const seen = new Set<string>();
  let best: { position: number; adjusted: number; tokens: readonly NameToken[] } | undefined;
  const normalised = entry.names.map((name) => normaliseName(name.value, kind).tokens);
  const partial = partsOfLongerNames(normalised);
  const contextAt = (position: number) => ({ partOfLongerName: partial[position] === true });
  const names = entry.names.map((name, position) => {
    const tokens = normalised[position]!;
    const key = tokens.map((token) => token.text).join(' ');
    // As the index does: a name that normalises to nothing, or repeats an earlier one, is not matched on its own.
    if (tokens.length === 0 || seen.has(key) || query.length === 0)
      return { ...name, normalised: tokens.length === 0 ? null : key, nameScore: 0, adjustedScore: 0, position };
    seen.add(key);
    const nameScore = scoreNames(query, tokens, undefined, contextAt(position)).score;
    const adjustedScore = round(nameScore + (name.weak ? WEAK_ALIAS_ADJUSTMENT : 0));
    if (best === undefined || adjustedScore > best.adjusted) best = { position, adjusted: adjustedScore, tokens };
    return { ...name, normalised: key, nameScore, adjustedScore, position };
  });
  if (best === undefined) return undefined;
  const chosen = best;
  const matched = entry.names[chosen.position]!;
  const scored = scoreNames(query, chosen.tokens, undefined, contextAt(chosen.position));
  const weakAliasAdjustment = matched.weak ? WEAK_ALIAS_ADJUSTMENT : 0;
  const evidence = weighEvidence(partyEvidence(party), entry);
  const sumOfParts = scored.score + weakAliasAdjustment + evidence.reduce((sum, part) => sum + part.adjustment, 0);
  const score = round(clamp(sumOfParts));
  const strengthCapped = matched.weak && score >= thresholds.strong;
  const strength: Strength | null =
    score < thresholds.potential ? null : score >= thresholds.strong && !matched.weak ? 'strong' : 'potential';
  return {
    names: names.map(({ position, ...name }) => ({ ...name, best: position === chosen.position })),
    matchedName: chosen.position,
    queryTokens: markTokens(
      query,
      scored.alignments.map((alignment) => ({ texts: alignment.query, how: alignment.how })),
    ),
    listedTokens: markTokens(
      chosen.tokens,
      scored.alignments.map((alignment) => ({ texts: alignment.listed, how: alignment.how })),
    ),
    explanation: {
      queryTokens: query.map((token) => token.text),
      listedTokens: chosen.tokens.map((token) => token.text),
      alignments: scored.alignments,
      unmatchedQuery: scored.unmatchedQuery,
      unmatchedListed: scored.unmatchedListed,
      substitutedWeight: scored.substitutedWeight,
      omittedWeight: scored.omittedWeight,
      alignmentScore: scored.alignmentScore,
      nameRules: scored.rules,
      nameScore: scored.score,
      weakAliasAdjustment,
      evidence,
      sumOfParts: round(sumOfParts),
      strengthCapped,
    },
    score,
    strength,
  };
};
