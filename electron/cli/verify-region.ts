// `perimeter verify-region FILE`: verifies a region export (`perimeter hub export`, decision 0261) offline: exit 0
// verified, 1 a check failed (each problem named by file, origin and entry), 2 the file cannot be read as an export.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { unzipSync } from 'fflate';
import { verifyRegionExport } from '../../core/sync/region-verify.ts';
import { nodeSha256 } from '../services/audit/node-sha256.ts';
import { CliError, EXIT_INVALID, EXIT_UNUSABLE } from './exit.ts';

export const registerVerifyRegionCommand = (program: Command): void => {
  program
    .command('verify-region')
    .description('verify a region export (perimeter hub export): device logs, cosignatures and the hub log')
    .argument('<file>', 'the export zip')
    .action((file: string) => {
      let files: Record<string, Uint8Array>;
      try {
        files = unzipSync(new Uint8Array(readFileSync(file)));
      } catch (error) {
        throw new CliError(
          `${file}: not a readable zip: ${error instanceof Error ? error.message : String(error)}`,
          EXIT_UNUSABLE,
        );
      }
      const result = verifyRegionExport(new Map(Object.entries(files)), nodeSha256);
      if (result.region === null) throw new CliError(`${file}: ${result.problems.join('; ')}`, EXIT_UNUSABLE);
      if (!result.ok)
        throw new CliError(
          `${file}: region ${result.region}: NOT verified:\n${result.problems.map((p) => `  ${p}`).join('\n')}`,
          EXIT_INVALID,
        );
      process.stdout.write(
        `${file}: region ${result.region} verified: ${result.devices} device logs, ${result.entries} entries, hub log of ${result.hubLogSize} entries; every accepted checkpoint is in the hub log\n`,
      );
    });
};
