// `perimeter lists import --db`, run as a user runs it, re-screens the workstation's leads against what the new version
// adds or changes (decision 0193): progress on stderr, a summary on stdout and in --json, new hits as screening cases,
// the run's entries in the log. A user without lists.import is refused before anything is imported (test/cli/door.test.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialiseWorkstation, openWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import { call } from '../support/api.ts';
import { runCli } from '../support/cli.ts';
import { examplesDir } from '../support/examples.ts';
import { TEST_SCRYPT, withoutApprovals } from '../support/workstation.ts';

const dir = mkdtempSync(join(tmpdir(), 'perimeter-cli-rescreen-'));
const db = join(dir, 'workstation.db');
const lists = join(dir, 'lists');
const passphrase = 'correct horse battery staple';
const deps = { now: () => new Date(), scryptCost: TEST_SCRYPT };
const env = { PERIMETER_USER: 'ada', PERIMETER_PASSPHRASE: passphrase };

type Entry = { actor: string; type: string; subjects: string[]; payload: Record<string, unknown> };

const read = <T>(work: (session: ReturnType<typeof openWorkstation>) => T): T => {
  const session = openWorkstation({ path: db, userId: 'ada', passphrase }, deps);
  try {
    return work(session);
  } finally {
    session.workstation.close();
  }
};
const entries = (): Entry[] =>
  read((session) =>
    (
      session.workstation.db.prepare('SELECT canonical FROM audit_entries ORDER BY sequence').all() as {
        canonical: Buffer;
      }[]
    ).map((row) => JSON.parse(row.canonical.toString('utf8')) as Entry),
  );
const importing = (file: string, json = false): string[] => [
  'lists',
  'import',
  '--lists',
  lists,
  '--source',
  'blocklist',
  '--list-id',
  'watch',
  '--kind',
  'sanctions',
  '--db',
  db,
  ...(json ? ['--json'] : []),
  file,
];

beforeAll(() => {
  const admin = initialiseWorkstation(
    {
      path: db,
      logId: 'cli-rescreen-device',
      admin: { id: 'ada', name: 'Ada Admin', passphrase },
      policyText: withoutApprovals(readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8')),
    },
    deps,
  );
  // The example leads, screened clear by their source system (none of them is on the watch list yet).
  call(admin, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content: readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8'),
    mode: 'all',
    sourceSystem: 'crm',
  });
  admin.workstation.close();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('perimeter lists import --db re-screens the leads', () => {
  it('raises a new hit on an example lead as a screening case, and reports the run', () => {
    const first = join(dir, 'watch-1.txt');
    writeFileSync(first, 'Ignatius Quarrington\n');
    expect(runCli(importing(first), { env }).status).toBe(0);
    const logged = entries().length;
    // The next version lists the company of the example lead L-UK-RESELLER.
    const second = join(dir, 'watch-2.txt');
    writeFileSync(second, 'Ignatius Quarrington\nThames Payments Partners Ltd\n');
    const run = runCli(importing(second, true), { env });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^re-screening M-\d+: \d+ of \d+ leads, 1 new hit, 1 case opened$/m);
    const result = JSON.parse(run.stdout) as {
      status: string;
      diff: { added: unknown[] };
      rescreen: { runId: string; state: string; leads: number; total: number; hits: number; casesOpened: number };
    };
    expect(result.status).toBe('activated');
    expect(result.diff.added).toHaveLength(1);
    expect(result.rescreen).toMatchObject({ state: 'done', hits: 1, casesOpened: 1 });
    expect(result.rescreen.leads).toBe(result.rescreen.total);
    const added = entries().slice(logged);
    expect(added.map((entry) => entry.type)).toEqual([
      'session.signed_in',
      'list.imported',
      'monitoring.started',
      'personal_data.bulk_read',
      'lead.screened',
      'routing.decided',
      'case.opened',
      'monitoring.completed',
    ]);
    expect(added.slice(2).every((entry) => entry.actor === 'system:monitoring')).toBe(true);
    expect(added[2]!.payload).toMatchObject({ run: result.rescreen.runId, requestedBy: 'ada', added: 1 });
    const reseller = read(
      (session) =>
        session.workstation.db
          .prepare("SELECT id FROM leads WHERE source_id = 'L-UK-RESELLER'")
          .pluck()
          .get() as string,
    );
    expect(added[4]!.subjects).toEqual([`lead:${reseller}`, `monitoring:${result.rescreen.runId}`]);
    expect(added[6]!.payload).toMatchObject({ queue: 'screening_review', leadId: reseller });

    // Without --json: the same run's summary in words.
    const third = join(dir, 'watch-3.txt');
    writeFileSync(third, 'Thames Payments Partners Ltd\n');
    const words = runCli(importing(third), { env });
    expect(words.status, words.stderr).toBe(0);
    expect(words.stdout).toMatch(/re-screened 0 of \d+ leads against the 0 added and 0 changed entries \(run M-\d+\)/);
    expect(words.stdout).toContain('0 new hits on 0 leads, 0 cases opened, 0 hits on the allow-list not raised');
  });
});
