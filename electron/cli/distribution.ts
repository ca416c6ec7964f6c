// `perimeter distribution status|fetch|pin-key`: signed distribution on the workstation from the command line
// (docs/sync.md, decisions 0253–0255, 0276), through the same session-checked services as the api: what is active, kept
// and pending on each stream; fetching, verifying and activating newer statements; pinning the publisher key.
import type { Command } from 'commander';
import * as z from 'zod';
import { SyncError } from '../services/sync/hub-client.ts';
import {
  checkDistribution,
  distributionStatus,
  fetchAndActivate,
} from '../services/workstation/commands/distribution-runs.ts';
import { pinPublisherKey } from '../services/workstation/commands/distribution.ts';
import type { Session } from '../services/workstation/session/workstation.ts';
import { withCliSessionAsync } from './door.ts';
import { CliError, cliErrorOf, EXIT_INVALID, EXIT_UNUSABLE } from './exit.ts';

const Common = z.object({ db: z.string().min(1), user: z.string().min(1).optional() });
const StatusOptions = Common.extend({ offline: z.boolean().optional() });
const PinOptions = Common.extend({ key: z.string().trim().min(1, 'is required') });

const parseOptions = <T>(schema: z.ZodType<T>, raw: unknown): T => {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new CliError(`option --${String(issue?.path[0] ?? '')}: ${issue?.message}`, EXIT_UNUSABLE);
};

const common = (command: Command): Command =>
  command
    .requiredOption('--db <file>', 'the workstation database')
    .option('--user <id>', 'who signs in (default: $PERIMETER_USER); passphrase from $PERIMETER_PASSPHRASE');

/** As `perimeter sync` (decision 0260): a hub that cannot be reached is exit 2; what was judged is exit 1. */
const judged = (error: unknown): unknown => {
  if (error instanceof SyncError)
    return new CliError(error.message, error.code === 'unreachable' ? EXIT_UNUSABLE : EXIT_INVALID);
  return cliErrorOf(error) ?? error;
};

const withSession = <T>(
  options: { readonly db: string; readonly user?: string | undefined },
  action: string,
  run: (session: Session) => Promise<T> | T,
): Promise<T> => withCliSessionAsync(options, action, judged, run);

export const registerDistributionCommands = (program: Command): void => {
  const distribution = program
    .command('distribution')
    .description('signed policy bundles and list versions from the regional hub (docs/sync.md)');

  common(
    distribution
      .command('status')
      .description('what is active, kept and pending on each stream, and the pinned publisher key (JSON)'),
  )
    .option('--offline', 'do not ask the hub: what is active and kept here only')
    .action(async (raw: unknown) => {
      const options = parseOptions(StatusOptions, raw);
      const status = await withSession(options, 'distribution status', async (session) => {
        if (!options.offline) await checkDistribution(session);
        return distributionStatus(session);
      });
      process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
    });

  common(
    distribution
      .command('fetch')
      .description('fetch every newer statement, verify it and activate it (exit 1 when one is refused)'),
  ).action(async (raw: unknown) => {
    const options = parseOptions(Common, raw);
    const outcome = await withSession(options, 'distribution fetch', (session) => fetchAndActivate(session));
    process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
    if (!outcome.ok) throw new CliError(outcome.message, EXIT_INVALID);
  });

  common(
    distribution
      .command('pin-key')
      .description('pin the firm publisher verifier key this workstation requires (operations admins)'),
  )
    .requiredOption('--key <verifier-key>', 'the publisher verifier key, from the publisher (never from the hub)')
    .action(async (raw: unknown) => {
      const options = parseOptions(PinOptions, raw);
      const pinned = await withSession(options, 'distribution pin-key', (session) =>
        pinPublisherKey(session, { verifierKey: options.key }),
      );
      process.stdout.write(
        `pinned publisher key ${pinned.key.split('+').slice(0, 2).join('+')}${
          pinned.previousKey === null ? '' : ` (replacing ${pinned.previousKey.split('+').slice(0, 2).join('+')})`
        } in entry ${pinned.sequence}\n`,
      );
    });
};
