// Opening the workstation with an already-unwrapped database key (the OS keychain's path in): the key gives the
// database, but the user must still have a key slot and be active; a wrong key is refused and nothing is written.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../../electron/services/store/errors.ts';
import { removeKeySlot } from '../../../electron/services/store/key-slots.ts';
import { createSessionHolder } from '../../../electron/services/workstation/session/session-holder.ts';
import {
  openWorkstation,
  openWorkstationWithKey,
  WorkstationError,
} from '../../../electron/services/workstation/session/workstation.ts';
import { ADMIN_PASSPHRASE, addUser, createTestWorkstation } from '../../support/workstation.ts';
import type { TestWorkstation } from '../../support/workstation.ts';

const withBob = (): { ws: TestWorkstation; key: Uint8Array } => {
  const ws = createTestWorkstation();
  addUser(ws, 'bob', ['compliance_officer'], ['UK']).workstation.close();
  const key = ws.admin.workstation.key().slice();
  ws.admin.workstation.close();
  return { ws, key };
};

const snapshot = (dir: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(dir).map((name) => [
      name,
      createHash('sha256')
        .update(readFileSync(join(dir, name)))
        .digest('hex'),
    ]),
  );

const failure = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
};

describe('openWorkstationWithKey', () => {
  it('signs in an active user with the database key, holding its own copy of the key', () => {
    const { ws, key } = withBob();
    const session = openWorkstationWithKey({ path: ws.path, userId: 'bob', key }, ws.deps);
    key.fill(0);
    expect(session.user).toMatchObject({ id: 'bob', roles: ['compliance_officer'], markets: ['UK'], active: true });
    expect(session.workstation.key().some((byte) => byte !== 0)).toBe(true);
    expect(session.workstation.db.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 2 });
    session.workstation.close();
  });

  it('refuses a wrong key as the store does, and leaves every file as it was', () => {
    const { ws } = withBob();
    const before = snapshot(ws.dir);
    const error = failure(() =>
      openWorkstationWithKey({ path: ws.path, userId: 'ada', key: new Uint8Array(randomBytes(32)) }, ws.deps),
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('wrong-key');
    expect(snapshot(ws.dir)).toEqual(before);
    // The passphrase still opens it.
    openWorkstation({ path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, ws.deps).workstation.close();
  });

  it('refuses a user without a key slot, even one with an account, before opening the database', () => {
    const { ws, key } = withBob();
    const unknown = failure(() => openWorkstationWithKey({ path: ws.path, userId: 'mallory', key }, ws.deps));
    expect(unknown).toBeInstanceOf(StoreError);
    expect((unknown as StoreError).code).toBe('unknown-user');
    // bob's passphrase slot is removed: a key from elsewhere must not outlive it.
    removeKeySlot(ws.path, { user: 'ada', passphrase: ADMIN_PASSPHRASE }, 'bob');
    const removed = failure(() => openWorkstationWithKey({ path: ws.path, userId: 'bob', key }, ws.deps));
    expect((removed as StoreError).code).toBe('unknown-user');
  });

  it('refuses an inactive user', () => {
    const { ws, key } = withBob();
    // No command deactivates users yet: the fixture sets the projection directly on its own connection.
    const admin = openWorkstation({ path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, ws.deps);
    admin.workstation.db.prepare("UPDATE users SET active = 0 WHERE id = 'bob'").run();
    admin.workstation.close();
    const error = failure(() => openWorkstationWithKey({ path: ws.path, userId: 'bob', key }, ws.deps));
    expect(error).toBeInstanceOf(WorkstationError);
    expect((error as WorkstationError).code).toBe('unauthenticated');
  });
});

describe('the session holder with a key', () => {
  it('unlocks with a key, hands out a copy of it while signed in, and maps a wrong key to unauthenticated', () => {
    const { ws, key } = withBob();
    const holder = createSessionHolder({ dbPath: ws.path, deps: ws.deps });
    expect(holder.currentKey()).toBeNull();
    expect(holder.unlockWithKey('bob', key)).toMatchObject({ ok: true, value: { id: 'bob' } });
    const current = holder.currentKey();
    expect(current?.userId).toBe('bob');
    expect(current?.key).toEqual(key);
    current?.key.fill(0);
    expect(holder.call('session.whoami', {})).toMatchObject({ ok: true, value: { id: 'bob' } });

    const wrong = holder.unlockWithKey('ada', new Uint8Array(randomBytes(32)));
    expect(wrong).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    if (!wrong.ok) expect(wrong.error.message).toMatch(/passphrase/);
    // A refused unlock signs nobody out (issue 12): bob is still signed in.
    expect(holder.isUnlocked()).toBe(true);
    expect(holder.call('session.whoami', {})).toMatchObject({ ok: true, value: { id: 'bob' } });
    expect(holder.unlockWithKey('mallory', key)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('audits a keychain change only as the user still signed in', () => {
    const { ws, key } = withBob();
    const holder = createSessionHolder({ dbPath: ws.path, deps: ws.deps });
    expect(holder.recordKeychain('bob', { change: 'forgotten' })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    holder.unlockWithKey('bob', key);
    expect(holder.recordKeychain('ada', { change: 'remembered', backend: 'kwallet5' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(holder.recordKeychain('bob', { change: 'remembered', backend: 'kwallet5' })).toMatchObject({ ok: true });
    holder.lock();
  });
});
