// Deactivating a leaver and reactivating a user (users.setActive, decision 0039): sign-in revoked, open sessions
// refused, claimed cases released with their entries, key slots gone; refusals change nothing; reactivation with a new
// passphrase brings the user back with her markets only; the projection rebuild equals the live tables.
import { personalDataAt } from '../../../electron/services/workstation/projection/projector.ts';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditBundle } from '../../../core/audit/verify.ts';
import { exportAuditBundle } from '../../../electron/services/audit/export.ts';
import { nodeSha256 } from '../../../electron/services/audit/node-sha256.ts';
import { keychainSlotsPath } from '../../../electron/services/store/keychain-slots-file.ts';
import { addKeySlotWithKey, keySlotsPath, keySlotUsers } from '../../../electron/services/store/key-slots.ts';
import { setActive } from '../../../electron/services/workstation/commands/deactivation.ts';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import { createSessionHolder } from '../../../electron/services/workstation/session/session-holder.ts';
import { openWorkstation, WorkstationError } from '../../../electron/services/workstation/session/workstation.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { examplesDir } from '../../support/examples.ts';
import { call, callError, entryCount, entryCountApartFromRefusals, refusalsLogged } from '../../support/api.ts';
import { addUser, createTestWorkstation, TEST_SCRYPT } from '../../support/workstation.ts';

const ws = createTestWorkstation();
const sessions: Session[] = [];
afterAll(() => {
  for (const session of sessions) if (session.workstation.db.open) session.workstation.close();
  rmSync(ws.dir, { recursive: true, force: true });
});

const signIn = (userId: string, passphrase: string): Session => {
  const session = openWorkstation({ path: ws.path, userId, passphrase }, ws.deps);
  sessions.push(session);
  return session;
};
const caseIds = (session: Session): string[] =>
  call<{ rows: { id: string }[] }>(session, 'cases.list', { pageSize: 200 })
    .rows.map((row) => row.id)
    .sort();
const entryAt = (sequence: number): { type: string; actor: string; subjects: string[]; payload: unknown } =>
  JSON.parse(
    ws.admin.workstation.db
      .prepare<[number], { canonical: Buffer }>('SELECT canonical FROM audit_entries WHERE sequence = ?')
      .get(sequence)!
      .canonical.toString('utf8'),
  );
const activeOf = (userId: string): boolean | undefined =>
  call<{ id: string; active: boolean }[]>(ws.admin, 'users.list', {}).find((user) => user.id === userId)?.active;

// What a refusal must leave exactly as it was: the log, every projection, the key slots and the keychain slots.
const state = () => ({
  // A refused call appends its access.denied entry on purpose (decision 0130); nothing else may land.
  entries: entryCountApartFromRefusals(ws.admin),
  projections: projectionSnapshot(ws.admin.workstation.db),
  slots: readFileSync(keySlotsPath(ws.path), 'utf8'),
  keychain: existsSync(keychainSlotsPath(ws.path)) ? readFileSync(keychainSlotsPath(ws.path), 'utf8') : null,
});

const keychainFile = (users: string[]): string =>
  `${JSON.stringify({
    format: 'perimeter-keychain-slots',
    version: 1,
    slots: users.map((user) => ({
      user,
      backend: 'gnome_libsecret',
      sealed: Buffer.from(`sealed ${user}`).toString('base64'),
    })),
  })}\n`;

