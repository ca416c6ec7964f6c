// `perimeter workstation create-user|reactivate` under the policy's approvals and `perimeter approvals list|approve|reject`,
// run for real on an encrypted workstation (decisions 0160, 0161).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { examplesDir } from '../support/examples.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { keySlotUsers } from '../../electron/services/store/key-slots.ts';
import { openWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import { runCli } from '../support/cli.ts';
import { ADMIN_PASSPHRASE, createTestWorkstation, OTTO_PASSPHRASE } from '../support/workstation.ts';

const ws = createTestWorkstation({ approvals: true, secondAdmin: true });
ws.admin.workstation.close();
ws.otto!.workstation.close();
afterAll(() => rmSync(ws.dir, { recursive: true, force: true }));

const asAda = { PERIMETER_PASSPHRASE: ADMIN_PASSPHRASE };
const asOtto = { PERIMETER_PASSPHRASE: OTTO_PASSPHRASE };
const db = ['--db', ws.path];

describe('perimeter approvals', () => {
  it('records a user creation as a request that only another admin can approve, and a rejection with a reason', () => {
    const create = runCli(
      ['workstation', 'create-user', ...db, '--user', 'ada', '--target', 'val', '--name', 'Val Rossi'].concat([
        '--roles',
        'compliance_officer',
        '--markets',
        'UK,US-CA',
      ]),
      { env: { ...asAda, PERIMETER_INITIAL_PASSPHRASE: 'val initial passphrase' } },
    );
    expect(create.stderr).toBe('');
    expect(create.status).toBe(0);
    const { pending } = JSON.parse(create.stdout) as { pending: { id: string; status: string } };
    expect(pending.status).toBe('pending');
    expect(keySlotUsers(ws.path)).not.toContain('val');

    const listed = runCli(['approvals', 'list', ...db, '--user', 'ada'], { env: asAda });
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(`${pending.id}  pending  Create user val (Val Rossi)`);
    expect(listed.stdout).toContain('you cannot approve it: the maker can never be the checker');

    const own = runCli(['approvals', 'approve', ...db, '--user', 'ada', '--request', pending.id], { env: asAda });
    expect(own.status).toBe(1);
    expect(own.stderr).toContain('the maker can never be the checker');
    expect(own.stderr).not.toMatch(/\n\s+at /);

    const approved = runCli(['approvals', 'approve', ...db, '--user', 'otto', '--request', pending.id], {
      env: asOtto,
    });
    expect(approved.stderr).toBe('');
    expect(JSON.parse(approved.stdout)).toMatchObject({ id: pending.id, status: 'approved', decidedBy: 'otto' });
    openWorkstation(
      { path: ws.path, userId: 'val', passphrase: 'val initial passphrase' },
      ws.deps,
    ).workstation.close();

    // Deactivating takes rights away and applies at once; reactivating is a request, which otto rejects.
    const off = runCli(
      ['workstation', 'deactivate', ...db, '--user', 'ada', '--target', 'val', '--reason', 'left us'],
      {
        env: asAda,
      },
    );
    expect(off.status).toBe(0);
    const back = runCli(
      ['workstation', 'reactivate', ...db, '--user', 'ada', '--target', 'val', '--reason', 'rehired'],
      { env: { ...asAda, PERIMETER_INITIAL_PASSPHRASE: 'val is back again' } },
    );
    const request = (JSON.parse(back.stdout) as { pending: { id: string; action: string } }).pending;
    expect(request.action).toBe('user.reactivate');
    const noReason = runCli(['approvals', 'reject', ...db, '--user', 'otto', '--request', request.id], { env: asOtto });
    expect(noReason.status).toBe(2);
    const rejected = runCli(
      ['approvals', 'reject', ...db, '--user', 'otto', '--request', request.id, '--reason', 'not rehired after all'],
      { env: asOtto },
    );
    expect(JSON.parse(rejected.stdout)).toMatchObject({ status: 'rejected', decisionReason: 'not rehired after all' });
    expect(() => openWorkstation({ path: ws.path, userId: 'val', passphrase: 'val is back again' }, ws.deps)).toThrow();
    expect(runCli(['approvals', 'list', ...db, '--user', 'otto'], { env: asOtto }).stdout.trim()).toBe('no requests');
    const all = runCli(['approvals', 'list', ...db, '--user', 'otto', '--all', '--json'], { env: asOtto });
    expect((JSON.parse(all.stdout) as unknown[]).length).toBe(2);
  }, 240_000);

  it('initialises a workstation with a second operations admin who can sign in and approve', () => {
    const dir = mkdtempSync(join(tmpdir(), 'perimeter-init-second-'));
    try {
      const file = join(dir, 'ws.db');
      const init = ['workstation', 'init', '--db', file, '--user', 'ada', '--name', 'Ada Adeyemi'].concat([
        '--policy',
        join(examplesDir, 'fintech', 'policy.yaml'),
        '--second-admin',
        'otto',
      ]);
      const env = { ...asAda, PERIMETER_SECOND_ADMIN_PASSPHRASE: OTTO_PASSPHRASE };
      const noName = runCli(init, { env });
      expect(noName.status).toBe(2);
      expect(noName.stderr).toContain('--second-admin-name');
      const done = runCli([...init, '--second-admin-name', 'Otto Okafor'], { env });
      expect(done.stderr).toBe('');
      expect(done.stdout).toContain('user ada and second admin otto');
      expect(keySlotUsers(file).sort()).toEqual(['ada', 'otto']);
      const listed = runCli(['approvals', 'list', '--db', file, '--user', 'otto'], { env: asOtto });
      expect(listed.stdout.trim()).toBe('no requests');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
