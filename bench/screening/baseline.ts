// The baseline a matcher has to beat: Jaro-Winkler of the whole folded name against every listed name, in turn.
import type { ListSnapshot } from '../../core/screening/model.ts';
import { foldToAscii } from '../../core/screening/normalise.ts';
import { jaroWinkler } from '../../core/screening/similarity.ts';

export type LinearScan = {
  readonly names: readonly string[];
  readonly best: (query: string) => { index: number; score: number };
};

const fold = (name: string): string =>
  foldToAscii(name)
    .text.replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** Every name and alias, folded once; a query then compares with all of them. */
export const linearScan = (lists: readonly ListSnapshot[]): LinearScan => {
  const names = lists.flatMap((list) => list.entries.flatMap((entry) => entry.names.map((name) => fold(name.value))));
  return {
    names,
    best: (query) => {
      const folded = fold(query);
      let best = { index: -1, score: 0 };
      for (let i = 0; i < names.length; i += 1) {
        const score = jaroWinkler(folded, names[i]!);
        if (score > best.score) best = { index: i, score };
      }
      return best;
    },
  };
};
