// Rotating the database key (users.rotateDatabaseKey) and re-enrolling users whose key slot the rotation dropped
// (users.reEnrol): operations admins only, decision 0037.
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hasPermission } from '../../../../core/access/roles.ts';
import { openDatabase } from '../../store/database.ts';
import { StoreError } from '../../store/errors.ts';
import {
  DEFAULT_SCRYPT_COST,
  keySlotUsers,
  prepareKeySlot,
  unlockDatabaseKey,
  writeRotatedKeySlots,
} from '../../store/key-slots.ts';
import { recoverInterruptedRekey, rekeyDatabase, rekeyPaths } from '../../store/rekey.ts';
import type { RekeyHooks } from '../../store/rekey.ts';
import {
  actorOf,
  commit,
  commitWithKeySlot,
  findUser,
  lockOptions,
  wrapWorkstation,
  WorkstationError,
} from '../session/workstation.ts';
import { setWriteLockUser } from '../../store/write-lock.ts';
import type { Session } from '../session/workstation.ts';
import { staffRecord } from '../session/staff-records.ts';

/** The permission named in a re-enrolment's permission.granted entry: signing in to this workstation with a passphrase. */
export const SIGN_IN_PERMISSION = 'workstation-sign-in' as const;

const requireAdmin = (session: Session): void => {
  if (!hasPermission(session.user, 'user.manage'))
    throw new WorkstationError('forbidden', `${session.user.id} is not an operations admin`);
};

export type KeySlotStatus = {
  /** Users (ids) with a passphrase slot: they can sign in. */
  readonly withSlot: string[];
  /** Users of the workstation without a slot (dropped by a rotation): they need re-enrolment. */
  readonly withoutSlot: string[];
  /** Whether an OS keychain slot file exists beside the database (a rotation deletes it). */
  readonly keychainSlot: boolean;
};

export const keySlotStatus = (session: Session): KeySlotStatus => {
  requireAdmin(session);
  const { workstation } = session;
  const slots = new Set(keySlotUsers(workstation.path));
  const users = workstation.db.prepare<[], string>('SELECT id FROM users ORDER BY id').pluck().all();
  return {
    withSlot: users.filter((id) => slots.has(id)),
    withoutSlot: users.filter((id) => !slots.has(id)),
    keychainSlot: existsSync(rekeyPaths(workstation.path).keychain),
  };
};

// The admin's passphrase must open their own slot AND give the key this session holds (not some other database's).
const checkAdminPassphrase = (session: Session, passphrase: string): void => {
  const { workstation, user } = session;
  let key: Uint8Array;
  try {
    key = unlockDatabaseKey(workstation.path, user.id, passphrase);
  } catch (error) {
    if (error instanceof StoreError && (error.code === 'wrong-passphrase' || error.code === 'unknown-user'))
      throw new WorkstationError('unauthenticated', 'the passphrase is wrong; nothing was changed');
    throw error;
  }
  const same = key.length === workstation.key().length && timingSafeEqual(key, workstation.key());
  key.fill(0);
  if (!same)
    throw new WorkstationError('conflict', 'the key slots file does not belong to this database; nothing was changed');
};

export type RotationResult = {
  readonly sequence: number;
  readonly keptSlots: string[];
  readonly droppedSlots: string[];
  readonly keychainSlotRemoved: boolean;
};

/**
 * Re-encrypts the database under a new random key. The new slots file holds the rotating admin's slot only; every
 * other slot and the OS keychain slot are dropped (they wrap the old key). The `store.rekeyed` entry is appended in the
 * re-encrypted copy before the commit point, so it exists exactly when the rotation happened. The session stays
 * signed in, on the new database.
 */
