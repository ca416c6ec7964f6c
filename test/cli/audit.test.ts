// `perimeter audit …` run for real on the pinned Node on a workstation: export, verify (exit 0/1/2), prove,
// consistency, erase.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { signCheckpoint } from '../../core/audit/checkpoint.ts';
import { nodeSha256 } from '../../electron/services/audit/node-sha256.ts';
import { withoutApprovals } from '../support/policy-text.ts';
import { createUser } from '../../electron/services/workstation/commands/users.ts';
import { initialiseWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import { call } from '../support/api.ts';
import { cliScript, runCli, runMeasured } from '../support/cli.ts';
import { examplesDir } from '../support/examples.ts';
import { TEST_SCRYPT } from '../support/workstation.ts';
import { craftZip, zeroBomb } from '../support/zip-craft.ts';

const dir = mkdtempSync(join(tmpdir(), 'perimeter-cli-audit-'));
const db = join(dir, 'device.db');
const passphrase = 'correct horse battery staple';
// alice is an auditor (audit.export, every market); ada the first user (operations admin and senior officer).
const env = { PERIMETER_PASSPHRASE: passphrase, PERIMETER_USER: 'alice' };
const asAda = { ...env, PERIMETER_USER: 'ada' };
const at = (name: string): string => join(dir, name);

let firstKey = '';
let secondKey = '';

beforeAll(() => {
  // The workstation is made the one way there is (`audit init` went, decision 0131), here through its service.
  const admin = initialiseWorkstation(
    {
      path: db,
      logId: 'device-7',
      admin: { id: 'ada', name: 'Ada Admin', passphrase },
      policyText: withoutApprovals(readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8')),
    },
    { now: () => new Date(), scryptCost: TEST_SCRYPT },
  );
  createUser(admin, { id: 'alice', name: 'Alice Auditor', roles: ['auditor'], markets: ['*'], passphrase });
  call(admin, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content: readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8')
      .split('\n')
      .slice(0, 2)
      .join('\n'),
    mode: 'all',
    sourceSystem: 'crm',
  });
  admin.workstation.close();
  const keys = runCli(['audit', 'keys', '--db', db], { env });
  expect(keys.status, keys.stderr).toBe(0);
  firstKey = /^(\S+)\s+active/.exec(keys.stdout)![1]!;
  const exported = runCli(['audit', 'export', '--db', db, '--out', at('first.zip')], { env });
  expect(exported.status, exported.stderr).toBe(0);
  const rotated = runCli(['audit', 'rotate-key', '--db', db, '--reason', 'scheduled'], { env: asAda });
  expect(rotated.status, rotated.stderr).toBe(0);
  secondKey = /verifier key: (\S+)/.exec(rotated.stdout)![1]!;
  // L-FR-SME is kept under PSD2 (a required AML period): refused, exit 1, with the date it ends. L-CA-SMB's regime
  // (California Money Transmission Act) is no legal minimum: erased.
  const refused = runCli(['audit', 'erase', '--db', db, '--subject', 'lead:L-FR-SME', '--basis', 'GDPR art. 17 R-1'], {
    env: asAda,
  });
  expect(refused.status).toBe(1);
  expect(refused.stderr).toMatch(
    /erasure refused: kept under PSD2 payment institution for 5 years .* erasable from \d{4}-\d\d-\d\d/,
  );
  const erased = runCli(['audit', 'erase', '--db', db, '--subject', 'lead:L-CA-SMB', '--basis', 'GDPR art. 17 R-2'], {
    env: asAda,
  });
  expect(erased.status, erased.stderr).toBe(0);
  expect(runCli(['audit', 'purge', '--db', db], { env: asAda }).status).toBe(0);
  expect(runCli(['audit', 'export', '--db', db, '--out', at('second.zip'), '--personal-data'], { env }).status).toBe(0);
});

describe('perimeter audit verify', () => {
  it('exits 0 and says integrity only without --key', () => {
    const plain = runCli(['audit', 'verify', at('first.zip')]);
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('VALID');
    expect(plain.stdout).toContain('integrity only: keys not independently trusted');
    expect(plain.stdout).toMatch(/events: .*audit\.exported 1, .*log\.created 1/);
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
    lines[2] = lines[2]!.replace(/"actor":"[^"]+"/, '"actor":"user:mallory"');
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

describe('perimeter audit verify and the zip around the bundle', () => {
  const membersOfZip = (zip: string): { name: string; data: Uint8Array }[] =>
    Object.entries(unzipSync(readFileSync(at(zip)))).map(([name, data]) => ({ name, data }));

  it('exits 2 for a zip with two members of one name, naming it, whichever copy comes first', () => {
    const members = membersOfZip('first.zip');
    const entries = members.find((member) => member.name === 'entries.jsonl')!;
    const forged = { name: 'entries.jsonl', data: entries.data.map((byte) => (byte === 0x61 ? 0x62 : byte)) };
    for (const order of [
      [forged, ...members],
      [...members, forged],
    ]) {
      writeFileSync(at('duplicate.zip'), craftZip(order));
      const run = runCli(['audit', 'verify', at('duplicate.zip'), '--key', firstKey]);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('refused: the zip holds two members named entries.jsonl');
    }
  });

  it('exits 2 for a member whose local header names another file', () => {
    const members = membersOfZip('first.zip').map((member) =>
      member.name === 'keys.json' ? { ...member, localName: 'keys.jsonx' } : member,
    );
    writeFileSync(at('renamed.zip'), craftZip(members));
    const run = runCli(['audit', 'verify', at('renamed.zip')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('member keys.json is named "keys.jsonx" in its local header');
  });

  it('refuses a member declaring 1,000 bytes that inflates to 1 GiB with the real reason, in bounded memory', () => {
    const members = membersOfZip('first.zip').map((member) =>
      member.name === 'README.txt' ? { name: 'README.txt', raw: zeroBomb(1024), declaredSize: 1000, crc: 0 } : member,
    );
    writeFileSync(at('bomb.zip'), craftZip(members));
    const run = runMeasured(cliScript, ['audit', 'verify', at('bomb.zip')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('refused: member README.txt inflates past its declared 1000 bytes');
    expect(run.stderr).not.toContain('CRC');
    // Inflating it whole peaked at 2.2 GB; the CLI verifying a small bundle peaks near 150 MB.
    expect(run.peakKib).toBeLessThan(400 * 1024);
  });

  it('checks a --known checkpoint with the trusted keys and says so; one no key vouches for is unusable input', () => {
    const checkpoint = runCli(['audit', 'checkpoint', '--db', db], { env: asAda });
    expect(checkpoint.status, checkpoint.stderr).toBe(0);
    writeFileSync(at('seen.checkpoint'), checkpoint.stdout);
    // Signing in is itself an entry (session.signed_in), so the checkpoint is past second.zip: a later export holds it.
    const later = runCli(['audit', 'export', '--db', db, '--out', at('third.zip')], { env });
    expect(later.status, later.stderr).toBe(0);
    const consistent = runCli([
      'audit',
      'verify',
      at('third.zip'),
      '--key',
      firstKey,
      '--known',
      at('seen.checkpoint'),
    ]);
    expect(consistent.status, consistent.stdout).toBe(0);
    expect(consistent.stdout).toMatch(
      /known checkpoint .*seen\.checkpoint \(size \d+\): signature verified with trusted key [0-9a-f]{8}; consistent with this bundle/,
    );
    const rollback = runCli([
      'audit',
      'verify',
      at('first.zip'),
      '--key',
      secondKey,
      '--key',
      firstKey,
      '--known',
      at('seen.checkpoint'),
    ]);
    expect(rollback.status).toBe(1);
    expect(rollback.stdout).toMatch(/signature verified with trusted key [0-9a-f]{8}; ROLLBACK/);
    const [origin, size, root] = checkpoint.stdout.split('\n');
    const fake = signCheckpoint(
      { origin: origin!, size: Number(size) + 100, root: new Uint8Array(Buffer.from(root!, 'base64')) },
      [{ name: origin!, seed: new Uint8Array(32).fill(7) }],
      nodeSha256,
    );
    writeFileSync(at('fake.checkpoint'), fake);
    for (const keys of [['--key', firstKey], []]) {
      const run = runCli(['audit', 'verify', at('second.zip'), ...keys, '--known', at('fake.checkpoint')]);
      expect(run.status).toBe(2);
      expect(run.stdout).not.toContain('ROLLBACK');
      expect(run.stderr).toMatch(/--known .*fake\.checkpoint: not signed by any key/);
    }
    writeFileSync(at('junk.checkpoint'), 'not a checkpoint\n');
    const junk = runCli(['audit', 'verify', at('second.zip'), '--known', at('junk.checkpoint')]);
    expect(junk.status).toBe(2);
    expect(junk.stderr).toMatch(/--known .*junk\.checkpoint: not a signed checkpoint/);
  });
});

describe('perimeter audit csv and export --csv (decision 0231)', () => {
  it('leaves the CSV out of a bundle by default, and writes the same bytes from a bundle that verifies', () => {
    expect(Object.keys(unzipSync(readFileSync(at('first.zip'))))).not.toContain('entries.csv');
    const withCsv = runCli(['audit', 'export', '--db', db, '--out', at('with-csv.zip'), '--csv'], { env });
    expect(withCsv.status, withCsv.stderr).toBe(0);
    const carried = unzipSync(readFileSync(at('with-csv.zip')))['entries.csv'];
    expect(carried).toBeDefined();
    expect(runCli(['audit', 'verify', at('with-csv.zip')]).status).toBe(0);
    const derived = runCli(['audit', 'csv', at('with-csv.zip'), '--out', at('derived.csv')]);
    expect(derived.status, derived.stderr).toBe(0);
    expect(derived.stdout).toMatch(/entries as CSV, from a bundle that verifies/);
    expect(Buffer.from(readFileSync(at('derived.csv'))).equals(Buffer.from(carried!))).toBe(true);
    // From a bundle without it, too; and never over an existing file.
    expect(runCli(['audit', 'csv', at('first.zip'), '--out', at('first.csv')]).status).toBe(0);
    expect(readFileSync(at('first.csv'), 'utf8').startsWith('\ufeffsequence,time,type,actor')).toBe(true);
    expect(runCli(['audit', 'csv', at('first.zip'), '--out', at('first.csv')]).status).toBe(2);
  });

  it('writes no CSV from a bundle that does not verify', () => {
    const files = unzipSync(readFileSync(at('first.zip')));
    const lines = new TextDecoder().decode(files['entries.jsonl']).split('\n');
    lines[1] = lines[1]!.replace('"type":"', '"type":"x');
    files['entries.jsonl'] = new TextEncoder().encode(lines.join('\n'));
    writeFileSync(at('tampered.zip'), zipSync(files));
    const refused = runCli(['audit', 'csv', at('tampered.zip'), '--out', at('tampered.csv')]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/does not verify .*: no CSV from it/);
    expect(() => readFileSync(at('tampered.csv'))).toThrow();
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
