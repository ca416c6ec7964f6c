// The policy's retention entries: a required period names its legal basis, one entry per regime, old entries stay valid.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../../core/policy/parse.ts';
import { examplesDir, loadExamplePolicy } from '../../support/examples.ts';

const fintechText = readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8');
const withRetention = (lines: string): string =>
  fintechText.replace(/^retention:\n(?:[ ]{2}.*\n)+/m, `retention:\n${lines}`);

describe('policy retention', () => {
  it('reads required periods and their basis from both example policies', () => {
    const fintech = loadExamplePolicy('fintech').policy.retention;
    expect(fintech.find((rule) => rule.regime === 'Electronic Money Regulations 2011 (authorised EMI)')).toEqual({
      regime: 'Electronic Money Regulations 2011 (authorised EMI)',
      years: 5,
      required: true,
      basis: 'UK MLR 2017 reg. 40',
    });
    expect(fintech.find((rule) => rule.regime === 'prospects')).toEqual({
      regime: 'prospects',
      years: 2,
      required: false,
    });
    expect(loadExamplePolicy('bank-insurer').policy.retention.filter((rule) => rule.required)).toHaveLength(2);
  });

  it('keeps an entry without required or basis valid (an existing policy)', () => {
    const parsed = parsePolicyText(withRetention('  - { regime: PSD2 payment institution, years: 5 }\n'));
    expect(parsed.ok && parsed.value.policy.retention).toEqual([
      { regime: 'PSD2 payment institution', years: 5, required: false },
    ]);
  });

  it('refuses a required period without its legal basis, naming the field and line', () => {
    const parsed = parsePolicyText(
      withRetention('  - { regime: PSD2 payment institution, years: 5, required: true }\n'),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error[0]).toMatchObject({ path: 'retention[0].basis' });
    expect(parsed.error[0]?.message).toContain('names its legal basis');
    expect(parsed.error[0]?.line).toBeGreaterThan(200);
  });

  it('refuses two periods for one regime', () => {
    const parsed = parsePolicyText(
      withRetention('  - { regime: prospects, years: 2 }\n  - { regime: prospects, years: 3 }\n'),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.map((issue) => issue.message)).toContain('duplicate retention regime "prospects"');
  });
});
