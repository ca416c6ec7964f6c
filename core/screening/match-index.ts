// The match index: tokens and their typo, phonetic and consonant keys → names, so no query scans the lists.
import type { ListEntry, ListSnapshot, ListVersion } from './model.ts';
import { normaliseName } from './normalise.ts';
import { tokenWeight } from './score.ts';
import type { NameKind, NameToken, TokenRole } from './normalise.ts';
import { MIN_TOKEN_SIMILARITY, keyedSimilarity, tokenKeys } from './similarity.ts';
import type { TokenKeys, TokenSimilarity } from './similarity.ts';

const ROLES: readonly TokenRole[] = ['name', 'particle', 'title', 'legal_form'];
const ROLE_CODE: Readonly<Record<TokenRole, number>> = { name: 0, particle: 1, title: 2, legal_form: 3 };

/**
 * Bit flags per indexed name: a weak alias; a name holding the same token twice ("MOHAMMED MOHAMMED ALI"); a name of
 * one word while the entry has longer names (so it is only part of a name: "John", "Maria").
 */
export const NAME_FLAG_WEAK = 1;
export const NAME_FLAG_REPEATS = 2;
export const NAME_FLAG_PART_OF_LONGER = 4;

const nameWords = (tokens: readonly NameToken[]): number => tokens.filter((token) => token.role === 'name').length;

/**
 * For each of an entry's names (normalised), whether it is one word while another name of the entry has more:
 * such a name is only part of the entry's name, and a longer screened name matching it on one word is capped.
 */
export const partsOfLongerNames = (names: readonly (readonly NameToken[])[]): boolean[] => {
  const longest = Math.max(0, ...names.map(nameWords));
  return names.map((tokens) => nameWords(tokens) === 1 && longest > 1);
};

export type ScreeningIndex = {
  readonly lists: readonly ListVersion[];
  /** Every entry of every list, in list order. */
  readonly entries: readonly ListEntry[];
  /** entry → position of its list in `lists`. */
  readonly entryList: Int32Array;
  /** name → entry; name → position in the entry's `names`; name → flags. */
  readonly nameEntry: Int32Array;
  readonly nameSource: Int32Array;
  readonly nameFlags: Uint8Array;
  /** name → the summed weight of its tokens, for bounding a candidate's score before scoring it. */
  readonly nameWeights: Float32Array;
  /** The tokens of name n are tokenIds[nameOffsets[n] .. nameOffsets[n + 1]). */
  readonly nameOffsets: Int32Array;
  readonly tokenIds: Int32Array;
  readonly tokenRoles: Uint8Array;
  readonly vocabulary: readonly string[];
  readonly vocabularyIds: ReadonlyMap<string, number>;
  /** Phonetic and consonant keys of every vocabulary token, computed once. */
  readonly keys: readonly TokenKeys[];
  /** The names holding vocabulary token v are postings[postingOffsets[v] .. postingOffsets[v + 1]). */
  readonly postingOffsets: Int32Array;
  readonly postings: Int32Array;
  /** One-letter deletions of every token of three letters or more → the tokens they come from. */
  readonly deletions: ReadonlyMap<string, number | number[]>;
  readonly phoneticKeys: ReadonlyMap<string, number | number[]>;
  /** Consonant skeletons, so a romanised abjad spelling finds its Latin spellings and back. */
  readonly consonantKeys: ReadonlyMap<string, number | number[]>;
  /** Romanisation-variant spellings of tokens of two letters or more ("ry" and "ri" → "ri"). */
  readonly variantKeys: ReadonlyMap<string, number | number[]>;
  /**
   * First and last four letters of tokens of six letters or more ("merk…", "…ckel"): two edits in a long word
   * usually leave one end intact, so these find the two-edit spellings that one-letter deletions cannot.
   */
  readonly endKeys: ReadonlyMap<string, number | number[]>;
  /**
   * The similar vocabulary tokens of every vocabulary token, computed when the index is built (a listed name's own
   * words are what names that hit are made of): those of token v are neighbourIds[neighbourOffsets[v] ..
   * neighbourOffsets[v + 1]), best first, each with its similarity in `neighbourSimilarities`.
   */
  readonly neighbourOffsets: Int32Array;
  readonly neighbourIds: Int32Array;
  readonly neighbourSimilarities: readonly TokenSimilarity[];
  /** Whether vocabulary token v's similar tokens were found at build time (else they are found on first use). */
  readonly neighboursPrecomputed: Uint8Array;
  /** Shared token objects, one per vocabulary token and role, so scoring a candidate allocates little. */
  readonly tokenObjects: (NameToken | undefined)[];
  /**
   * Per-query scratch space (the index answers one query at a time). What a query accumulates for one name sits in
   * one run of NAME_SLOTS words (`names` and `nameWeights` view the same memory), so crediting a name touches one
   * cache line rather than one per array.
   */
  readonly scratch: {
    readonly names: Int32Array;
    readonly nameWeights: Float32Array;
    /** Per vocabulary token: the query that marked it common, and its order among the tokens the query reaches. */
    readonly tokenStamp: Int32Array;
    readonly tokenRank: Int32Array;
    stamp: number;
  };
  /** What the index knows about recent query tokens, so common given names are looked up once, not per query. */
  readonly queryTokens: Map<string, QueryToken>;
};

