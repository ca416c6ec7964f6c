// Signing in and out as audited events (decision 0132): `session.signed_in` / `session.signed_out` in the log, and
// failed sign-ins, which cannot be written to a store that the wrong passphrase does not open, kept in a small sidecar
// file beside the database (user id, time, reason; no passphrase, no personal data) and moved into the log as
// `session.sign_in_failed` entries, with calls refused on a locked workstation, at the next successful sign-in.
import { appendFileSync, existsSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { UtcTime } from '../../../../core/audit/fields.ts';
import { StoreError } from '../../store/errors.ts';
import { keySlotUsers } from '../../store/key-slots.ts';
import { actorOf, commit, openWorkstation, openWorkstationWithKey, WorkstationError } from './workstation.ts';
import type { Appender, LeadScreener, Session, WorkstationDeps } from './workstation.ts';

export type SignInVia = 'api' | 'cli';
export type SignOutReason = 'lock' | 'switch' | 'deactivated';
export type SignInFailure = 'wrong_passphrase' | 'unknown_user' | 'inactive' | 'throttled';

/** The sidecar of what happened while the store could not be written: beside the database, like its key slots. */
export const doorSidecarPath = (databasePath: string): string => `${databasePath}.door.jsonl`;

/** Past this size the sidecar takes no more lines (a flood of wrong attempts must not fill the disk). */
export const DOOR_SIDECAR_MAX_BYTES = 256 * 1024;

const SidecarLine = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('session.sign_in_failed'),
    userId: z.string().min(1).max(64).nullable(),
    at: UtcTime,
    reason: z.enum(['wrong_passphrase', 'unknown_user', 'inactive', 'throttled']),
    via: z.enum(['api', 'cli']),
  }),
  z.strictObject({
    type: z.literal('access.denied'),
    action: z.string().regex(/^[a-z][A-Za-z0-9._ -]{0,79}$/),
    at: UtcTime,
    reason: z.literal('locked'),
  }),
]);
type SidecarLine = z.infer<typeof SidecarLine>;

const appendSidecar = (databasePath: string, line: SidecarLine): void => {
  const path = doorSidecarPath(databasePath);
  try {
    if (existsSync(path) && statSync(path).size > DOOR_SIDECAR_MAX_BYTES) return;
    appendFileSync(path, `${JSON.stringify(line)}\n`, { mode: 0o600 });
  } catch {
    // A sidecar that cannot be written (read-only directory) must not turn a refusal into a crash.
  }
};

// A user id that names no key slot may be anything typed into the field, even a passphrase: it is not kept.
const knownUserOrNull = (databasePath: string, userId: string): string | null => {
  try {
    return keySlotUsers(databasePath).includes(userId) ? userId : null;
  } catch {
    return null;
  }
};

/** Notes a failed sign-in for the log; the next successful sign-in on this workstation appends it. */
export const recordFailedSignIn = (
  databasePath: string,
  attempt: { readonly userId: string; readonly at: Date; readonly reason: SignInFailure; readonly via: SignInVia },
): void =>
  appendSidecar(databasePath, {
    type: 'session.sign_in_failed',
    userId: knownUserOrNull(databasePath, attempt.userId),
    at: attempt.at.toISOString(),
    reason: attempt.reason,
    via: attempt.via,
  });

/** Notes an api call refused because the workstation is locked (nobody signed in, the store closed). */
export const recordLockedRefusal = (databasePath: string, action: string, at: Date): void => {
  const parsed = SidecarLine.safeParse({ type: 'access.denied', action, at: at.toISOString(), reason: 'locked' });
  // An unknown method's name is the caller's text: only the contract's method names are noted.
  if (parsed.success) appendSidecar(databasePath, parsed.data);
};

const failureOf = (error: unknown): SignInFailure | null => {
  if (error instanceof StoreError && error.code === 'wrong-passphrase') return 'wrong_passphrase';
  if (error instanceof StoreError && error.code === 'unknown-user') return 'unknown_user';
  if (error instanceof WorkstationError && error.code === 'unauthenticated') return 'inactive';
  return null;
};

