// `perimeter demo` (`npm run demo`): routes the example leads under the example policy and explains one decision.
import { join } from 'node:path';
import type { Command } from 'commander';
import { compilePolicy } from '../../core/routing/compile.ts';
import { explainDecision } from '../../core/routing/explain.ts';
import { emptyRoutingState, routeBatch } from '../../core/routing/route.ts';
import { traceNamesOf } from '../../core/routing/trace-names.ts';
import { formatLeadProblem, readLeadFile } from '../services/leads/read-lead-file.ts';
import { formatPolicyProblem, loadPolicyFile } from '../services/policy/load-policy-file.ts';
import { CliError, EXIT_INVALID } from './exit.ts';

const examples = join(import.meta.dirname, '..', '..', 'resources', 'examples');

export const registerDemoCommand = (program: Command): void => {
  program
    .command('demo')
    .description('route the example fintech leads under the example policy and explain the decisions')
    .option('--example <name>', 'fintech or bank-insurer', 'fintech')
    .option('--at <iso-time>', 'decision time (ISO 8601 UTC)', '2026-11-23T10:00:00Z')
    .action(async (options: { example: string; at: string }) => {
      const folder = join(examples, options.example);
      const loaded = await loadPolicyFile(join(folder, 'policy.yaml'));
      if (!loaded.ok) throw new CliError(formatPolicyProblem(loaded.error), EXIT_INVALID);
      const leads = await readLeadFile(join(folder, 'leads.jsonl'));
      if (!leads.ok) throw new CliError(leads.error.map(formatLeadProblem).join('\n'), EXIT_INVALID);
      const policy = compilePolicy(loaded.value.policy, loaded.value.version);
      const { decisions } = routeBatch(
        policy,
        leads.value.map((located) => located.lead),
        emptyRoutingState,
        options.at,
      );
      const out = (line = ''): boolean => process.stdout.write(`${line}\n`);
      out(`Perimeter routing demo: ${loaded.value.policy.name}`);
      out(`rule version ${loaded.value.version}, decisions at ${options.at}`);
      out();
      out(`${'lead'.padEnd(20)} ${'product'.padEnd(18)} ${'outcome'.padEnd(22)} where`);
      for (const decision of decisions) {
        const { outcome } = decision;
        const where =
          outcome.kind === 'assigned'
            ? `${outcome.entityId} / ${outcome.teamId} / ${outcome.repId}`
            : outcome.kind === 'refused'
              ? `${outcome.queue} (${outcome.reason})`
              : outcome.kind === 'held'
                ? `${outcome.teamId} (${outcome.reason})`
                : `${outcome.entityId}: ${outcome.teamIds.join(', ')}`;
        out(`${decision.leadId.padEnd(20)} ${decision.productId.padEnd(18)} ${outcome.kind.padEnd(22)} ${where}`);
      }
      const counts = new Map<string, number>();
      for (const decision of decisions) counts.set(decision.outcome.kind, (counts.get(decision.outcome.kind) ?? 0) + 1);
      out();
      out(`${decisions.length} decisions: ${[...counts].map(([kind, count]) => `${count} ${kind}`).join(', ')}`);
      const passported = decisions.find((decision) =>
        decision.trace.entities.some((entity) => entity.licences.some((licence) => licence.via === 'passport')),
      );
      if (passported) {
        out();
        out('One decision explained (perimeter route --explain shows any):');
        out(explainDecision(passported, traceNamesOf(loaded.value.policy)));
      }
      out();
      out(
        'Try: npm run perimeter -- route --policy resources/examples/fintech/policy.yaml --leads resources/examples/fintech/leads.jsonl --explain',
      );
    });
};
