// `perimeter lists import --source eu-fsf-xml | uk-sanctions-csv`, run as a user runs it, with a real encrypted
// workstation: each import is a version in the list directory and a list.imported entry; a broken file changes neither.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialiseWorkstation, openWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import { runCli } from '../support/cli.ts';
import { examplesDir, repoRoot } from '../support/examples.ts';
import { TEST_SCRYPT, withoutApprovals } from '../support/workstation.ts';

const dir = mkdtempSync(join(tmpdir(), 'perimeter-cli-lists-eu-uk-'));
const db = join(dir, 'workstation.db');
const lists = join(dir, 'lists');
const passphrase = 'correct horse battery staple';
const deps = { now: () => new Date(), scryptCost: TEST_SCRYPT };
const env = { PERIMETER_USER: 'ada', PERIMETER_PASSPHRASE: passphrase };
const fixture = (...path: string[]): string => join(repoRoot, 'test', 'fixtures', 'lists', ...path);

type Entry = { actor: string; type: string; subjects: string[]; payload: Record<string, unknown> };

/** The log as the admin reads it directly (no sign-in through the door, so nothing is appended). */
const entries = (): Entry[] => {
  const session = openWorkstation({ path: db, userId: 'ada', passphrase }, deps);
  try {
    return (
      session.workstation.db.prepare('SELECT canonical FROM audit_entries ORDER BY sequence').all() as {
        canonical: Buffer;
      }[]
    ).map((row) => JSON.parse(row.canonical.toString('utf8')) as Entry);
  } finally {
    session.workstation.close();
  }
};
const manifest = (): string => readFileSync(join(lists, 'manifest.json'), 'utf8');
const importing = (source: string, file: string): string[] => [
  'lists',
  'import',
  '--lists',
  lists,
  '--source',
  source,
  '--db',
  db,
  '--json',
  file,
];

beforeAll(() => {
  initialiseWorkstation(
    {
      path: db,
      logId: 'lists-eu-uk-device',
      admin: { id: 'ada', name: 'Ada Admin', passphrase },
      policyText: withoutApprovals(readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8')),
    },
    deps,
  ).workstation.close();
}, 60_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('perimeter lists import for the EU and UK lists', () => {
  it.each([
    ['eu-fsf-xml', fixture('eu-fsf', 'eu-fsf-sample.xml'), 'eu-fsf', '2026-11-20T17:02:11.123+01:00'],
    ['uk-sanctions-csv', fixture('uk-sanctions', 'uk-sanctions-sample.csv'), 'uk-sanctions', '2026-11-20'],
  ])('imports %s into the list directory and logs list.imported', (source, file, listId, publishedAt) => {
    const logged = entries().length;
    const run = runCli(importing(source, file), { env });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      status: string;
      version: { listId: string; source: string; publishedAt: string; version: string; counts: Record<string, number> };
      loggedAt: number;
    };
    expect(result).toMatchObject({ status: 'activated', version: { listId, source, publishedAt } });
    expect(result.version.counts.entries).toBe(4);
    expect(JSON.parse(manifest()).lists[listId].active).toBe(result.version.version);
    const added = entries().slice(logged);
    // A new version re-screens the leads already there (decision 0193): this workstation has none, so the run reads
    // nothing and ends at once.
    expect(added.map((entry) => entry.type)).toEqual([
      'session.signed_in',
      'list.imported',
      'monitoring.started',
      'monitoring.completed',
    ]);
    expect(added[3]).toMatchObject({ actor: 'system:monitoring', payload: { state: 'done', leads: 0 } });
    expect(added[1]).toMatchObject({
      actor: 'user:ada',
      subjects: [`list:${listId}`],
      payload: { list: listId, label: result.version.version, source, status: 'activated' },
    });
  });

  it.each([
    [
      'eu-fsf-xml',
      fixture('eu-fsf', 'eu-fsf-bad-birthdate.xml'),
      'eu-fsf-bad-birthdate.xml:9: birthdate: birthdate is not a day of the calendar\n',
    ],
    [
      'uk-sanctions-csv',
      fixture('uk-sanctions', 'uk-sanctions-missing-id.csv'),
      'uk-sanctions-missing-id.csv:6: Unique ID: Unique ID is required\n',
    ],
  ])(
    'refuses a broken %s file with exit 1, and the directory and the log keep what they had',
    (source, file, where) => {
      const before = manifest();
      const logged = entries().length;
      const run = runCli(importing(source, file), { env });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(where);
      expect(run.stderr).toContain('nothing imported; active versions unchanged');
      expect(manifest()).toBe(before);
      expect(
        entries()
          .slice(logged)
          .map((entry) => entry.type),
      ).toEqual(['session.signed_in']);
    },
  );

  it('shows both lists as active versions', () => {
    const shown = runCli(['lists', 'show', '--lists', lists, '--json']);
    expect(shown.status, shown.stderr).toBe(0);
    const { lists: active } = JSON.parse(shown.stdout) as { lists: { listId: string; source: string }[] };
    expect(active.map((list) => [list.listId, list.source])).toEqual([
      ['eu-fsf', 'eu-fsf-xml'],
      ['uk-sanctions', 'uk-sanctions-csv'],
    ]);
  });
});
