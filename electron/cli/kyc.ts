// `perimeter kyc configure|deliver|results`: the KYC hand-off connector from the command line (docs/kyc-connector.md),
// through the same session-checked services as the workstation (decisions 0210–0214).
import type { Command } from 'commander';
import * as z from 'zod';
import { readUtf8File } from '../services/files/read-utf8-file.ts';
import { deliverKycOutboxAs } from '../services/workstation/commands/kyc-delivery.ts';
import { configureKycConnector } from '../services/workstation/commands/kyc-outbox.ts';
import { importKycResults } from '../services/workstation/commands/kyc-outcomes.ts';
import { applyKycOutcome } from '../services/workstation/commands/lead-facts.ts';
import { WorkstationError } from '../services/workstation/session/workstation.ts';
import type { Session } from '../services/workstation/session/workstation.ts';
import { withCliSessionAsync } from './door.ts';
import { CliError, cliErrorOf, EXIT_INVALID, EXIT_UNUSABLE } from './exit.ts';
import { parseOptions, signInOptions } from './options.ts';

export const KYC_SECRET_ENV = 'PERIMETER_KYC_SECRET';
export const KYC_CALLBACK_SECRET_ENV = 'PERIMETER_KYC_CALLBACK_SECRET';

const Common = z.object({ db: z.string().min(1), user: z.string().min(1).optional() });
const ConfigureOptions = Common.extend({
  connector: z.enum(['webhook', 'file_drop', 'none']),
  url: z.string().min(1).optional(),
  dropDir: z.string().min(1).optional(),
  secretEnv: z.string().min(1),
  callbackSecretEnv: z.string().min(1),
});
const DeliverOptions = Common.extend({ max: z.coerce.number().int().min(1).max(10_000_000).optional() });

// A file or settings the service judged wrong exit 1 (README); a refusal too (logged as access.denied by the door).
const judged = (error: unknown): unknown =>
  error instanceof WorkstationError && error.code === 'invalid_input'
    ? new CliError(error.message, EXIT_INVALID)
    : (cliErrorOf(error) ?? error);

const withSession = <T>(
  options: { readonly db: string; readonly user?: string | undefined },
  action: string,
  run: (session: Session) => Promise<T> | T,
): Promise<T> => withCliSessionAsync(options, action, judged, run);

export const registerKycCommands = (program: Command): void => {
  const kyc = program.command('kyc').description('the KYC hand-off connector: outbox delivery, results, configuration');

  signInOptions(
    kyc.command('configure').description('set the connector: webhook (URL and secrets), file_drop (folder) or none'),
  )
    .requiredOption('--connector <kind>', 'webhook, file_drop or none')
    .option('--url <url>', 'the webhook endpoint (https://, or http://127.0.0.1 for tests)')
    .option('--drop-dir <dir>', 'the drop folder (an absolute path)')
    .option('--secret-env <name>', 'environment variable holding the signing secret (whsec_…)', KYC_SECRET_ENV)
    .option(
      '--callback-secret-env <name>',
      'environment variable holding the secret callbacks are signed with (whsec_…)',
      KYC_CALLBACK_SECRET_ENV,
    )
    .action(async (raw: unknown) => {
      const options = parseOptions(ConfigureOptions, raw);
      const secret = process.env[options.secretEnv] || undefined;
      const callbackSecret = process.env[options.callbackSecretEnv] || undefined;
      const result = await withSession(options, 'kyc configure', (session) =>
        configureKycConnector(session, {
          kind: options.connector,
          url: options.url,
          dropDir: options.dropDir,
          secret,
          callbackSecret,
        }),
      );
      process.stdout.write(`${JSON.stringify(result)}\n`);
    });

  signInOptions(kyc.command('deliver').description('one delivery pass over the due events of the KYC outbox'))
    .option('--max <n>', 'stop after this many events')
    .action(async (raw: unknown) => {
      const options = parseOptions(DeliverOptions, raw);
      const pass = await withSession(options, 'kyc deliver', (session) =>
        deliverKycOutboxAs(session, options.max === undefined ? {} : { maxEvents: options.max }),
      );
      process.stdout.write(`${JSON.stringify(pass)}\n`);
    });

  signInOptions(
    kyc.command('results').description('import a KYC result file: every outcome applied in one transaction'),
  )
    .argument('<file>', 'the result file (docs/kyc-connector.md)')
    .action(async (file: string, raw: unknown) => {
      const options = parseOptions(Common, raw);
      const text = await readUtf8File(file);
      if (!text.ok) {
        const problem = text.error;
        throw new CliError(
          problem.kind === 'unreadable'
            ? `${file}: cannot read: ${problem.message}`
            : `${file}: line ${problem.line}: ${problem.message}`,
          problem.kind === 'unreadable' ? EXIT_UNUSABLE : EXIT_INVALID,
        );
      }
      const result = await withSession(options, 'kyc results', (session) =>
        importKycResults(session, { fileName: file, content: text.value }, applyKycOutcome),
      );
      process.stdout.write(`${JSON.stringify(result)}\n`);
    });
};
