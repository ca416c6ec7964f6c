// Rotating the database key: one new key, only the rotating admin's slot kept, the keychain slot gone, data and audit
// chain intact, the old key useless; re-enrolment brings a dropped user back; refusals change nothing (decision 0037).
import { personalDataAt } from '../../../electron/services/workstation/projection/projector.ts';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditBundle } from '../../../core/audit/verify.ts';
import { exportAuditBundle } from '../../../electron/services/audit/export.ts';
import { nodeSha256 } from '../../../electron/services/audit/node-sha256.ts';
import { openDatabase } from '../../../electron/services/store/database.ts';
import { keySlotsPath } from '../../../electron/services/store/key-slots.ts';
import { fingerprint, rekeyPaths } from '../../../electron/services/store/rekey.ts';
import type { RekeyStep } from '../../../electron/services/store/rekey.ts';
import { rotateDatabaseKey } from '../../../electron/services/workstation/commands/key-rotation.ts';
import { projectionSnapshot, rebuildProjections } from '../../../electron/services/workstation/projection/rebuild.ts';
import { openWorkstation } from '../../../electron/services/workstation/session/workstation.ts';
import type { Session } from '../../../electron/services/workstation/session/workstation.ts';
import { examplesDir } from '../../support/examples.ts';
import { call, callError } from '../../support/api.ts';
import { ADMIN_PASSPHRASE, addUser, createTestWorkstation } from '../../support/workstation.ts';

const ws = createTestWorkstation();
afterAll(() => rmSync(ws.dir, { recursive: true, force: true }));

const fintechLeads = readFileSync(join(examplesDir, 'fintech', 'leads.jsonl'), 'utf8');
const signIn = (userId: string, passphrase: string): Session =>
  openWorkstation({ path: ws.path, userId, passphrase }, ws.deps);
const slotUsers = (): string[] =>
  (JSON.parse(readFileSync(keySlotsPath(ws.path), 'utf8')) as { slots: { user: string }[] }).slots.map(
    (slot) => slot.user,
  );
const caseIds = (session: Session): string[] =>
  call<{ rows: { id: string }[] }>(session, 'cases.list', { pageSize: 200 })
    .rows.map((row) => row.id)
    .sort();
const MARKER = 'Qwertzuiop Rekeymarker';

