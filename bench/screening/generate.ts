// A generated list of synthetic people for the scale benchmark: deterministic (seeded), realistic name shapes.
import type { EntryId, ListEntry, ListName, ListSnapshot } from '../../core/screening/model.ts';
import { makeListVersion } from '../../core/screening/version.ts';
import { seededRandom } from '../../core/shared/seeded-random.ts';

const ONSETS = 'b c d f g h j k l m n p r s t v z br dr kh sh ch th gh st tr ph'.split(' ');
const VOWELS = 'a e i o u a e i o ai ou ia'.split(' ');
const CODAS = ['', '', '', 'n', 'r', 'l', 's', 'd', 'm', 'k', 'v', 'sh'];

const word = (random: () => number, syllables: number): string => {
  let text = '';
  for (let i = 0; i < syllables; i += 1) {
    text += ONSETS[Math.floor(random() * ONSETS.length)]! + VOWELS[Math.floor(random() * VOWELS.length)]!;
  }
  text += CODAS[Math.floor(random() * CODAS.length)]!;
  return text[0]!.toUpperCase() + text.slice(1);
};

/**
 * `count` people: a given name from a pool of 5,000 (drawn with a skew, as real given names are), a middle name
 * half the time, a surname from a pool of 300,000; one in five has an alias; dates of birth and nationalities.
 */
export const generatePeople = (count: number, seed = 20260301): ListSnapshot => {
  const random = seededRandom(seed);
  const givenNames = Array.from({ length: 5000 }, () => word(random, 2));
  const surnames = Array.from({ length: 300_000 }, () => word(random, 2 + Math.floor(random() * 2)));
  const countries = ['RU', 'IR', 'SY', 'KP', 'VE', 'CU', 'IQ', 'AF', 'LY', 'SD', 'CN', 'BY', 'MM', 'YE', 'SO'];
  const given = (): string => givenNames[Math.floor(givenNames.length * random() ** 2)]!;
  const entries: ListEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    const surname = surnames[Math.floor(random() * surnames.length)]!;
    const middle = random() < 0.5 ? ` ${given()}` : '';
    const names: ListName[] = [
      { value: `${surname.toUpperCase()}, ${given()}${middle}`, role: 'primary', weak: false },
    ];
    if (random() < 0.2)
      names.push({
        value: `${given()} ${surnames[Math.floor(random() * surnames.length)]!}`,
        role: 'alias',
        weak: random() < 0.3,
      });
    const year = 1940 + Math.floor(random() * 60);
    entries.push({
      id: `G${i}` as EntryId,
      kind: 'sanctions',
      type: 'person',
      names,
      datesOfBirth: [{ from: String(year), approximate: false }],
      nationalities: [countries[Math.floor(random() * countries.length)]!],
      countries: [],
      programs: [],
    });
  }
  return makeListVersion({
    listId: 'generated',
    source: 'blocklist',
    publishedAt: null,
    entries,
    sourceFiles: [],
    counts: { entries: count },
    importedAt: '2026-03-01T00:00:00.000Z',
  });
};
