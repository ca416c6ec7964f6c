// `perimeter distribution status|fetch|pin-key`: signed distribution on the workstation from the command line
// (docs/sync.md, decisions 0253–0255, 0276), through the same session-checked services as the api: what is active, kept
// and pending on each stream; fetching, verifying and activating newer statements; pinning the publisher key.
import type { Command } from 'commander';
import * as z from 'zod';
import {
  checkDistribution,
  distributionStatus,
  fetchAndActivate,
} from '../services/workstation/commands/distribution-runs.ts';
import { pinPublisherKey } from '../services/workstation/commands/distribution.ts';
import { CliError, EXIT_INVALID } from './exit.ts';
import { parseOptions, signInOptions } from './options.ts';
import { withSyncSession as withSession } from './sync.ts';

const Common = z.object({ db: z.string().min(1), user: z.string().min(1).optional() });
const StatusOptions = Common.extend({ offline: z.boolean().optional() });
const PinOptions = Common.extend({ key: z.string().trim().min(1, 'is required') });

export const registerDistributionCommands = (program: Command): void => {
  const distribution = program
    .command('distribution')
    .description('signed policy bundles and list versions from the regional hub (docs/sync.md)');

  signInOptions(
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

  signInOptions(
    distribution
      .command('fetch')
      .description('fetch every newer statement, verify it and activate it (exit 1 when one is refused)'),
  ).action(async (raw: unknown) => {
    const options = parseOptions(Common, raw);
    const outcome = await withSession(options, 'distribution fetch', (session) => fetchAndActivate(session));
    process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
    if (!outcome.ok) throw new CliError(outcome.message, EXIT_INVALID);
  });

  signInOptions(
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
