// Name normalisation: NFKC, transliteration, case folding, punctuation, name order, honorifics, particles and legal forms.
import anyAscii from 'any-ascii';
import { editDistance, variantKey } from './similarity.ts';

/** What a token is to the name: its role decides its weight in a score, never whether it is kept. */
export type TokenRole = 'name' | 'particle' | 'title' | 'legal_form';
export type NameToken = { readonly text: string; readonly role: TokenRole };
export type NameKind = 'person' | 'company' | 'unknown';
export type NormalisedName = {
  readonly tokens: readonly NameToken[];
  /** "SURNAME, Given" was turned into "Given SURNAME". */
  readonly reordered: boolean;
  /** The name was written in a non-Latin script (or with letters outside ASCII) and was transliterated. */
  readonly transliterated: boolean;
};

/** Relative weight of a token by role: titles and legal forms hardly identify anyone, particles a little. */
export const ROLE_WEIGHT: Readonly<Record<TokenRole, number>> = {
  name: 1,
  particle: 0.3,
  legal_form: 0.3,
  title: 0.15,
};

// Honorifics and ranks in front of a person's name, and generational suffixes behind it.
const TITLES = new Set(
  (
    'mr mrs ms miss mx dr doctor prof professor sir dame lord lady rev reverend hon honourable honorable ' +
    'sheikh shaikh sheik shaykh haji hajji hadji alhaj alhaji mullah mulla maulavi maulvi mawlawi moulavi molvi ' +
    'qari hafiz general gen colonel col major maj captain capt lieutenant lt brigadier brig admiral adm sergeant sgt ' +
    'president minister senator governor ambassador judge imam ayatollah'
  ).split(' '),
);
const SUFFIXES = new Set('jr jnr junior sr snr senior ii iii iv'.split(' '));

// Connecting words: Arabic, Romance, Germanic and Dutch particles, articles and conjunctions.
const PARTICLES = new Set(
  (
    'al el ul bin ben ibn bint binti bte bt ould de del della dela der den di da das do dos du des la le lo van von ' +
    'y e the of and for und et'
  ).split(' '),
);
// Spellings of the same particle, so "AL BEN ALI" and "Al Bin Ali" line up exactly. A Map, not an object: a word of a
// name is looked up in it, and "constructor" (GRUPO CONSTRUCTOR …) must not find Object's own properties.
const PARTICLE_CANONICAL: ReadonlyMap<string, string> = new Map([
  ['el', 'al'],
  ['ul', 'al'],
  ['ben', 'bin'],
  ['ibn', 'bin'],
]);

type LegalForm = { readonly pattern: readonly string[]; readonly canonical: string; readonly ambiguous: boolean };

// Company legal forms as phrases (a trailing * matches any ending, for transliterated inflections).
// `ambiguous` forms are also ordinary words or names, so they count as legal forms only in a company's name.
const LEGAL_FORM_TABLE: readonly [string, string, boolean][] = [
  ['limited liability company', 'llc', false],
  ['limited liability partnership', 'llp', false],
  ['limited partnership', 'lp', false],
  ['public limited company', 'plc', false],
  ['public joint stock company', 'pjsc', false],
  ['open joint stock company', 'ojsc', false],
  ['closed joint stock company', 'cjsc', false],
  ['joint stock company', 'jsc', false],
  ['joint stock co', 'jsc', false],
  ['stock company', 'jsc', false],
  ['obshchestvo s ogranichenn* otvetstvenn*', 'llc', false],
  ['obshestvo s ogranichenn* otvetstvenn*', 'llc', false],
  ['tovarystvo z obmezhen* vidpovidaln*', 'llc', false],
  ['tovarishchestvo s ogranichenn* otvetstvenn*', 'llc', false],
  ['publichnoe aktsionern* obshchestvo', 'pjsc', false],
  ['otkrytoe aktsionern* obshchestvo', 'ojsc', false],
  ['zakrytoe aktsionern* obshchestvo', 'cjsc', false],
  ['aktsionern* obshchestvo', 'jsc', false],
  ['aktsionerne tovarystvo', 'jsc', false],
  ['aktiengesellschaft', 'ag', false],
  ['gesellschaft mit beschrankter haftung', 'gmbh', false],
  ['sociedad anonima', 'sa', false],
  ['societe anonyme', 'sa', false],
  ['sociedade anonima', 'sa', false],
  ['sociedad de responsabilidad limitada', 'srl', false],
  ['societe a responsabilite limitee', 'sarl', false],
  ['societa a responsabilita limitata', 'srl', false],
  ['societa per azioni', 'spa', false],
  ['sociedad anonima de capital variable', 'sa de cv', false],
  ['s de rl de cv', 'srl de cv', false],
  ['de cv', 'cv', false],
  ['kabushiki kaisha', 'kk', false],
  ['kabushiki gaisha', 'kk', false],
  ['sp z oo', 'spzoo', false],
  ['sp z o o', 'spzoo', false],
  ['spzoo', 'spzoo', false],
  ['corporation', 'corp', false],
  ['corp', 'corp', false],
  ['incorporated', 'inc', false],
  ['inc', 'inc', false],
  ['limited', 'ltd', false],
  ['ltd', 'ltd', false],
  ['llc', 'llc', false],
  ['llp', 'llp', false],
  ['plc', 'plc', false],
  ['gmbh', 'gmbh', false],
  ['pjsc', 'pjsc', false],
  ['ojsc', 'ojsc', false],
  ['cjsc', 'cjsc', false],
  ['jsc', 'jsc', false],
  ['ooo', 'llc', false],
  ['tov', 'llc', false],
  ['oao', 'ojsc', false],
  ['zao', 'cjsc', false],
  ['pao', 'pjsc', false],
  ['sarl', 'sarl', false],
  ['srl', 'srl', false],
  ['spa', 'spa', true],
  ['sas', 'sas', true],
  ['pte', 'pte', true],
  ['pty', 'pty', true],
  ['pvt', 'pvt', true],
  ['company', 'co', true],
  ['co', 'co', true],
  ['ao', 'jsc', true],
  ['ag', 'ag', true],
  ['sa', 'sa', true],
  ['bv', 'bv', true],
  ['nv', 'nv', true],
  ['ab', 'ab', true],
  ['as', 'as', true],
  ['asa', 'asa', true],
  ['oy', 'oy', true],
  ['oyj', 'oyj', true],
  ['kg', 'kg', true],
  ['kk', 'kk', true],
  ['lp', 'lp', true],
  ['kft', 'kft', true],
  ['cv', 'cv', true],
];

