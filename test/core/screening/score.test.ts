// Name scoring: typos, transpositions, missing middle names, initials, word order, joined tokens, and its parts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normaliseName } from '../../../core/screening/normalise.ts';
import { nameScore, scoreNames } from '../../../core/screening/score.ts';

const POTENTIAL = 0.85;
const STRONG = 0.93;
const score = (a: string, b: string, kind: 'person' | 'company' = 'person'): number =>
  scoreNames(normaliseName(a, kind).tokens, normaliseName(b, kind).tokens).score;

describe('scoreNames', () => {
  it('scores identical names 1', () => {
    expect(score('Nicolas Ernesto MADURO GUERRA', 'Nicolas Ernesto Maduro Guerra')).toBe(1);
  });

  it('tolerates word order and "SURNAME, Given"', () => {
    expect(score('Ali Wahib AL-ZAIN', 'AL-ZAIN, Ali Wahib')).toBe(1);
    expect(score('Zain Ali Wahib', 'Ali Wahib Zain')).toBe(1);
  });

  it('keeps a one-letter typo and a swap of letters a strong match', () => {
    expect(score('Vladimir Putinn', 'Vladimir Putin')).toBeGreaterThanOrEqual(STRONG);
    expect(score('Vladimir Ptuin', 'Vladimir Putin')).toBeGreaterThanOrEqual(STRONG);
    const parts = scoreNames(
      normaliseName('Vladimir Ptuin', 'person').tokens,
      normaliseName('Vladimir Putin', 'person').tokens,
    );
    expect(parts.alignments.map((a) => a.how)).toEqual(['exact', 'transposition']);
  });

  it('keeps a missing or extra middle name above the potential threshold', () => {
    expect(score('JAMAL SULTAN AL-TIKRITI', 'JAMAL MUSTAFA ABDALLAH SULTAN AL-TIKRITI')).toBeGreaterThanOrEqual(
      POTENTIAL,
    );
    expect(score('John Michael Smith', 'John Smith')).toBeGreaterThanOrEqual(POTENTIAL);
    const parts = scoreNames(
      normaliseName('John Michael Smith', 'person').tokens,
      normaliseName('John Smith', 'person').tokens,
    );
    expect(parts.unmatchedQuery).toEqual(['michael']);
    expect(parts.omittedWeight).toBe(1);
    expect(parts.substitutedWeight).toBe(0);
  });

  it('matches initials against the names they abbreviate', () => {
    const parts = scoreNames(
      normaliseName('A. Khamenei', 'person').tokens,
      normaliseName('Ali Khamenei', 'person').tokens,
    );
    expect(parts.alignments.find((a) => a.query[0] === 'a')?.how).toBe('initial');
    expect(parts.score).toBeGreaterThanOrEqual(POTENTIAL);
  });

  it('aligns a name written together with the same name written apart', () => {
    expect(score('JanDaniel Bothma', 'Jan Daniel Bothma')).toBe(1);
    expect(score('SiemensAG', 'Siemens AG', 'company')).toBeGreaterThanOrEqual(STRONG);
    expect(score('Siemens Aktiengesellschaft', 'Siemens AG', 'company')).toBe(1);
  });

  it('puts a different surname or given name below the potential threshold', () => {
    expect(score('Ihab Makhlouf', 'Rami Makhlouf')).toBeLessThan(POTENTIAL);
    expect(score('Barack Obama', 'George Hussein Onyango Obama')).toBeLessThan(POTENTIAL);
    expect(score('Raúl Castillo', 'Raúl Castro')).toBeLessThan(POTENTIAL);
    expect(score('KIM KYONG MIN', 'KIM KYONG IL')).toBeLessThan(POTENTIAL);
  });

  it('does not match on particles, titles or legal forms alone', () => {
    expect(score('Al Bin', 'Al Bin Laden')).toBeLessThan(POTENTIAL);
    expect(score('Volkswagen AG', 'Siemens AG', 'company')).toBeLessThan(0.5);
    expect(score('Acme LLC', 'Widgets LLC', 'company')).toBe(0);
  });

  it('matches an abjad romanisation against the Latin spelling', () => {
    expect(score('فرناندو بيريز', 'Fernando Pérez')).toBeGreaterThanOrEqual(POTENTIAL);
  });

  it('agrees with the fast score-only path', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-e]{1,5}$/), { minLength: 1, maxLength: 5 }),
        fc.array(fc.stringMatching(/^[a-e]{1,5}$/), { minLength: 1, maxLength: 5 }),
        (a, b) => {
          const query = normaliseName(a.join(' '), 'person').tokens;
          const listed = normaliseName(b.join(' '), 'person').tokens;
          expect(nameScore(query, listed)).toBe(scoreNames(query, listed).score);
        },
      ),
    );
  });

  it('always lies in [0, 1], and 1 for a name against itself', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 6 }),
        fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 6 }),
        (a, b) => {
          const value = score(a.join(' '), b.join(' '));
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
          expect(score(a.join(' '), a.join(' '))).toBe(1);
        },
      ),
    );
  });

  it('does not depend on the order of distinct tokens', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z]{3,8}$/), { minLength: 1, maxLength: 5 }),
        fc.uniqueArray(fc.stringMatching(/^[a-z]{3,8}$/), { minLength: 1, maxLength: 5 }),
        (a, b) => {
          const forward = score(a.join(' '), b.join(' '));
          expect(score([...a].reverse().join(' '), b.join(' '))).toBe(forward);
        },
      ),
    );
  });
});
