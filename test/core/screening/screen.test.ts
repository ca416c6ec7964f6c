// Screening against an index: explained hits, outcomes, evidence, and the index agreeing with a full scan.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { weighEvidence } from '../../../core/screening/evidence.ts';
import { buildIndex, indexStats, partsOfLongerNames } from '../../../core/screening/match-index.ts';
import { normaliseName } from '../../../core/screening/normalise.ts';
import { nameScore } from '../../../core/screening/score.ts';
import { WEAK_ALIAS_ADJUSTMENT, partyEvidence, screenParty } from '../../../core/screening/screen.ts';
import type { Party } from '../../../core/screening/screen.ts';
import { entry, snapshot } from './fixtures.ts';
import type { EntrySpec } from './fixtures.ts';

const THRESHOLDS = { potential: 0.85, strong: 0.93 };

const sanctions = snapshot(
  'test-sanctions',
  [
    { id: 'S1', names: ['AL-TIKRITI, Saddam Hussein', 'Abu Uday'], dob: ['1937-04-28'], nationalities: ['IQ'] },
    { id: 'S2', names: ['MADURO MOROS, Nicolas'], dob: ['1962-11-23'], nationalities: ['VE'] },
    { id: 'S3', names: ['BANCO NACIONAL DE CUBA', { value: 'BNC', weak: true }], type: 'company' },
    {
      id: 'S4',
      names: ['KIM, Jong Un', { value: 'Kim Jong Eun', weak: true }],
      dob: ['1984-01-08'],
      nationalities: ['KP'],
    },
    { id: 'S5', names: ['Ali HASSAN', { value: 'Abu Ali', weak: true }], dob: ['1970'] },
  ],
  'ofac-sdn-csv',
);
const peps = snapshot('test-pep', [
  { id: 'P1', names: ['Jennifer L. McClellan'], kind: 'pep', dob: ['1972'], nationalities: ['US'] },
]);
const index = buildIndex([sanctions, peps]);

const screen = (party: Party) => screenParty(index, party, THRESHOLDS);

describe('screenParty', () => {
  it('returns a strong match, naming the list, version, entry and the tokens that matched', () => {
    const result = screen({ name: 'Saddam Hussein al-Tikriti' });
    expect(result.outcome).toBe('strong');
    const hit = result.hits[0]!;
    expect(hit).toMatchObject({
      listId: 'test-sanctions',
      listVersion: sanctions.version.version,
      listKind: 'sanctions',
      entryId: 'S1',
      entryName: 'AL-TIKRITI, Saddam Hussein',
      strength: 'strong',
    });
    expect(hit.explanation.alignments.map((a) => `${a.query.join('+')}=${a.listed.join('+')}`)).toEqual([
      'saddam=saddam',
      'hussein=hussein',
      'al=al',
      'tikriti=tikriti',
    ]);
    expect(hit.explanation.nameScore).toBe(1);
  });

  it('tolerates typos and a missing middle name, as a potential or strong match', () => {
    expect(screen({ name: 'Nicolas Maduro Moros' }).outcome).toBe('strong');
    expect(screen({ name: 'Nicolás Maduro Moross' }).hits[0]?.entryId).toBe('S2');
    expect(screen({ name: 'Jennifer McClellan' }).hits[0]).toMatchObject({ entryId: 'P1', listKind: 'pep' });
  });

  it('clears a name that merely shares a common token', () => {
    const result = screen({ name: 'Nicolas Cage' });
    expect(result.outcome).toBe('clear');
    expect(result.hits).toEqual([]);
  });

  it('lowers a score when the date of birth conflicts and raises it when it agrees', () => {
    const base = screen({ name: 'Nicolas Maduro' }).hits[0]!;
    const agrees = screen({ name: 'Nicolas Maduro', dateOfBirth: '1962-11-23', nationality: 'Venezuela' }).hits[0]!;
    expect(agrees.score).toBeGreaterThan(base.score);
    expect(agrees.explanation.evidence.map((part) => [part.field, part.verdict])).toEqual([
      ['dateOfBirth', 'exact'],
      ['nationality', 'match'],
    ]);
    const conflicts = screen({ name: 'Nicolas Maduro', dateOfBirth: '1990-01-01' });
    expect(conflicts.hits[0]?.score ?? 0).toBeLessThan(base.score);
  });

  it('adds the parts up to the score', () => {
    const hit = screen({ name: 'Nicolas Maduro Moros', dateOfBirth: '1962' }).hits[0]!;
    const parts =
      hit.explanation.nameScore +
      hit.explanation.weakAliasAdjustment +
      hit.explanation.evidence.reduce((sum, part) => sum + part.adjustment, 0);
    expect(hit.explanation.sumOfParts).toBeCloseTo(parts, 4);
    expect(hit.score).toBeCloseTo(Math.min(1, parts), 4);
  });

  it('marks a weak alias, lowers it and never lets it alone make a strong match', () => {
    const hit = screen({ name: 'Kim Jong Eun' }).hits.find((h) => h.entryId === 'S4')!;
    expect(hit.weakAlias).toBe(true);
    expect(hit.explanation.weakAliasAdjustment).toBe(WEAK_ALIAS_ADJUSTMENT);
    // The primary name matches too, and better: the best name wins.
    const direct = screen({ name: 'Abu Ali' }).hits.find((h) => h.entryId === 'S5')!;
    expect(direct.weakAlias).toBe(true);
    expect(direct.strength).toBe('potential');
    expect(direct.explanation.strengthCapped).toBe(true);
  });

  it('screens companies against companies and people against people', () => {
    expect(screen({ name: 'Banco Nacional de Cuba S.A.' }).hits[0]).toMatchObject({
      entryId: 'S3',
      entryType: 'company',
    });
    expect(screen({ name: 'Banco Nacional de Cuba', type: 'person' }).hits).toEqual([]);
  });

  it('honours the thresholds it is given', () => {
    expect(screenParty(index, { name: 'Nicolas Maduro' }, { potential: 0.99, strong: 0.995 }).outcome).toBe('clear');
    expect(screenParty(index, { name: 'Nicolas Maduro' }, { potential: 0.5, strong: 0.6 }).outcome).toBe('strong');
  });

  it('looks at a handful of names, not the whole index', () => {
    const result = screen({ name: 'Nicolas Maduro' });
    expect(result.candidates.indexedNames).toBe(indexStats(index).names);
    expect(result.candidates.scored).toBeLessThanOrEqual(2);
  });

  it('screens original-script names against their romanisations', () => {
    const arabic = buildIndex([
      snapshot('ar', [
        { id: 'A1', names: ['SADDAM HUSSEIN AL-TIKRITI', { value: 'صدام حسين التكريتي', role: 'original_script' }] },
      ]),
    ]);
    expect(screenParty(arabic, { name: 'صدام حسين التكريتي' }, THRESHOLDS).hits[0]?.matchedNameRole).toBe(
      'original_script',
    );
  });
});

