// OS-keychain sign-in through the IPC door: a real encrypted workstation, the real keychain slot, and a test double of
// Electron's safeStorage that really encrypts and can be switched to Linux's plaintext backend.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createIpcDoor } from '../../electron/main/ipc-door.ts';
import type { ExpectedSender, IpcDoor, SenderFacts } from '../../electron/main/ipc-door.ts';
import { addKeychainSlot, keychainKeystore, keychainSlotsPath } from '../../electron/main/keychain-slot.ts';
import { KEYCHAIN_UNSUPPORTED_MESSAGE } from '../../electron/services/workstation/session/session-holder.ts';
import { openWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import { runRekeyWorker } from '../support/rekey-worker.ts';
import { testSafeStorage } from '../support/safe-storage.ts';
import type { TestSafeStorage } from '../support/safe-storage.ts';
import { ADMIN_PASSPHRASE, addUser, createTestWorkstation } from '../support/workstation.ts';
import type { TestWorkstation } from '../support/workstation.ts';

const OURS: ExpectedSender = { webContentsId: 7, origin: 'app://perimeter' };
const window: SenderFacts = { webContentsId: 7, frameUrl: 'app://perimeter/index.html', isTopLevelFrame: true };
const BOB_PASSPHRASE = 'bob passphrase 123';

let ws: TestWorkstation;
let keychain: TestSafeStorage;
let door: IpcDoor;

const open = (platform = 'linux'): void => {
  ws = createTestWorkstation();
  addUser(ws, 'bob', ['compliance_officer'], ['*']).workstation.close();
  ws.admin.workstation.close();
  keychain = testSafeStorage();
  door = createIpcDoor({
    dbPath: ws.path,
    deps: ws.deps,
    expectedSender: () => OURS,
    keystore: keychainKeystore(keychain, platform),
  });
};
afterEach(() => door?.lock());

const call = (method: string, request: unknown = {}) => door.handle(`api:${method}`, window, request);
const signIn = (userId = 'ada', passphrase = ADMIN_PASSPHRASE) => call('session.unlock', { userId, passphrase });

/** Every file of the workstation's folder and its sha256, to prove a refusal wrote nothing. */
const snapshot = (): Record<string, string> =>
  Object.fromEntries(
    readdirSync(ws.dir).map((name) => [
      name,
      createHash('sha256')
        .update(readFileSync(join(ws.dir, name)))
        .digest('hex'),
    ]),
  );

/** The keychain permission entries of the log, read with ada's passphrase after the door is locked. */
const keychainEntries = (): { type: string; actor: string; payload: Record<string, unknown> }[] => {
  door.lock();
  const session = openWorkstation({ path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, ws.deps);
  try {
    return session.workstation.db
      .prepare<[], { type: string; actor: string; canonical: Buffer }>(
        "SELECT type, actor, canonical FROM audit_entries WHERE type LIKE 'permission.%' ORDER BY sequence",
      )
      .all()
      .map((row) => ({
        type: row.type,
        actor: row.actor,
        payload: (JSON.parse(row.canonical.toString('utf8')) as { payload: Record<string, unknown> }).payload,
      }));
  } finally {
    session.workstation.close();
  }
};

describe('OS-keychain sign-in through the door', () => {
  it('remembers the signed-in user on this device, then unlocks with the keychain alone, and audits the grant', async () => {
    open();
    expect(await call('session.keychainStatus')).toEqual({ ok: true, value: { available: true, message: null } });
    expect(await signIn()).toMatchObject({ ok: true });
    expect(await call('session.rememberOnThisDevice')).toEqual({ ok: true, value: { backend: 'gnome_libsecret' } });
    expect(existsSync(keychainSlotsPath(ws.path))).toBe(true);
    expect(await call('session.lock')).toMatchObject({ ok: true });

    expect(await call('session.unlockWithKeychain', { userId: 'ada' })).toMatchObject({
      ok: true,
      value: { id: 'ada', roles: ['operations_admin', 'senior_officer'] },
    });
    expect(door.isUnlocked()).toBe(true);
    expect(await call('session.whoami')).toMatchObject({ ok: true, value: { id: 'ada' } });
    expect(await call('cases.counts')).toMatchObject({ ok: true });
    expect(keychainEntries()).toEqual([
      {
        type: 'permission.granted',
        actor: 'user:ada',
        payload: {
          pv: 2,
          userId: 'ada',
          permission: 'keychain-unlock',
          scope: 'this-device',
          backend: 'gnome_libsecret',
        },
      },
    ]);
  });

  it('refuses to remember while locked, and a keychain slot opens only its own user', async () => {
    open();
    expect(await call('session.rememberOnThisDevice')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(existsSync(keychainSlotsPath(ws.path))).toBe(false);
    await signIn('bob', BOB_PASSPHRASE);
    expect(await call('session.rememberOnThisDevice')).toMatchObject({ ok: true });
    // bob's slot does not sign in ada, nor anyone without a slot.
    expect(await call('session.unlockWithKeychain', { userId: 'ada' })).toMatchObject({
      ok: false,
      error: { code: 'keychain-slot-missing' },
    });
    expect(door.isUnlocked()).toBe(false);
    expect(await call('session.unlockWithKeychain', { userId: 'bob' })).toMatchObject({
      ok: true,
      value: { id: 'bob', roles: ['compliance_officer'] },
    });
    // Least privilege: bob's keychain sign-in has bob's roles, not the key's reach.
    expect(await call('users.list')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses a slot relabelled to another user in the file: the sealed text names its user', async () => {
    open();
    await signIn('bob', BOB_PASSPHRASE);
    await call('session.rememberOnThisDevice');
    door.lock();
    const file = JSON.parse(readFileSync(keychainSlotsPath(ws.path), 'utf8')) as { slots: { user: string }[] };
    file.slots[0]!.user = 'ada';
    writeFileSync(keychainSlotsPath(ws.path), JSON.stringify(file));
    const reply = await call('session.unlockWithKeychain', { userId: 'ada' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'keychain-slot-invalid' } });
    if (!reply.ok) expect(reply.error.message).toMatch(/passphrase/);
    expect(door.isUnlocked()).toBe(false);
  });

  it('answers an unknown user with a refusal', async () => {
    open();
    const reply = await call('session.unlockWithKeychain', { userId: 'mallory' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'keychain-slot-missing' } });
    if (!reply.ok) expect(reply.error.message).toContain('mallory');
    // Even with the genuine database key sealed for a name that has no key slot and no account.
    const session = openWorkstation({ path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, ws.deps);
    const databaseKey = session.workstation.key().slice();
    session.workstation.close();
    expect(await addKeychainSlot(keychain, 'linux', ws.path, 'mallory', databaseKey)).toMatchObject({ ok: true });
    expect(await call('session.unlockWithKeychain', { userId: 'mallory' })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated', message: expect.stringContaining('mallory') },
    });
    expect(door.isUnlocked()).toBe(false);
  });

  it('refuses a wrong or damaged slot with a clear message, writes nothing, and the passphrase still works', async () => {
    open();
    await signIn();
    await call('session.rememberOnThisDevice');
    door.lock();

    // A slot sealing the key of another database: refused like a wrong passphrase, and no file is touched.
    expect(await addKeychainSlot(keychain, 'linux', ws.path, 'ada', new Uint8Array(randomBytes(32)))).toMatchObject({
      ok: true,
    });
    const before = snapshot();
    const wrongKey = await call('session.unlockWithKeychain', { userId: 'ada' });
    expect(wrongKey).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    if (!wrongKey.ok) expect(wrongKey.error.message).toMatch(/does not open this workstation.*passphrase/);
    expect(snapshot()).toEqual(before);
    expect(door.isUnlocked()).toBe(false);

    // A slot sealed by another keychain (another OS account, a reset keychain).
    const other = testSafeStorage();
    expect(await addKeychainSlot(other, 'linux', ws.path, 'ada', new Uint8Array(randomBytes(32)))).toMatchObject({
      ok: true,
    });
    const foreign = await call('session.unlockWithKeychain', { userId: 'ada' });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'keychain-failed' } });
    if (!foreign.ok) expect(foreign.error.message).toMatch(/passphrase/);

    // A damaged slots file.
    writeFileSync(keychainSlotsPath(ws.path), '{"format":"perimeter-keychain-slots","version":1,"slots":[{');
    const damaged = await call('session.unlockWithKeychain', { userId: 'ada' });
    expect(damaged).toMatchObject({ ok: false, error: { code: 'keychain-slot-invalid' } });
    if (!damaged.ok) expect(damaged.error.message).toMatch(/passphrase/);

    expect(await signIn()).toMatchObject({ ok: true, value: { id: 'ada' } });
    // Forgetting clears the damaged file, and remembering again works.
    expect(await call('session.forgetOnThisDevice')).toEqual({ ok: true, value: { forgotten: true } });
    expect(existsSync(keychainSlotsPath(ws.path))).toBe(false);
    expect(await call('session.rememberOnThisDevice')).toMatchObject({ ok: true });
    door.lock();
    expect(await call('session.unlockWithKeychain', { userId: 'ada' })).toMatchObject({ ok: true });
  });

  it("refuses Linux's plaintext backend with its message, both to remember and to unlock", async () => {
    open();
    await signIn();
    keychain.backend = 'basic_text';
    const status = await call('session.keychainStatus');
    expect(status).toMatchObject({ ok: true, value: { available: false } });
    if (status.ok) expect((status.value as { message: string }).message).toMatch(/basic_text.*passphrase/s);
    const refused = await call('session.rememberOnThisDevice');
    expect(refused).toMatchObject({ ok: false, error: { code: 'keychain-plaintext' } });
    if (!refused.ok) expect(refused.error.message).toContain('basic_text');
    expect(existsSync(keychainSlotsPath(ws.path))).toBe(false);
    expect(keychain.encryptions).toBe(0);

    // A slot made under a real keychain is not opened once the backend has turned plaintext.
    keychain.backend = 'kwallet5';
    await signIn();
    expect(await call('session.rememberOnThisDevice')).toEqual({ ok: true, value: { backend: 'kwallet5' } });
    door.lock();
    keychain.backend = 'basic_text';
    expect(await call('session.unlockWithKeychain', { userId: 'ada' })).toMatchObject({
      ok: false,
      error: { code: 'keychain-plaintext' },
    });
    expect(keychain.decryptions).toBe(0);
    expect(door.isUnlocked()).toBe(false);
    expect(await signIn()).toMatchObject({ ok: true });
  });

  it('reports an unavailable keychain, and takes macOS and Windows keychains as they are', async () => {
    open('darwin');
    keychain.available = false;
    expect(await call('session.keychainStatus')).toMatchObject({ ok: true, value: { available: false } });
    await signIn();
    expect(await call('session.rememberOnThisDevice')).toMatchObject({
      ok: false,
      error: { code: 'keychain-unavailable' },
    });
    keychain.available = true;
    expect(await call('session.rememberOnThisDevice')).toEqual({ ok: true, value: { backend: 'keychain' } });
  });

  it('forgets the slot on this device, audits the revocation, and then only the passphrase opens', async () => {
    open();
    await signIn();
    await call('session.rememberOnThisDevice');
    expect(await call('session.forgetOnThisDevice')).toEqual({ ok: true, value: { forgotten: true } });
    expect(existsSync(keychainSlotsPath(ws.path))).toBe(false);
    // Forgetting what is not there is not an error, and not another entry.
    expect(await call('session.forgetOnThisDevice')).toEqual({ ok: true, value: { forgotten: true } });
    door.lock();
    expect(await call('session.forgetOnThisDevice')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await call('session.unlockWithKeychain', { userId: 'ada' })).toMatchObject({
      ok: false,
      error: { code: 'keychain-slot-missing' },
    });
    expect(keychainEntries().map((entry) => [entry.type, entry.payload.permission])).toEqual([
      ['permission.granted', 'keychain-unlock'],
      ['permission.revoked', 'keychain-unlock'],
    ]);
  });

  it('forgetting one user leaves the other users of this device remembered', async () => {
    open();
    await signIn();
    await call('session.rememberOnThisDevice');
    await signIn('bob', BOB_PASSPHRASE);
    await call('session.rememberOnThisDevice');
    await call('session.forgetOnThisDevice');
    door.lock();
    expect(await call('session.unlockWithKeychain', { userId: 'bob' })).toMatchObject({
      ok: false,
      error: { code: 'keychain-slot-missing' },
    });
    expect(await call('session.unlockWithKeychain', { userId: 'ada' })).toMatchObject({ ok: true });
  });

  it('undoes a seal when another user signed in while it was in flight', async () => {
    open();
    await signIn();
    let release = (): void => undefined;
    keychain.beforeEncrypt = () => new Promise<void>((resolve) => (release = resolve));
    const remembering = call('session.rememberOnThisDevice');
    await new Promise((resolve) => setTimeout(resolve, 10));
    keychain.beforeEncrypt = null;
    expect(await signIn('bob', BOB_PASSPHRASE)).toMatchObject({ ok: true });
    release();
    expect(await remembering).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(existsSync(keychainSlotsPath(ws.path))).toBe(false);
    expect(await call('session.whoami')).toMatchObject({ ok: true, value: { id: 'bob' } });
  });
});

