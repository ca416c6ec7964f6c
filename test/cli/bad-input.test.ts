// Bad input to the `perimeter` CLI: a clear message naming file, line and field, the documented exit code, no stack
// trace, and nothing written (lead rows and audit entries counted on the real encrypted database before and after).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import { examplesDir } from '../support/examples.ts';
import { runCli } from '../support/cli.ts';
import type { CliRun } from '../support/cli.ts';

const passphrase = 'a long enough passphrase';
const env = { PERIMETER_PASSPHRASE: passphrase };
const policy = join(examplesDir, 'fintech', 'policy.yaml');
const dir = mkdtempSync(join(tmpdir(), 'perimeter-cli-bad-'));
const db = join(dir, 'team.db');

/**
 * Lead rows and audit entries in the database, read through the services as ada. A command's sign-in is an entry of
 * its own (session.signed_in, decision 0132): what is counted is everything else.
 */
const counts = (): { leads: number; entries: number } => {
  const session = openWorkstation({ path: db, userId: 'ada', passphrase }, { now: () => new Date() });
  try {
    const count = (table: string, where = ''): number =>
      (session.workstation.db.prepare(`SELECT count(*) AS n FROM ${table} ${where}`).get() as { n: number }).n;
    return { leads: count('leads'), entries: count('audit_entries', "WHERE type NOT LIKE 'session.%'") };
  } finally {
    session.workstation.close();
  }
};

const noStackTrace = (run: CliRun): void => {
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stderr).not.toMatch(/unexpected failure/);
};

const write = (name: string, content: string | Buffer): string => {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
};

const header = 'id,company_name,address_country,customer_type,kyc_status,aml_documentation,products\n';
const row = (id: string, name: string, type = 'professional'): string =>
  `${id},${name},FR,${type},verified,complete,business-payments\n`;
const importLeads = (file: string, mode: 'all' | 'valid'): CliRun =>
  runCli(['leads', 'import', '--db', db, '--user', 'ada', '--mode', mode, file], { env });

beforeAll(() => {
  const init = runCli(['workstation', 'init', '--db', db, '--user', 'ada', '--name', 'Ada Admin', '--policy', policy], {
    env,
  });
  expect(init.status).toBe(0);
});

