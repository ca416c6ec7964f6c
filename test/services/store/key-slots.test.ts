// Key slots: the database key wrapped per user; passphrase change re-wraps one slot; the key never touches disk.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDatabase, openDatabase } from '../../../electron/services/store/database.ts';
import { StoreError } from '../../../electron/services/store/errors.ts';
import {
  addKeySlot,
  changePassphrase,
  createKeySlots,
  keySlotUsers,
  keySlotsPath,
  removeKeySlot,
  unlockDatabaseKey,
} from '../../../electron/services/store/key-slots.ts';
import { TEST_SCRYPT, tempDir } from './temp.ts';

const dir = tempDir('slots');

const codeOf = (run: () => unknown): string | null => {
  try {
    run();
    return null;
  } catch (error) {
    if (error instanceof StoreError) return error.code;
    throw error;
  }
};

describe('key slots', () => {
  it('wraps a random key per user, records the scrypt parameters, and never writes the key in clear', () => {
    const path = join(dir, 'a.db');
    const key = createKeySlots(path, 'alice', 'alice passphrase 1', TEST_SCRYPT);
    const db = createDatabase(path, key);
    db.close();
    const sidecar = readFileSync(keySlotsPath(path), 'utf8');
    const file = JSON.parse(sidecar) as { slots: { kdf: { N: number; r: number; p: number } }[] };
    expect(file.slots[0]?.kdf).toMatchObject({ N: 1024, r: 8, p: 1 });
    expect(sidecar).not.toContain(Buffer.from(key).toString('hex'));
    expect(sidecar).not.toContain(Buffer.from(key).toString('base64'));
    expect(Buffer.from(unlockDatabaseKey(path, 'alice', 'alice passphrase 1'))).toEqual(Buffer.from(key));
    openDatabase(path, unlockDatabaseKey(path, 'alice', 'alice passphrase 1')).close();
  });

  it('gives several users their own slot; a passphrase change re-wraps only that slot', () => {
    const path = join(dir, 'b.db');
    const key = createKeySlots(path, 'alice', 'alice passphrase 1', TEST_SCRYPT);
    addKeySlot(
      path,
      { user: 'alice', passphrase: 'alice passphrase 1' },
      { user: 'bob', passphrase: 'bob passphrase 22' },
      TEST_SCRYPT,
    );
    expect(keySlotUsers(path)).toEqual(['alice', 'bob']);
    const bobSlot = (): unknown =>
      (JSON.parse(readFileSync(keySlotsPath(path), 'utf8')) as { slots: unknown[] }).slots[1];
    const bobBefore = bobSlot();
    changePassphrase(path, 'alice', 'alice passphrase 1', 'alice passphrase 2', TEST_SCRYPT);
    expect(bobSlot()).toEqual(bobBefore);
    expect(Buffer.from(unlockDatabaseKey(path, 'alice', 'alice passphrase 2'))).toEqual(Buffer.from(key));
    expect(Buffer.from(unlockDatabaseKey(path, 'bob', 'bob passphrase 22'))).toEqual(Buffer.from(key));
    expect(codeOf(() => unlockDatabaseKey(path, 'alice', 'alice passphrase 1'))).toBe('wrong-passphrase');
    removeKeySlot(path, { user: 'alice', passphrase: 'alice passphrase 2' }, 'bob');
    expect(keySlotUsers(path)).toEqual(['alice']);
    expect(codeOf(() => removeKeySlot(path, { user: 'alice', passphrase: 'alice passphrase 2' }, 'alice'))).toBe(
      'key-slots',
    );
  });

  it('says clearly what is wrong: passphrase, user, weak passphrase, existing or malformed slots file', () => {
    const path = join(dir, 'c.db');
    createKeySlots(path, 'alice', 'alice passphrase 1', TEST_SCRYPT);
    expect(codeOf(() => unlockDatabaseKey(path, 'alice', 'not the passphrase'))).toBe('wrong-passphrase');
    expect(codeOf(() => unlockDatabaseKey(path, 'carol', 'alice passphrase 1'))).toBe('unknown-user');
    expect(codeOf(() => createKeySlots(path, 'alice', 'alice passphrase 1', TEST_SCRYPT))).toBe('already-exists');
    expect(codeOf(() => createKeySlots(join(dir, 'd.db'), 'alice', 'short', TEST_SCRYPT))).toBe('weak-passphrase');
    const file = JSON.parse(readFileSync(keySlotsPath(path), 'utf8')) as { slots: { kdf: { N: number } }[] };
    file.slots[0]!.kdf.N = 1000;
    writeFileSync(keySlotsPath(path), JSON.stringify(file));
    try {
      unlockDatabaseKey(path, 'alice', 'alice passphrase 1');
      expect.unreachable();
    } catch (error) {
      expect((error as StoreError).code).toBe('key-slots');
      expect((error as Error).message).toContain('slots.0.kdf.N');
      expect((error as Error).message).toContain('c.db.keys.json');
    }
  });

  it('binds a slot to its user: a slot copied to another name does not open', () => {
    const path = join(dir, 'e.db');
    createKeySlots(path, 'alice', 'alice passphrase 1', TEST_SCRYPT);
    const file = JSON.parse(readFileSync(keySlotsPath(path), 'utf8')) as { slots: { user: string }[] };
    file.slots[0]!.user = 'mallory';
    writeFileSync(keySlotsPath(path), JSON.stringify(file));
    expect(codeOf(() => unlockDatabaseKey(path, 'mallory', 'alice passphrase 1'))).toBe('wrong-passphrase');
  });
});