describe('evidence', () => {
  const person = entry({
    id: 'E',
    names: ['X'],
    dob: ['1970-05-01', { from: '1972', to: '1974', approximate: false }],
    nationalities: ['IQ'],
    countries: ['JO'],
  });

  it('compares dates of birth by day, year and range', () => {
    expect(weighEvidence({ dateOfBirth: '1970-05-01' }, person)[0]?.verdict).toBe('exact');
    expect(weighEvidence({ dateOfBirth: '1970' }, person)[0]?.verdict).toBe('same_year');
    expect(weighEvidence({ dateOfBirth: '1973-02-02' }, person)[0]?.verdict).toBe('same_year');
    expect(weighEvidence({ dateOfBirth: '1990-01-01' }, person)[0]).toMatchObject({
      verdict: 'conflict',
      adjustment: -0.15,
    });
    expect(weighEvidence({ dateOfBirth: '1970-06-01' }, person)[0]).toMatchObject({
      verdict: 'conflict',
      adjustment: -0.04,
    });
  });

  it('weighs nationality and country only where the list states them', () => {
    expect(weighEvidence({ nationality: 'IQ' }, person)[0]).toMatchObject({ verdict: 'match', adjustment: 0.03 });
    expect(weighEvidence({ nationality: 'FR' }, person)[0]).toMatchObject({ verdict: 'conflict', adjustment: -0.05 });
    expect(weighEvidence({ country: 'JO' }, person)[0]).toMatchObject({ verdict: 'match' });
    expect(weighEvidence({ nationality: 'FR' }, entry({ id: 'F', names: ['Y'] }))).toEqual([]);
  });

  it('resolves country names and demonyms in the party', () => {
    expect(partyEvidence({ name: 'x', nationality: 'Iraqi', country: 'United Kingdom' })).toEqual({
      nationality: 'IQ',
      country: 'GB',
    });
    expect(partyEvidence({ name: 'x', nationality: 'iq' })).toEqual({ nationality: 'IQ' });
    expect(partyEvidence({ name: 'x', nationality: 'Atlantis' })).toEqual({});
  });
});

