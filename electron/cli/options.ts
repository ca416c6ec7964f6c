// Option parsing shared by the `perimeter` commands that sign in to a workstation: zod over commander's options, and
// the --db/--user pair (the passphrase from the environment, electron/cli/door.ts).
import type { Command } from 'commander';
import type * as z from 'zod';
import { CliError, EXIT_UNUSABLE } from './exit.ts';

/** The options parsed with the command's schema; the first problem named by its option, exit 2 (wrong usage). */
export const parseOptions = <T>(schema: z.ZodType<T>, raw: unknown): T => {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new CliError(`option --${String(issue?.path[0] ?? '')}: ${issue?.message}`, EXIT_UNUSABLE);
};

/** --db and --user (default $PERIMETER_USER; the passphrase from $PERIMETER_PASSPHRASE). */
export const signInOptions = (command: Command): Command =>
  command
    .requiredOption('--db <file>', 'the workstation database')
    .option('--user <id>', 'who signs in (default: $PERIMETER_USER); passphrase from $PERIMETER_PASSPHRASE');
