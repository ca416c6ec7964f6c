// The CLI's way in to a workstation (decision 0131): sign in as a user through the api's code path (audited), run a
// session-checked service through the door (a refusal logged as access.denied), map failures to exit codes.
import { StoreError } from '../services/store/errors.ts';
import { throughTheDoor } from '../services/workstation/session/access.ts';
import { signIn } from '../services/workstation/session/sign-in.ts';
import { WorkstationError } from '../services/workstation/session/workstation.ts';
import type { Session } from '../services/workstation/session/workstation.ts';
import { AuditLogError } from '../../core/audit/log-engine.ts';
import { cliWorkstationDeps } from './deps.ts';
import { CliError, EXIT_INVALID, EXIT_UNUSABLE, storeExitCode } from './exit.ts';

export const PASSPHRASE_ENV = 'PERIMETER_PASSPHRASE';
export const USER_ENV = 'PERIMETER_USER';

/** The user (--user or PERIMETER_USER) and the passphrase (PERIMETER_PASSPHRASE) a command signs in with. */
export const cliCredentials = (user: string | undefined): { user: string; passphrase: string } => {
  const id = user ?? process.env[USER_ENV];
  if (!id) throw new CliError(`--user (or ${USER_ENV}) names who signs in`, EXIT_UNUSABLE);
  const passphrase = process.env[PASSPHRASE_ENV];
  if (!passphrase) throw new CliError(`${PASSPHRASE_ENV} must hold the passphrase of ${id}`, EXIT_UNUSABLE);
  return { user: id, passphrase };
};

/** Signs in (a `session.signed_in` entry; a failure noted for the log); exits 1 for a refused sign-in. */
export const cliSignIn = (db: string, user: string | undefined): Session => {
  const credentials = cliCredentials(user);
  try {
    return signIn(
      { path: db, userId: credentials.user, passphrase: credentials.passphrase },
      'cli',
      cliWorkstationDeps(),
    );
  } catch (error) {
    if (error instanceof StoreError) throw new CliError(error.message, storeExitCode(error));
    if (error instanceof WorkstationError) throw new CliError(error.message, EXIT_INVALID);
    throw error;
  }
};

/**
 * Runs `run` as the door for the CLI command `action` on a signed-in session: a refusal is logged as access.denied
 * and exits 1, like any judged input; input the service finds unusable exits 2.
 */
export const cliDoor = <T>(session: Session, action: string, run: () => T): T => {
  try {
    return throughTheDoor(session, action, run);
  } catch (error) {
    throw cliErrorOf(error);
  }
};

export const cliErrorOf = (error: unknown): unknown => {
  if (error instanceof WorkstationError)
    return new CliError(error.message, error.code === 'invalid_input' ? EXIT_UNUSABLE : EXIT_INVALID);
  if (error instanceof AuditLogError || error instanceof StoreError) return new CliError(error.message, EXIT_INVALID);
  return error;
};

/** Signs in, runs one session-checked command through the door, and closes the session whatever happens. */
export const withCliSession = <T>(
  options: { readonly db: string; readonly user?: string | undefined },
  action: string,
  run: (session: Session) => T,
): T => {
  const session = cliSignIn(options.db, options.user);
  try {
    return cliDoor(session, action, () => run(session));
  } finally {
    session.workstation.close();
  }
};

/**
 * Signs in, runs an asynchronous service through the door and closes the workstation. The door's checks run before the
 * first await, so a refusal is recorded as access.denied like any command's; every failure goes through `judged`
 * (the command's mapping to exit codes).
 */
export const withCliSessionAsync = async <T>(
  options: { readonly db: string; readonly user?: string | undefined },
  action: string,
  judged: (error: unknown) => unknown,
  run: (session: Session) => Promise<T> | T,
): Promise<T> => {
  const session = cliSignIn(options.db, options.user);
  try {
    let pending: Promise<T> | T;
    try {
      pending = throughTheDoor(session, action, () => run(session));
    } catch (error) {
      throw judged(error);
    }
    try {
      return await pending;
    } catch (error) {
      throw judged(error);
    }
  } finally {
    session.workstation.close();
  }
};
