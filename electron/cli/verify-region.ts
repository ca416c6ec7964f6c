// `perimeter verify-region FILE`: verifies a region export (`perimeter hub export`, decision 0261) offline: exit 0
// verified, 1 a check failed (each problem named by file, origin and entry), 2 the file cannot be read as an export.
// A fork the export proves is printed and leaves the exit code at 0 unless `--fail-on-fork` (decision 0275).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { verifyRegionExportZip } from '../../core/sync/region-verify.ts';
import type { RegionFork } from '../../core/sync/region-verify.ts';
import { nodeSha256 } from '../services/audit/node-sha256.ts';
import { CliError, EXIT_INVALID, EXIT_UNUSABLE } from './exit.ts';

const forkLine = (fork: RegionFork): string =>
  `  FORK: device ${fork.device} (origin ${fork.origin}) signed a checkpoint of size ${fork.conflictingSize} (root ${
    fork.conflictingRoot
  }) ${
    fork.sameSize
      ? `beside the accepted one of the same size (root ${fork.acceptedRoot})`
      : `that is not its mirrored log at that size (accepted: size ${fork.acceptedSize})`
  }; recorded ${fork.recordedAt}; evidence in ${fork.file}\n`;

export const registerVerifyRegionCommand = (program: Command): void => {
  program
    .command('verify-region')
    .description('verify a region export (perimeter hub export): device logs, cosignatures and the hub log')
    .argument('<file>', 'the export zip')
    .option('--fail-on-fork', 'exit 1 when the export proves a fork (by default a fork is reported, exit 0)')
    .action((file: string, options: { failOnFork?: boolean }) => {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(readFileSync(file));
      } catch (error) {
        throw new CliError(`${file}: ${error instanceof Error ? error.message : String(error)}`, EXIT_UNUSABLE);
      }
      const verified = verifyRegionExportZip(bytes, nodeSha256);
      if (verified.kind === 'unusable') throw new CliError(`${file}: ${verified.error}`, EXIT_UNUSABLE);
      const result = verified.result;
      if (!result.ok)
        throw new CliError(
          `${file}: region ${result.region}: NOT verified:\n${result.problems.map((p) => `  ${p}`).join('\n')}`,
          EXIT_INVALID,
        );
      const forks = result.forks.length;
      process.stdout.write(
        `${file}: region ${result.region} verified: ${result.devices} device logs, ${result.entries} entries, hub log of ${result.hubLogSize} entries; every accepted checkpoint is in the hub log${
          forks > 0 ? `; ${forks} fork${forks === 1 ? '' : 's'} recorded, with both signed checkpoints` : ''
        }\n`,
      );
      for (const fork of result.forks) process.stdout.write(forkLine(fork));
      if (forks > 0 && options.failOnFork)
        throw new CliError(
          `${file}: region ${result.region}: ${forks} fork(s) recorded (--fail-on-fork)`,
          EXIT_INVALID,
        );
    });
};