// Takes the sidecar away first (a rename), so lines another process adds meanwhile wait for the next sign-in.
const takeSidecar = (databasePath: string): { lines: SidecarLine[]; giveBack: () => void; done: () => void } => {
  const path = doorSidecarPath(databasePath);
  const nothing = { lines: [], giveBack: () => {}, done: () => {} };
  if (!existsSync(path)) return nothing;
  const taken = `${path}.${randomUUID()}`;
  try {
    renameSync(path, taken);
  } catch {
    return nothing;
  }
  const text = readFileSync(taken, 'utf8');
  // A line that does not parse (a torn write, or a hand edit) is dropped: the sidecar is a hint, not evidence.
  const lines = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        const parsed = SidecarLine.safeParse(JSON.parse(line));
        return parsed.success ? [parsed.data] : [];
      } catch {
        return [];
      }
    });
  return {
    lines,
    giveBack: () => {
      try {
        appendFileSync(path, text, { mode: 0o600 });
        unlinkSync(taken);
      } catch {
        // Left under its taken name: nothing reads it again, and it holds no secret.
      }
    },
    done: () => {
      try {
        unlinkSync(taken);
      } catch {
        // Already gone.
      }
    },
  };
};

const appendSidecarLine = (append: Appender, line: SidecarLine): void => {
  if (line.type === 'session.sign_in_failed')
    append({
      actor: 'system:door',
      type: 'session.sign_in_failed',
      subjects: line.userId === null ? [] : [`user:${line.userId}`],
      payload: { userId: line.userId, attemptedAt: line.at, reason: line.reason, via: line.via },
    });
  else
    append({
      actor: 'system:door',
      type: 'access.denied',
      subjects: [],
      payload: { action: line.action, reason: line.reason, attemptedAt: line.at },
    });
};

/** Appends what the sidecar holds and `session.signed_in`, in one transaction; the sidecar is cleared after it. */
const recordSignedIn = (session: Session, via: SignInVia): void => {
  const sidecar = takeSidecar(session.workstation.path);
  try {
    commit(session.workstation, (append) => {
      for (const line of sidecar.lines) appendSidecarLine(append, line);
      append({
        actor: actorOf(session.user),
        type: 'session.signed_in',
        subjects: [`user:${session.user.id}`],
        payload: { via },
      });
    });
  } catch (error) {
    sidecar.giveBack();
    session.workstation.close();
    throw error;
  }
  sidecar.done();
};

const audited = (
  databasePath: string,
  userId: string,
  via: SignInVia,
  deps: WorkstationDeps,
  open: () => Session,
): Session => {
  let session: Session;
  try {
    session = open();
  } catch (error) {
    const failure = failureOf(error);
    if (failure !== null) recordFailedSignIn(databasePath, { userId, at: deps.now(), reason: failure, via });
    throw error;
  }
  recordSignedIn(session, via);
  return session;
};

/**
 * Signs a user in with their passphrase, as the api and the CLI do: the session is opened (openWorkstation), a failure
 * is noted in the sidecar, a success appends the noted failures and `session.signed_in`.
 */
export const signIn = (
  input: { readonly path: string; readonly userId: string; readonly passphrase: string },
  via: SignInVia,
  deps: WorkstationDeps,
  screener: LeadScreener | null = null,
): Session => audited(input.path, input.userId, via, deps, () => openWorkstation(input, deps, screener));

/** Signs a user in with a database key from the OS keychain, audited like `signIn`. */
export const signInWithKey = (
  input: { readonly path: string; readonly userId: string; readonly key: Uint8Array },
  deps: WorkstationDeps,
  screener: LeadScreener | null = null,
): Session => audited(input.path, input.userId, 'api', deps, () => openWorkstationWithKey(input, deps, screener));

/** Appends `session.signed_out` and closes the session (the key is wiped); the close happens even if the log fails. */
export const signOut = (session: Session, via: SignInVia, reason: SignOutReason): void => {
  try {
    commit(session.workstation, (append) =>
      append({
        actor: actorOf(session.user),
        type: 'session.signed_out',
        subjects: [`user:${session.user.id}`],
        payload: { via, reason },
      }),
    );
  } catch {
    // A store that cannot take the entry (the user's database was re-keyed away, a lock held elsewhere) still closes.
  } finally {
    session.workstation.close();
  }
};
