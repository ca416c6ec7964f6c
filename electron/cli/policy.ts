// `perimeter policy check FILE` and `perimeter policy schema`: validate a bundle, or print its JSON Schema.
import type { Command } from 'commander';
import { policyJsonSchema } from '../../core/policy/json-schema.ts';
import { summarisePolicy } from '../../core/policy/summary.ts';
import { formatPolicyProblem, loadPolicyFile } from '../services/policy/load-policy-file.ts';
import { CliError, EXIT_INVALID, EXIT_UNUSABLE } from './exit.ts';

export const registerPolicyCommands = (program: Command): void => {
  const policy = program.command('policy').description('work with policy bundles (the licensing map)');
  policy
    .command('check')
    .argument('<file>', 'policy bundle, YAML or JSON')
    .option('--json', 'print the summary or the errors as JSON')
    .description('validate a bundle: print a summary, or every error with its path and line')
    .action(async (file: string, options: { json?: boolean }) => {
      const loaded = await loadPolicyFile(file);
      if (!loaded.ok) {
        if (options.json)
          process.stdout.write(`${JSON.stringify({ valid: false, file, problem: loaded.error }, null, 2)}\n`);
        throw new CliError(
          formatPolicyProblem(loaded.error),
          loaded.error.kind === 'unreadable' ? EXIT_UNUSABLE : EXIT_INVALID,
        );
      }
      const summary = summarisePolicy(loaded.value.policy, loaded.value.version);
      if (options.json) process.stdout.write(`${JSON.stringify({ valid: true, file, ...summary }, null, 2)}\n`);
      else process.stdout.write(`${file}: valid\n${summary.lines.join('\n')}\n`);
    });
  policy
    .command('schema')
    .description('print the JSON Schema of the policy bundle (generated from the same zod schema that validates it)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
    });
};
