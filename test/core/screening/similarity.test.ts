// Token similarity: Jaro-Winkler, edit distance, phonetic and consonant keys, and how each match is named.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  consonantKey,
  editDistance,
  jaroWinkler,
  phoneticKey,
  tokenSimilarity,
} from '../../../core/screening/similarity.ts';

describe('jaroWinkler', () => {
  it('gives the published reference values', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.9611, 4);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 4);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.8133, 4);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });

  it('stays in [0, 1], is symmetric and is 1 only for equal strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const value = jaroWinkler(a, b);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1 + 1e-12);
        expect(jaroWinkler(b, a)).toBeCloseTo(value, 12);
        if (a === b) expect(value).toBe(1);
      }),
    );
  });
});

describe('editDistance', () => {
  it('counts substitutions, insertions, deletions and adjacent swaps', () => {
    expect(editDistance('smith', 'smyth')).toBe(1);
    expect(editDistance('ahmed', 'ahmad')).toBe(1);
    expect(editDistance('abdul', 'abudl')).toBe(1);
    expect(editDistance('scholz', 'schulze')).toBe(2);
    expect(editDistance('castillo', 'castro', 2)).toBe(3);
  });

  it('is symmetric and zero only for equal strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), (a, b) => {
        const d = editDistance(a, b, 20);
        expect(editDistance(b, a, 20)).toBe(d);
        expect(d === 0).toBe(a === b);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });
});

describe('keys', () => {
  it('give romanisation variants one phonetic key', () => {
    expect(phoneticKey('mohammed')).toBe(phoneticKey('muhammad'));
    expect(phoneticKey('hussein')).toBe(phoneticKey('husayn'));
    expect(phoneticKey('qadhafi')).toBe(phoneticKey('kadafi'));
  });

  it('give an abjad romanisation and its Latin spelling one consonant key', () => {
    expect(consonantKey('frnndw')).toBe(consonantKey('fernando'));
    expect(consonantKey('mhmd')).toBe(consonantKey('mohammed'));
  });
});

describe('tokenSimilarity', () => {
  it('names exact matches, typos, transpositions, initials and transliterations', () => {
    expect(tokenSimilarity('ali', 'ali')).toEqual({ similarity: 1, how: 'exact' });
    expect(tokenSimilarity('smith', 'smitt').how).toBe('typo');
    expect(tokenSimilarity('abdul', 'abudl').how).toBe('transposition');
    expect(tokenSimilarity('a', 'ali').how).toBe('initial');
    expect(tokenSimilarity('byryz', 'perez').how).toBe('transliteration');
    expect(tokenSimilarity('mohammed', 'mohamad').similarity).toBeGreaterThanOrEqual(0.85);
  });

  it('tolerates more spelling in longer words (no edit under 3 letters, one from 3, two from 6)', () => {
    expect(tokenSimilarity('al', 'el').similarity).toBe(0);
    expect(tokenSimilarity('ali', 'ala').similarity).toBeGreaterThan(0.8);
    expect(tokenSimilarity('jose', 'josue').similarity).toBeGreaterThan(0.8);
    expect(tokenSimilarity('omar', 'amir').similarity).toBe(0);
    expect(tokenSimilarity('schulze', 'scholz').similarity).toBeGreaterThan(0.8);
  });

  it('calls different names different, however alike they look to Jaro-Winkler', () => {
    expect(jaroWinkler('castillo', 'castro')).toBeGreaterThan(0.85);
    expect(tokenSimilarity('castillo', 'castro').similarity).toBe(0);
    expect(tokenSimilarity('1', '2').similarity).toBe(0);
    expect(tokenSimilarity('2004', '2005').similarity).toBe(0);
  });

  it('is symmetric', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,9}$/), fc.stringMatching(/^[a-z]{1,9}$/), (a, b) => {
        expect(tokenSimilarity(a, b)).toEqual(tokenSimilarity(b, a));
      }),
    );
  });
});