describe('perimeter leads import with bad rows', () => {
  const csv = () =>
    write(
      'one-bad.csv',
      `${header}${row('C-1', 'First SARL')}${row('C-2', 'Bad Co', 'martian')}${row('C-3', 'Third SARL')}`,
    );

  it('mode all: imports nothing from a CSV with one bad row, names its line and column, exits 1', () => {
    const file = csv();
    const before = counts();
    const run = importLeads(file, 'all');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${file} line 3, field customer_type`);
    noStackTrace(run);
    expect(counts()).toEqual(before);
  });

  it('mode valid: imports the good rows of a CSV with one bad row and reports the bad one, exit 1', () => {
    const file = csv();
    const before = counts();
    const run = importLeads(file, 'valid');
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ imported: 2, rejected: 1 });
    expect(run.stderr).toContain(`${file} line 3, field customer_type`);
    expect(counts().leads).toBe(before.leads + 2);
  });

  it('mode valid: reports a lone surrogate in a name and lead ids with a space or a non-ASCII letter by line and field', () => {
    const lead = (id: string, name: string): string =>
      JSON.stringify({
        id,
        company: { name },
        address: { country: 'FR' },
        customerType: 'retail',
        productInterests: ['business-payments'],
      });
    const file = write(
      'odd.jsonl',
      [lead('J-1', 'Fine SARL'), lead('J-2', 'Caf\ud800'), lead('J 3', 'Space SARL'), lead('J-é', 'Accent SARL')].join(
        '\n',
      ),
    );
    const before = counts();
    const run = importLeads(file, 'valid');
    expect(run.status).toBe(1);
    noStackTrace(run);
    expect(run.stderr).toContain(`${file} line 2, field company.name`);
    expect(run.stderr).toContain(`${file} line 3, field id`);
    expect(run.stderr).toContain(`${file} line 4, field id`);
    expect(JSON.parse(run.stdout)).toMatchObject({ imported: 1, rejected: 3 });
    expect(counts().leads).toBe(before.leads + 1);
  });

  it('refuses a Latin-1 lead file with the line of the first invalid byte and writes nothing, in either mode', () => {
    const file = write(
      'latin1.csv',
      Buffer.from(`${header}${row('L-1', 'Fine SARL')}${row('L-2', 'Caf\xe9 SARL')}`, 'latin1'),
    );
    const before = counts();
    for (const mode of ['all', 'valid'] as const) {
      const run = importLeads(file, mode);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`${file} line 3: not UTF-8 text`);
      noStackTrace(run);
    }
    expect(counts()).toEqual(before);
  });

  it('refuses a CSV that names a column twice, even in mode valid, and writes nothing', () => {
    const file = write(
      'twice.csv',
      `id,company_name,customer_type,products,company_name\nT-1,First,retail,business-payments,Second\n`,
    );
    const before = counts();
    const run = importLeads(file, 'valid');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${file} line 1, field company_name: column "company_name" appears more than once`);
    expect(counts()).toEqual(before);
  });

  it('a missing --db folder is unusable input: exit 2, a message naming it, no stack trace', () => {
    const missing = join(dir, 'no-such-folder', 'team.db');
    const run = runCli(['leads', 'import', '--db', missing, '--user', 'ada', csv()], { env });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${missing}: no such workstation database`);
    noStackTrace(run);
  });
});

describe('perimeter policy check and workstation init with bad policies', () => {
  it('policy check refuses a policy that is not UTF-8, naming file and line', () => {
    const text = readFileSync(policy, 'utf8').replace(/^(\s*name: )(.*)$/m, '$1Caf\xe9 $2');
    const line = text.split('\n').findIndex((candidate) => candidate.includes('Caf\xe9')) + 1;
    const file = write('latin1-policy.yaml', Buffer.from(text, 'latin1'));
    const run = runCli(['policy', 'check', file]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${file}:${line}:`);
    expect(run.stderr).toContain('not UTF-8 text');
  });

  it('policy check refuses a YAML alias bomb with a clear error and no stack trace', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [previous, name] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
      ['f', 'g'],
    ])
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    const file = write('bomb.yaml', `${levels.join('\n')}\n`);
    const run = runCli(['policy', 'check', file]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${file}:2:`);
    expect(run.stderr).toMatch(/aliases expand too far/);
    noStackTrace(run);
  });

  it('workstation init names the policy file and line of each problem, exits 1 and creates nothing', () => {
    const text = readFileSync(policy, 'utf8').replace(/capacity: \d+/, 'capacity: lots');
    const line = text.split('\n').findIndex((candidate) => candidate.includes('capacity: lots')) + 1;
    const file = write('bad-policy.yaml', text);
    const target = join(dir, 'never.db');
    const run = runCli(['workstation', 'init', '--db', target, '--user', 'ada', '--name', 'Ada', '--policy', file], {
      env,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${file}:${line}:`);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}.keys.json`)).toBe(false);
  });

  it('workstation init into a folder that does not exist: exit 2, no stack trace, nothing created', () => {
    const target = join(dir, 'missing-folder', 'team.db');
    const run = runCli(['workstation', 'init', '--db', target, '--user', 'ada', '--name', 'Ada', '--policy', policy], {
      env,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no such folder');
    noStackTrace(run);
    expect(existsSync(join(dir, 'missing-folder'))).toBe(false);
  });
});

describe('perimeter route with a lead file it cannot use', () => {
  it('exits 2 for a missing lead file and 1 for one that is not UTF-8', () => {
    const missing = runCli(['route', '--policy', policy, '--leads', join(dir, 'absent.jsonl')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`${join(dir, 'absent.jsonl')}: cannot read`);
    const file = write('route-latin1.csv', Buffer.from(`${header}${row('R-1', 'Caf\xe9 SARL')}`, 'latin1'));
    const latin1 = runCli(['route', '--policy', policy, '--leads', file]);
    expect(latin1.status).toBe(1);
    expect(latin1.stderr).toContain(`${file} line 2: not UTF-8 text`);
    expect(latin1.stdout).toBe('');
  });
});

describe('a wrong passphrase', () => {
  it('exits 1 from every command that opens the database, as the README says', () => {
    const wrong = { PERIMETER_PASSPHRASE: 'not the passphrase at all' };
    const runs = [
      runCli(['leads', 'import', '--db', db, '--user', 'ada', join(examplesDir, 'fintech', 'leads.jsonl')], {
        env: wrong,
      }),
      runCli(['audit', 'keys', '--db', db, '--user', 'ada'], { env: wrong }),
      runCli(['audit', 'export', '--db', db, '--user', 'ada', '--out', join(dir, 'never.zip')], { env: wrong }),
      runCli(['workstation', 'rotate-key', '--db', db, '--user', 'ada', '--reason', 'scheduled rotation'], {
        env: wrong,
      }),
    ];
    for (const run of runs) {
      expect(run.stderr).toMatch(/wrong passphrase/);
      expect(run.status).toBe(1);
    }
  });
});
