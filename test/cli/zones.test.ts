// The commands a user runs see one meaning of "inside": `perimeter route` lists a DIFC lead in the markets naming the
// zone only, and `perimeter policy check` refuses a custom zone whose code is an ISO subdivision.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplesDir } from '../support/examples.ts';
import { runCli } from '../support/cli.ts';

const policy = join(examplesDir, 'bank-insurer', 'policy.yaml');
const temp = (): string => mkdtempSync(join(tmpdir(), 'perimeter-cli-zones-'));

describe('perimeter route --explain', () => {
  it('lists a DIFC lead in GCC and DIFC, and an onshore Dubai lead in GCC and UAE-Onshore', () => {
    const dir = temp();
    const leads = join(dir, 'leads.jsonl');
    writeFileSync(
      leads,
      readFileSync(join(examplesDir, 'bank-insurer', 'leads.jsonl'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('"B-DIFC-PRO"') || line.includes('"B-AE-ONSHORE-NOTES"'))
        .join('\n'),
    );
    const run = runCli(['route', '--policy', policy, '--leads', leads, '--at', '2026-11-23T10:00:00Z', '--explain']);
    expect(run.status).toBe(0);
    const markets = run.stdout.split('\n').filter((line) => line.trim().startsWith('markets:'));
    expect(markets.map((line) => line.trim())).toEqual(['markets: GCC, DIFC', 'markets: GCC, UAE-Onshore']);
  });
});

describe('perimeter policy check', () => {
  it('refuses a custom zone whose code is an ISO 3166-2 subdivision, naming the line and field, and exits 1', () => {
    const dir = temp();
    const file = join(dir, 'policy.yaml');
    writeFileSync(
      file,
      readFileSync(policy, 'utf8').replace('- code: AE-DIFC', '- code: AE-DU').replaceAll('AE-DIFC', 'AE-DU'),
    );
    const run = runCli(['policy', 'check', file]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`${file}:\\d+:\\d+: jurisdictions\\.customZones\\[0\\]\\.code: zone code "AE-DU" is an ISO 3166-2`),
    );
  });
});
