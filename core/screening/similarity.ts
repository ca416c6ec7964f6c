// Token similarity: edit distance, spelling variants, phonetic and consonant keys and initials, each named.

/** How two tokens were found to match, for the explanation. */
export type TokenMatchHow =
  | 'exact'
  | 'variant'
  | 'typo'
  | 'transposition'
  | 'phonetic'
  | 'transliteration'
  | 'first_letter'
  | 'fuzzy'
  | 'initial'
  | 'joined';
export type TokenSimilarity = { readonly similarity: number; readonly how: TokenMatchHow };

/** Below this, two tokens are different words: they are not aligned and count as unmatched. */
export const MIN_TOKEN_SIMILARITY = 0.8;
/** An initial ("A.") against the full word it abbreviates ("Ali"). */
export const INITIAL_SIMILARITY = 0.8;
/** One edit (a typo or a swap of neighbours) in a word of three letters or more. */
export const ONE_EDIT_SIMILARITY = 0.92;
/**
 * One edit that changes the first letter of a word of five letters or more ("Harry" / "Larry", "Fernandez" /
 * "Hernandez"): people rarely mistype a name's first letter, and names that differ there are usually two names. It
 * still aligns, at the lowest similarity that does, so it counts only beside words that agree.
 */
export const FIRST_LETTER_SIMILARITY = 0.8;
/** Two edits in a word of six letters or more. */
export const TWO_EDIT_SIMILARITY = 0.85;
/** Two spellings that one romanisation rule set writes alike ("Ry" / "Ri", "Sou" / "Su", "Hassan" / "Hasan"). */
export const VARIANT_SIMILARITY = 0.95;
/** Two romanisations of one sound ("Hussein", "Husayn"). */
export const PHONETIC_SIMILARITY = 0.88;
/**
 * Sound-alike spellings are trusted only in words long enough to carry the sound: in shorter ones a shared phonetic
 * key joins different names ("Alan" / "Allen", "Tyler" / "Taylor", "Yang" / "Aung").
 */
export const PHONETIC_MIN_LENGTH = 6;
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
 * on consonants alone (w and y stand for long vowels there), the two agree: "frnd". Only the letters the scripts
 * cannot tell apart are folded (q and c with k, p with b, v with f, as Arabic writes them): "zmny" (Zamani) and
 * "osman", or "kwthr" (Kowsar) and "qadri", stay apart.
 */
export const consonantKey = (token: string): string => {
  const text = token.replace(/[qc]/g, 'k').replace(/p/g, 'b').replace(/v/g, 'f').replace(/x/g, 'ks');
  let key = '';
  for (const letter of text) {
    if ('aeiouwy'.includes(letter) || key[key.length - 1] === letter) continue;
    key += letter;
  }
  return key;
};

/**
 * The spelling a romanisation variant folds to: vowel digraphs that write one vowel (ou, oo, uu → u; ee, ii, ie → i),
 * a y that is a vowel (Ry → Ri, Husayn → Husain), consonant spellings of one sound (ph → f, ck → k, sch → sh,
 * tch → ch, dj and dzh → j) and doubled letters written once (Hassan → Hasan). Two tokens folding alike are one name
 * written two ways, however short: "ri" / "ry", "su" / "sou", "ryu" / "ryoo", "lai" / "laee".
 */
export const variantKey = (token: string): string =>
  token
    .replace(/ph/g, 'f')
    .replace(/ck/g, 'k')
    .replace(/sch/g, 'sh')
    .replace(/tch/g, 'ch')
    .replace(/dzh|dj/g, 'j')
    .replace(/oo|ou|uu/g, 'u')
    .replace(/ee|ii|ie/g, 'i')
    .replace(/(?<=[a-z])y(?![aeiou])/g, 'i')
    .replace(/([a-z])\1+/g, '$1');

/** What similarity needs to know about a token, computed once per vocabulary token and per query token. */
export type TokenKeys = {
  readonly text: string;
  readonly phonetic: string;
  readonly consonant: string;
  readonly variant: string;
  readonly hasVowel: boolean;
  readonly numeric: boolean;
};

export const tokenKeys = (text: string): TokenKeys => ({
  text,
  phonetic: phoneticKey(text),
  consonant: consonantKey(text),
  variant: variantKey(text),
  hasVowel: VOWEL.test(text),
  numeric: DIGITS.test(text),
});

const NO_MATCH: TokenSimilarity = { similarity: 0, how: 'fuzzy' };
const EXACT: TokenSimilarity = { similarity: 1, how: 'exact' };
const VARIANT: TokenSimilarity = { similarity: VARIANT_SIMILARITY, how: 'variant' };
const INITIAL: TokenSimilarity = { similarity: INITIAL_SIMILARITY, how: 'initial' };
const TYPO: TokenSimilarity = { similarity: ONE_EDIT_SIMILARITY, how: 'typo' };
const TRANSPOSITION: TokenSimilarity = { similarity: ONE_EDIT_SIMILARITY, how: 'transposition' };
const TWO_EDITS: TokenSimilarity = { similarity: TWO_EDIT_SIMILARITY, how: 'typo' };
const TRANSLITERATION: TokenSimilarity = { similarity: TRANSLITERATION_SIMILARITY, how: 'transliteration' };
const FIRST_LETTER: TokenSimilarity = { similarity: FIRST_LETTER_SIMILARITY, how: 'first_letter' };
const PHONETIC: TokenSimilarity = { similarity: PHONETIC_SIMILARITY, how: 'phonetic' };

