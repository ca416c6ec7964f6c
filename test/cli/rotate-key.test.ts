// `perimeter workstation rotate-key` and `re-enrol`, run for real on an encrypted workstation (decision 0037).
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { keySlotsPath } from '../../electron/services/store/key-slots.ts';
import { openWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import { runCli } from '../support/cli.ts';
import { ADMIN_PASSPHRASE, addUser, createTestWorkstation } from '../support/workstation.ts';

const ws = createTestWorkstation();
addUser(ws, 'olga', ['compliance_officer'], ['UK']).workstation.close();
ws.admin.workstation.close();
afterAll(() => rmSync(ws.dir, { recursive: true, force: true }));

const slotUsers = (): string[] =>
  (JSON.parse(readFileSync(keySlotsPath(ws.path), 'utf8')) as { slots: { user: string }[] }).slots.map(
    (slot) => slot.user,
  );

describe('perimeter workstation rotate-key and re-enrol', () => {
  it('rotates the key keeping only the admin’s slot, and re-enrols a dropped user', () => {
    const args = ['workstation', 'rotate-key', '--db', ws.path, '--user', 'ada', '--reason', 'scheduled rotation'];
    const wrong = runCli(args, { env: { PERIMETER_PASSPHRASE: 'not the passphrase' } });
    expect(wrong.status).toBe(1);
    expect(slotUsers()).toEqual(['ada', 'olga']);
    const olgaTries = runCli(
      ['workstation', 'rotate-key', '--db', ws.path, '--user', 'olga', '--reason', 'take over'],
      {
        env: { PERIMETER_PASSPHRASE: 'olga passphrase 123' },
      },
    );
    expect(olgaTries.status).toBe(1);
    expect(olgaTries.stderr).toMatch(/not an operations admin/);

    const rotated = runCli(args, { env: { PERIMETER_PASSPHRASE: ADMIN_PASSPHRASE } });
    expect(rotated.stderr).toBe('');
    expect(rotated.status).toBe(0);
    expect(JSON.parse(rotated.stdout)).toMatchObject({ keptSlots: ['ada'], droppedSlots: ['olga'] });
    expect(slotUsers()).toEqual(['ada']);
    expect(() =>
      openWorkstation({ path: ws.path, userId: 'olga', passphrase: 'olga passphrase 123' }, ws.deps),
    ).toThrow(/no key slot for user olga/);

    const enrolled = runCli(
      ['workstation', 're-enrol', '--db', ws.path, '--user', 'ada', '--target', 'olga', '--reason', 'after rotation'],
      { env: { PERIMETER_PASSPHRASE: ADMIN_PASSPHRASE, PERIMETER_INITIAL_PASSPHRASE: 'olga after the rotation' } },
    );
    expect(enrolled.stderr).toBe('');
    expect(JSON.parse(enrolled.stdout)).toMatchObject({ userId: 'olga' });
    openWorkstation(
      { path: ws.path, userId: 'olga', passphrase: 'olga after the rotation' },
      ws.deps,
    ).workstation.close();
  }, 60_000);
});
