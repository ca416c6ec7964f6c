// Exit codes and error reporting shared by every `perimeter` command.
import { AuditLogError } from '../../core/audit/log-engine.ts';
import { StoreError } from '../services/store/errors.ts';
import type { StoreErrorCode } from '../services/store/errors.ts';
import { WorkstationError } from '../services/workstation/session/workstation.ts';

export const EXIT_OK = 0;
/** The input was read and judged: invalid policy, failed verification, refused data, a wrong passphrase. */
export const EXIT_INVALID = 1;
/** The input could not be used at all: missing file, unreadable, wrong usage. */
export const EXIT_UNUSABLE = 2;

/** An error a user caused, carrying the exit code to leave with and a message naming the file, record and field. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT_UNUSABLE) {
    super(message);
    this.exitCode = exitCode;
  }
}

// Credentials that were read and judged wrong exit 1 from every command (README); a database or key-slot file that
// is missing, damaged, too new or busy cannot be used at all: 2.
const JUDGED_STORE_FAILURES: ReadonlySet<StoreErrorCode> = new Set<StoreErrorCode>([
  'wrong-passphrase',
  'wrong-key',
  'unknown-user',
  'weak-passphrase',
]);

/** The one mapping from a store failure to an exit code, so a wrong passphrase exits alike from every command. */
export const storeExitCode = (error: StoreError): number =>
  JUDGED_STORE_FAILURES.has(error.code) ? EXIT_INVALID : EXIT_UNUSABLE;

/**
 * The one mapping from a failure a user can cause to the CLI's error (its message and exit code), as apiErrorOf is the
 * api's: a refusal or judged input exits 1, an unusable store 2. Null for anything else (a bug: the caller reports it).
 */
export const cliErrorOf = (error: unknown): CliError | null => {
  if (error instanceof CliError) return error;
  if (error instanceof StoreError) return new CliError(error.message, storeExitCode(error));
  if (error instanceof WorkstationError || error instanceof AuditLogError)
    return new CliError(error.message, EXIT_INVALID);
  return null;
};