/**
 * Letters that romanisations of one sound exchange (Kim / Gim, Usama / Osama, Wladimir / Vladimir, Cencora / Sencora).
 * Any other two letters at the start of a name make two names: Fernandez and Hernandez, Kala and Bala.
 */
const LETTER_CLASSES: readonly string[] = ['aeiouy', 'ckqg', 'bp', 'dt', 'szc', 'vw', 'jy'];

export const sameLetterClass = (a: string, b: string): boolean =>
  a === b || LETTER_CLASSES.some((letters) => letters.includes(a) && letters.includes(b));

/** Letters whose presence or absence a short name's spelling varies by (Ali / Alia, Jon / John). */
const SOFT_LETTERS = 'aeiouyh';

/**
 * Whether a one-edit difference keeps the first letter: the same first letter, two letters of one romanisation class,
 * or a vowel written in front ("Invidia" / "Nvidia", "Yevgeny" / "Evgeny").
 */
const keepsFirstLetter = (a: string, b: string): boolean => {
  if (a.charCodeAt(0) === b.charCodeAt(0)) return true;
  if (a.length === b.length) return sameLetterClass(a[0]!, b[0]!);
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  return 'aeiouy'.includes(longer[0]!) && longer.slice(1) === shorter;
};

/**
 * In a word of three letters one letter is a third of it: "Jia" / "Jin", "Wen" / "Wei" and "Min" / "Ming" are
 * different names. A one-edit difference counts there only when it is soft: one vowel for another, two letters of one
 * romanisation class, two neighbours swapped, or a vowel or an h written or not ("Ali" / "Alia", "Jon" / "John").
 */
const softEdit = (a: string, b: string): boolean => {
  if (a.length === b.length) {
    let i = 0;
    while (a[i] === b[i]) i += 1;
    if (a[i + 1] !== b[i + 1]) return isTransposition(a, b);
    const x = a[i]!;
    const y = b[i]!;
    return ('aeiouy'.includes(x) && 'aeiouy'.includes(y)) || sameLetterClass(x, y);
  }
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < shorter.length && shorter[i] === longer[i]) i += 1;
  return SOFT_LETTERS.includes(longer[i]!);
};

// Legal forms that name one kind of company in other words: a joint-stock company open, closed or public, an SRL.
const LEGAL_FORM_FAMILY: ReadonlyMap<string, string> = new Map([
  ['jsc', 'jsc'],
  ['ojsc', 'jsc'],
  ['cjsc', 'jsc'],
  ['pjsc', 'jsc'],
  ['srl', 'srl'],
  ['sarl', 'srl'],
]);
const sameLegalFormFamily = (a: string, b: string): boolean => {
  const family = LEGAL_FORM_FAMILY.get(a);
  return family !== undefined && family === LEGAL_FORM_FAMILY.get(b);
};

/** Vowel groups ("mi-che-lle" has three, "mi-chae-l" two): two spellings of one sound keep their number. */
const vowelGroups = (token: string): number => token.match(/[aeiouy]+/g)?.length ?? 0;

/**
 * Similarity of two normalised tokens, with the reason it has that value. Spelling tolerance grows with length,
 * as in Lucene's "AUTO" fuzziness: no edit under three letters, one from three, two from six; but in a word of three
 * letters the edit must be soft (`softEdit`), and the first letter stays (or changes within one romanisation class):
 * one edit that changes it, in a word of five letters or more, scores only FIRST_LETTER_SIMILARITY. Three more ways
 * to be the same name: a spelling variant ("ry" / "ri", at any length); a romanised abjad spelling with the same
 * consonants ("frnndw", "fernando"); in words of six letters or more, a romanisation with the same phonetic key, the
 * same first sound, as many vowel groups and a length within two letters ("hussein", "husayn"). Anything else is a
 * different word: similarity 0.
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
  if (a.numeric || b.numeric) return NO_MATCH;
  if (a.variant === b.variant || sameLegalFormFamily(a.text, b.text)) return VARIANT;
  if (shorter < 3) return NO_MATCH;
  const allowed = shorter >= 6 ? 2 : 1;
  if (Math.abs(lengthA - lengthB) <= allowed) {
    const distance = editDistance(a.text, b.text, allowed);
    if (distance === 1 && (shorter >= 4 || softEdit(a.text, b.text))) {
      if (keepsFirstLetter(a.text, b.text)) return isTransposition(a.text, b.text) ? TRANSPOSITION : TYPO;
      if (shorter >= 5 && lengthA === lengthB) return FIRST_LETTER;
    }
    if (distance === 2 && allowed === 2 && sameLetterClass(a.text[0]!, b.text[0]!)) return TWO_EDITS;
  }
  if (a.hasVowel !== b.hasVowel && a.consonant.length >= 3 && a.consonant === b.consonant) return TRANSLITERATION;
  if (
    shorter >= PHONETIC_MIN_LENGTH &&
    Math.abs(lengthA - lengthB) <= 2 &&
    a.phonetic.length >= 2 &&
    a.phonetic === b.phonetic &&
    sameLetterClass(a.text[0]!, b.text[0]!) &&
    vowelGroups(a.text) === vowelGroups(b.text) &&
    jaroWinkler(a.text, b.text) >= PHONETIC_MIN_JARO_WINKLER
  ) {
    return PHONETIC;
  }
  return NO_MATCH;
};

/** Token similarity for two plain strings (the keys are computed on the spot). */
export const tokenSimilarity = (a: string, b: string): TokenSimilarity => {
  if (a === b) return EXACT;
  return keyedSimilarity(tokenKeys(a), tokenKeys(b));
};