/**
 * A query token as the index sees it: its keys, the similar vocabulary tokens with their similarity, and those
 * tokens as the list that generates candidates, best first. Fixed once computed, so it can be shared.
 */
export type QueryToken = {
  readonly keys: TokenKeys;
  readonly similarities: ReadonlyMap<number, TokenSimilarity>;
  readonly generating: readonly (readonly [id: number, similarity: number])[];
};

/**
 * The words of a name's run in the scratch space: the query that last reached it, its query positions (a bit each),
 * the query positions whose token splits into a first (second) part the name holds, the order in which the query's
 * tokens first reached it, and (as floats) the query weight it shares per position and per listed token.
 */
export const NAME_SLOTS = 8;
export const SLOT_STAMP = 0;
export const SLOT_MASK = 1;
export const SLOT_SPLIT_FIRST = 2;
export const SLOT_SPLIT_SECOND = 3;
export const SLOT_FIRST_RANK = 4;
export const SLOT_ACCUMULATED = 5;
export const SLOT_BY_TOKEN = 6;

/**
 * An index of at most this many distinct words finds every word's similar words when it is built (a second or two);
 * a larger one finds them on first use, as any query word not in the lists.
 */
export const NEIGHBOURS_PRECOMPUTED = 50_000;

/** At most this many query tokens are remembered; the memory is dropped and refilled when it is full. */
export const QUERY_TOKEN_CACHE_SIZE = 20_000;

export type IndexStats = {
  readonly lists: number;
  readonly entries: number;
  readonly names: number;
  readonly tokens: number;
  readonly vocabulary: number;
  readonly deletionKeys: number;
  readonly phoneticKeys: number;
  readonly consonantKeys: number;
  readonly variantKeys: number;
  readonly endKeys: number;
};

export const nameKindOf = (entry: ListEntry): NameKind =>
  entry.type === 'person' ? 'person' : entry.type === 'unknown' ? 'unknown' : 'company';

const addToKeyMap = (map: Map<string, number | number[]>, key: string, id: number): void => {
  const existing = map.get(key);
  if (existing === undefined) map.set(key, id);
  else if (typeof existing === 'number') {
    if (existing !== id) map.set(key, [existing, id]);
  } else if (existing[existing.length - 1] !== id) existing.push(id);
};

const forEachId = (value: number | number[] | undefined, visit: (id: number) => void): void => {
  if (value === undefined) return;
  if (typeof value === 'number') visit(value);
  else for (const id of value) visit(id);
};

const deletionsOf = (token: string): string[] => {
  const variants: string[] = [];
  for (let i = 0; i < token.length; i += 1) {
    const variant = token.slice(0, i) + token.slice(i + 1);
    if (variants[variants.length - 1] !== variant) variants.push(variant);
  }
  return variants;
};