describe('users.rotateDatabaseKey and users.reEnrol', () => {
  it('re-keys the database, keeps only the admin’s slot, and re-enrolment lets a dropped user back in', () => {
    call(ws.admin, 'leads.import', {
      fileName: 'leads.jsonl',
      format: 'jsonl',
      content: fintechLeads,
      mode: 'all',
      sourceSystem: 'crm',
    });
    const lead = JSON.parse(fintechLeads.split('\n')[0]!) as Record<string, unknown>;
    call(ws.admin, 'leads.add', { lead: { ...lead, id: 'L-REKEY-MARKER', person: { fullName: MARKER } } });
    const olga = addUser(ws, 'olga', ['compliance_officer'], ['UK']);
    const audrey = addUser(ws, 'audrey', ['auditor'], ['*']);
    const olgaCases = caseIds(olga);
    expect(olgaCases.length).toBeGreaterThan(0);
    expect(olgaCases.length).toBeLessThan(caseIds(ws.admin).length);

    // Refusals: a non-admin, a wrong admin passphrase, and another open connection change nothing.
    expect(
      callError(olga, 'users.rotateDatabaseKey', { passphrase: 'olga passphrase 123', reason: 'take over' }).code,
    ).toBe('forbidden');
    expect(
      callError(olga, 'users.reEnrol', {
        userId: 'audrey',
        initialPassphrase: 'a fresh passphrase',
        reason: 'enrol again',
      }).code,
    ).toBe('forbidden');
    expect(
      callError(ws.admin, 'users.rotateDatabaseKey', { passphrase: ADMIN_PASSPHRASE, reason: 'other sessions open' }),
    ).toMatchObject({ code: 'conflict' });
    olga.workstation.close();
    audrey.workstation.close();
    ws.admin.workstation.db.pragma('wal_checkpoint(TRUNCATE)');
    const slotsBefore = readFileSync(keySlotsPath(ws.path));
    const databaseBefore = readFileSync(ws.path);
    expect(
      callError(ws.admin, 'users.rotateDatabaseKey', {
        passphrase: 'not the passphrase',
        reason: 'compromise suspected',
      }),
    ).toEqual({ code: 'unauthenticated', message: 'the passphrase is wrong; nothing was changed' });
    expect(callError(ws.admin, 'users.rotateDatabaseKey', { passphrase: ADMIN_PASSPHRASE, reason: '' }).code).toBe(
      'invalid_request',
    );
    expect(readFileSync(keySlotsPath(ws.path)).equals(slotsBefore)).toBe(true);
    expect(readFileSync(ws.path).equals(databaseBefore)).toBe(true);
    expect(readdirSync(ws.dir).filter((file) => file.includes('rekey'))).toEqual([]);

    // The rotation. A keychain slot file (wrapping the old key) is there and must go.
    writeFileSync(rekeyPaths(ws.path).keychain, '{"format":"perimeter-keychain-slots","version":1,"slots":[]}\n');
    const oldKey = ws.admin.workstation.key().slice();
    const before = fingerprint(ws.admin.workstation.db);
    const projections = projectionSnapshot(ws.admin.workstation.db);
    expect(call(ws.admin, 'users.keySlots', {})).toEqual({
      withSlot: ['ada', 'audrey', 'olga'],
      withoutSlot: [],
      keychainSlot: true,
    });
    const result = call<{
      sequence: number;
      keptSlots: string[];
      droppedSlots: string[];
      keychainSlotRemoved: boolean;
    }>(ws.admin, 'users.rotateDatabaseKey', {
      passphrase: ADMIN_PASSPHRASE,
      reason: 'suspected compromise of a laptop',
    });
    expect(result).toEqual({
      sequence: (before.lastSequence ?? -1) + 1,
      keptSlots: ['ada'],
      droppedSlots: ['audrey', 'olga'],
      keychainSlotRemoved: true,
    });

    // The admin is still signed in, on the new database.
    expect(call(ws.admin, 'users.keySlots', {})).toEqual({
      withSlot: ['ada'],
      withoutSlot: ['audrey', 'olga'],
      keychainSlot: false,
    });
    const entry = ws.admin.workstation.db
      .prepare<[number], { type: string; actor: string; canonical: Buffer }>(
        'SELECT type, actor, canonical FROM audit_entries WHERE sequence = ?',
      )
      .get(result.sequence)!;
    expect(entry.type).toBe('store.rekeyed');
    expect(entry.actor).toBe('user:ada');
    expect(JSON.parse(entry.canonical.toString('utf8')).payload).toEqual({
      pv: 2,
      keptSlots: ['ada'],
      droppedSlots: ['audrey', 'olga'],
      keychainSlotRemoved: true,
    });
    // The operator's reason is free text: beside the log, under the entry's commitment.
    expect(personalDataAt(ws.admin.workstation.db, result.sequence)).toEqual({
      reason: 'suspected compromise of a laptop',
    });
    // Nothing else changed: every table's rows but the one entry (and its tree nodes), every projection.
    const after = fingerprint(ws.admin.workstation.db);
    expect(after.userVersion).toBe(before.userVersion);
    expect(projectionSnapshot(ws.admin.workstation.db)).toEqual(projections);
    rebuildProjections(ws.admin.workstation.db);
    expect(projectionSnapshot(ws.admin.workstation.db)).toEqual(projections);

    // Files: the slots file holds ada alone; no keychain slot, no re-key leftovers; the old key opens nothing.
    expect(slotUsers()).toEqual(['ada']);
    expect(existsSync(rekeyPaths(ws.path).keychain)).toBe(false);
    expect(readdirSync(ws.dir).filter((file) => file.includes('rekey'))).toEqual([]);
    expect(() => openDatabase(ws.path, oldKey)).toThrow(/the key does not open this database/);
    expect(readFileSync(ws.path).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');

    // Sign-in: ada's passphrase works, a dropped user's does not.
    expect(() => signIn('olga', 'olga passphrase 123')).toThrow(/no key slot for user olga/);
    const adaAgain = signIn('ada', ADMIN_PASSPHRASE);
    adaAgain.workstation.close();

    // Re-enrolment: refused for unknown users and users with a slot; then olga is back, with her markets only.
    expect(
      callError(ws.admin, 'users.reEnrol', {
        userId: 'nobody',
        initialPassphrase: 'a fresh passphrase',
        reason: 'welcome back',
      }).code,
    ).toBe('not_found');
    expect(
      callError(ws.admin, 'users.reEnrol', {
        userId: 'ada',
        initialPassphrase: 'a fresh passphrase',
        reason: 'enrol again',
      }).code,
    ).toBe('conflict');
    const enrolled = call<{ userId: string; sequence: number }>(ws.admin, 'users.reEnrol', {
      userId: 'olga',
      initialPassphrase: 'olga initial passphrase',
      reason: 'new key after rotation',
    });
    expect(enrolled).toEqual({ userId: 'olga', sequence: result.sequence + 1 });
    const grant = ws.admin.workstation.db
      .prepare<[number], { type: string; canonical: Buffer }>(
        'SELECT type, canonical FROM audit_entries WHERE sequence = ?',
      )
      .get(enrolled.sequence)!;
    expect(grant.type).toBe('permission.granted');
    expect(JSON.parse(grant.canonical.toString('utf8')).payload).toEqual({
      pv: 2,
      userId: 'olga',
      permission: 'workstation-sign-in',
      scope: 'this-workstation',
      // The admin who chose olga's new passphrase could sign in as her (the person rule, decision 0161).
      passphraseChosenBy: 'ada',
    });
    expect(personalDataAt(ws.admin.workstation.db, enrolled.sequence)).toEqual({ reason: 'new key after rotation' });
    const olgaAgain = signIn('olga', 'olga initial passphrase');
    expect(caseIds(olgaAgain)).toEqual(olgaCases);
    expect(
      callError(olgaAgain, 'users.rotateDatabaseKey', { passphrase: 'olga initial passphrase', reason: 'mine now' })
        .code,
    ).toBe('forbidden');
    olgaAgain.workstation.close();
    expect(slotUsers()).toEqual(['ada', 'olga']);

    // The whole chain verifies after the rotation.
    const bundle = exportAuditBundle(ws.admin.workstation.db, { now: ws.clock.now(), actor: 'user:ada' });
    const { report } = verifyAuditBundle(bundle.files, { sha256: nodeSha256 });
    expect(report.firstFailure).toBeNull();
    expect(report.verdict).toBe('valid');

    // No plaintext of protected data and no key in hex anywhere in the folder.
    ws.admin.workstation.db.pragma('wal_checkpoint(PASSIVE)');
    const newKeyHex = Buffer.from(ws.admin.workstation.key()).toString('hex');
    for (const file of readdirSync(ws.dir)) {
      const bytes = readFileSync(join(ws.dir, file));
      for (const needle of [MARKER, 'Rekeymarker', newKeyHex, Buffer.from(oldKey).toString('hex')])
        expect(bytes.includes(Buffer.from(needle)), `${needle.slice(0, 12)}… in ${file}`).toBe(false);
      expect(bytes.includes(Buffer.from('SQLite format 3')), `plaintext header in ${file}`).toBe(false);
    }
  });

  it('undoes a rotation that fails before the commit point, and finishes one that fails after it', () => {
    const other = createTestWorkstation();
    try {
      addUser(other, 'olga', ['compliance_officer'], ['UK']).workstation.close();
      const admin = other.admin;
      const oldKey = admin.workstation.key().slice();
      const slotsBefore = readFileSync(keySlotsPath(other.path));
      const failAt =
        (at: RekeyStep) =>
        (step: RekeyStep): void => {
          if (step === at) throw new Error(`simulated I/O error at ${at}`);
        };
      // Before the commit point: the error comes back, nothing changed, the session goes on with the old key and the
      // exclusive lock is released (another connection can open the database again).
      expect(() =>
        rotateDatabaseKey(
          admin,
          { passphrase: ADMIN_PASSPHRASE, reason: 'fails early' },
          { onStep: failAt('copy-closed') },
        ),
      ).toThrow(/simulated I\/O error at copy-closed/);
      expect(readdirSync(other.dir).filter((file) => file.includes('rekey'))).toEqual([]);
      expect(readFileSync(keySlotsPath(other.path)).equals(slotsBefore)).toBe(true);
      expect(Buffer.from(admin.workstation.key()).equals(Buffer.from(oldKey))).toBe(true);
      call(admin, 'users.list', {});
      const olga = openWorkstation({ path: other.path, userId: 'olga', passphrase: 'olga passphrase 123' }, other.deps);
      olga.workstation.close();
      // After it: the hand-over is finished on the spot, and the session is on the new database.
      const result = rotateDatabaseKey(
        admin,
        { passphrase: ADMIN_PASSPHRASE, reason: 'fails late' },
        { onStep: failAt('database-renamed') },
      );
      expect(result).toMatchObject({ keptSlots: ['ada'], droppedSlots: ['olga'] });
      expect(readdirSync(other.dir).filter((file) => file.includes('rekey'))).toEqual([]);
      expect(call<{ withoutSlot: string[] }>(admin, 'users.keySlots', {}).withoutSlot).toEqual(['olga']);
      expect(() => openDatabase(other.path, oldKey)).toThrow(/the key does not open this database/);
      expect(
        admin.workstation.db.prepare("SELECT count(*) FROM audit_entries WHERE type = 'store.rekeyed'").pluck().get(),
      ).toBe(1);
    } finally {
      other.admin.workstation.close();
      rmSync(other.dir, { recursive: true, force: true });
    }
  });
});
