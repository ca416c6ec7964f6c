// Exit codes and error reporting shared by every `perimeter` command.
export const EXIT_OK = 0;
/** The input was read and judged: invalid policy, failed verification, refused data. */
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