/** Builds the index over every entry of the given list versions. Deterministic: same lists, same index. */
export const buildIndex = (
  snapshots: readonly ListSnapshot[],
  options: { readonly neighboursPrecomputed?: number } = {},
): ScreeningIndex => {
  const neighboursLimit = options.neighboursPrecomputed ?? NEIGHBOURS_PRECOMPUTED;
  const lists = snapshots.map((snapshot) => snapshot.version);
  const entries: ListEntry[] = [];
  const entryListValues: number[] = [];
  const nameEntryValues: number[] = [];
  const nameSourceValues: number[] = [];
  const nameFlagValues: number[] = [];
  const nameWeightValues: number[] = [];
  const nameOffsetValues: number[] = [0];
  const tokenIdValues: number[] = [];
  const tokenRoleValues: number[] = [];
  const vocabulary: string[] = [];
  const vocabularyIds = new Map<string, number>();
  const idOf = (text: string): number => {
    let id = vocabularyIds.get(text);
    if (id === undefined) {
      id = vocabulary.length;
      vocabulary.push(text);
      vocabularyIds.set(text, id);
    }
    return id;
  };

  snapshots.forEach((snapshot, listPosition) => {
    for (const entry of snapshot.entries) {
      const entryPosition = entries.length;
      entries.push(entry);
      entryListValues.push(listPosition);
      const kind = nameKindOf(entry);
      const seen = new Set<string>();
      const normalisedNames = entry.names.map((name) => normaliseName(name.value, kind));
      const partial = partsOfLongerNames(normalisedNames.map((normalised) => normalised.tokens));
      entry.names.forEach((name, source) => {
        const normalised = normalisedNames[source]!;
        if (normalised.tokens.length === 0) return;
        const key = normalised.tokens.map((token) => token.text).join(' ');
        // The same name twice (an alias that only differs in case or punctuation) is indexed once, strongest first.
        if (seen.has(key)) return;
        seen.add(key);
        nameEntryValues.push(entryPosition);
        nameSourceValues.push(source);
        const repeats = new Set(normalised.tokens.map((token) => token.text)).size < normalised.tokens.length;
        nameFlagValues.push(
          (name.weak ? NAME_FLAG_WEAK : 0) |
            (repeats ? NAME_FLAG_REPEATS : 0) |
            (partial[source] === true ? NAME_FLAG_PART_OF_LONGER : 0),
        );
        nameWeightValues.push(normalised.tokens.reduce((sum, token) => sum + tokenWeight(token), 0));
        for (const token of normalised.tokens) {
          tokenIdValues.push(idOf(token.text));
          tokenRoleValues.push(ROLE_CODE[token.role]);
        }
        nameOffsetValues.push(tokenIdValues.length);
      });
    }
  });

  const nameCount = nameEntryValues.length;
  const nameOffsets = Int32Array.from(nameOffsetValues);
  const tokenIds = Int32Array.from(tokenIdValues);
  // Postings in CSR form: count, prefix-sum, fill. A name holding a token twice is listed once.
  const postingOffsets = new Int32Array(vocabulary.length + 1);
  const lastName = new Int32Array(vocabulary.length).fill(-1);
  for (let name = 0; name < nameCount; name += 1) {
    for (let t = nameOffsets[name]!; t < nameOffsets[name + 1]!; t += 1) {
      const id = tokenIds[t]!;
      if (lastName[id] === name) continue;
      lastName[id] = name;
      postingOffsets[id + 1]! += 1;
    }
  }
  for (let v = 0; v < vocabulary.length; v += 1) postingOffsets[v + 1]! += postingOffsets[v]!;
  const postings = new Int32Array(postingOffsets[vocabulary.length]!);
  const fill = postingOffsets.slice(0, vocabulary.length);
  lastName.fill(-1);
  for (let name = 0; name < nameCount; name += 1) {
    for (let t = nameOffsets[name]!; t < nameOffsets[name + 1]!; t += 1) {
      const id = tokenIds[t]!;
      if (lastName[id] === name) continue;
      lastName[id] = name;
      postings[fill[id]!] = name;
      fill[id]! += 1;
    }
  }

  const deletions = new Map<string, number | number[]>();
  const phoneticKeys = new Map<string, number | number[]>();
  const consonantKeys = new Map<string, number | number[]>();
  const endKeys = new Map<string, number | number[]>();
  const variantKeys = new Map<string, number | number[]>();
  const keys = vocabulary.map(tokenKeys);
  keys.forEach((key, id) => {
    if (key.numeric || key.text.length < 2) return;
    if (key.variant !== key.text) addToKeyMap(variantKeys, key.variant, id);
    if (key.text.length < 3) return;
    for (const variant of deletionsOf(key.text)) addToKeyMap(deletions, variant, id);
    if (key.phonetic.length >= 2) addToKeyMap(phoneticKeys, key.phonetic, id);
    if (key.consonant.length >= 3) addToKeyMap(consonantKeys, key.consonant, id);
    if (key.text.length >= 6) {
      addToKeyMap(endKeys, `${key.text.slice(0, 4)}<`, id);
      addToKeyMap(endKeys, `>${key.text.slice(-4)}`, id);
    }
  });

  const keyMaps: TokenKeyMaps = { vocabularyIds, keys, deletions, phoneticKeys, consonantKeys, variantKeys, endKeys };
  // Lists of up to NEIGHBOURS_PRECOMPUTED distinct words (the real lists have 22,253) get every word's similar words now;
  // a larger list (a million generated names has 269,022 words) would pay minutes for it, and finds them on first use.
  const precomputed = new Uint8Array(vocabulary.length);
  if (vocabulary.length <= neighboursLimit) precomputed.fill(1);
  const neighbourOffsets = new Int32Array(vocabulary.length + 1);
  const neighbourIdValues: number[] = [];
  const neighbourSimilarities: TokenSimilarity[] = [];
  keys.forEach((key, id) => {
    if (precomputed[id] === 1) {
      for (const [other, similarity] of bestFirst(similarVocabulary(keyMaps, key))) {
        neighbourIdValues.push(other);
        neighbourSimilarities.push(similarity);
      }
    }
    neighbourOffsets[id + 1] = neighbourIdValues.length;
  });

  return {
    lists,
    entries,
    neighbourOffsets,
    neighbourIds: Int32Array.from(neighbourIdValues),
    neighboursPrecomputed: precomputed,
    neighbourSimilarities,
    entryList: Int32Array.from(entryListValues),
    nameEntry: Int32Array.from(nameEntryValues),
    nameSource: Int32Array.from(nameSourceValues),
    nameFlags: Uint8Array.from(nameFlagValues),
    nameWeights: Float32Array.from(nameWeightValues),
    nameOffsets,
    tokenIds,
    tokenRoles: Uint8Array.from(tokenRoleValues),
    vocabulary,
    vocabularyIds,
    keys,
    postingOffsets,
    postings,
    deletions,
    phoneticKeys,
    consonantKeys,
    variantKeys,
    endKeys,
    tokenObjects: new Array<NameToken | undefined>(vocabulary.length * ROLES.length),
    queryTokens: new Map(),
    scratch: newScratch(nameCount, vocabulary.length),
  };
};

