// The side-by-side view's words and choices: the score's parts in the order they add up, listed dates as published,
// and the hits a decision covers (every open one, narrowed by the officer, in the case's order).
import { describe, expect, it } from 'vitest';
import { ScreeningHitsSchema } from '../../core/api/contract.ts';
import {
  formatListDate,
  hitKey,
  openHitIds,
  scoreParts,
  toggleHit,
} from '../../renderer/src/features/case/hit-view.ts';
import type { HitMatch, HitsView } from '../../renderer/src/features/case/hit-view.ts';

const match = (change: Partial<HitMatch> = {}): HitMatch => ({
  queryTokens: [],
  listedTokens: [],
  alignmentScore: 0.9733,
  nameRules: [],
  nameScore: 0.9733,
  weakAliasAdjustment: 0,
  evidence: [],
  substitutedWeight: 0,
  omittedWeight: 0,
  score: 0.9733,
  strength: 'strong',
  strengthCapped: false,
  ...change,
});

const hit = (entryId: string, cleared: boolean) => ({
  hit: { listId: 'ofac-sdn', entryId, listVersion: '80cade867ac09dd2' },
  party: 'person' as const,
  listKind: 'sanctions' as const,
  strength: 'potential' as const,
  score: 0.9,
  cleared,
  resolution: null,
  list: {
    listId: 'ofac-sdn',
    version: '80cade867ac09dd2',
    source: 'ofac-sdn-csv',
    publishedAt: null,
    importedAt: '2026-11-01T00:00:00.000Z',
  },
  entry: {
    id: entryId,
    type: 'person',
    names: [],
    datesOfBirth: [],
    nationalities: [],
    countries: [],
    programs: [],
    remarks: null,
  },
  match: null,
});

const view: HitsView = ScreeningHitsSchema.parse({
  caseId: 'C-1',
  leadId: 'L-1',
  queue: 'screening_review',
  erased: false,
  thresholds: { potential: 0.82, strong: 0.93 },
  parties: [],
  hits: [hit('1', false), hit('2', true), hit('3', false)],
});

describe('scoreParts', () => {
  it('lists the name similarity, then the weak alias and each piece of evidence with what it did', () => {
    const parts = scoreParts(
      match({
        alignmentScore: 0.93,
        nameScore: 0.93,
        weakAliasAdjustment: -0.05,
        omittedWeight: 1,
        evidence: [
          { field: 'dateOfBirth', query: '1969-09-25', listed: ['1969-09-25'], verdict: 'exact', adjustment: 0.08 },
          { field: 'nationality', query: 'FR', listed: ['LB'], verdict: 'conflict', adjustment: -0.05 },
          { field: 'country', query: 'GB', listed: ['LB'], verdict: 'no_match', adjustment: 0 },
        ],
      }),
    );
    expect(parts.map((part) => [part.label, part.value, part.effect])).toEqual([
      ['Name similarity', 0.93, 'base'],
      ['Weak alias', -0.05, 'lowered'],
      ['Date of birth', 0.08, 'raised'],
      ['Nationality', -0.05, 'lowered'],
      ['Country', 0, 'none'],
    ]);
    expect(parts[0]!.detail).toBe('every word aligned exactly');
    expect(parts[3]!.detail).toBe('FR against LB: differs');
  });

  it('lists each precision rule after the name similarity, lowering it, with the words it concerns', () => {
    const detail = 'words in a different order, and some only by spelling: davis ~ david (typo)';
    const parts = scoreParts(
      match({
        alignmentScore: 0.96,
        nameRules: [{ rule: 'order_with_fuzzy', adjustment: -0.15, detail }],
        nameScore: 0.81,
        score: 0.81,
      }),
    );
    expect(parts.map((part) => [part.label, part.value, part.effect])).toEqual([
      ['Name similarity', 0.96, 'base'],
      ['Order and spelling', -0.15, 'lowered'],
    ]);
    expect(parts[1]!.detail).toBe(detail);
  });

  it('leaves the weak-alias row out when the name matched is not a weak alias', () => {
    expect(scoreParts(match()).map((part) => part.label)).toEqual(['Name similarity']);
  });

  it('names the words that found no counterpart, on each side, and says when spelling aligned some', () => {
    const token = (text: string, pair: number | null, how: string | null = pair === null ? null : 'exact') => ({
      text,
      role: 'name' as const,
      pair,
      how,
    });
    const parts = scoreParts(
      match({
        queryTokens: [token('abbas', 1), token('karim', null), token('garib', 2, 'typo')],
        listedTokens: [token('abbas', 1), token('hassan', null), token('gharib', 2, 'typo')],
      }),
    );
    expect(parts[0]!.detail).toBe(
      'only in the screened name: karim; only in the listed name: hassan; some words aligned by spelling',
    );
  });
});

describe('formatListDate', () => {
  it('writes a date, a range and an approximate year as published', () => {
    expect(formatListDate({ from: '1969-09-25', to: null, approximate: false })).toBe('1969-09-25');
    expect(formatListDate({ from: '1960', to: '1962', approximate: false })).toBe('1960 to 1962');
    expect(formatListDate({ from: '1975', to: null, approximate: true })).toBe('circa 1975');
  });
});

describe('the hits a decision covers', () => {
  it('are every open hit at first, and the officer narrows or widens them, in the case’s order', () => {
    const open = openHitIds(view);
    expect(open.map(hitKey)).toEqual(['ofac-sdn/1@80cade867ac09dd2', 'ofac-sdn/3@80cade867ac09dd2']);
    const narrowed = toggleHit(view, open, view.hits[0]!.hit);
    expect(narrowed.map((id) => id.entryId)).toEqual(['3']);
    expect(toggleHit(view, narrowed, view.hits[0]!.hit).map((id) => id.entryId)).toEqual(['1', '3']);
  });
});
