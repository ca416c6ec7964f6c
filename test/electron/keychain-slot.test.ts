// The keychain key slot fails closed: no keychain or Linux's plaintext backend means no slot; passphrases keep working.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addKeychainSlot,
  keychainAvailability,
  keychainSlotsPath,
  removeKeychainSlot,
  unlockWithKeychain,
} from '../../electron/main/keychain-slot.ts';
import type { SafeStorageLike } from '../../electron/main/keychain-slot.ts';
import { keySlotsPath, unlockDatabaseKey } from '../../electron/services/store/key-slots.ts';
import { ADMIN_PASSPHRASE, createTestWorkstation } from '../support/workstation.ts';

/** Stands in for the OS keychain (Electron's safeStorage is not ours, and Electron is not installed here). */
const fakeKeychain = (
  options: { available?: boolean; backend?: string; shouldReEncrypt?: boolean } = {},
): SafeStorageLike & { encryptions: number } => {
  const secret = randomBytes(32);
  const keychain = {
    encryptions: 0,
    isAsyncEncryptionAvailable: async () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptStringAsync: async (text: string) => {
      keychain.encryptions += 1;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secret, iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptStringAsync: async (sealed: Buffer) => {
      const decipher = createDecipheriv('aes-256-gcm', secret, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      const result = Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
      return { shouldReEncrypt: options.shouldReEncrypt ?? false, result };
    },
  };
  return keychain;
};

const tempDb = (): string => join(mkdtempSync(join(tmpdir(), 'perimeter-keychain-')), 'workstation.db');
const key = (): Uint8Array => new Uint8Array(randomBytes(32));

describe('keychain availability', () => {
  it('refuses when the OS keychain is unavailable, and says the passphrase still works', async () => {
    const verdict = await keychainAvailability(fakeKeychain({ available: false }), 'darwin');
    expect(verdict).toMatchObject({ ok: false, reason: 'keychain-unavailable' });
    if (!verdict.ok) expect(verdict.message).toMatch(/passphrase/);
  });

  it("refuses Linux's plaintext basic_text backend and an unknown one", async () => {
    for (const backend of ['basic_text', 'unknown']) {
      const verdict = await keychainAvailability(fakeKeychain({ backend }), 'linux');
      expect(verdict).toMatchObject({ ok: false, reason: 'keychain-plaintext' });
      if (!verdict.ok) expect(verdict.message).toContain(backend);
    }
  });

  it('refuses when the availability check itself fails', async () => {
    const broken = {
      ...fakeKeychain(),
      isAsyncEncryptionAvailable: async () => {
        throw new Error('no dbus');
      },
    };
    expect(await keychainAvailability(broken, 'linux')).toMatchObject({ ok: false, reason: 'keychain-unavailable' });
  });

  it('accepts libsecret and KWallet on Linux, the keychain on macOS and DPAPI on Windows', async () => {
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'])
      expect(await keychainAvailability(fakeKeychain({ backend }), 'linux')).toEqual({ ok: true, value: { backend } });
    expect(await keychainAvailability(fakeKeychain(), 'darwin')).toMatchObject({ ok: true });
    expect(await keychainAvailability(fakeKeychain(), 'win32')).toMatchObject({ ok: true });
  });
});

describe('the keychain slot', () => {
  it('seals the database key and opens it again, without the key in plain text on disk', async () => {
    const db = tempDb();
    const keychain = fakeKeychain();
    const databaseKey = key();
    expect(await addKeychainSlot(keychain, 'linux', db, 'ada', databaseKey)).toMatchObject({ ok: true });
    const file = readFileSync(keychainSlotsPath(db), 'utf8');
    expect(file).not.toContain(Buffer.from(databaseKey).toString('base64'));
    expect(file).not.toContain(Buffer.from(databaseKey).toString('hex'));
    const opened = await unlockWithKeychain(keychain, 'linux', db, 'ada');
    expect(opened).toEqual({ ok: true, value: databaseKey });
  });

  it('writes nothing when the backend is plaintext, and will not open an existing slot on it either', async () => {
    const db = tempDb();
    expect(await addKeychainSlot(fakeKeychain({ backend: 'basic_text' }), 'linux', db, 'ada', key())).toMatchObject({
      ok: false,
      reason: 'keychain-plaintext',
    });
    expect(existsSync(keychainSlotsPath(db))).toBe(false);
    const keychain = fakeKeychain();
    await addKeychainSlot(keychain, 'linux', db, 'ada', key());
    const downgraded = { ...keychain, getSelectedStorageBackend: () => 'basic_text' };
    expect(await unlockWithKeychain(downgraded, 'linux', db, 'ada')).toMatchObject({
      ok: false,
      reason: 'keychain-plaintext',
    });
  });

  it('answers a missing slot, a damaged file and a foreign keychain with a refusal, not an exception', async () => {
    const db = tempDb();
    expect(await unlockWithKeychain(fakeKeychain(), 'linux', db, 'ada')).toMatchObject({
      ok: false,
      reason: 'keychain-slot-missing',
    });
    await addKeychainSlot(fakeKeychain(), 'linux', db, 'ada', key());
    expect(await unlockWithKeychain(fakeKeychain(), 'linux', db, 'ada')).toMatchObject({
      ok: false,
      reason: 'keychain-failed',
    });
    writeFileSync(keychainSlotsPath(db), '{"format":"something else"}');
    expect(await unlockWithKeychain(fakeKeychain(), 'linux', db, 'ada')).toMatchObject({
      ok: false,
      reason: 'keychain-slot-invalid',
    });
    expect(await addKeychainSlot(fakeKeychain(), 'linux', db, 'ada', key())).toMatchObject({
      ok: false,
      reason: 'keychain-slot-invalid',
    });
  });

  it('re-seals when the keychain asks for it, and forgets a slot on request', async () => {
    const db = tempDb();
    const keychain = fakeKeychain({ shouldReEncrypt: true });
    const databaseKey = key();
    await addKeychainSlot(keychain, 'darwin', db, 'ada', databaseKey);
    expect(await unlockWithKeychain(keychain, 'darwin', db, 'ada')).toEqual({ ok: true, value: databaseKey });
    expect(keychain.encryptions).toBe(2);
    removeKeychainSlot(db, 'ada');
    expect(existsSync(keychainSlotsPath(db))).toBe(false);
  });

  it("leaves the passphrase key slots untouched: the workstation's real key round-trips and ada's passphrase still works", async () => {
    const ws = createTestWorkstation();
    const databaseKey = ws.admin.workstation.key().slice();
    ws.admin.workstation.close();
    const before = readFileSync(keySlotsPath(ws.path), 'utf8');
    const keychain = fakeKeychain();
    expect(await addKeychainSlot(keychain, 'linux', ws.path, 'ada', databaseKey)).toMatchObject({ ok: true });
    expect(readFileSync(keySlotsPath(ws.path), 'utf8')).toBe(before);
    expect(await unlockWithKeychain(keychain, 'linux', ws.path, 'ada')).toEqual({ ok: true, value: databaseKey });
    expect(unlockDatabaseKey(ws.path, 'ada', ADMIN_PASSPHRASE)).toEqual(databaseKey);
  });
});
