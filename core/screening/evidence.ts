// Secondary evidence: date of birth, nationality and country raise or lower a name's score, each part recorded.
import type { ListDate, ListEntry } from './model.ts';

export type EvidenceField = 'dateOfBirth' | 'nationality' | 'country';
export type EvidenceVerdict = 'exact' | 'same_year' | 'near' | 'conflict' | 'match' | 'no_match';
export type EvidencePart = {
  readonly field: EvidenceField;
  readonly query: string;
  readonly listed: readonly string[];
  readonly verdict: EvidenceVerdict;
  /** Added to the name score (negative lowers it). */
  readonly adjustment: number;
};

/** What the screened party brings besides its name. */
export type PartyEvidence = {
  readonly dateOfBirth?: string;
  /** ISO 3166-1 alpha-2. */
  readonly nationality?: string;
  /** ISO 3166-1 alpha-2: residence, registration or address. */
  readonly country?: string;
};

// The adjustments are small next to the name score on purpose: evidence tips a borderline name either way,
// it never turns a different name into a hit or clears an identical one on its own.
export const EVIDENCE_ADJUSTMENT = {
  dobExact: 0.08,
  dobSameYear: 0.04,
  dobSameYearOtherDay: -0.04,
  dobConflict: -0.15,
  nationalityMatch: 0.03,
  nationalityConflict: -0.05,
  countryMatch: 0.02,
} as const;

/** The most evidence can add: candidate generation widens its net by this much. */
export const MAX_EVIDENCE_BOOST =
  EVIDENCE_ADJUSTMENT.dobExact + EVIDENCE_ADJUSTMENT.nationalityMatch + EVIDENCE_ADJUSTMENT.countryMatch;

type PartialDate = { year: number; month?: number; day?: number };

/** Reads YYYY, YYYY-MM or YYYY-MM-DD (a time part is ignored); undefined for anything else. */
export const parsePartialDate = (text: string): PartialDate | undefined => {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$/.exec(text.trim());
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = match[2] === undefined ? undefined : Number(match[2]);
  const day = match[3] === undefined ? undefined : Number(match[3]);
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  if (day !== undefined && (day < 1 || day > 31)) return undefined;
  return { year, ...(month === undefined ? {} : { month }), ...(day === undefined ? {} : { day }) };
};

const RANK: Readonly<Record<EvidenceVerdict, number>> = {
  exact: 5,
  same_year: 4,
  near: 3,
  match: 3,
  no_match: 1,
  conflict: 0,
};

const compareOneDate = (query: PartialDate, listed: ListDate): EvidenceVerdict => {
  const from = parsePartialDate(listed.from);
  if (from === undefined) return 'no_match';
  const to = listed.to === undefined ? undefined : parsePartialDate(listed.to);
  if (to !== undefined && to.year !== from.year) {
    if (query.year >= from.year && query.year <= to.year) return 'same_year';
    return query.year === from.year - 1 || query.year === to.year + 1 ? 'near' : 'conflict';
  }
  if (query.year !== from.year) {
    return Math.abs(query.year - from.year) === 1 && listed.approximate ? 'near' : 'conflict';
  }
  if (query.day !== undefined && from.day !== undefined && !listed.approximate) {
    return query.month === from.month && query.day === from.day ? 'exact' : 'conflict';
  }
  return 'same_year';
};

const dateEvidence = (query: string, listed: readonly ListDate[]): EvidencePart | undefined => {
  const parsed = parsePartialDate(query);
  if (parsed === undefined || listed.length === 0) return undefined;
  let best: EvidenceVerdict = 'conflict';
  let sameYearOtherDay = false;
  for (const date of listed) {
    const verdict = compareOneDate(parsed, date);
    if (verdict === 'conflict' && parsePartialDate(date.from)?.year === parsed.year) sameYearOtherDay = true;
    if (RANK[verdict] > RANK[best]) best = verdict;
  }
  const shown = listed.map((date) => (date.to === undefined ? date.from : `${date.from}..${date.to}`));
  const adjustment =
    best === 'exact'
      ? EVIDENCE_ADJUSTMENT.dobExact
      : best === 'same_year'
        ? EVIDENCE_ADJUSTMENT.dobSameYear
        : best === 'near' || best === 'no_match'
          ? 0
          : sameYearOtherDay
            ? EVIDENCE_ADJUSTMENT.dobSameYearOtherDay
            : EVIDENCE_ADJUSTMENT.dobConflict;
  return { field: 'dateOfBirth', query, listed: shown, verdict: best, adjustment };
};

/**
 * Weighs the party's secondary data against an entry. Only what both sides state is compared: a list that
 * gives no date of birth neither helps nor hurts. A person's date of birth says nothing about a company.
 */
export const weighEvidence = (party: PartyEvidence, entry: ListEntry): EvidencePart[] => {
  const parts: EvidencePart[] = [];
  if (party.dateOfBirth !== undefined && entry.type === 'person') {
    const part = dateEvidence(party.dateOfBirth, entry.datesOfBirth);
    if (part !== undefined) parts.push(part);
  }
  if (party.nationality !== undefined && entry.nationalities.length > 0 && entry.type === 'person') {
    const match = entry.nationalities.includes(party.nationality);
    parts.push({
      field: 'nationality',
      query: party.nationality,
      listed: entry.nationalities,
      verdict: match ? 'match' : 'conflict',
      adjustment: match ? EVIDENCE_ADJUSTMENT.nationalityMatch : EVIDENCE_ADJUSTMENT.nationalityConflict,
    });
  }
  if (party.country !== undefined && (entry.countries.length > 0 || entry.nationalities.length > 0)) {
    const listed = [...new Set([...entry.countries, ...entry.nationalities])];
    const match = listed.includes(party.country);
    // An address abroad is common; only agreement counts.
    parts.push({
      field: 'country',
      query: party.country,
      listed,
      verdict: match ? 'match' : 'no_match',
      adjustment: match ? EVIDENCE_ADJUSTMENT.countryMatch : 0,
    });
  }
  return parts;
};
