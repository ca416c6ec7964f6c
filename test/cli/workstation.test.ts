// `perimeter workstation init`, `perimeter leads import` and `perimeter serve`, run for real on an encrypted database.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplesDir, sharedData } from '../support/examples.ts';
import { runCli } from '../support/cli.ts';

const env = { PERIMETER_PASSPHRASE: 'a long enough passphrase' };
const leads = join(examplesDir, 'fintech', 'leads.jsonl');

describe('perimeter workstation and leads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perimeter-cli-ws-'));
  const db = join(dir, 'team.db');

  it('creates an encrypted workstation and refuses to overwrite it', () => {
    const init = runCli(
      [
        'workstation',
        'init',
        '--db',
        db,
        '--user',
        'ada',
        '--name',
        'Ada Admin',
        '--policy',
        join(examplesDir, 'fintech', 'policy.yaml'),
      ],
      { env },
    );
    expect(init.stderr).toBe('');
    expect(init.stdout).toMatch(/created .*team\.db .*policy sha256:[0-9a-f]{64}/);
    const again = runCli(
      [
        'workstation',
        'init',
        '--db',
        db,
        '--user',
        'ada',
        '--name',
        'Ada',
        '--policy',
        join(examplesDir, 'fintech', 'policy.yaml'),
      ],
      { env },
    );
    expect(again.status).not.toBe(0);
    expect(readFileSync(db).includes(Buffer.from('SQLite format 3'))).toBe(false);
  });

  it('imports leads screened against a real list, and re-importing adds nothing', () => {
    const lists = join(dir, 'lists');
    expect(
      runCli([
        'lists',
        'import',
        '--lists',
        lists,
        '--source',
        'un-xml',
        join(sharedData, 'sanctions', 'un', 'UN_consolidated-2026-02-27.xml'),
      ]).status,
    ).toBe(0);
    const first = runCli(['leads', 'import', '--db', db, '--user', 'ada', '--lists', lists, '--mode', 'valid', leads], {
      env,
    });
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ imported: 27, duplicates: 0, rejected: 0 });
    const second = runCli(['leads', 'import', '--db', db, '--user', 'ada', leads], { env });
    expect(JSON.parse(second.stdout)).toMatchObject({ imported: 0, duplicates: 27 });
  });

  it('rejects a whole batch with a bad row, naming its line and field, and exits 1', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(
      bad,
      `${JSON.stringify({ id: 'N-1', company: { name: 'New Co' }, customerType: 'martian', productInterests: ['business-payments'] })}\n`,
    );
    const run = runCli(['leads', 'import', '--db', db, '--user', 'ada', bad], { env });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('line 1, field customerType');
  });

  it('refuses a wrong passphrase with exit 1 and a missing one with exit 2', () => {
    const wrong = runCli(['leads', 'import', '--db', db, '--user', 'ada', leads], {
      env: { PERIMETER_PASSPHRASE: 'not the passphrase at all' },
    });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/wrong passphrase/);
    const missing = runCli(['leads', 'import', '--db', db, '--user', 'ada', leads], {
      env: { PERIMETER_PASSPHRASE: '' },
    });
    expect(missing.status).toBe(2);
  });
});