describe('the keychain channels at the door', () => {
  it('validates every keychain request with the contract', async () => {
    open();
    for (const [method, request] of [
      ['session.unlockWithKeychain', {}],
      ['session.unlockWithKeychain', { userId: '' }],
      ['session.unlockWithKeychain', { userId: 'ada', passphrase: 'extra field' }],
      ['session.unlockWithKeychain', { userId: 42 }],
      ['session.rememberOnThisDevice', { userId: 'bob' }],
      ['session.forgetOnThisDevice', { all: true }],
      ['session.keychainStatus', []],
    ] as const)
      expect(await call(method, request)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(keychain.decryptions + keychain.encryptions).toBe(0);
  });

  it('refuses a foreign sender before the keychain is asked anything', async () => {
    open();
    const foreign = { ...window, frameUrl: 'https://evil.example/' };
    await signIn();
    for (const method of ['session.keychainStatus', 'session.rememberOnThisDevice', 'session.unlockWithKeychain'])
      expect(await door.handle(`api:${method}`, foreign, { userId: 'ada' })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    expect(keychain.decryptions + keychain.encryptions).toBe(0);
    expect(existsSync(keychainSlotsPath(ws.path))).toBe(false);
  });

  it('without a keystore answers the keychain methods as unsupported, like the browser host', async () => {
    open();
    const plain = createIpcDoor({ dbPath: ws.path, deps: ws.deps, expectedSender: () => OURS });
    expect(await plain.handle('api:session.keychainStatus', window, {})).toEqual({
      ok: true,
      value: { available: false, message: KEYCHAIN_UNSUPPORTED_MESSAGE },
    });
    expect(await plain.handle('api:session.unlockWithKeychain', window, { userId: 'ada' })).toEqual({
      ok: false,
      error: { code: 'unsupported', message: KEYCHAIN_UNSUPPORTED_MESSAGE },
    });
    plain.lock();
  });
});

describe('a database key rotation and the keychain slot (decision 0037)', () => {
  it('a key rotation forgets the keychain slot; after a crash past its commit point the keychain finds none', async () => {
    open();
    await signIn();
    await call('session.rememberOnThisDevice');
    expect(
      await call('users.rotateDatabaseKey', { passphrase: ADMIN_PASSPHRASE, reason: 'rotation after a lost laptop' }),
    ).toMatchObject({ ok: true, value: { keptSlots: ['ada'], droppedSlots: ['bob'], keychainSlotRemoved: true } });
    expect(existsSync(keychainSlotsPath(ws.path))).toBe(false);
    expect(await call('cases.counts')).toMatchObject({ ok: true });
    // Remember again (the new key), then a rotation in another process dies right after its commit point: the
    // keychain unlock must finish the hand-over before it reads the slot, so the slot of the old key is gone.
    expect(await call('session.rememberOnThisDevice')).toMatchObject({ ok: true });
    door.lock();
    expect(await runRekeyWorker(ws.path, 'committed')).toBe('ready\n');
    expect(existsSync(keychainSlotsPath(ws.path))).toBe(true);
    expect(await call('session.unlockWithKeychain', { userId: 'ada' })).toMatchObject({
      ok: false,
      error: { code: 'keychain-slot-missing' },
    });
    expect(existsSync(keychainSlotsPath(ws.path))).toBe(false);
    expect(await signIn()).toMatchObject({ ok: true });
  });
});