const LEGAL_FORMS: readonly LegalForm[] = LEGAL_FORM_TABLE.map(([pattern, canonical, ambiguous]) => ({
  pattern: pattern.split(' '),
  canonical,
  ambiguous,
})).sort((a, b) => b.pattern.length - a.pattern.length);

const LEGAL_FORM_STARTS = new Set(LEGAL_FORMS.map((form) => form.pattern[0]!.replace(/\*$/, '')));

// The long words of legal forms ("limited", "company", "aktiengesellschaft"), which a misspelling should not hide.
const LONG_LEGAL_FORM_WORDS: readonly string[] = [
  ...new Set(LEGAL_FORMS.flatMap((form) => form.pattern).filter((word) => !word.endsWith('*') && word.length >= 6)),
];

/**
 * The legal-form words a word may be a misspelling of: one edit, or the same spelling variant, away from a legal-form
 * word of six letters or more with the same first letter ("COMPAN", "COMPANNI", "LIMITDE", "Liimited",
 * "Aktiengeselschaft"). Short forms (AG, SA, Co) are never guessed: too many words are one edit from them. Whether a
 * guess stands is decided by the phrase: only a whole legal form is read as one.
 */
export const legalFormWordsNear = (word: string): readonly string[] => {
  if (word.length < 5) return NONE;
  const known = nearMemo.get(word);
  if (known !== undefined) return known;
  let near: string[] | undefined;
  for (const form of LONG_LEGAL_FORM_WORDS) {
    if (form.charCodeAt(0) !== word.charCodeAt(0) || Math.abs(form.length - word.length) > 1) continue;
    if (form === word || editDistance(form, word, 1) <= 1 || variantKey(form) === variantKey(word)) {
      (near ??= []).push(form);
    }
  }
  // Names repeat their words (given names above all): each is compared with the legal forms once.
  if (nearMemo.size >= NEAR_MEMO_SIZE) nearMemo.clear();
  nearMemo.set(word, near ?? NONE);
  return near ?? NONE;
};
const NONE: readonly string[] = [];
const NEAR_MEMO_SIZE = 20_000;
const nearMemo = new Map<string, readonly string[]>();

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

const patternMatches = (pattern: string, token: string): boolean =>
  pattern.endsWith('*')
    ? token.startsWith(pattern.slice(0, -1))
    : token === pattern || (pattern.length >= 6 && legalFormWordsNear(token).includes(pattern));

/** True when the text reads as a company legal form on its own ("Ltd.", "S.A. de C.V."), for the comma rule. */
const isLegalFormPhrase = (text: string): boolean => {
  const words = foldToWords(text, 'company');
  if (words.length === 0) return false;
  let position = 0;
  while (position < words.length) {
    const form = matchLegalForm(words, position, true);
    if (form === undefined) return false;
    position += form.pattern.length;
  }
  return true;
};

