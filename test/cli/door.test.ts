// The CLI's one door (decisions 0130-0133): every `perimeter` command that touches a workstation signs in as a user and
// is permitted per command; a user without the permission, outside the market or deactivated is refused (exit 1),
// nothing changes, and the refusal is in the log (access.denied, or session.sign_in_failed at the next sign-in).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectionSnapshot } from '../../electron/services/workstation/projection/rebuild.ts';
import { setActive } from '../../electron/services/workstation/commands/deactivation.ts';
import { doorSidecarPath } from '../../electron/services/workstation/session/sign-in.ts';
import { withoutApprovals } from '../support/policy-text.ts';
import { createUser } from '../../electron/services/workstation/commands/users.ts';
import { initialiseWorkstation, openWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import type { Role } from '../../core/access/roles.ts';
import { keySlotsPath } from '../../electron/services/store/key-slots.ts';
import { call } from '../support/api.ts';
import { runCli, runCliAsync } from '../support/cli.ts';
import { examplesDir, sharedData } from '../support/examples.ts';
import { leadIdOf, TEST_SCRYPT } from '../support/workstation.ts';

const dir = mkdtempSync(join(tmpdir(), 'perimeter-cli-door-'));
const db = join(dir, 'workstation.db');
const lists = join(dir, 'lists');
const passphrase = 'correct horse battery staple';
const deps = { now: () => new Date(), scryptCost: TEST_SCRYPT };
const as = (user: string, secret = passphrase): Record<string, string> => ({
  PERIMETER_USER: user,
  PERIMETER_PASSPHRASE: secret,
  PERIMETER_INITIAL_PASSPHRASE: 'an initial passphrase 123',
});

type Entry = { actor: string; type: string; subjects: string[]; payload: Record<string, unknown> };

/** Reads the workstation as its first admin, without signing in through the door (so it appends nothing). */
const inspect = <T>(read: (db: ReturnType<typeof openWorkstation>['workstation']['db']) => T): T => {
  const session = openWorkstation({ path: db, userId: 'ada', passphrase }, deps);
  try {
    return read(session.workstation.db);
  } finally {
    session.workstation.close();
  }
};

const entries = (): Entry[] =>
  inspect((store) =>
    (store.prepare('SELECT canonical FROM audit_entries ORDER BY sequence').all() as { canonical: Buffer }[]).map(
      (row) => JSON.parse(row.canonical.toString('utf8')) as Entry,
    ),
  );

// Everything a refused command could change: projections, the log apart from the door's own records, personal data,
// signing keys, key slots, list versions.
const DOOR_RECORDS = ['access.denied', 'session.signed_in', 'session.sign_in_failed'];
const digest = (): unknown =>
  inspect((store) => ({
    projections: projectionSnapshot(store),
    log: (
      store.prepare('SELECT type, canonical FROM audit_entries ORDER BY sequence').all() as {
        type: string;
        canonical: Buffer;
      }[]
    )
      .filter((row) => !DOOR_RECORDS.includes(row.type))
      .map((row) => row.canonical.toString('utf8')),
    personalData: store.prepare('SELECT sequence, data IS NULL AS erased FROM audit_personal_data').all(),
    keys: store.prepare('SELECT count(*) AS n FROM audit_signing_keys').get(),
    checkpoints: store.prepare('SELECT count(*) AS n FROM audit_checkpoints').get(),
    slots: readFileSync(keySlotsPath(db), 'utf8'),
    lists: existsSync(join(lists, 'manifest.json')) ? readFileSync(join(lists, 'manifest.json'), 'utf8') : null,
  }));

beforeAll(() => {
  const admin = initialiseWorkstation(
    {
      path: db,
      logId: 'door-device',
      admin: { id: 'ada', name: 'Ada Admin', passphrase },
      policyText: withoutApprovals(readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8')),
    },
    deps,
  );
  const users: [string, Role[], string[]][] = [
    ['alice', ['auditor'], ['*']],
    ['ukaudit', ['auditor'], ['UK']],
    ['rep', ['field_rep'], ['UK']],
    ['uksenior', ['senior_officer'], ['UK']],
    ['gone', ['auditor', 'senior_officer'], ['*']],
  ];
  for (const [id, roles, markets] of users) createUser(admin, { id, name: id, roles, markets, passphrase });
  call(admin, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content: readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8'),
    mode: 'all',
    sourceSystem: 'crm',
  });
  setActive(admin, { userId: 'gone', active: false, reason: 'left the firm' });
  frSme = leadIdOf(admin, 'L-FR-SME');
  // A case outside the UK (a French or other non-UK jurisdiction): what uksenior may not see.
  outsideCase = admin.workstation.db
    .prepare<[], string>(
      "SELECT id FROM cases WHERE jurisdiction IS NOT NULL AND jurisdiction NOT LIKE 'GB%' ORDER BY id LIMIT 1",
    )
    .pluck()
    .get()!;
  writeFileSync(
    join(dir, 'facts.json'),
    JSON.stringify({
      format: 'perimeter-lead-facts',
      version: 1,
      results: [{ leadId: frSme, facts: { kycStatus: 'verified' } }],
    }),
  );
  // A result file for `kyc results` (refused before it is judged).
  writeFileSync(
    join(dir, 'kyc-results.json'),
    JSON.stringify({ format: 'perimeter.kyc-results', version: 1, results: [] }),
  );
  admin.workstation.close();
}, 60_000);

const blocklist = join(sharedData, 'sanctions', 'blocked.txt');
const COMMANDS: Record<string, string[]> = {
  'audit export': ['audit', 'export', '--db', db, '--out', join(dir, 'never.zip')],
  'audit export --personal-data': ['audit', 'export', '--db', db, '--out', join(dir, 'never.zip'), '--personal-data'],
  'audit keys': ['audit', 'keys', '--db', db],
  'audit checkpoint': ['audit', 'checkpoint', '--db', db],
  'audit rotate-key': ['audit', 'rotate-key', '--db', db, '--reason', 'scheduled rotation'],
  'audit erase': ['audit', 'erase', '--db', db, '--subject', 'lead:L-FR-SME', '--basis', 'GDPR art. 17 R-9'],
  'audit purge': ['audit', 'purge', '--db', db],
  'lists import': ['lists', 'import', '--lists', lists, '--source', 'blocklist', '--db', db, blocklist],
  'workstation rotate-key': ['workstation', 'rotate-key', '--db', db, '--reason', 'scheduled rotation'],
  'workstation re-enrol': ['workstation', 're-enrol', '--db', db, '--target', 'rep', '--reason', 'lost the slot'],
  'workstation deactivate': ['workstation', 'deactivate', '--db', db, '--target', 'rep', '--reason', 'left the firm'],
  'workstation reactivate': ['workstation', 'reactivate', '--db', db, '--target', 'gone', '--reason', 'came back'],
  'leads import': ['leads', 'import', '--db', db, join(examplesDir, 'fintech', 'leads.jsonl')],
  'workstation create-user': [
    'workstation',
    'create-user',
    '--db',
    db,
    '--target',
    'newbie',
    '--name',
    'New Bie',
    '--roles',
    'field_rep',
    '--markets',
    'UK',
    '--initial-passphrase-env',
    'PERIMETER_PASSPHRASE',
  ],
  'leads erase': ['leads', 'erase', '--db', db, '--lead', 'L-FR-SME', '--reason', 'GDPR art. 17 request R-10'],
  'leads approve-erasure': ['leads', 'approve-erasure', '--db', db, '--request', 'EO-1', '--reason', 'agreed, R-10'],
  'leads facts': ['leads', 'facts', '--db', db, join(dir, 'facts.json')],
  'retention run': ['retention', 'run', '--db', db],
  'retention report': ['retention', 'report', '--db', db],
  'approvals list': ['approvals', 'list', '--db', db],
  'approvals approve': ['approvals', 'approve', '--db', db, '--request', 'MR-1'],
  'approvals reject': ['approvals', 'reject', '--db', db, '--request', 'MR-1', '--reason', 'not needed'],
  // Sync conflicts (decisions 0244, 0266-0268): the case the conflict id names is checked before the conflict.
  'cases conflict': ['cases', 'conflict', '--db', db, '--conflict', 'SC-CASE-v0'],
  'cases resolve-conflict': [
    'cases',
    'resolve-conflict',
    '--db',
    db,
    '--conflict',
    'SC-CASE-v0',
    '--reopen',
    '--reason',
    'both decisions were taken on stale facts',
  ],
  'kyc configure': ['kyc', 'configure', '--db', db, '--connector', 'none'],
  'kyc deliver': ['kyc', 'deliver', '--db', db],
  'kyc results': ['kyc', 'results', '--db', db, join(dir, 'kyc-results.json')],
  // The hub is never reached: each is refused (or its user unknown) before it sends anything.
  'sync enrol': ['sync', 'enrol', '--db', db, '--hub', 'http://127.0.0.1:9', '--region', 'eu-west'],
  'sync push': ['sync', 'push', '--db', db],
  'sync pull': ['sync', 'pull', '--db', db],
  'sync status': ['sync', 'status', '--db', db],
  'distribution status': ['distribution', 'status', '--db', db, '--offline'],
  'distribution fetch': ['distribution', 'fetch', '--db', db],
  'distribution pin-key': ['distribution', 'pin-key', '--db', db, '--key', 'perimeter-publisher/eu-west+00000000+AAAA'],
  'sync devices': ['sync', 'devices', '--db', db],
  'sync approve': ['sync', 'approve', '--db', db, '--device', 'field-9'],
  'sync revoke': ['sync', 'revoke', '--db', db, '--device', 'field-9'],
};
/** The internal id of the example lead L-FR-SME (decision 0178): log subjects name it, `leads erase` takes either. */
let frSme = '';
let outsideCase = '';
const internal = (text: string): string =>
  text.replace('lead:L-FR-SME', `lead:${frSme}`).replace(/^(SC-|case:)CASE/u, `$1${outsideCase}`);

/** The command as `user` runs it (--user is given on the command line, as every workstation command takes it). */
const command = (name: string, user: string): string[] => [...COMMANDS[name]!.map(internal), '--user', user];

// [command, user, reason, subject]: who is refused what, and why.
const REFUSALS: [string, string, 'forbidden' | 'out_of_market', string | null][] = [
  ['audit export', 'rep', 'forbidden', null],
  ['audit export --personal-data', 'ukaudit', 'out_of_market', null],
  ['audit export --personal-data', 'rep', 'forbidden', null],
  ['audit keys', 'rep', 'forbidden', null],
  ['audit checkpoint', 'alice', 'forbidden', null],
  ['audit rotate-key', 'alice', 'forbidden', null],
  ['audit erase', 'alice', 'forbidden', null],
  ['audit erase', 'uksenior', 'out_of_market', 'lead:L-FR-SME'],
  ['audit purge', 'rep', 'forbidden', null],
  ['audit purge', 'uksenior', 'out_of_market', null],
  ['lists import', 'alice', 'forbidden', null],
  ['workstation rotate-key', 'alice', 'forbidden', null],
  ['workstation re-enrol', 'alice', 'forbidden', null],
  ['workstation deactivate', 'alice', 'forbidden', null],
  ['workstation reactivate', 'uksenior', 'forbidden', null],
  ['leads import', 'alice', 'forbidden', null],
  ['workstation create-user', 'alice', 'forbidden', null],
  ['leads erase', 'alice', 'forbidden', null],
  ['leads erase', 'uksenior', 'out_of_market', 'lead:L-FR-SME'],
  ['leads approve-erasure', 'alice', 'forbidden', null],
  ['leads facts', 'alice', 'forbidden', null],
  ['retention run', 'alice', 'forbidden', null],
  ['retention run', 'uksenior', 'out_of_market', null],
  ['retention report', 'rep', 'forbidden', null],
  ['approvals list', 'alice', 'forbidden', null],
  ['approvals approve', 'alice', 'forbidden', null],
  ['approvals reject', 'alice', 'forbidden', null],
  // The KYC connector (decisions 0210, 0214): configuring it is an operations admin's over every market; delivering and
  // importing results need kyc.operate (operations admins, senior officers), which an auditor lacks.
  ['cases conflict', 'rep', 'forbidden', null],
  ['cases resolve-conflict', 'alice', 'forbidden', null],
  ['cases conflict', 'uksenior', 'out_of_market', 'case:CASE'],
  ['cases resolve-conflict', 'uksenior', 'out_of_market', 'case:CASE'],
  ['kyc configure', 'alice', 'forbidden', null],
  ['kyc configure', 'uksenior', 'forbidden', null],
  ['kyc deliver', 'alice', 'forbidden', null],
  ['kyc results', 'alice', 'forbidden', null],
  // Enrolling the workstation with a hub needs user.manage (operations admins); pushing, pulling and the status are
  // every active user's (decision 0224).
  ['sync enrol', 'alice', 'forbidden', null],
  ['sync enrol', 'uksenior', 'forbidden', null],
  // Pinning the publisher key needs user.manage and policy.publish (decision 0253); the status and fetching are every
  // active user's (decision 0254).
  ['distribution pin-key', 'alice', 'forbidden', null],
  ['distribution pin-key', 'uksenior', 'forbidden', null],
  // The region's devices from an operations device: operations admins only (decision 0273).
  ['sync devices', 'alice', 'forbidden', null],
  ['sync approve', 'alice', 'forbidden', null],
  ['sync revoke', 'uksenior', 'forbidden', null],
];

/** The commands listed under "Commands:" in a help text (without `help` itself). */
const commandsIn = (help: string): string[] =>
  (help.split(/^Commands:$/mu)[1] ?? '')
    .split('\n')
    .map((line) => /^ {2}([a-z][a-z-]*)/u.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && name !== 'help');

describe('the CLI door', () => {
  // Every command that opens a workstation database (it takes --db) has a row above, so none is left outside this test.
  // `serve` is the api's door (test/services/workstation/door.test.ts), reached over HTTP rather than per command.
  it('has a row for every command that opens a workstation database', async () => {
    // The help texts are read side by side (each is a process start), a few at a time.
    const helpOf = async (args: readonly string[]): Promise<string> => (await runCliAsync([...args, '--help'])).stdout;
    const inParallel = async <T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> => {
      const results: R[] = new Array(items.length);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < items.length) {
          const index = next++;
          results[index] = await work(items[index]!);
        }
      };
      await Promise.all(Array.from({ length: 4 }, worker));
      return results;
    };
    const groups = commandsIn(runCli(['--help']).stdout);
    const groupHelps = await inParallel(groups, (group) => helpOf([group]));
    const opening: string[] = [];
    const subcommands: string[][] = [];
    groups.forEach((group, index) => {
      const subs = commandsIn(groupHelps[index]!);
      if (subs.length === 0) {
        if (groupHelps[index]!.includes('--db <file>')) opening.push(group);
      } else for (const sub of subs) subcommands.push([group, sub]);
    });
    const subHelps = await inParallel(subcommands, (args) => helpOf(args));
    subcommands.forEach((args, index) => {
      if (subHelps[index]!.includes('--db <file>')) opening.push(args.join(' '));
    });
    expect(opening.length).toBeGreaterThan(15);
    const covered = new Set(Object.keys(COMMANDS).map((name) => name.replace(' --personal-data', '')));
    expect(opening.filter((name) => !covered.has(name) && name !== 'serve' && name !== 'workstation init')).toEqual([]);
  }, 300_000);

  it.each(REFUSALS)(
    'refuses %s to %s (%s): exit 1, nothing changes, access.denied logged',
    (name, user, reason, subject) => {
      const before = digest();
      const logged = entries().length;
      const run = runCli(command(name, user), { env: as(user) });
      expect(run.status, run.stderr).toBe(1);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace for a refusal
      expect(digest()).toEqual(before);
      const added = entries().slice(logged);
      // What the refused command left: its sign-in and its refusal, nothing else.
      expect(added.map((entry) => entry.type)).toEqual(['session.signed_in', 'access.denied']);
      expect(added[1]).toMatchObject({
        actor: `user:${user}`,
        subjects: subject === null ? [] : [internal(subject)],
        payload: { action: name.replace(' --personal-data', ''), reason },
      });
    },
  );

  // Deactivating a user removes their key slot (decision 0039), so the attempt is an unknown user's: the typed id is
  // not kept (it could be anything, even a passphrase), but the attempt, its time and its reason reach the log.
  it.each(Object.keys(COMMANDS))(
    'refuses %s to a deactivated user, and logs the attempt at the next sign-in',
    (name) => {
      const before = digest();
      const run = runCli(command(name, 'gone'), { env: as('gone') });
      expect(run.status, run.stderr).toBe(1);
      expect(run.stderr).toContain('no key slot for user gone');
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(digest()).toEqual(before);
      expect(readFileSync(doorSidecarPath(db), 'utf8')).toContain('"reason":"unknown_user"');
      const logged = entries().length;
      expect(runCli(command('audit keys', 'alice'), { env: as('alice') }).status).toBe(0);
      expect(existsSync(doorSidecarPath(db))).toBe(false);
      const added = entries().slice(logged);
      expect(added.map((entry) => entry.type)).toEqual(['session.sign_in_failed', 'session.signed_in']);
      expect(added[0]).toMatchObject({
        actor: 'system:door',
        subjects: [],
        payload: { userId: null, reason: 'unknown_user', via: 'cli' },
      });
    },
  );

  it('refuses a wrong passphrase and an unknown user; the log gets both at the next sign-in, without the typed name', () => {
    const before = digest();
    expect(runCli(command('audit export', 'alice'), { env: as('alice', 'not the passphrase at all') }).status).toBe(1);
    const stranger = runCli(command('audit export', 'correct horse battery'), { env: as('correct horse battery') });
    expect(stranger.status).toBe(1);
    expect(digest()).toEqual(before);
    expect(readFileSync(doorSidecarPath(db), 'utf8')).not.toContain('correct horse battery');
    const logged = entries().length;
    expect(runCli(command('audit keys', 'alice'), { env: as('alice') }).status).toBe(0);
    const added = entries().slice(logged);
    expect(added.map((entry) => [entry.type, entry.payload.userId, entry.payload.reason])).toEqual([
      ['session.sign_in_failed', 'alice', 'wrong_passphrase'],
      ['session.sign_in_failed', null, 'unknown_user'],
      ['session.signed_in', undefined, undefined],
    ]);
    expect(JSON.stringify(added)).not.toContain('correct horse battery');
  });

  it('lets a permitted user through: a list import with a workstation is list.imported in its log', () => {
    const logged = entries().length;
    const run = runCli(command('lists import', 'ada'), { env: as('ada') });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/recorded in the workstation log as list\.imported, entry \d+/);
    const added = entries().slice(logged);
    // The new list re-screens the leads already there as system:monitoring (decision 0193): one bulk read of their
    // parties (fewer than a chunk), no hit among the example leads, the run's end.
    expect(added.map((entry) => entry.type)).toEqual([
      'session.signed_in',
      'list.imported',
      'monitoring.started',
      'personal_data.bulk_read',
      'monitoring.completed',
    ]);
    const leads = added[2]!.payload.leads as number;
    expect(leads).toBeGreaterThan(20);
    expect(added[3]).toMatchObject({ actor: 'system:monitoring', payload: { purpose: 'monitoring', leads } });
    expect(added[4]).toMatchObject({ actor: 'system:monitoring', payload: { state: 'done', leads, hits: 0 } });
    expect(run.stdout).toContain(`re-screened ${leads} of ${leads} leads against the 3 added and 0 changed entries`);
    const manifest = JSON.parse(readFileSync(join(lists, 'manifest.json'), 'utf8')) as {
      lists: Record<string, { active: string }>;
    };
    const [listId] = Object.keys(manifest.lists);
    expect(added[1]).toMatchObject({
      actor: 'user:ada',
      subjects: [`list:${listId}`],
      payload: { list: listId, source: 'blocklist', status: 'activated', changes: { previous: null } },
    });
    expect(added[1]!.payload.version).toMatch(/^[0-9a-f]{64}$/);
    expect((added[1]!.payload.counts as Record<string, number>).entries).toBeGreaterThan(0);
  });
});
