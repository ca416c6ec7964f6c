// `perimeter route`: routes every product interest of every lead in a file and prints one decision per line.
import { decisionRowOf } from '../../core/routing/decision-row.ts';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import * as z from 'zod';
import { compilePolicy } from '../../core/routing/compile.ts';
import { explainDecision } from '../../core/routing/explain.ts';
import { emptyRoutingState, routeBatch } from '../../core/routing/route.ts';
import { traceNamesOf } from '../../core/routing/trace-names.ts';
import type { RoutingDecision, RoutingState } from '../../core/routing/route.ts';
import { allOrNothing, formatLeadProblem, readLeadFileRecords } from '../services/leads/read-lead-file.ts';
import { formatPolicyProblem, loadPolicyFile } from '../services/policy/load-policy-file.ts';
import { CliError, EXIT_INVALID, EXIT_UNUSABLE } from './exit.ts';

const RoutingStateSchema = z.strictObject({
  cursors: z.record(z.string(), z.number().int().nonnegative()),
  openAssignments: z.record(z.string(), z.number().int().nonnegative()),
});

const RouteOptions = z.object({
  policy: z.string().min(1),
  leads: z.string().min(1),
  state: z.string().min(1).optional(),
  at: z.iso.datetime({ message: '--at is an ISO 8601 UTC time such as 2026-11-23T10:00:00Z' }).optional(),
  explain: z.boolean().optional(),
  format: z.enum(['jsonl', 'csv']).optional(),
});

/** The flat, documented form of one decision on stdout (docs/leads.md). */
export const decisionRecord = (decision: RoutingDecision): Record<string, unknown> => {
  const { outcome } = decision;
  const row = decisionRowOf(decision);
  return {
    leadId: row.leadId,
    productId: row.productId,
    outcome: row.outcome,
    queue: row.queue,
    reason: row.reason,
    entity: row.entityId,
    team: row.teamId,
    // The teams a waiting path waits on (any of them freeing capacity lets it be assigned), in routing order.
    teams: outcome.kind === 'waiting_for_capacity' ? outcome.teamIds : null,
    rep: row.repId,
    licence: row.licenceId,
    ruleVersion: decision.ruleVersion,
    decidedAt: decision.decidedAt,
    notifications: decision.notifications,
    trace: decision.trace,
  };
};

const readState = async (file: string): Promise<RoutingState> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyRoutingState;
    throw new CliError(`${file}: cannot read the routing state: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file}: the routing state is not JSON: ${(error as Error).message}`);
  }
  const parsed = RoutingStateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(
      `${file}: field ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid routing state'}`,
    );
  }
  return parsed.data;
};

export const registerRouteCommand = (program: Command): void => {
  program
    .command('route')
    .description('route each product interest of each lead; one JSON decision per line on stdout')
    .requiredOption('--policy <file>', 'policy bundle (YAML or JSON)')
    .requiredOption('--leads <file>', 'leads as JSON Lines (.jsonl) or CSV (.csv), see docs/leads.md')
    .option(
      '--state <file>',
      'routing state (round-robin cursors, open assignments): read if present, written back after',
    )
    .option('--at <iso-time>', 'decision time, ISO 8601 UTC (default: now)')
    .option('--format <format>', 'lead file format when the extension does not say: jsonl or csv')
    .option('--explain', 'print each decision as readable text instead of JSON')
    .action(async (raw: unknown) => {
      const parsedOptions = RouteOptions.safeParse(raw);
      if (!parsedOptions.success) {
        const issue = parsedOptions.error.issues[0];
        throw new CliError(`option --${issue?.path.join('.')}: ${issue?.message}`, EXIT_UNUSABLE);
      }
      const options = parsedOptions.data;
      const loaded = await loadPolicyFile(options.policy);
      if (!loaded.ok)
        throw new CliError(
          formatPolicyProblem(loaded.error),
          loaded.error.kind === 'unreadable' ? EXIT_UNUSABLE : EXIT_INVALID,
        );
      const read = await readLeadFileRecords(options.leads, options.format);
      // A missing or unreadable file is unusable input (2); bad records are input read and judged (1).
      if (read.kind === 'unusable') throw new CliError(formatLeadProblem(read.problem), EXIT_UNUSABLE);
      const leads = allOrNothing(read.records);
      if (!leads.ok) throw new CliError(leads.error.map(formatLeadProblem).join('\n'), EXIT_INVALID);
      const state = options.state ? await readState(options.state) : emptyRoutingState;
      const at = options.at ?? new Date().toISOString();

      const policy = compilePolicy(loaded.value.policy, loaded.value.version);
      const result = routeBatch(
        policy,
        leads.value.map((located) => located.lead),
        state,
        at,
      );
      const names = options.explain ? traceNamesOf(loaded.value.policy) : undefined;
      const output = options.explain
        ? result.decisions.map((decision) => `${explainDecision(decision, names)}\n`).join('\n')
        : result.decisions.map((decision) => `${JSON.stringify(decisionRecord(decision))}\n`).join('');
      process.stdout.write(output);
      if (options.state) {
        const temporary = `${options.state}.${process.pid}.tmp`;
        await writeFile(temporary, `${JSON.stringify(result.state, null, 2)}\n`);
        await rename(temporary, options.state);
      }
    });
};