export const rotateDatabaseKey = (
  session: Session,
  input: { readonly passphrase: string; readonly reason: string },
  hooks: RekeyHooks = {},
): RotationResult => {
  requireAdmin(session);
  const { workstation, user } = session;
  checkAdminPassphrase(session, input.passphrase);
  const slotUsers = keySlotUsers(workstation.path);
  const keptSlots = [user.id];
  const droppedSlots = slotUsers.filter((id) => id !== user.id).sort();
  const keychainSlotRemoved = existsSync(rekeyPaths(workstation.path).keychain);
  const logId = workstation.db.prepare<[], string>('SELECT log_id FROM audit_log').pluck().get();
  const oldKey = workstation.key();
  const newKey = new Uint8Array(randomBytes(32));
  let sequence = -1;
  try {
    rekeyDatabase(
      {
        db: workstation.db,
        databasePath: workstation.path,
        oldKey,
        newKey,
        appendToCopy: (copy) => {
          // A throwaway workstation over the copy, so the entry goes through the one command path (projected too).
          const onCopy = wrapWorkstation(copy, workstation.path, workstation.deps, null, newKey);
          sequence = commit(onCopy, (append) =>
            append({
              actor: actorOf(user),
              type: 'store.rekeyed',
              subjects: [`device:${logId}`],
              payload: { pv: PAYLOAD_VERSION, keptSlots, droppedSlots, keychainSlotRemoved },
              personalData: staffRecord(`device:${logId}`, { reason: input.reason }),
            }),
          ).sequence;
        },
        writeSlots: (path) =>
          writeRotatedKeySlots(
            path,
            { user: user.id, passphrase: input.passphrase },
            newKey,
            workstation.deps.scryptCost ?? DEFAULT_SCRYPT_COST,
          ),
      },
      hooks,
    );
  } catch (error) {
    if (!workstation.db.open) {
      // Past the commit point, the hand-over failed (an I/O error): the rotation happened. Finish it once more now; if
      // that fails too, this session ends here and the next sign-in finishes it (recoverInterruptedRekey).
      try {
        recoverInterruptedRekey(workstation.path);
      } catch {
        newKey.fill(0);
        throw new WorkstationError(
          'conflict',
          `the database key was rotated but the files could not be handed over (${error instanceof Error ? error.message : String(error)}); sign in again to finish`,
        );
      }
    } else {
      newKey.fill(0);
      if (error instanceof StoreError && error.code === 'busy')
        throw new WorkstationError('conflict', `${error.message}; nothing was changed`);
      throw error;
    }
  }
  const reopened = openDatabase(workstation.path, newKey, lockOptions(workstation.deps));
  setWriteLockUser(reopened, user.id);
  workstation.replaceStore(reopened, newKey);
  return { sequence, keptSlots, droppedSlots, keychainSlotRemoved };
};

/**
 * Gives an existing user who has no key slot (dropped by a rotation) a new one, wrapped from the key this admin's
 * session holds, under an initial passphrase the admin hands over. Audited as permission.granted ("workstation-sign-in").
 */
export const reEnrol = (
  session: Session,
  input: { readonly userId: string; readonly initialPassphrase: string; readonly reason: string },
): { readonly userId: string; readonly sequence: number } => {
  requireAdmin(session);
  const { workstation } = session;
  const target = findUser(workstation.db, input.userId);
  if (!target) throw new WorkstationError('not_found', `no user ${input.userId}`);
  // Its permission.granted entry would make them active again: a deactivated user comes back by reactivation only.
  if (!target.active)
    throw new WorkstationError(
      'conflict',
      `${input.userId} is deactivated: reactivate them (users.setActive) with an initial passphrase instead`,
    );
  if (keySlotUsers(workstation.path).includes(input.userId))
    throw new WorkstationError('conflict', `${input.userId} has a key slot already and can sign in`);
  // The entry and the slot together (commitWithKeySlot): no slot exists without its entry, nor an entry without its slot.
  const prepared = prepareKeySlot(
    workstation.path,
    workstation.key(),
    { user: input.userId, passphrase: input.initialPassphrase },
    workstation.deps.scryptCost ?? DEFAULT_SCRYPT_COST,
  );
  const { sequence } = commitWithKeySlot(workstation, { prepared, replacing: false }, (append) =>
    append({
      actor: actorOf(session.user),
      type: 'permission.granted',
      subjects: [`user:${input.userId}`],
      payload: {
        pv: PAYLOAD_VERSION,
        userId: input.userId,
        permission: SIGN_IN_PERMISSION,
        scope: 'this-workstation',
        // The person rule (decision 0161): whoever chose the passphrase could act as the user.
        passphraseChosenBy: session.user.id,
      },
      personalData: staffRecord(`user:${input.userId}`, { reason: input.reason }),
    }),
  );
  return { userId: input.userId, sequence };
};