describe('the index finds what scoring every name would find', () => {
  // Tokens of three to five letters: within that range the index's guarantee is complete (exact, one edit,
  // phonetic key, consonant skeleton), so index-based screening must equal a full scan.
  const syllable = fc.constantFrom('ka', 'ki', 'mo', 'ha', 'me', 'ad', 'al', 'ri', 'su', 'an');
  const word = fc
    .tuple(syllable, syllable, fc.option(fc.constantFrom('n', 'r', 'd'), { nil: undefined }))
    .map(([a, b, c]) => a + b + (c ?? ''));
  const nameOf = fc.array(word, { minLength: 1, maxLength: 4 }).map((words) => words.join(' '));

  it('for random lists and queries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(nameOf, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 25 }),
        nameOf,
        (lists, query) => {
          const specs: EntrySpec[] = lists.map((names, i) => ({ id: `E${i}`, names }));
          const list = snapshot('random', specs);
          const result = screenParty(buildIndex([list]), { name: query, type: 'person' }, THRESHOLDS, { maxHits: 100 });
          const queryTokens = normaliseName(query, 'person').tokens;
          const expected = list.entries
            .map((e) => {
              const names = e.names.map((n) => normaliseName(n.value, 'person').tokens);
              const partial = partsOfLongerNames(names);
              return {
                id: e.id,
                score: Math.max(
                  ...names.map((tokens, k) =>
                    nameScore(queryTokens, tokens, undefined, { partOfLongerName: partial[k] === true }),
                  ),
                ),
              };
            })
            .filter((x) => x.score >= THRESHOLDS.potential)
            .map((x) => `${x.id}:${x.score}`)
            .sort();
          expect(result.hits.map((hit) => `${hit.entryId}:${hit.score}`).sort()).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  // Words held by many names ("al", a common given name) are walked last and only credit names other words reached
  // (collectCandidates): what a full scan finds must still be found.
  it('when the query holds words that many listed names share', () => {
    const common = fc.constantFrom('al', 'kaki', 'mohan');
    const filler = (i: number): EntrySpec => ({
      id: `F${i}`,
      names: [`${['kaki', 'mohan'][i % 2]} al ${['sumo', 'riad', 'hame', 'anki', 'meri'][i % 5]}${i % 7}`],
    });
    const fillers = Array.from({ length: 140 }, (_, i) => filler(i));
    fc.assert(
      fc.property(
        fc.array(fc.array(nameOf, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.oneof(word, common), { minLength: 2, maxLength: 5 }),
        (lists, words) => {
          const query = words.join(' ');
          const specs: EntrySpec[] = [...lists.map((names, i) => ({ id: `E${i}`, names })), ...fillers];
          const list = snapshot('random', specs);
          const result = screenParty(buildIndex([list]), { name: query, type: 'person' }, THRESHOLDS, {
            maxHits: 200,
          });
          const queryTokens = normaliseName(query, 'person').tokens;
          const expected = list.entries
            .map((e) => {
              const names = e.names.map((n) => normaliseName(n.value, 'person').tokens);
              const partial = partsOfLongerNames(names);
              return {
                id: e.id,
                score: Math.max(
                  ...names.map((tokens, k) =>
                    nameScore(queryTokens, tokens, undefined, { partOfLongerName: partial[k] === true }),
                  ),
                ),
              };
            })
            .filter((x) => x.score >= THRESHOLDS.potential)
            .map((x) => `${x.id}:${x.score}`)
            .sort();
          expect(result.hits.map((hit) => `${hit.entryId}:${hit.score}`).sort()).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("finds the same hits whether a listed word's similar words were found at build time or on first use", () => {
    const queries = ['Saddam Hussein al-Tikriti', 'Nicolas Maduro', 'Kim Jong Eun', 'Abu Ali', 'Jenifer McClelan'];
    const none = buildIndex([sanctions, peps], { neighboursPrecomputed: 0 });
    const some = buildIndex([sanctions, peps], { neighboursPrecomputed: 1_000 });
    expect(none.neighbourIds.length).toBe(0);
    expect(some.neighbourIds.length).toBeGreaterThan(indexStats(some).vocabulary);
    for (const name of queries) {
      const expected = screen({ name });
      expect(expected.hits.length).toBeGreaterThan(0);
      expect(screenParty(none, { name }, THRESHOLDS)).toEqual(expected);
      expect(screenParty(some, { name }, THRESHOLDS)).toEqual(expected);
    }
  });

  it('visits only the names a rarer word reaches when a common word cannot make a hit on its own', () => {
    const specs: EntrySpec[] = [
      { id: 'T1', names: ['AL-TIKRITI, Barzan Ibrahim'] },
      ...Array.from({ length: 100 }, (_, i) => ({
        id: `F${i}`,
        names: [`Omar AL-Filler${'abcdefghij'[i % 10]}${i}`],
      })),
    ];
    const list = snapshot('common', specs);
    const result = screenParty(buildIndex([list]), { name: 'Barzan Ibrahim al-Tikriti' }, THRESHOLDS);
    expect(result.hits.map((hit) => hit.entryId)).toEqual(['T1']);
    // "al" is held by 101 names, and a name sharing only "al" cannot reach the threshold: it credits T1 alone.
    expect(result.candidates.touched).toBe(1);
  });
});
