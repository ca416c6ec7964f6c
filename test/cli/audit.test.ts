// `perimeter audit …` run for real on the pinned Node: init, export, verify (exit 0/1/2), prove, consistency, erase.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'perimeter-cli-audit-'));
const db = join(dir, 'device.db');
const env = { PERIMETER_PASSPHRASE: 'correct horse battery staple', PERIMETER_USER: 'alice' };
const at = (name: string): string => join(dir, name);

let firstKey = '';
let secondKey = '';

beforeAll(() => {
  const init = runCli(['audit', 'init', '--db', db, '--log-id', 'device-7'], { env });
  expect(init.status, init.stderr).toBe(0);
  firstKey = /verifier key: (\S+)/.exec(init.stdout)![1]!;
  const exported = runCli(['audit', 'export', '--db', db, '--out', at('first.zip')], { env });
  expect(exported.status, exported.stderr).toBe(0);
  const rotated = runCli(['audit', 'rotate-key', '--db', db, '--reason', 'scheduled'], { env });
  expect(rotated.status, rotated.stderr).toBe(0);
  secondKey = /verifier key: (\S+)/.exec(rotated.stdout)![1]!;
  expect(
    runCli(['audit', 'erase', '--db', db, '--subject', 'lead:L-1', '--basis', 'GDPR art. 17 R-1'], { env }).status,
  ).toBe(0);
  expect(runCli(['audit', 'purge', '--db', db, '--retention', 'payments=7'], { env }).status).toBe(0);
  expect(runCli(['audit', 'export', '--db', db, '--out', at('second.zip'), '--personal-data'], { env }).status).toBe(0);
});

describe('perimeter audit verify', () => {
  it('exits 0 and says integrity only without --key', () => {
    const plain = runCli(['audit', 'verify', at('first.zip')]);
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('VALID');
    expect(plain.stdout).toContain('integrity only: keys not independently trusted');
    expect(plain.stdout).toMatch(/events: audit\.exported 1, log\.created 1/);
  });

  it('reads keys from a file with comments, establishes trust, and prints JSON for machines', () => {
    writeFileSync(at('keys.txt'), `# the device key, received by letter\n${firstKey}\n`);
    const run = runCli(['audit', 'verify', at('second.zip'), '--key', at('keys.txt'), '--json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as {
      verdict: string;
      trust: string;
      summary: { entries: number; eventCounts: Record<string, number> };
    };
    expect(report.verdict).toBe('valid');
    expect(report.trust).toBe('trust-established');
    expect(report.summary.eventCounts['subject.erased']).toBe(1);
  });

  it('exits 1 and names the entry for a tampered bundle', () => {
    const files = unzipSync(readFileSync(at('second.zip')));
    const lines = new TextDecoder().decode(files['entries.jsonl']).split('\n');
    lines[2] = lines[2]!.replace('"actor":"user:alice"', '"actor":"user:mallory"');
    files['entries.jsonl'] = new TextEncoder().encode(lines.join('\n'));
    writeFileSync(at('tampered.zip'), zipSync(files));
    const run = runCli(['audit', 'verify', at('tampered.zip')]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('INVALID');
    expect(run.stdout).toMatch(/first failure: entry 2, entries\.jsonl line 3/);
    const json = JSON.parse(runCli(['audit', 'verify', at('tampered.zip'), '--json']).stdout) as {
      firstFailure: { sequence: string };
    };
    expect(json.firstFailure.sequence).toBe('2');
    // One thread or worker threads (when the bundle is large enough for them): the same report.
    for (const threads of ['0', '1'])
      expect(
        JSON.parse(runCli(['audit', 'verify', at('tampered.zip'), '--json', '--threads', threads]).stdout),
      ).toEqual(json);
  });

  it('exits 1 when --key names a key that never signed this log', () => {
    const stranger = runCli(['audit', 'verify', at('first.zip'), '--key', secondKey]);
    expect(stranger.status).toBe(1);
    expect(stranger.stdout).toContain('not trusted');
  });

  it('prints the bundle JSON Schemas', () => {
    const run = runCli(['audit', 'schema', 'entry']);
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { required: string[] }).required).toContain('previous');
  });

  it('exits 2 for unusable input, naming the file or option', () => {
    writeFileSync(at('junk.zip'), 'not a zip');
    const junk = runCli(['audit', 'verify', at('junk.zip')]);
    expect(junk.status).toBe(2);
    expect(junk.stderr).toContain('junk.zip: not a readable zip file');
    writeFileSync(at('bad-keys.txt'), `${firstKey}\nnot-a-key\n`);
    const badFile = runCli(['audit', 'verify', at('first.zip'), '--key', at('bad-keys.txt')]);
    expect(badFile.status).toBe(2);
    expect(badFile.stderr).toContain('bad-keys.txt line 2');
    const badThreads = runCli(['audit', 'verify', at('first.zip'), '--threads', 'many']);
    expect(badThreads.status).toBe(2);
    expect(badThreads.stderr).toContain('option --threads');
  });
});

describe('perimeter audit prove / verify-proof / consistency', () => {
  it('writes a C2SP tlog-proof that checks against its checkpoint, and fails when altered', () => {
    const prove = runCli(['audit', 'prove', at('second.zip'), '--entry', '1', '--out', at('entry1.tlog-proof')]);
    expect(prove.status, prove.stderr).toBe(0);
    const proof = readFileSync(at('entry1.tlog-proof'), 'utf8');
    expect(proof.startsWith('c2sp.org/tlog-proof@v1\nextra ')).toBe(true);
    expect(proof).toContain('\nindex 1\n');
    const check = runCli(['audit', 'verify-proof', at('entry1.tlog-proof'), '--key', secondKey]);
    expect(check.status, check.stdout).toBe(0);
    writeFileSync(at('bad.tlog-proof'), proof.replace('index 1', 'index 2'));
    expect(runCli(['audit', 'verify-proof', at('bad.tlog-proof')]).status).toBe(1);
    expect(runCli(['audit', 'prove', at('second.zip'), '--entry', '999']).status).toBe(2);
  });

  it('confirms a later export extends an earlier one, and calls the reverse a rollback', () => {
    const forward = runCli(['audit', 'consistency', at('first.zip'), at('second.zip')]);
    expect(forward.status, forward.stdout).toBe(0);
    expect(forward.stdout).toContain('CONSISTENT');
    const backward = runCli(['audit', 'consistency', at('second.zip'), at('first.zip')]);
    expect(backward.status).toBe(1);
    expect(backward.stdout).toContain('rollback');
  });
});

describe('perimeter audit on the database', () => {
  it('prints the verifier keys, and refuses a wrong passphrase or an existing output file', () => {
    const keys = runCli(['audit', 'keys', '--db', db], { env });
    expect(keys.stdout).toContain(firstKey);
    expect(keys.stdout).toContain(`${secondKey}  active`);
    const wrong = runCli(['audit', 'keys', '--db', db], {
      env: { ...env, PERIMETER_PASSPHRASE: 'wrong passphrase here' },
    });
    expect(wrong.status).toBe(1); // a wrong passphrase is judged input: 1 from every command (README)
    expect(wrong.stderr).toContain('wrong passphrase for user alice');
    const again = runCli(['audit', 'export', '--db', db, '--out', at('first.zip')], { env });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('exists already');
  });
});
