// Token similarity: Jaro-Winkler, optimal-string-alignment distance, a phonetic key and initials, each named.

/** How two tokens were found to match, for the explanation. */
export type TokenMatchHow =
  'exact' | 'typo' | 'transposition' | 'phonetic' | 'transliteration' | 'fuzzy' | 'initial' | 'joined';
export type TokenSimilarity = { readonly similarity: number; readonly how: TokenMatchHow };

/** Below this, two tokens are different words: they are not aligned and count as unmatched. */
export const MIN_TOKEN_SIMILARITY = 0.8;
/** An initial ("A.") against the full word it abbreviates ("Ali"). */
export const INITIAL_SIMILARITY = 0.8;
/** One edit (a typo or a swap of neighbours) in a word of three letters or more. */
export const ONE_EDIT_SIMILARITY = 0.92;
/** Two edits in a word of six letters or more. */
export const TWO_EDIT_SIMILARITY = 0.85;
/** Two romanisations of one sound ("Mohammed", "Muhammad"). */
export const PHONETIC_SIMILARITY = 0.88;
/** A shared phonetic key alone is too lossy ("Mahmud" and "Muhammad" share one); the spellings must also look alike. */
export const PHONETIC_MIN_JARO_WINKLER = 0.75;

const DIGITS = /^[0-9]+$/;
/** A romanised abjad token (Arabic, Persian, Urdu, Hebrew script) against a Latin spelling of the same name. */
export const TRANSLITERATION_SIMILARITY = 0.85;

const matchedA = new Uint8Array(64);
const matchedB = new Uint8Array(64);

/** Jaro-Winkler similarity (prefix scale 0.1, prefix up to 4), in [0, 1]. */
export const jaroWinkler = (a: string, b: string): number => {
  if (a === b) return 1;
  const lengthA = a.length;
  const lengthB = b.length;
  if (lengthA === 0 || lengthB === 0) return 0;
  const flagsA = lengthA <= 64 ? matchedA.fill(0, 0, lengthA) : new Uint8Array(lengthA);
  const flagsB = lengthB <= 64 ? matchedB.fill(0, 0, lengthB) : new Uint8Array(lengthB);
  const window = Math.max(0, Math.floor(Math.max(lengthA, lengthB) / 2) - 1);
  let matches = 0;
  for (let i = 0; i < lengthA; i += 1) {
    const from = Math.max(0, i - window);
    const to = Math.min(lengthB - 1, i + window);
    const code = a.charCodeAt(i);
    for (let j = from; j <= to; j += 1) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === code) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        matches += 1;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < lengthA; i += 1) {
    if (flagsA[i] === 0) continue;
    while (flagsB[k] === 0) k += 1;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions += 1;
    k += 1;
  }
  const jaro = (matches / lengthA + matches / lengthB + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  const maxPrefix = Math.min(4, lengthA, lengthB);
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix += 1;
  return jaro + prefix * 0.1 * (1 - jaro);
};

const rowA = new Int32Array(66);
const rowB = new Int32Array(66);
const rowC = new Int32Array(66);

/**
 * Optimal-string-alignment distance (Damerau-Levenshtein without repeated edits of one substring),
 * stopping early once it exceeds `max`. Returns max + 1 when the distance is larger than max.
 */
export const editDistance = (a: string, b: string, max = 2): number => {
  if (a === b) return 0;
  const lengthA = a.length;
  const lengthB = b.length;
  if (Math.abs(lengthA - lengthB) > max) return max + 1;
  const big = lengthB + 1 > rowA.length;
  let previousPrevious = big ? new Int32Array(lengthB + 1) : rowA;
  let previous = big ? new Int32Array(lengthB + 1) : rowB;
  let current = big ? new Int32Array(lengthB + 1) : rowC;
  for (let j = 0; j <= lengthB; j += 1) previous[j] = j;
  for (let i = 1; i <= lengthA; i += 1) {
    current[0] = i;
    let rowMinimum = i;
    const codeA = a.charCodeAt(i - 1);
    for (let j = 1; j <= lengthB; j += 1) {
      const codeB = b.charCodeAt(j - 1);
      const cost = codeA === codeB ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && codeA === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === codeB) {
        value = Math.min(value, previousPrevious[j - 2]! + 1);
      }
      current[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum > max) return max + 1;
    const spare = previousPrevious;
    previousPrevious = previous;
    previous = current;
    current = spare;
  }
  const distance = previous[lengthB]!;
  return distance > max ? max + 1 : distance;
};

const isTransposition = (a: string, b: string): boolean => {
  if (a.length !== b.length) return false;
  let first = -1;
  for (let i = 0; i < a.length; i += 1) {
    if (a[i] !== b[i]) {
      first = i;
      break;
    }
  }
  return (
    first >= 0 &&
    first + 1 < a.length &&
    a[first] === b[first + 1] &&
    a[first + 1] === b[first] &&
    a.slice(first + 2) === b.slice(first + 2)
  );
};

