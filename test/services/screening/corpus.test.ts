// The evaluation goals on the full evaluation sets at the documented threshold (recall, false positives with and
// without secondary evidence, F1).
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../../core/screening/routing-input.ts';
import { evaluateAt, scoreEverything } from '../../fixtures/screening-evaluation.ts';
import { readNamePairs, readNegatives, readPositives, readReferenceLists } from '../../fixtures/screening-reference.ts';

describe('screening corpus', () => {
  it('meets the evaluation goals at the default threshold', async () => {
    const lists = await readReferenceLists('2026-03-01T00:00:00.000Z');
    const [positives, negatives, pairs] = await Promise.all([readPositives(), readNegatives(), readNamePairs()]);
    expect([positives.length, negatives.length, pairs.length]).toEqual([683, 50_000, 826]);
    const result = evaluateAt(scoreEverything(lists, positives, negatives, pairs), pairs, DEFAULT_THRESHOLDS.potential);
    expect(result.positives.rate).toBeGreaterThanOrEqual(0.99);
    expect(result.negativesNamesOnly.rate).toBeLessThanOrEqual(0.01);
    expect(result.negatives.rate).toBeLessThanOrEqual(0.002);
    expect(result.pairs.f1).toBeGreaterThan(0.85);
    // Beside the published reference matcher (precision 0.76, recall 0.82, F1 0.79).
    expect(result.pairs.precision).toBeGreaterThan(0.76);
  }, 240_000);
});
