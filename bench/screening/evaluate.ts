// `npm run eval:screening`: UN recall, false positives with and without secondary evidence, name-pair P/R/F1, the
// sensitivity of each to the threshold, and the confusion at the chosen one.
import { DEFAULT_THRESHOLDS } from '../../core/screening/routing-input.ts';
import { evaluateAt, scoreEverything } from '../../test/fixtures/screening-evaluation.ts';
import type { Flagged } from '../../test/fixtures/screening-evaluation.ts';
import {
  readNamePairs,
  readNegatives,
  readPositives,
  readReferenceLists,
} from '../../test/fixtures/screening-reference.ts';

const REFERENCE_MATCHER = { precision: 0.76, recall: 0.82, f1: 0.79, threshold: 0.7 };
const SENSITIVITY = [0.7, 0.75, 0.78, 0.8, 0.82, 0.84, 0.85, 0.86, 0.88, 0.9, 0.93];
const threshold = Number(process.argv[2] ?? DEFAULT_THRESHOLDS.potential);
const strong = DEFAULT_THRESHOLDS.strong;

const started = performance.now();
const lists = await readReferenceLists(new Date().toISOString());
const [positives, negatives, pairs] = await Promise.all([readPositives(), readNegatives(), readNamePairs()]);
const scores = scoreEverything(lists, positives, negatives, pairs);
const result = evaluateAt(scores, pairs, threshold, strong);
const pct = (value: number): string => `${(value * 100).toFixed(2)}%`;
const f3 = (value: number): string => value.toFixed(3);
const count = (value: number): string => value.toLocaleString('en');
const of = (flagged: Flagged): string => `${count(flagged.flagged)}/${count(flagged.rows)}`;

console.log(
  `lists: ${lists.map((list) => `${list.version.listId}@${list.version.version} (${list.entries.length})`).join(', ')}`,
);
console.log(
  `sets: ${count(positives.length)} UN positives (against the UN list); ${count(negatives.length)} negatives, every row of ` +
    `negatives_global.csv (against all four lists), screened as people twice: with their date of birth and nationality, ` +
    `and by name alone; ${count(pairs.length)} name pairs`,
);
console.log(`threshold ${threshold} (strong ${strong})`);
console.log(`UN positives      recall ${f3(result.positives.rate)}  (${of(result.positives)})   goal ≥ 0.99`);
const firstRows = scores.negativesNamesOnly.slice(0, 5000);
const firstFlagged = firstRows.filter((best) => best.score >= threshold).length;
console.log(
  `negatives         false positives by name alone ${pct(result.negativesNamesOnly.rate)}  (${of(result.negativesNamesOnly)}; first 5,000 rows ${pct(firstFlagged / firstRows.length)})   goal ≤ 1%`,
);
console.log(
  `                  false positives with date of birth and nationality ${pct(result.negatives.rate)}  (${of(result.negatives)})   goal ≤ 0.2%`,
);
console.log(
  `name pairs        precision ${f3(result.pairs.precision)}  recall ${f3(result.pairs.recall)}  F1 ${f3(result.pairs.f1)}  (tp ${result.pairs.tp}, fp ${result.pairs.fp}, fn ${result.pairs.fn}, tn ${result.pairs.tn})   goal F1 > 0.85`,
);
console.log(
  `reference matcher precision ${REFERENCE_MATCHER.precision}  recall ${REFERENCE_MATCHER.recall}  F1 ${REFERENCE_MATCHER.f1} (its threshold ${REFERENCE_MATCHER.threshold})`,
);

console.log('\nsensitivity (same scores, other thresholds):');
console.log('threshold  UN recall  FP names only  FP with evidence  pairs P  pairs R  pairs F1');
for (const t of SENSITIVITY) {
  const at = evaluateAt(scores, pairs, t, strong);
  console.log(
    `${t.toFixed(2).padEnd(9)}  ${f3(at.positives.rate).padEnd(9)}  ${pct(at.negativesNamesOnly.rate).padEnd(13)}  ${pct(at.negatives.rate).padEnd(16)}  ${f3(at.pairs.precision).padEnd(7)}  ${f3(at.pairs.recall).padEnd(7)}  ${f3(at.pairs.f1)}`,
  );
}

const row = (label: string, flagged: Flagged): string =>
  `${label.padEnd(40)}${count(flagged.flagged - flagged.strong).padStart(10)}${count(flagged.strong).padStart(8)}${count(flagged.rows - flagged.flagged).padStart(9)}`;
console.log(
  `\nconfusion at ${threshold} (flagged: potential at ≥ ${threshold}, strong at ≥ ${strong} on a name that is not a weak alias):`,
);
console.log(`${''.padEnd(40)}${'potential'.padStart(10)}${'strong'.padStart(8)}${'clear'.padStart(9)}`);
console.log(row('UN positives (all are matches)', result.positives));
console.log(row('negatives by name alone (none are)', result.negativesNamesOnly));
console.log(row('negatives with evidence (none are)', result.negatives));
console.log(`${''.padEnd(40)}${'flagged'.padStart(10)}${'clear'.padStart(8)}`);
console.log(
  `${'name pairs labelled match'.padEnd(40)}${String(result.pairs.tp).padStart(10)}${String(result.pairs.fn).padStart(8)}`,
);
console.log(
  `${'name pairs labelled non-match'.padEnd(40)}${String(result.pairs.fp).padStart(10)}${String(result.pairs.tn).padStart(8)}`,
);

const missed = positives.filter((_, i) => scores.positives[i]!.score < threshold).map((party) => party.name);
console.log(`\nUN positives not found at ${threshold}: ${missed.join('; ') || 'none'}`);
console.log(`took ${((performance.now() - started) / 1000).toFixed(1)} s`);