const matchLegalForm = (words: readonly string[], start: number, allowAmbiguous: boolean): LegalForm | undefined => {
  if (!LEGAL_FORM_STARTS.has(words[start]!)) {
    // Only a starred or misspelt first word could still match; check the few that are.
    if (!words[start]!.startsWith('aktsionern') && legalFormWordsNear(words[start]!).length === 0) return undefined;
  }
  for (const form of LEGAL_FORMS) {
    if (form.ambiguous && !allowAmbiguous) continue;
    if (start + form.pattern.length > words.length) continue;
    let all = true;
    for (let i = 0; i < form.pattern.length; i += 1) {
      if (!patternMatches(form.pattern[i]!, words[start + i]!)) {
        all = false;
        break;
      }
    }
    if (all) return form;
  }
  return undefined;
};

/** Transliterates to ASCII and folds case; reports whether anything outside ASCII was there. */
export const foldToAscii = (raw: string): { text: string; transliterated: boolean } => {
  if (PRINTABLE_ASCII.test(raw)) return { text: raw.toLowerCase(), transliterated: false };
  const nfkc = raw.normalize('NFKC');
  return { text: anyAscii(nfkc).toLowerCase(), transliterated: true };
};

const foldToWords = (raw: string, kind: NameKind): string[] => {
  let text = foldToAscii(raw).text;
  // Apostrophes and okina-like marks join a word ("Kuz'menko", "al-Nu'aymi"); they never split one.
  text = text.replace(/['`\u00b4\u2018\u2019\u02bc\u02bb]/g, '');
  // Dotted abbreviations in company names ("S.A.", "p.l.c.") are one word; a person's "J.R." stays two initials.
  if (kind !== 'person') text = text.replace(/\b[a-z](?:\.[a-z])+\b\.?/g, (match) => `${match.replace(/\./g, '')} `);
  text = text.replace(/&/g, ' and ');
  return text.split(/[^a-z0-9]+/).filter((word) => word.length > 0);
};

/**
 * Normalises one name for matching. Nothing that carries the name is dropped: titles, particles and legal forms
 * stay as tokens with a role (and a low weight), so "Siemens AG" and "Siemens Aktiengesellschaft" align on "ag"
 * while "faberlic" still matches "FABERLIC EUROPE Sp. z o.o.".
 */
export const normaliseName = (raw: string, kind: NameKind): NormalisedName => {
  let text = raw.normalize('NFKC').trim();
  let reordered = false;
  if (kind !== 'company') {
    // "SURNAME, Given names" (OFAC, EU, UK): one comma, and what follows it is not a legal form ("ACME, Ltd.").
    const comma = /^([^,]+),([^,]+)$/.exec(text);
    if (comma !== null && !isLegalFormPhrase(comma[2]!)) {
      text = `${comma[2]!.trim()} ${comma[1]!.trim()}`;
      reordered = true;
    }
  }
  const transliterated = !PRINTABLE_ASCII.test(text);
  const words = foldToWords(text, kind);
  const tokens: NameToken[] = [];
  let position = 0;
  while (position < words.length) {
    const word = words[position]!;
    if (kind !== 'person') {
      const form = matchLegalForm(words, position, kind === 'company');
      if (form !== undefined) {
        tokens.push({ text: form.canonical.replace(/ /g, ''), role: 'legal_form' });
        position += form.pattern.length;
        continue;
      }
    }
    tokens.push({ text: PARTICLE_CANONICAL.get(word) ?? word, role: roleOf(word, position, words, kind) });
    position += 1;
  }
  // A name made only of particles or titles ("Al", "Sheikh") is still a name: keep it matchable.
  if (tokens.length > 0 && tokens.every((token) => token.role !== 'name' && token.role !== 'legal_form')) {
    return { tokens: tokens.map((token) => ({ text: token.text, role: 'name' })), reordered, transliterated };
  }
  return { tokens, reordered, transliterated };
};

const roleOf = (word: string, position: number, words: readonly string[], kind: NameKind): TokenRole => {
  if (kind !== 'company') {
    // Titles only at the front ("Sheikh Isa ..."), suffixes only at the end: "HAJI" inside a name is a name.
    let leading = true;
    for (let i = 0; i < position; i += 1) if (!TITLES.has(words[i]!)) leading = false;
    if (leading && TITLES.has(word) && position < words.length - 1) return 'title';
    if (position === words.length - 1 && position > 0 && SUFFIXES.has(word)) return 'title';
  }
  if (PARTICLES.has(word) && words.length > 1) return 'particle';
  return 'name';
};

/** Guesses whether an untyped name is a company: it carries an unambiguous legal form. */
export const looksLikeCompany = (raw: string): boolean => {
  const words = foldToWords(raw, 'unknown');
  for (let i = 0; i < words.length; i += 1) if (matchLegalForm(words, i, false) !== undefined) return true;
  return false;
};

/** The folded, space-joined form of a name: for display, dictionaries and tests. */
export const normalisedText = (name: NormalisedName): string => name.tokens.map((token) => token.text).join(' ');
