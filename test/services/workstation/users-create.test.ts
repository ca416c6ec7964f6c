// users.create that fails leaves no key slot behind, and the same id can be created again (issue 12, section 5).
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/services/store/database.ts';
import { addKeySlotWithKey, keySlotUsers } from '../../../electron/services/store/key-slots.ts';
import { StoreError } from '../../../electron/services/store/errors.ts';
import { createUser } from '../../../electron/services/workstation/commands/users.ts';
import { findUser, openWorkstation } from '../../../electron/services/workstation/session/workstation.ts';
import { ADMIN_PASSPHRASE, createTestWorkstation, TEST_SCRYPT } from '../../support/workstation.ts';

const val = {
  id: 'val',
  name: 'Val Officer',
  roles: ['compliance_officer' as const],
  markets: ['UK'],
  passphrase: 'val initial passphrase',
};

describe('users.create', () => {
  it('writes no key slot when its transaction fails, and a retry with the same id works', () => {
    const ws = createTestWorkstation();
    ws.admin.workstation.close();
    const admin = openWorkstation(
      { path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE },
      { ...ws.deps, lockTimeoutMs: 200 },
    );
    // Another connection (another process, as far as SQLite knows) holds the write lock: the create cannot commit.
    const other = openDatabase(ws.path, admin.workstation.key().slice());
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      expect(() => createUser(admin, val)).toThrow(StoreError);
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    expect(keySlotUsers(ws.path)).toEqual(['ada']);
    expect(findUser(admin.workstation.db, 'val')).toBeNull();
    expect(createUser(admin, val)).toMatchObject({ id: 'val' });
    expect(keySlotUsers(ws.path).sort()).toEqual(['ada', 'val']);
    const session = openWorkstation({ path: ws.path, userId: 'val', passphrase: val.passphrase }, ws.deps);
    expect(session.user.roles).toEqual(['compliance_officer']);
    session.workstation.close();
    admin.workstation.close();
  });

  it('replaces a slot left over by a create that failed before (no user row), so the id is never lost', () => {
    const ws = createTestWorkstation();
    addKeySlotWithKey(
      ws.path,
      ws.admin.workstation.key(),
      { user: 'val', passphrase: 'a leftover passphrase' },
      TEST_SCRYPT,
    );
    expect(createUser(ws.admin, val)).toMatchObject({ id: 'val' });
    expect(keySlotUsers(ws.path).filter((user) => user === 'val')).toHaveLength(1);
    expect(() =>
      openWorkstation({ path: ws.path, userId: 'val', passphrase: 'a leftover passphrase' }, ws.deps),
    ).toThrow(/wrong passphrase/);
    openWorkstation({ path: ws.path, userId: 'val', passphrase: val.passphrase }, ws.deps).workstation.close();
  });
});