describe('users.setActive', () => {
  call(ws.admin, 'leads.import', {
    fileName: 'leads.jsonl',
    format: 'jsonl',
    content: readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8'),
    mode: 'all',
    sourceSystem: 'crm',
  });
  const olga = addUser(ws, 'olga', ['compliance_officer'], ['UK', 'EU-Passported']);
  const uma = addUser(ws, 'uma', ['compliance_officer'], ['US-CA']);
  const ben = addUser(ws, 'ben', ['operations_admin'], ['*']);
  sessions.push(olga, uma, ben);
  const olgaCases = caseIds(olga);
  // Two of her cases, in the order they were opened (case ids count up).
  const claimed = [...olgaCases].sort((a, b) => Number(a.slice(2)) - Number(b.slice(2))).slice(0, 2);

  it('deactivates a leaver in one command: sign-in revoked, claims released, slots gone, her session refused', () => {
    expect(olgaCases.length).toBeGreaterThan(2);
    expect(olgaCases.length).toBeLessThan(caseIds(ws.admin).length);
    for (const caseId of claimed) call(olga, 'cases.claim', { caseId });
    expect(call(ws.admin, 'users.claimedCases', { userId: 'olga' })).toEqual(
      claimed.map((id) => expect.objectContaining({ id, claimedAt: expect.any(String) })),
    );
    // Olga is also signed in through a session holder (as the browser host or Electron hold her), and remembered
    // on this device's OS keychain, beside ada.
    const holder = createSessionHolder({ dbPath: ws.path, deps: ws.deps });
    expect(holder.call('session.unlock', { userId: 'olga', passphrase: 'olga passphrase 123' })).toMatchObject({
      ok: true,
    });
    writeFileSync(keychainSlotsPath(ws.path), keychainFile(['ada', 'olga']));

    const before = entryCount(ws.admin);
    const result = call<{
      user: { id: string; active: boolean };
      sequence: number;
      releasedCases: string[];
      keySlotChanged: boolean;
      keychainSlotRemoved: boolean;
      warnings: string[];
    }>(ws.admin, 'users.setActive', { userId: 'olga', active: false, reason: 'Left the firm on 2026-11-20' });
    expect(result).toEqual({
      user: {
        id: 'olga',
        name: 'olga',
        roles: ['compliance_officer'],
        markets: ['UK', 'EU-Passported'],
        active: false,
      },
      sequence: before,
      releasedCases: claimed,
      keySlotChanged: true,
      keychainSlotRemoved: true,
      warnings: [],
    });
    // The entries: the revocation, then one release per claimed case, all by ada, in one command.
    expect(entryCount(ws.admin)).toBe(before + 1 + claimed.length);
    expect(entryAt(result.sequence)).toMatchObject({
      type: 'permission.revoked',
      actor: 'user:ada',
      subjects: ['user:olga'],
      payload: {
        userId: 'olga',
        permission: 'workstation-sign-in',
        scope: 'this-workstation',
        releasedCases: claimed,
      },
    });
    // The reason is free text: beside the log (under the entry's commitment), never in the hashed payload.
    const reason = { reason: 'Left the firm on 2026-11-20' };
    expect(personalDataAt(ws.admin.workstation.db, result.sequence)).toEqual(reason);
    claimed.forEach((caseId, index) => {
      const entry = entryAt(result.sequence + 1 + index);
      expect(entry).toMatchObject({
        type: 'case.released',
        actor: 'user:ada',
        payload: { caseId, claimedBy: 'olga', state: { status: 'open', claimedBy: null } },
      });
      expect(JSON.stringify(entry)).not.toContain('Left the firm');
      expect(personalDataAt(ws.admin.workstation.db, result.sequence + 1 + index)).toEqual(reason);
      expect(entry.subjects).toContain(`case:${caseId}`);
    });
    // The cases are open in their queues again, and their history shows the release.
    for (const caseId of claimed) {
      const detail = call<{
        case: { status: string; claimedBy: string | null };
        history: { type: string; payload: Record<string, unknown> }[];
      }>(ws.admin, 'cases.get', { caseId });
      expect(detail.case).toMatchObject({ status: 'open', claimedBy: null });
      expect(detail.history.at(-1)).toMatchObject({
        type: 'case.released',
        payload: { claimedBy: 'olga' },
      });
    }
    expect(call(ws.admin, 'users.claimedCases', { userId: 'olga' })).toEqual([]);
    expect(activeOf('olga')).toBe(false);

    // Slots: her passphrase slot and her keychain slot are gone; everyone else's stay.
    expect(keySlotUsers(ws.path)).toEqual(['ada', 'uma', 'ben']);
    expect(
      JSON.parse(readFileSync(keychainSlotsPath(ws.path), 'utf8')).slots.map((slot: { user: string }) => slot.user),
    ).toEqual(['ada']);

    // Her open sessions stop at their next call: a second connection, and the session holder (which signs her out).
    expect(callError(olga, 'cases.list', {})).toEqual({
      code: 'unauthenticated',
      message: 'user olga is no longer active',
    });
    expect(holder.call('cases.list', {})).toEqual({
      ok: false,
      error: { code: 'unauthenticated', message: 'olga has been deactivated and is signed out of this workstation' },
    });
    expect(holder.isUnlocked()).toBe(false);
    expect(holder.currentKey()).toBeNull();
    // And she cannot sign in again: her passphrase has no slot to open.
    expect(holder.call('session.unlock', { userId: 'olga', passphrase: 'olga passphrase 123' })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated', message: expect.stringMatching(/no key slot for user olga/) },
    });

    // The projections rebuilt from the log equal the live tables (users.active = 0 included).
    const live = projectionSnapshot(ws.admin.workstation.db);
    rebuildProjections(ws.admin.workstation.db);
    expect(projectionSnapshot(ws.admin.workstation.db)).toEqual(live);
  });

  it('refuses a non-admin, oneself, the last active admin, an unknown user, a missing reason, and changes nothing', () => {
    const unchanged = state();
    const refusedBefore = refusalsLogged(ws.admin).length;
    const refusals: [Session, unknown, string, RegExp][] = [
      [uma, { userId: 'ben', active: false, reason: 'not mine to do' }, 'forbidden', /uma is not an operations admin/],
      [ws.admin, { userId: 'ada', active: false, reason: 'leaving myself' }, 'conflict', /cannot deactivate yourself/],
      [ws.admin, { userId: 'nobody', active: false, reason: 'no such user' }, 'not_found', /no user nobody/],
      [ws.admin, { userId: 'uma', active: false }, 'invalid_request', /reason/],
      [ws.admin, { userId: 'uma', active: false, reason: '  ' }, 'invalid_request', /reason of at least 5/],
      [ws.admin, { userId: 'olga', active: false, reason: 'once more' }, 'conflict', /olga is deactivated already/],
      [ws.admin, { userId: 'uma', active: true, reason: 'she is active' }, 'conflict', /uma is active already/],
      [
        ws.admin,
        { userId: 'uma', active: false, reason: 'leaver', initialPassphrase: 'only for reactivation' },
        'invalid_input',
        /only a reactivation takes an initial passphrase/,
      ],
      [
        ws.admin,
        { userId: 'olga', active: true, reason: 'she is back' },
        'invalid_input',
        /olga has no key slot; reactivating them needs an initial passphrase/,
      ],
      [
        ws.admin,
        { userId: 'olga', active: true, reason: 'she is back', initialPassphrase: 'too short' },
        'invalid_request',
        /at least 12 characters/,
      ],
    ];
    for (const [session, request, code, message] of refusals) {
      const error = callError(session, 'users.setActive', request);
      expect(error.code, JSON.stringify(request)).toBe(code);
      expect(error.message).toMatch(message);
    }
    expect(callError(uma, 'users.claimedCases', { userId: 'olga' }).code).toBe('forbidden');
    // Re-enrolment would make her active again through its permission.granted: refused, reactivation is the way.
    expect(
      callError(ws.admin, 'users.reEnrol', {
        userId: 'olga',
        initialPassphrase: 'a fresh passphrase',
        reason: 'she is back',
      }),
    ).toEqual({
      code: 'conflict',
      message: 'olga is deactivated: reactivate them (users.setActive) with an initial passphrase instead',
    });
    expect(state()).toEqual(unchanged);
    const refused = refusalsLogged(ws.admin).slice(refusedBefore);
    expect(refused.map(({ actor, action, reason }) => `${actor} ${action} ${reason}`)).toEqual([
      'user:uma users.setActive forbidden',
      'user:uma users.claimedCases forbidden',
    ]);
  });

  it('never deactivates the last active operations admin, even for a session that has not seen a role change yet', () => {
    // Ben is signed in as an operations admin; ada takes that role away. His stale session (the service called
    // directly, without the api's refresh) still passes the admin check, but ada is now the only active admin.
    call(ws.admin, 'users.setRoles', { userId: 'ben', roles: ['auditor'], reason: 'moved to internal audit' });
    const unchanged = state();
    let refused: unknown;
    try {
      setActive(ben, { userId: 'ada', active: false, reason: 'take over the workstation' });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(WorkstationError);
    expect(refused).toMatchObject({
      code: 'conflict',
      message: 'ada is the last active operations admin; make someone else an operations admin first',
    });
    expect(state()).toEqual(unchanged);
    // Through the api his session is refreshed first: he is no admin any more.
    expect(callError(ben, 'users.setActive', { userId: 'ada', active: false, reason: 'take over' }).code).toBe(
      'forbidden',
    );
  });

  it('reactivates with a new passphrase: she signs in again and sees only her markets', () => {
    const result = call<{ user: { active: boolean }; sequence: number; keySlotChanged: boolean }>(
      ws.admin,
      'users.setActive',
      { userId: 'olga', active: true, reason: 'Rejoined the UK desk', initialPassphrase: 'olga is back 2026' },
    );
    expect(result).toMatchObject({ user: { active: true }, keySlotChanged: true });
    expect(entryAt(result.sequence)).toMatchObject({
      type: 'permission.granted',
      actor: 'user:ada',
      subjects: ['user:olga'],
      payload: {
        userId: 'olga',
        permission: 'workstation-sign-in',
        scope: 'this-workstation',
        reactivated: true,
      },
    });
    expect(personalDataAt(ws.admin.workstation.db, result.sequence)).toEqual({ reason: 'Rejoined the UK desk' });
    expect(activeOf('olga')).toBe(true);
    expect(keySlotUsers(ws.path)).toContain('olga');
    expect(() => signIn('olga', 'olga passphrase 123')).toThrow(/wrong passphrase for user olga/);
    const back = signIn('olga', 'olga is back 2026');
    expect(caseIds(back)).toEqual(olgaCases);
    expect(callError(back, 'users.list', {}).code).toBe('forbidden');
    const live = projectionSnapshot(ws.admin.workstation.db);
    rebuildProjections(ws.admin.workstation.db);
    expect(projectionSnapshot(ws.admin.workstation.db)).toEqual(live);
  });

  it('a slot left over by a crash after the commit unlocks nothing, and reactivation replaces it', () => {
    call(ws.admin, 'users.setActive', { userId: 'uma', active: false, reason: 'Contract ended' });
    expect(keySlotUsers(ws.path)).not.toContain('uma');
    // As if the process had died between the commit and the slot removal: her old slot is back in the file.
    addKeySlotWithKey(
      ws.path,
      ws.admin.workstation.key(),
      { user: 'uma', passphrase: 'uma passphrase 123' },
      TEST_SCRYPT,
    );
    expect(() => signIn('uma', 'uma passphrase 123')).toThrow('user uma is not an active user of this workstation');
    call(ws.admin, 'users.setActive', {
      userId: 'uma',
      active: true,
      reason: 'New contract signed',
      initialPassphrase: 'uma new passphrase 2026',
    });
    expect(() => signIn('uma', 'uma passphrase 123')).toThrow(/wrong passphrase for user uma/);
    const back = signIn('uma', 'uma new passphrase 2026');
    expect(call<{ active: boolean }>(back, 'session.whoami', {}).active).toBe(true);

    // The whole chain still verifies.
    const bundle = exportAuditBundle(ws.admin.workstation.db, { now: ws.clock.now(), actor: 'user:ada' });
    const { report } = verifyAuditBundle(bundle.files, { sha256: nodeSha256 });
    expect(report.firstFailure).toBeNull();
    expect(report.verdict).toBe('valid');
  });
});
