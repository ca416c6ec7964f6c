// Precision of names-only screening: each failure mode found on the negatives, now under the threshold, and the
// spellings that must still match, on tiny hand-made lists.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { explainEntryMatch } from '../../../core/screening/explain-entry.ts';
import { buildIndex, partsOfLongerNames } from '../../../core/screening/match-index.ts';
import { normaliseName, normalisedText } from '../../../core/screening/normalise.ts';
import { nameScore } from '../../../core/screening/score.ts';
import { screenParty } from '../../../core/screening/screen.ts';
import type { Hit, Party } from '../../../core/screening/screen.ts';
import { tokenSimilarity } from '../../../core/screening/similarity.ts';
import { entry, snapshot } from './fixtures.ts';
import type { EntrySpec } from './fixtures.ts';

const THRESHOLDS = { potential: 0.85, strong: 0.93 };
/** Low enough to see a hit the thresholds would drop, with its rules. */
const LOW = { potential: 0.3, strong: 0.99 };

const screenAgainst = (specs: EntrySpec[], party: Party, thresholds = THRESHOLDS) =>
  screenParty(buildIndex([snapshot('test', specs)]), party, thresholds, { maxHits: 20 });
const hitOn = (specs: EntrySpec[], name: string, type: 'person' | 'company' = 'person'): Hit | undefined =>
  screenAgainst(specs, { name, type }, LOW).hits[0];
const rulesOf = (hit: Hit | undefined): string[] => hit?.explanation.nameRules.map((rule) => rule.rule) ?? [];
const outcomeOf = (specs: EntrySpec[], name: string, type: 'person' | 'company' = 'person') =>
  screenAgainst(specs, { name, type }).outcome;

describe('a given name is not matched by sound to a different given name', () => {
  const list: EntrySpec[] = [
    { id: 'A', names: ['REED, Anthony'] },
    { id: 'B', names: ['WALSH, Anne'] },
    { id: 'C', names: ['BURKE, Michael'] },
  ];

  it('Jonathan is not Anthony, Joanna not Anne, Michelle not Michael', () => {
    expect(tokenSimilarity('jonathan', 'anthony').similarity).toBe(0);
    expect(tokenSimilarity('joanna', 'anne').similarity).toBe(0);
    expect(tokenSimilarity('michelle', 'michael').similarity).toBe(0);
    expect(outcomeOf(list, 'Jonathan Reed')).toBe('clear');
    expect(outcomeOf(list, 'Joanna Walsh')).toBe('clear');
    expect(outcomeOf(list, 'Michelle Burke')).toBe('clear');
  });

  it('still matches romanisations of one name: Husayn and Hussein, Muhammad and Mohammed, Hassan and Hasan', () => {
    const arabic: EntrySpec[] = [
      { id: 'S', names: ['AL-TIKRITI, Saddam Hussein'] },
      { id: 'M', names: ['Mohammed HASSAN'] },
    ];
    expect(tokenSimilarity('hussein', 'husayn').how).toBe('phonetic');
    expect(tokenSimilarity('muhammad', 'mohammed').how).toBe('typo');
    expect(outcomeOf(arabic, 'Saddam Husayn al-Tikriti')).toBe('strong');
    expect(outcomeOf(arabic, 'Muhammad Hasan')).not.toBe('clear');
    expect(hitOn(arabic, 'Muhammad Hasan')?.explanation.alignments.map((a) => a.how)).toEqual(['variant', 'typo']);
  });
});

describe('a different first letter is not a typo, and two words alike only in spelling are not a name', () => {
  it('Kala is not Bala; Fernandez against Hernandez aligns only at the lowest similarity', () => {
    expect(tokenSimilarity('kala', 'bala').similarity).toBe(0);
    expect(tokenSimilarity('fernandez', 'hernandez')).toEqual({ similarity: 0.8, how: 'first_letter' });
    expect(outcomeOf([{ id: 'B', names: ['BALA, Haradin'] }], 'Haradin Kala')).toBe('clear');
  });

  it('clears a first-letter change together with another word alike only in spelling', () => {
    const list: EntrySpec[] = [{ id: 'H', names: ['HERNANDEZ VALENCIA, Guadalupe'] }];
    expect(outcomeOf(list, 'Valentina Fernandez')).toBe('clear');
    expect(rulesOf(hitOn(list, 'Valentina Fernandez'))).toEqual([
      'fuzzy_only',
      'order_with_fuzzy',
      'partial_with_fuzzy',
    ]);
    const markus: EntrySpec[] = [{ id: 'G', names: ['GEBERT, Markus'] }];
    const hit = hitOn(markus, 'Marcus Gilbert')!;
    expect(rulesOf(hit)).toEqual(['fuzzy_only']);
    expect(hit.score).toBeLessThan(THRESHOLDS.potential);
  });

  it('clears a first-letter change on a weak alias beside an extra word', () => {
    const list: EntrySpec[] = [
      { id: 'J', names: ['HERNANDEZ CRUZ, John Alexander', { value: 'HERNANDEZ, John', weak: true }] },
    ];
    expect(outcomeOf(list, 'John David Fernandez')).toBe('clear');
  });

  it('keeps first letters that romanisations exchange, and a first-letter change beside words that agree', () => {
    const list: EntrySpec[] = [
      { id: 'O', names: ['Osama bin Laden'] },
      { id: 'K', names: ['KIM, Jong Un'] },
      { id: 'V', names: ['Vladimir Vladimirovich PUTIN'] },
      { id: 'P', names: ['Larry PAGE'] },
    ];
    expect(outcomeOf(list, 'Usama bin Ladin')).not.toBe('clear');
    // Surname first and a romanised surname: the order rule weighs only the third of the name concerned.
    expect(outcomeOf(list, 'Gim Jong Un')).toBe('potential');
    expect(outcomeOf(list, 'Wladimir Putin')).not.toBe('clear');
    // One changed first letter beside an exact surname is still worth a look, but never strong on its own.
    expect(outcomeOf(list, 'Harry Page')).toBe('potential');
  });
});

