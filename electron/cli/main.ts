// The `perimeter` command: parses arguments and hands each subcommand to its module. No logic lives here.
import { Command, CommanderError } from 'commander';
import { cliErrorOf, EXIT_UNUSABLE } from './exit.ts';
import { setWriteLockCommand } from '../services/store/write-lock.ts';
import { registerPolicyCommands } from './policy.ts';
import { registerRouteCommand } from './route.ts';
import { registerDemoCommand } from './demo.ts';
import { registerAuditCommands } from './audit.ts';
import { registerListsCommands } from './lists.ts';
import { registerScreenCommand } from './screen.ts';
import { registerWorkstationCommands } from './workstation.ts';
import { registerApprovalsCommands } from './approvals.ts';
import { registerCasesCommands } from './cases.ts';
import { registerServeCommand } from './serve.ts';
import { registerKycCommands } from './kyc.ts';
import { registerSyncCommands } from './sync.ts';
import { registerDistributionCommands } from './distribution.ts';
import { registerVerifyRegionCommand } from './verify-region.ts';

const program = new Command('perimeter')
  .description('Perimeter: licensing-aware routing, screening and a verifiable audit log for regulated firms')
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) })
  // A write-lock owner record names the command (`perimeter leads import`), never its arguments (file names).
  .hook('preAction', (_program, action) => {
    const names: string[] = [];
    for (let command: Command | null = action; command !== null; command = command.parent)
      names.unshift(command.name());
    setWriteLockCommand(names.join(' '));
  });

registerPolicyCommands(program);
registerRouteCommand(program);
registerDemoCommand(program);
registerAuditCommands(program);
registerListsCommands(program);
registerScreenCommand(program);
registerWorkstationCommands(program);
registerApprovalsCommands(program);
registerCasesCommands(program);
registerServeCommand(program);
registerKycCommands(program);
registerSyncCommands(program);
registerDistributionCommands(program);
registerVerifyRegionCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_UNUSABLE;
  } else if (cliErrorOf(error)) {
    // Failures a user can cause carry their own message (naming the file): never a stack trace.
    const known = cliErrorOf(error)!;
    process.stderr.write(`perimeter: ${known.message}\n`);
    process.exitCode = known.exitCode;
  } else {
    process.stderr.write(
      `perimeter: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = EXIT_UNUSABLE;
  }
}