// Spellings that romanisations of one sound produce (Arabic, Cyrillic, Persian, Korean), folded together.
const PHONETIC_RULES: readonly [RegExp, string][] = [
  [/ph/g, 'f'],
  [/kh/g, 'h'],
  [/gh/g, 'g'],
  [/(?:sch|sh|ch|zh|tch)/g, 's'],
  [/(?:th|dh)/g, 't'],
  [/ck/g, 'k'],
  [/[qc]/g, 'k'],
  [/x/g, 'ks'],
  [/z/g, 's'],
  [/w/g, 'v'],
  [/(?:dj|j)/g, 'y'],
  [/d/g, 't'],
  [/[bp]/g, 'b'],
];

/**
 * A consonant skeleton: romanisation variants of one name share it (Mohammed, Muhammad, Mohamad → "mhmt";
 * Hussein, Husayn → "hsn"). The first letter is kept, later vowels dropped, doubled letters collapsed.
 */
export const phoneticKey = (token: string): string => {
  let text = token;
  for (const [pattern, replacement] of PHONETIC_RULES) text = text.replace(pattern, replacement);
  const first = /^[aeiouy]/.test(text) ? 'a' : (text[0] ?? '');
  let key = first;
  for (let i = 1; i < text.length; i += 1) {
    const letter = text[i]!;
    if ('aeiouy'.includes(letter)) continue;
    if (key[key.length - 1] === letter) continue;
    key += letter;
  }
  return key;
};

const VOWEL = /[aeiou]/;

/**
 * Abjad scripts write no short vowels, so "فرناندو" romanises to "frnndw" where Latin writes "fernando". Compared
 * on consonants alone (w and y stand for long vowels there), the two agree: "frnt".
 */
export const consonantKey = (token: string): string => {
  let text = token.replace(/[wy]/g, '');
  for (const [pattern, replacement] of PHONETIC_RULES) text = text.replace(pattern, replacement);
  let key = '';
  for (const letter of text) {
    if ('aeiouwy'.includes(letter) || key[key.length - 1] === letter) continue;
    key += letter;
  }
  return key;
};

/** What similarity needs to know about a token, computed once per vocabulary token and per query token. */
export type TokenKeys = {
  readonly text: string;
  readonly phonetic: string;
  readonly consonant: string;
  readonly hasVowel: boolean;
  readonly numeric: boolean;
};

export const tokenKeys = (text: string): TokenKeys => ({
  text,
  phonetic: phoneticKey(text),
  consonant: consonantKey(text),
  hasVowel: VOWEL.test(text),
  numeric: DIGITS.test(text),
});

const NO_MATCH: TokenSimilarity = { similarity: 0, how: 'fuzzy' };
const EXACT: TokenSimilarity = { similarity: 1, how: 'exact' };
const INITIAL: TokenSimilarity = { similarity: INITIAL_SIMILARITY, how: 'initial' };
const TYPO: TokenSimilarity = { similarity: ONE_EDIT_SIMILARITY, how: 'typo' };
const TRANSPOSITION: TokenSimilarity = { similarity: ONE_EDIT_SIMILARITY, how: 'transposition' };
const TWO_EDITS: TokenSimilarity = { similarity: TWO_EDIT_SIMILARITY, how: 'typo' };
const TRANSLITERATION: TokenSimilarity = { similarity: TRANSLITERATION_SIMILARITY, how: 'transliteration' };
const PHONETIC: TokenSimilarity = { similarity: PHONETIC_SIMILARITY, how: 'phonetic' };

/**
 * Similarity of two normalised tokens, with the reason it has that value. Spelling tolerance grows with length,
 * as in Lucene's "AUTO" fuzziness: no edit under three letters, one edit from three, two from six. Two more
 * ways to be the same name: a romanised abjad spelling with the same consonants ("frnndw", "fernando"), and a
 * romanisation variant with the same phonetic key that still looks alike ("mohammed", "muhammad"). Anything
 * else is a different word: similarity 0.
 */
export const keyedSimilarity = (a: TokenKeys, b: TokenKeys): TokenSimilarity => {
  if (a.text === b.text) return EXACT;
  const lengthA = a.text.length;
  const lengthB = b.text.length;
  const shorter = Math.min(lengthA, lengthB);
  if (shorter === 1) {
    const initial = lengthA === 1 ? a.text : b.text;
    const word = lengthA === 1 ? b.text : a.text;
    return word.charCodeAt(0) === initial.charCodeAt(0) ? INITIAL : NO_MATCH;
  }
  if (a.numeric || b.numeric || shorter < 3) return NO_MATCH;
  const allowed = shorter >= 6 ? 2 : 1;
  if (Math.abs(lengthA - lengthB) <= allowed) {
    const distance = editDistance(a.text, b.text, allowed);
    if (distance === 1) return isTransposition(a.text, b.text) ? TRANSPOSITION : TYPO;
    if (distance === 2 && allowed === 2) return TWO_EDITS;
  }
  if (a.hasVowel !== b.hasVowel && a.consonant.length >= 3 && a.consonant === b.consonant) return TRANSLITERATION;
  if (a.phonetic.length >= 2 && a.phonetic === b.phonetic && jaroWinkler(a.text, b.text) >= PHONETIC_MIN_JARO_WINKLER) {
    return PHONETIC;
  }
  return NO_MATCH;
};

/** Token similarity for two plain strings (the keys are computed on the spot). */
export const tokenSimilarity = (a: string, b: string): TokenSimilarity => {
  if (a === b) return EXACT;
  return keyedSimilarity(tokenKeys(a), tokenKeys(b));
};