describe('one word of a longer name, and a short query against a longer listed name', () => {
  const list: EntrySpec[] = [
    { id: 'J', names: ['SMITH, John Paul', { value: 'John', weak: true }] },
    { id: 'M', names: ['LOPEZ OBRADOR, Maria Elena', { value: 'Maria', weak: true }] },
    { id: 'D', names: ['GOMEZ VELASQUEZ, Daniela'] },
    { id: 'S', names: ['SANTOSO'] },
  ];

  it('caps a one-word alias matched by one word of a longer screened name, and says so', () => {
    expect(outcomeOf(list, 'John Walker')).toBe('clear');
    expect(outcomeOf(list, 'Maria Gonzalez')).toBe('clear');
    const hit = hitOn(list, 'John Walker')!;
    expect(hit).toMatchObject({ entryId: 'J', matchedName: 'John', weakAlias: true, strength: 'potential' });
    expect(rulesOf(hit)).toEqual(['single_word_name']);
    expect(hit.explanation.nameScore).toBe(0.7);
    expect(hit.explanation.alignmentScore).toBeGreaterThan(0.85);
  });

  it('still matches a one-word alias screened on its own, as potential (weak), and a one-word full name', () => {
    const alone = screenAgainst(list, { name: 'John', type: 'person' }).hits.find((hit) => hit.entryId === 'J')!;
    expect(alone).toMatchObject({ weakAlias: true, strength: 'potential' });
    expect(alone.explanation.strengthCapped).toBe(true);
    // SANTOSO is the entry's whole name, not part of a longer one: not capped.
    expect(outcomeOf(list, 'Santoso')).toBe('strong');
    expect(rulesOf(hitOn(list, 'Budi Santoso'))).toEqual([]);
  });

  it('clears Daniela Vasquez against GOMEZ VELASQUEZ, Daniela, and finds the name written in full or exactly shortened', () => {
    const short = hitOn(list, 'Daniela Vasquez')!;
    expect(rulesOf(short)).toEqual(['partial_with_fuzzy']);
    expect(short.score).toBeLessThan(THRESHOLDS.potential);
    expect(outcomeOf(list, 'Daniela Gomez Velasquez')).toBe('strong');
    expect(outcomeOf(list, 'Daniela Velasquez')).toBe('strong');
  });
});

describe('word order together with a near-typo', () => {
  const list: EntrySpec[] = [{ id: 'T', names: ['David TAYLOR'], kind: 'pep' }];

  it('clears Taylor Davis against David Taylor', () => {
    const hit = hitOn(list, 'Taylor Davis')!;
    expect(rulesOf(hit)).toEqual(['order_with_fuzzy']);
    expect(hit.explanation.nameRules[0]!.detail).toContain('davis ~ david (typo)');
    expect(outcomeOf(list, 'Taylor Davis')).toBe('clear');
  });

  it('still matches the name in another order, or with a typo in its order', () => {
    expect(outcomeOf(list, 'Taylor David')).toBe('strong');
    expect(outcomeOf(list, 'David Tailor')).toBe('strong');
  });
});

