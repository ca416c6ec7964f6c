// Explaining one party against one listed entry: the same score and parts as screening, every name scored, and the
// aligned tokens numbered on both sides for the officer's side-by-side view.
import { describe, expect, it } from 'vitest';
import { explainEntryMatch } from '../../../core/screening/explain-entry.ts';
import { buildIndex } from '../../../core/screening/match-index.ts';
import { screenParty } from '../../../core/screening/screen.ts';
import type { Party } from '../../../core/screening/screen.ts';
import { snapshot } from './fixtures.ts';

const THRESHOLDS = { potential: 0.85, strong: 0.93 };

const list = snapshot(
  'test-sanctions',
  [
    {
      id: 'G1',
      names: ['GHARIB, Abbas Hassan', { value: 'GHARIB, Abbass', weak: true }],
      dob: ['1969-09-25'],
      nationalities: ['LB'],
    },
    { id: 'K1', names: ['KIM, Jong Un', { value: 'Kim Jong Eun', weak: true }], dob: ['1984-01-08'] },
    { id: 'C1', names: ['SIEMENS AG'], type: 'company' },
  ],
  'ofac-sdn-csv',
);
const index = buildIndex([list]);
const entryOf = (id: string) => list.entries.find((entry) => entry.id === id)!;

const agreesWithScreening = (party: Party, entryId: string): void => {
  const hit = screenParty(index, party, THRESHOLDS).hits.find((found) => found.entryId === entryId)!;
  expect(hit).toBeDefined();
  const explained = explainEntryMatch(party, entryOf(entryId), THRESHOLDS)!;
  expect(explained.score).toBe(hit.score);
  expect(explained.strength).toBe(hit.strength);
  expect(explained.names[explained.matchedName]!.value).toBe(hit.matchedName);
  expect(explained.explanation).toEqual(hit.explanation);
};

describe('explainEntryMatch', () => {
  it('gives the score, strength, matched name and parts that screening gave', () => {
    agreesWithScreening({ name: 'Abbas Hasan Gharib', type: 'person', dateOfBirth: '1969-09-25' }, 'G1');
    agreesWithScreening({ name: 'Abbas Gharib', type: 'person', nationality: 'LB' }, 'G1');
    agreesWithScreening({ name: 'Kim Jong Eun', type: 'person' }, 'K1');
    agreesWithScreening({ name: 'Siemens Aktiengesellschaft', type: 'company' }, 'C1');
  });

  it('scores every name of the entry and marks the weak alias as weak, lowered by the weak-alias adjustment', () => {
    const explained = explainEntryMatch({ name: 'Kim Jong Eun', type: 'person' }, entryOf('K1'), THRESHOLDS)!;
    expect(explained.names.map((name) => [name.value, name.weak])).toEqual([
      ['KIM, Jong Un', false],
      ['Kim Jong Eun', true],
    ]);
    const weak = explained.names[1]!;
    expect(weak.nameScore).toBe(1);
    expect(weak.adjustedScore).toBe(0.95);
    // A hit resting on a weak alias alone is never strong, however close the name.
    if (explained.matchedName === 1) {
      expect(explained.strength).toBe('potential');
      expect(explained.explanation.strengthCapped).toBe(true);
    }
  });

  it('numbers each aligned pair of tokens on both sides and leaves the unmatched ones unnumbered', () => {
    const explained = explainEntryMatch({ name: 'Abbas Hasan Gharib', type: 'person' }, entryOf('G1'), THRESHOLDS)!;
    expect(explained.queryTokens.map((token) => [token.text, token.pair, token.how])).toEqual([
      ['abbas', 1, 'exact'],
      ['hasan', 3, 'variant'],
      ['gharib', 2, 'exact'],
    ]);
    // The listed name is "Abbas Hassan GHARIB" once the comma order is undone.
    expect(explained.listedTokens.map((token) => [token.text, token.pair])).toEqual([
      ['abbas', 1],
      ['hassan', 3],
      ['gharib', 2],
    ]);
    const lesser = explainEntryMatch({ name: 'Abbas Karim Gharib', type: 'person' }, entryOf('G1'), THRESHOLDS)!;
    expect(lesser.queryTokens.find((token) => token.text === 'karim')).toMatchObject({ pair: null, how: null });
    expect(lesser.explanation.unmatchedQuery).toEqual(['karim']);
    // Without "Hassan", the weak alias "GHARIB, Abbass" fits best: the hit rests on it and says so.
    expect(lesser.names[lesser.matchedName]).toMatchObject({ value: 'GHARIB, Abbass', weak: true, best: true });
    expect(lesser.listedTokens.map((token) => [token.text, token.pair, token.how])).toEqual([
      ['abbass', 2, 'variant'],
      ['gharib', 1, 'exact'],
    ]);
    expect(lesser.explanation.weakAliasAdjustment).toBeLessThan(0);
  });

  it('records evidence that raised and lowered the score, and says when the score is under the threshold today', () => {
    const raised = explainEntryMatch(
      { name: 'Abbas Hassan Gharib', type: 'person', dateOfBirth: '1969-09-25', nationality: 'LB' },
      entryOf('G1'),
      THRESHOLDS,
    )!;
    expect(raised.explanation.evidence.map((part) => [part.field, part.verdict, part.adjustment])).toEqual([
      ['dateOfBirth', 'exact', 0.08],
      ['nationality', 'match', 0.03],
    ]);
    expect(raised.score).toBe(1);
    const lowered = explainEntryMatch(
      { name: 'Abbas Gharib', type: 'person', dateOfBirth: '1990-01-01', nationality: 'FR' },
      entryOf('G1'),
      THRESHOLDS,
    )!;
    expect(lowered.explanation.evidence.every((part) => part.adjustment < 0)).toBe(true);
    expect(lowered.strength).toBeNull();
  });
});
