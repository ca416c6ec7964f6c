// Changing one's own passphrase: only that user's slot is re-wrapped; the wrong current passphrase changes nothing.
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { keySlotsPath } from '../../../electron/services/store/key-slots.ts';
import { openWorkstation } from '../../../electron/services/workstation/session/workstation.ts';
import { call, callError } from '../../support/api.ts';
import { ADMIN_PASSPHRASE, addUser, createTestWorkstation } from '../../support/workstation.ts';

const ws = createTestWorkstation();
afterAll(() => rmSync(ws.dir, { recursive: true, force: true }));

const slots = (): { user: string }[] =>
  (JSON.parse(readFileSync(keySlotsPath(ws.path), 'utf8')) as { slots: { user: string }[] }).slots;
const signIn = (userId: string, passphrase: string) => openWorkstation({ path: ws.path, userId, passphrase }, ws.deps);

describe('users.changeOwnPassphrase', () => {
  it('re-wraps the caller’s slot only, and refuses a wrong current passphrase without changing anything', () => {
    const olga = addUser(ws, 'olga', ['compliance_officer'], ['UK']);
    const before = readFileSync(keySlotsPath(ws.path), 'utf8');
    expect(
      callError(olga, 'users.changeOwnPassphrase', { current: 'not her passphrase', next: 'a brand new passphrase' }),
    ).toEqual({
      code: 'unauthenticated',
      message: 'the current passphrase is wrong; nothing was changed',
    });
    expect(callError(olga, 'users.changeOwnPassphrase', { current: 'olga passphrase 123', next: 'short' }).code).toBe(
      'invalid_request',
    );
    expect(readFileSync(keySlotsPath(ws.path), 'utf8')).toBe(before);

    const adaSlot = slots().find((slot) => slot.user === 'ada');
    expect(
      call(olga, 'users.changeOwnPassphrase', { current: 'olga passphrase 123', next: 'a brand new passphrase' }),
    ).toEqual({
      changed: true,
    });
    olga.workstation.close();
    expect(() => signIn('olga', 'olga passphrase 123')).toThrow(/wrong passphrase/);
    const again = signIn('olga', 'a brand new passphrase');
    expect(again.user.id).toBe('olga');
    again.workstation.close();
    // Everyone else's slot is byte for byte the same, and still opens the database.
    expect(slots().find((slot) => slot.user === 'ada')).toEqual(adaSlot);
    signIn('ada', ADMIN_PASSPHRASE).workstation.close();
  });
});
