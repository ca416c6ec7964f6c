// The audit side of OS-keychain sign-in: remembering the signed-in user's key on this device is a permission the user
// grants to this device (permission.granted), forgetting it a revocation (permission.revoked); decision 0077.
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import { actorOf, commit } from './workstation.ts';
import type { Session } from './workstation.ts';

/** The permission named in the entries: unlocking this workstation from the OS keychain of one device. */
export const KEYCHAIN_UNLOCK_PERMISSION = 'keychain-unlock';

export type KeychainChange =
  { readonly change: 'remembered'; readonly backend: string } | { readonly change: 'forgotten' };

/** Appends the entry for a keychain slot just written or removed, as the signed-in user, about that same user. */
export const recordKeychainChange = (session: Session, change: KeychainChange): number =>
  commit(session.workstation, (append) =>
    append({
      actor: actorOf(session.user),
      type: change.change === 'remembered' ? 'permission.granted' : 'permission.revoked',
      subjects: [`user:${session.user.id}`],
      payload: {
        pv: PAYLOAD_VERSION,
        userId: session.user.id,
        permission: KEYCHAIN_UNLOCK_PERMISSION,
        scope: 'this-device',
        ...(change.change === 'remembered' ? { backend: change.backend } : {}),
      },
    }),
  ).sequence;
