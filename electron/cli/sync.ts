// `perimeter sync enrol|push|pull|status`: the workstation's sync with its regional hub from the command line
// (docs/sync.md), through the same session-checked services as the api (decisions 0224, 0258–0260).
import type { Command } from 'commander';
import * as z from 'zod';
import { HubUrlSchema } from '../../core/api/sync.ts';
import { DEVICE_ID_PATTERN, REGION_PATTERN } from '../../core/sync/request-auth.ts';
import { SyncError } from '../services/sync/hub-client.ts';
import {
  enrolRecorded,
  syncPullRecorded,
  syncPushRecorded,
  syncStatus,
} from '../services/workstation/commands/sync.ts';
import { decideRegionDevice, listRegionDevices } from '../services/workstation/commands/sync-devices.ts';
import type { Session } from '../services/workstation/session/workstation.ts';
import { withCliSessionAsync } from './door.ts';
import { CliError, cliErrorOf, EXIT_INVALID, EXIT_UNUSABLE } from './exit.ts';
import { parseOptions, signInOptions } from './options.ts';

const Common = z.object({ db: z.string().min(1), user: z.string().min(1).optional() });
const EnrolOptions = Common.extend({
  hub: HubUrlSchema,
  region: z.string().regex(REGION_PATTERN, '1 to 32 letters, digits or "-"'),
  deviceId: z.string().regex(DEVICE_ID_PATTERN, 'letters, digits, ".", "_" or "-", at most 64').optional(),
});

const DeviceOptions = Common.extend({
  device: z.string().regex(DEVICE_ID_PATTERN, 'letters, digits, ".", "_" or "-", at most 64'),
});
const ApproveOptions = DeviceOptions.extend({
  markets: z
    .string()
    .optional()
    .transform((list) =>
      list === undefined
        ? undefined
        : list
            .split(',')
            .map((market) => market.trim())
            .filter((market) => market !== ''),
    ),
});

/**
 * A hub that cannot be reached is input that cannot be used (exit 2); everything the hub or the workstation judged
 * (not enrolled, not approved, revoked, another region, a fork) is a refusal (exit 1). Decision 0260.
 */
const judged = (error: unknown): unknown => {
  if (error instanceof SyncError)
    return new CliError(error.message, error.code === 'unreachable' ? EXIT_UNUSABLE : EXIT_INVALID);
  return cliErrorOf(error) ?? error;
};

/** Signs in through the door with the sync commands' exit codes (also `perimeter distribution`). */
export const withSyncSession = <T>(
  options: { readonly db: string; readonly user?: string | undefined },
  action: string,
  run: (session: Session) => Promise<T> | T,
): Promise<T> => withCliSessionAsync(options, action, judged, run);

export const registerSyncCommands = (program: Command): void => {
  const sync = program.command('sync').description("the workstation's sync with its regional hub (docs/sync.md)");

  signInOptions(sync.command('enrol').description('enrol this workstation with its region’s hub (operations admins)'))
    .requiredOption('--hub <url>', 'the hub’s URL (https://, or http:// on loopback)')
    .requiredOption('--region <region>', 'the region the workstation belongs to (the hub must serve it)')
    .option('--device-id <id>', 'the device id (default: the audit log id)')
    .action(async (raw: unknown) => {
      const options = parseOptions(EnrolOptions, raw);
      const result = await withSyncSession(options, 'sync enrol', (session) =>
        enrolRecorded(session, {
          hubUrl: options.hub,
          region: options.region,
          ...(options.deviceId === undefined ? {} : { deviceId: options.deviceId }),
        }),
      );
      process.stdout.write(
        `enrolment requested as ${result.deviceId}: the hub says ${result.status}\n` +
          `device key fingerprint ${result.fingerprint}: read it to the hub's admin, who approves it with\n` +
          `  perimeter hub approve-device --device ${result.deviceId} --admin NAME --store … --key …\n`,
      );
    });

  signInOptions(sync.command('push').description('push this workstation’s audit log to its hub')).action(
    async (raw: unknown) => {
      const options = parseOptions(Common, raw);
      const result = await withSyncSession(options, 'sync push', (session) => syncPushRecorded(session));
      process.stdout.write(`${JSON.stringify(result)}\n`);
    },
  );

  signInOptions(
    sync.command('pull').description('pull the other devices’ entries of the region into the inbox'),
  ).action(async (raw: unknown) => {
    const options = parseOptions(Common, raw);
    const result = await withSyncSession(options, 'sync pull', (session) => syncPullRecorded(session));
    process.stdout.write(`${JSON.stringify(result)}\n`);
  });

  // The region's devices from an operations device (decision 0273): operations admins, no hub admin token.
  signInOptions(
    sync.command('devices').description('list the devices of the region (operations admins on an operations device)'),
  ).action(async (raw: unknown) => {
    const options = parseOptions(Common, raw);
    const devices = await withSyncSession(options, 'sync devices', (session) => listRegionDevices(session));
    process.stdout.write(`${JSON.stringify({ devices }, null, 2)}\n`);
  });

  signInOptions(
    sync.command('approve').description('approve a pending device of the region at the hub (operations admins)'),
  )
    .requiredOption('--device <id>', 'the device id, as `sync devices` lists it')
    .option(
      '--markets <list>',
      'the markets it may be served, comma-separated ("*" every market); default: those it asked',
    )
    .action(async (raw: unknown) => {
      const options = parseOptions(ApproveOptions, raw);
      const device = await withSyncSession(options, 'sync approve', (session) =>
        decideRegionDevice(session, {
          deviceId: options.device,
          decision: 'approve',
          ...(options.markets === undefined ? {} : { markets: options.markets }),
        }),
      );
      process.stdout.write(`${JSON.stringify(device)}\n`);
    });

  signInOptions(
    sync.command('revoke').description('revoke a device of the region at the hub, for good (operations admins)'),
  )
    .requiredOption('--device <id>', 'the device id, as `sync devices` lists it')
    .action(async (raw: unknown) => {
      const options = parseOptions(DeviceOptions, raw);
      const device = await withSyncSession(options, 'sync revoke', (session) =>
        decideRegionDevice(session, { deviceId: options.device, decision: 'revoke' }),
      );
      process.stdout.write(`${JSON.stringify(device)}\n`);
    });

  signInOptions(
    sync.command('status').description('enrolment, standing, last attempts, pending entries (JSON)'),
  ).action(async (raw: unknown) => {
    const options = parseOptions(Common, raw);
    const status = await withSyncSession(options, 'sync status', (session) => syncStatus(session));
    process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
  });
};