const newScratch = (nameCount: number, vocabularySize: number): ScreeningIndex['scratch'] => {
  const memory = new ArrayBuffer(nameCount * NAME_SLOTS * 4);
  return {
    names: new Int32Array(memory),
    nameWeights: new Float32Array(memory),
    tokenStamp: new Int32Array(vocabularySize),
    tokenRank: new Int32Array(vocabularySize),
    stamp: 0,
  };
};

export const indexStats = (index: ScreeningIndex): IndexStats => ({
  lists: index.lists.length,
  entries: index.entries.length,
  names: index.nameEntry.length,
  tokens: index.tokenIds.length,
  vocabulary: index.vocabulary.length,
  deletionKeys: index.deletions.size,
  phoneticKeys: index.phoneticKeys.size,
  consonantKeys: index.consonantKeys.size,
  variantKeys: index.variantKeys.size,
  endKeys: index.endKeys.size,
});

/** The tokens of indexed name n, as the scorer reads them. */
export const indexedNameTokens = (index: ScreeningIndex, name: number): NameToken[] => {
  const tokens: NameToken[] = [];
  for (let t = index.nameOffsets[name]!; t < index.nameOffsets[name + 1]!; t += 1) {
    const id = index.tokenIds[t]!;
    const role = index.tokenRoles[t]!;
    const slot = id * ROLES.length + role;
    let token = index.tokenObjects[slot];
    if (token === undefined) {
      token = { text: index.vocabulary[id]!, role: ROLES[role]! };
      index.tokenObjects[slot] = token;
    }
    tokens.push(token);
  }
  return tokens;
};

/** What finding a token's similar vocabulary tokens reads from the index. */
type TokenKeyMaps = Pick<
  ScreeningIndex,
  'vocabularyIds' | 'keys' | 'deletions' | 'phoneticKeys' | 'consonantKeys' | 'variantKeys' | 'endKeys'
>;

/** Similar tokens as the list that generates candidates: best first, then by vocabulary id. */
const bestFirst = (similarities: ReadonlyMap<number, TokenSimilarity>): [number, TokenSimilarity][] =>
  [...similarities.entries()].sort((a, b) => b[1].similarity - a[1].similarity || a[0] - b[0]);

