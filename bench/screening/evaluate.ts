// `npm run eval:screening`: UN recall, false-positive rate and name-pair P/R/F1 at one threshold, with the reference.
import { DEFAULT_THRESHOLDS } from '../../core/screening/routing-input.ts';
import { evaluateAt, scoreEverything } from '../../test/fixtures/screening-evaluation.ts';
import {
  readNamePairs,
  readNegatives,
  readPositives,
  readReferenceLists,
} from '../../test/fixtures/screening-reference.ts';

const REFERENCE_MATCHER = { precision: 0.76, recall: 0.82, f1: 0.79, threshold: 0.7 };
const threshold = Number(process.argv[2] ?? DEFAULT_THRESHOLDS.potential);

const started = performance.now();
const lists = await readReferenceLists(new Date().toISOString());
const [positives, negatives, pairs] = await Promise.all([readPositives(), readNegatives(), readNamePairs()]);
const scores = scoreEverything(lists, positives, negatives, pairs);
const result = evaluateAt(scores, pairs, threshold);
const pct = (value: number): string => `${(value * 100).toFixed(2)}%`;
const f3 = (value: number): string => value.toFixed(3);

console.log(
  `lists: ${lists.map((list) => `${list.version.listId}@${list.version.version} (${list.entries.length})`).join(', ')}`,
);
console.log(`threshold ${threshold}`);
console.log(
  `UN positives      recall ${f3(result.positives.recall)}  (${result.positives.found}/${result.positives.rows})   goal ≥ 0.99`,
);
console.log(
  `negatives         false positives ${pct(result.negatives.falsePositiveRate)}  (${result.negatives.flagged}/${result.negatives.rows})   goal ≤ 1%`,
);
console.log(
  `name pairs        precision ${f3(result.pairs.precision)}  recall ${f3(result.pairs.recall)}  F1 ${f3(result.pairs.f1)}  (tp ${result.pairs.tp}, fp ${result.pairs.fp}, fn ${result.pairs.fn}, tn ${result.pairs.tn})   goal F1 > 0.85`,
);
console.log(
  `reference matcher precision ${REFERENCE_MATCHER.precision}  recall ${REFERENCE_MATCHER.recall}  F1 ${REFERENCE_MATCHER.f1} (its threshold ${REFERENCE_MATCHER.threshold})`,
);
console.log('\nsensitivity (same scores, other thresholds):');
console.log('threshold  UN recall  negatives FP  pairs P  pairs R  pairs F1');
for (const t of [0.7, 0.75, 0.78, 0.8, 0.82, 0.85, 0.88, 0.9, 0.93]) {
  const at = evaluateAt(scores, pairs, t);
  console.log(
    `${t.toFixed(2).padEnd(9)}  ${f3(at.positives.recall).padEnd(9)}  ${pct(at.negatives.falsePositiveRate).padEnd(12)}  ${f3(at.pairs.precision).padEnd(7)}  ${f3(at.pairs.recall).padEnd(7)}  ${f3(at.pairs.f1)}`,
  );
}
const missed = positives.filter((_, i) => scores.positives[i]! < threshold).map((party) => party.name);
console.log(`\nUN positives not found at ${threshold}: ${missed.join('; ') || 'none'}`);
console.log(`took ${((performance.now() - started) / 1000).toFixed(1)} s`);
