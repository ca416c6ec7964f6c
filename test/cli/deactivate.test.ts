// `perimeter workstation deactivate` and `reactivate`, run for real on an encrypted workstation (decision 0039).
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { keySlotUsers } from '../../electron/services/store/key-slots.ts';
import { openWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import { runCli } from '../support/cli.ts';
import { ADMIN_PASSPHRASE, addUser, createTestWorkstation } from '../support/workstation.ts';

const ws = createTestWorkstation();
addUser(ws, 'olga', ['compliance_officer'], ['UK']).workstation.close();
ws.admin.workstation.close();
afterAll(() => rmSync(ws.dir, { recursive: true, force: true }));

const olgaSignsIn = (passphrase: string): void =>
  openWorkstation({ path: ws.path, userId: 'olga', passphrase }, ws.deps).workstation.close();

describe('perimeter workstation deactivate and reactivate', () => {
  it('cuts a leaver off with a reason, and lets her back under a new passphrase', () => {
    const deactivate = ['workstation', 'deactivate', '--db', ws.path, '--user', 'ada', '--target', 'olga'];
    const noReason = runCli(deactivate, { env: { PERIMETER_PASSPHRASE: ADMIN_PASSPHRASE } });
    expect(noReason.status).not.toBe(0);
    expect(noReason.stderr).toMatch(/--reason/);
    const wrong = runCli([...deactivate, '--reason', 'left the firm'], {
      env: { PERIMETER_PASSPHRASE: 'not the passphrase' },
    });
    expect(wrong.status).toBe(1);
    olgaSignsIn('olga passphrase 123');

    const done = runCli([...deactivate, '--reason', 'left the firm'], {
      env: { PERIMETER_PASSPHRASE: ADMIN_PASSPHRASE },
    });
    expect(done.stderr).toBe('');
    expect(done.status).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ user: { id: 'olga', active: false }, keySlotChanged: true });
    expect(keySlotUsers(ws.path)).toEqual(['ada']);
    expect(() => olgaSignsIn('olga passphrase 123')).toThrow(/no key slot for user olga/);

    const again = runCli([...deactivate, '--reason', 'left the firm'], {
      env: { PERIMETER_PASSPHRASE: ADMIN_PASSPHRASE },
    });
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/deactivated already/);

    const back = runCli(
      ['workstation', 'reactivate', '--db', ws.path, '--user', 'ada', '--target', 'olga', '--reason', 'rehired'],
      { env: { PERIMETER_PASSPHRASE: ADMIN_PASSPHRASE, PERIMETER_INITIAL_PASSPHRASE: 'olga is back again' } },
    );
    expect(back.stderr).toBe('');
    expect(JSON.parse(back.stdout)).toMatchObject({ user: { id: 'olga', active: true }, keySlotChanged: true });
    olgaSignsIn('olga is back again');
  }, 60_000);
});