describe('recall: misspelt legal forms and transliterations of short words', () => {
  it('reads COMPANNI, LIMITDE, Liimited and COMPAN as the legal forms they misspell, only inside a legal form', () => {
    const company = (name: string) => normalisedText(normaliseName(name, 'company'));
    expect(company('Northern Star Shipping Companni')).toBe('northern star shipping co');
    expect(company('Northern Star Shipping LIMITDE')).toBe('northern star shipping ltd');
    expect(company('Northern Star Shipping Liimited')).toBe('northern star shipping ltd');
    expect(company('Tactical Missiles Corporation Joint Stock Compan')).toBe('tactical missiles corp jsc');
    expect(company('Compass Ltd')).toBe('compass ltd');
    const list: EntrySpec[] = [
      { id: 'N', names: ['NORTHERN STAR SHIPPING LIMITED'], type: 'company' },
      { id: 'T', names: ['TACTICAL MISSILES CORPORATION JOINT STOCK COMPANY'], type: 'company' },
    ];
    for (const name of ['Northern Star Shipping Limitde', 'Northern Star Shipping Liimited']) {
      expect(hitOn(list, name, 'company')).toMatchObject({ entryId: 'N', score: 1 });
    }
    expect(hitOn(list, 'Tactical Missiles Corporation Joint Stock Compan', 'company')).toMatchObject({
      entryId: 'T',
      score: 1,
    });
  });

  it('matches RI / RY, SU / SOU, RYU / RYOO and LAI / LAEE as spellings of one name', () => {
    for (const [a, b] of [
      ['ri', 'ry'],
      ['su', 'sou'],
      ['ryu', 'ryoo'],
      ['lai', 'laee'],
    ] as const) {
      expect(tokenSimilarity(a, b)).toEqual({ similarity: 0.95, how: 'variant' });
    }
    const list: EntrySpec[] = [
      { id: 'R', names: ['RI Pyong Chol'] },
      { id: 'S', names: ['KIM Su Gwang'] },
      { id: 'Y', names: ['RYU, Jin'] },
      { id: 'L', names: ['LAI Chun Wing'] },
    ];
    expect(screenAgainst(list, { name: 'Ry Pyong Chol', type: 'person' }).hits[0]).toMatchObject({
      entryId: 'R',
      strength: 'strong',
    });
    expect(outcomeOf(list, 'Kim Sou Gwang')).toBe('strong');
    expect(outcomeOf(list, 'Ryoo Jin')).toBe('strong');
    expect(outcomeOf(list, 'Laee Chun Wing')).toBe('strong');
  });
});

describe('every hit explains itself', () => {
  const list: EntrySpec[] = [
    { id: 'T', names: ['David TAYLOR', { value: 'Dave', weak: true }], dob: ['1960'] },
    { id: 'D', names: ['GOMEZ VELASQUEZ, Daniela'] },
  ];

  it('adds the alignment score and its rules up to the name score, and the parts up to the score', () => {
    for (const name of ['Taylor Davis', 'Daniela Vasquez', 'Dave Smith', 'David Taylor']) {
      for (const hit of screenAgainst(list, { name, type: 'person', dateOfBirth: '1960' }, LOW).hits) {
        const e = hit.explanation;
        const rules = e.nameRules.reduce((sum, rule) => sum + rule.adjustment, 0);
        expect(e.nameScore).toBeCloseTo(Math.max(0, e.alignmentScore + rules), 4);
        expect(e.nameRules.every((rule) => rule.adjustment < 0 && rule.detail.length > 0)).toBe(true);
        const parts = e.nameScore + e.weakAliasAdjustment + e.evidence.reduce((sum, part) => sum + part.adjustment, 0);
        expect(e.sumOfParts).toBeCloseTo(parts, 4);
      }
    }
  });

  it('explains an entry the way screening scored it, rules included', () => {
    const party: Party = { name: 'Taylor Davis', type: 'person' };
    const hit = screenAgainst(list, party, LOW).hits.find((found) => found.entryId === 'T')!;
    const explained = explainEntryMatch(party, entry(list[0]!), LOW)!;
    expect(explained.explanation).toEqual(hit.explanation);
    expect(explained.score).toBe(hit.score);
  });
});

describe('the index finds what scoring every name would find, for short words and their spellings', () => {
  // Two- to four-letter words with their variant spellings, and initials (words are never written together here:
  // the index finds a joined spelling only when it is exact).
  const word = fc.constantFrom(
    'ri',
    'ry',
    'su',
    'sou',
    'ryu',
    'ryoo',
    'lai',
    'laee',
    'kim',
    'gim',
    'jon',
    'john',
    'a',
    'k',
  );
  const nameOf = fc.array(word, { minLength: 1, maxLength: 4 }).map((words) => words.join(' '));

  it('for random lists and queries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(nameOf, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 20 }),
        nameOf,
        (lists, query) => {
          const specs: EntrySpec[] = lists.map((names, i) => ({ id: `E${i}`, names }));
          const list = snapshot('random', specs);
          const result = screenParty(buildIndex([list]), { name: query, type: 'person' }, THRESHOLDS, {
            maxHits: 100,
          });
          const queryTokens = normaliseName(query, 'person').tokens;
          const expected = list.entries
            .map((listed) => {
              const names = listed.names.map((name) => normaliseName(name.value, 'person').tokens);
              const partial = partsOfLongerNames(names);
              const scores = names.map((tokens, k) =>
                nameScore(queryTokens, tokens, undefined, { partOfLongerName: partial[k] === true }),
              );
              return { id: listed.id, score: Math.max(...scores) };
            })
            .filter((found) => found.score >= THRESHOLDS.potential)
            .map((found) => `${found.id}:${found.score}`)
            .sort();
          expect(result.hits.map((hit) => `${hit.entryId}:${hit.score}`).sort()).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
