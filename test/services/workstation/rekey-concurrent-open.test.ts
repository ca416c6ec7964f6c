// An open in another process while a rotation is under way (decision 0046): its recovery must not take the rotation's
// copy and new slots for a crash's leftovers. Run at each step up to the commit point (the hooks run synchronously
// inside the rotation, so the moment is exact), it touches nothing; the rotation completes and its key opens the
// database. Without the lock check, recovery at 'copy-closed' deleted the copy and the rotation then handed over the
// new slots with the OLD database: no passphrase could open it any more.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { keySlotUsers } from '../../../electron/services/store/key-slots.ts';
import { recoverInterruptedRekey, REKEY_STEPS } from '../../../electron/services/store/rekey.ts';
import type { RekeyRecovery, RekeyStep } from '../../../electron/services/store/rekey.ts';
import { rotateDatabaseKey } from '../../../electron/services/workstation/commands/key-rotation.ts';
import { openWorkstation } from '../../../electron/services/workstation/session/workstation.ts';
import { ADMIN_PASSPHRASE, addUser, createTestWorkstation } from '../../support/workstation.ts';
import type { TestWorkstation } from '../../support/workstation.ts';

const made: TestWorkstation[] = [];
afterAll(() => {
  for (const ws of made) rmSync(ws.dir, { recursive: true, force: true });
});

const LOCKED_STEPS = REKEY_STEPS.slice(0, REKEY_STEPS.indexOf('committed') + 1);

describe('an open during a rotation', () => {
  it.each(LOCKED_STEPS)("another open's recovery at '%s' touches nothing and the rotation completes", (at) => {
    const ws = createTestWorkstation();
    made.push(ws);
    addUser(ws, 'olga', ['compliance_officer'], ['UK']).workstation.close();
    let recovery: RekeyRecovery | null = null;
    const result = rotateDatabaseKey(
      ws.admin,
      { passphrase: ADMIN_PASSPHRASE, reason: 'scheduled' },
      { onStep: (step: RekeyStep) => void (step === at && (recovery = recoverInterruptedRekey(ws.path))) },
    );
    expect(recovery).toBe('none');
    expect(result.droppedSlots).toEqual(['olga']);
    ws.admin.workstation.close();
    expect(keySlotUsers(ws.path)).toEqual(['ada']);
    const again = openWorkstation({ path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, ws.deps);
    try {
      const rotations = again.workstation.db
        .prepare("SELECT count(*) FROM audit_entries WHERE type = 'store.rekeyed'")
        .pluck()
        .get();
      expect(rotations).toBe(1);
    } finally {
      again.workstation.close();
    }
  });

  it('a sign-in attempted meanwhile is refused, and the rotation still completes', () => {
    const ws = createTestWorkstation();
    made.push(ws);
    let refused: unknown = null;
    rotateDatabaseKey(
      ws.admin,
      { passphrase: ADMIN_PASSPHRASE, reason: 'scheduled' },
      {
        onStep: (step) => {
          if (step !== 'copy-closed') return;
          try {
            openWorkstation(
              { path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE },
              ws.deps,
            ).workstation.close();
          } catch (error) {
            refused = error;
          }
        },
      },
    );
    expect(String(refused)).toMatch(/locked|busy/i);
    ws.admin.workstation.close();
    openWorkstation({ path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, ws.deps).workstation.close();
  });
});
