// `perimeter leads erase|approve-erasure`, `perimeter retention run|report` and `perimeter audit erase` on a workstation,
// run for real: signed in, through the one erasure service; a refusal inside a required retention period exits 1.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { examplesDir } from '../support/examples.ts';
import { runCli } from '../support/cli.ts';

const env = { PERIMETER_PASSPHRASE: 'a long enough passphrase' };
const dir = mkdtempSync(join(tmpdir(), 'perimeter-cli-erasure-'));
const db = join(dir, 'team.db');
const signIn = ['--db', db, '--user', 'ada'];

beforeAll(() => {
  const init = runCli(
    ['workstation', 'init', ...signIn, '--name', 'Ada Admin', '--policy', join(examplesDir, 'fintech', 'policy.yaml')],
    { env },
  );
  expect(init.status, init.stderr).toBe(0);
  const imported = runCli(['leads', 'import', join(examplesDir, 'fintech', 'leads.jsonl'), ...signIn], { env });
  expect(imported.status, imported.stderr).toBe(0);
});

describe('perimeter leads erase', () => {
  it('erases a prospect and prints the outcome', () => {
    const run = runCli(['leads', 'erase', ...signIn, '--lead', 'L-BR', '--reason', 'GDPR art. 17 request R-9'], {
      env,
    });
    expect(run.status, run.stderr).toBe(0);
    // Named by the CRM's id; the outcome names the lead by its internal id (decision 0178).
    expect(JSON.parse(run.stdout)).toMatchObject({
      outcome: 'erased',
      leadId: expect.stringMatching(/^L-[0-9A-Z]{16}$/),
      records: 1,
    });
  });

  it('exits 1 inside a required retention period, naming the regime, period and end date', () => {
    const run = runCli(['leads', 'erase', ...signIn, '--lead', 'L-UK-RESELLER', '--reason', 'customer letter'], {
      env,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^lead L-[0-9A-Z]{16}: erasure refused: kept under Electronic Money Regulations 2011 \(authorised EMI\) for 5 years \(UK MLR 2017 reg\. 40\): erasable from \d{4}-\d{2}-\d{2}\n$/,
    );
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'refused', years: 5 });
  });

  it('`audit erase` on a workstation is the same command, refusal included', () => {
    const run = runCli(['audit', 'erase', ...signIn, '--subject', 'lead:L-UK-RESELLER', '--basis', 'GDPR art. 17'], {
      env,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('erasure refused: kept under Electronic Money Regulations 2011');
    expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('takes an override request, and refuses its approval by the same officer', () => {
    const requested = runCli(
      ['leads', 'erase', ...signIn, '--lead', 'L-UK-RESELLER', '--reason', 'court order 2026/7', '--override'],
      { env },
    );
    expect(requested.status, requested.stderr).toBe(0);
    const { requestId } = JSON.parse(requested.stdout) as { requestId: string };
    expect(requestId).toMatch(/^EO-\d+$/);
    const own = runCli(['leads', 'approve-erasure', ...signIn, '--request', requestId, '--reason', 'looks right'], {
      env,
    });
    expect(own.status).toBe(1);
    expect(own.stderr).toContain('a second senior officer must approve it');
  });

  it('exits 2 for an unusable reason', () => {
    const run = runCli(['leads', 'erase', ...signIn, '--lead', 'L-NY', '--reason', 'x'], { env });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--reason');
  });
});

describe('perimeter retention', () => {
  it('runs now (nothing has expired on a new workstation) and reports per regime', () => {
    const run = runCli(['retention', 'run', ...signIn], { env });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ sequence: null, records: 0 });
    const report = runCli(['retention', 'report', ...signIn], { env });
    expect(report.status, report.stderr).toBe(0);
    const rules = (
      JSON.parse(report.stdout) as { rules: { regime: string; required: boolean; heldSubjects: number }[] }
    ).rules;
    expect(rules.find((rule) => rule.regime === 'Electronic Money Regulations 2011 (authorised EMI)')).toMatchObject({
      required: true,
      heldSubjects: 3,
    });
    expect(rules.find((rule) => rule.regime === 'prospects')).toMatchObject({ required: false });
  });

  it('`audit purge` on a workstation takes the policy’s periods, not hand-typed ones', () => {
    const typed = runCli(['audit', 'purge', ...signIn, '--retention', 'prospects=1'], { env });
    expect(typed.status).toBe(2);
    const run = runCli(['audit', 'purge', ...signIn], { env });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('nothing had expired');
  });
});