/** The vocabulary tokens one query token can match, each with its similarity. */
export type TokenMatches = ReadonlyMap<number, TokenSimilarity>;

/**
 * Finds the vocabulary tokens similar to a query token: itself, its spelling-variant fold, its phonetic key, its
 * consonant skeleton, one-letter deletions on either side (a typo, a missing or extra letter, two swapped letters), and for tokens
 * of six letters or more two deletions on the query side and the tokens sharing its first or last four letters.
 * Each is then checked with the real token similarity; the map holds those at or above MIN_TOKEN_SIMILARITY.
 */
export const similarVocabulary = (index: TokenKeyMaps, query: TokenKeys): Map<number, TokenSimilarity> => {
  const found = new Map<number, TokenSimilarity>();
  const rejected = new Set<number>();
  // Each vocabulary token is compared once, however many keys lead to it; only similar ones are kept.
  const consider = (id: number): void => {
    if (found.has(id) || rejected.has(id)) return;
    const similarity = keyedSimilarity(query, index.keys[id]!);
    if (similarity.similarity >= MIN_TOKEN_SIMILARITY) found.set(id, similarity);
    else rejected.add(id);
  };
  const token = query.text;
  const exact = index.vocabularyIds.get(token);
  if (exact !== undefined) consider(exact);
  if (query.numeric || token.length < 2) return found;
  // A listed initial ("A." in "AHMED, A.") matches the words it starts.
  const initial = index.vocabularyIds.get(token[0]!);
  if (initial !== undefined) consider(initial);
  // A spelling variant is found by its folded form, which is itself a vocabulary token or the key of one.
  const folded = index.vocabularyIds.get(query.variant);
  if (folded !== undefined) consider(folded);
  forEachId(index.variantKeys.get(query.variant), consider);
  if (token.length < 3) return found;
  forEachId(index.phoneticKeys.get(query.phonetic), consider);
  if (query.consonant.length >= 3) forEachId(index.consonantKeys.get(query.consonant), consider);
  forEachId(index.deletions.get(token), consider);
  const firstDeletions = deletionsOf(token);
  for (const variant of firstDeletions) {
    const id = index.vocabularyIds.get(variant);
    if (id !== undefined) consider(id);
    forEachId(index.deletions.get(variant), consider);
  }
  if (token.length >= 6) {
    // Two deletions on the query side: each pair of positions once (deleting i then j is deleting j then i).
    let previous = '';
    for (let i = 0; i < token.length; i += 1) {
      for (let j = i + 1; j < token.length; j += 1) {
        const second = token.slice(0, i) + token.slice(i + 1, j) + token.slice(j + 1);
        if (second === previous) continue;
        previous = second;
        forEachId(index.deletions.get(second), consider);
      }
    }
    forEachId(index.endKeys.get(`${token.slice(0, 4)}<`), consider);
    forEachId(index.endKeys.get(`>${token.slice(-4)}`), consider);
  }
  return found;
};

/** The index's view of a query token, from the cache or computed now. */
export const queryToken = (index: ScreeningIndex, text: string): QueryToken => {
  const cached = index.queryTokens.get(text);
  if (cached !== undefined) return cached;
  const known = index.vocabularyIds.get(text);
  let keys: TokenKeys;
  let ordered: [number, TokenSimilarity][];
  if (known === undefined || index.neighboursPrecomputed[known] !== 1) {
    keys = known === undefined ? tokenKeys(text) : index.keys[known]!;
    ordered = bestFirst(similarVocabulary(index, keys));
  } else {
    // A listed word: its similar tokens were found when the index was built.
    keys = index.keys[known]!;
    ordered = [];
    for (let n = index.neighbourOffsets[known]!; n < index.neighbourOffsets[known + 1]!; n += 1) {
      ordered.push([index.neighbourIds[n]!, index.neighbourSimilarities[n]!]);
    }
  }
  const similarities = new Map(ordered);
  const generating = ordered.map(([id, found]) => [id, found.similarity] as const);
  const token = { keys, similarities, generating };
  if (index.queryTokens.size >= QUERY_TOKEN_CACHE_SIZE) index.queryTokens.clear();
  index.queryTokens.set(text, token);
  return token;
};
