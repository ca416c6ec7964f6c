// `perimeter screen`: screens every name of a CSV or JSON Lines file against the active lists; one JSON result a line.
import type { Command } from 'commander';
import * as z from 'zod';
import { REVIEW_QUEUE_BY_KIND, DEFAULT_THRESHOLDS } from '../../core/screening/routing-input.ts';
import { screenParty } from '../../core/screening/screen.ts';
import type { Hit, PartyResult, Thresholds } from '../../core/screening/screen.ts';
import { ListStoreError } from '../services/lists/store.ts';
import { startBatchScreener } from '../services/screening/batch.ts';
import { loadScreeningIndex } from '../services/screening/load.ts';
import { formatPartyProblem, readParties } from '../services/screening/read-parties.ts';
import { formatPolicyProblem, loadPolicyFile } from '../services/policy/load-policy-file.ts';
import { CliError, EXIT_INVALID, EXIT_UNUSABLE } from './exit.ts';

const Fraction = z.coerce
  .number({ message: 'a number between 0 and 1' })
  .min(0, 'a number between 0 and 1')
  .max(1, 'a number between 0 and 1');

const ScreenOptions = z.object({
  lists: z.string().min(1),
  input: z.string().min(1),
  policy: z.string().min(1).optional(),
  threshold: Fraction.optional(),
  strongThreshold: Fraction.optional(),
  explain: z.boolean().optional(),
  format: z.enum(['csv', 'jsonl']).optional(),
  list: z.array(z.string().min(1)).optional(),
  workers: z.coerce.number().int().min(1).max(64).optional(),
  maxHits: z.coerce.number().int().min(1).max(100).optional(),
});

/** Above this many names, screening spreads over worker threads unless --workers says otherwise. */
const WORKER_THRESHOLD = 2000;

const hitRecord = (hit: Hit, explain: boolean): Record<string, unknown> => ({
  listId: hit.listId,
  listVersion: hit.listVersion,
  listKind: hit.listKind,
  review: REVIEW_QUEUE_BY_KIND[hit.listKind],
  entryId: hit.entryId,
  entryName: hit.entryName,
  entryType: hit.entryType,
  matchedName: hit.matchedName,
  matchedNameRole: hit.matchedNameRole,
  weakAlias: hit.weakAlias,
  score: hit.score,
  strength: hit.strength,
  parts: {
    name: hit.explanation.nameScore,
    weakAlias: hit.explanation.weakAliasAdjustment,
    ...Object.fromEntries(hit.explanation.evidence.map((part) => [part.field, part.adjustment])),
  },
  matched: hit.explanation.alignments.map(
    (alignment) => `${alignment.query.join('+')}=${alignment.listed.join('+')} (${alignment.how})`,
  ),
  ...(hit.explanation.nameRules.length === 0
    ? {}
    : { nameRules: hit.explanation.nameRules.map((rule) => `${rule.rule} ${rule.adjustment}: ${rule.detail}`) }),
  ...(explain ? { explanation: hit.explanation } : {}),
});

export const registerScreenCommand = (program: Command): void => {
  program
    .command('screen')
    .description('screen names against the active lists; one JSON result per input row on stdout')
    .requiredOption('--lists <dir>', 'list directory (perimeter lists import)')
    .requiredOption('--input <file>', 'names as CSV with a header, or JSON Lines (see docs/screening.md)')
    .option('--policy <file>', "take the thresholds from this policy file's screening section, as intake does")
    .option('--threshold <x>', `potential-match threshold, 0..1 (default ${DEFAULT_THRESHOLDS.potential})`)
    .option('--strong-threshold <x>', `strong-match threshold, 0..1 (default ${DEFAULT_THRESHOLDS.strong})`)
    .option('--explain', 'include the full explanation of each hit (token alignment, score parts, evidence)')
    .option('--format <format>', 'input format when the extension does not say: csv or jsonl')
    .option('--list <id...>', 'screen against these lists only (default: every active list)')
    .option('--workers <n>', `worker threads (default: all cores above ${WORKER_THRESHOLD} names, else none)`)
    .option('--max-hits <n>', 'at most this many hits per name (default 10)')
    .action(async (raw: unknown) => {
      const parsed = ScreenOptions.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new CliError(`option --${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, EXIT_UNUSABLE);
      }
      const options = parsed.data;
      // One configuration (issue 16): with --policy the thresholds are the policy's, never a second source beside it.
      let fromPolicy: Thresholds | null = null;
      if (options.policy !== undefined) {
        if (options.threshold !== undefined || options.strongThreshold !== undefined)
          throw new CliError(
            '--policy gives the thresholds: leave out --threshold and --strong-threshold, or leave out --policy',
            EXIT_UNUSABLE,
          );
        const policy = await loadPolicyFile(options.policy);
        if (!policy.ok)
          throw new CliError(
            formatPolicyProblem(policy.error),
            policy.error.kind === 'unreadable' ? EXIT_UNUSABLE : EXIT_INVALID,
          );
        const { screening } = policy.value.policy;
        fromPolicy = { potential: screening.potentialMatchThreshold, strong: screening.strongMatchThreshold };
      }
      const thresholds: Thresholds = fromPolicy ?? {
        potential: options.threshold ?? DEFAULT_THRESHOLDS.potential,
        strong: options.strongThreshold ?? DEFAULT_THRESHOLDS.strong,
      };
      if (thresholds.potential >= thresholds.strong) {
        throw new CliError(
          `--threshold ${thresholds.potential} must be below the strong-match threshold ${thresholds.strong}`,
          EXIT_UNUSABLE,
        );
      }
      let rows;
      try {
        rows = await readParties(options.input, options.format);
      } catch (error) {
        throw new CliError(`${options.input}: ${(error as Error).message}`, EXIT_UNUSABLE);
      }
      if (!rows.ok) throw new CliError(rows.error.map(formatPartyProblem).join('\n'), EXIT_INVALID);
      const parties = rows.value.map((row) => row.party);
      const workers = options.workers ?? (parties.length > WORKER_THRESHOLD ? undefined : 1);
      const maxHits = options.maxHits ?? 10;
      const screenedAt = new Date().toISOString();

      let results: PartyResult[];
      let lists: { listId: string; version: string }[];
      try {
        const loaded = await loadScreeningIndex(options.lists, options.list);
        lists = loaded.snapshots.map((snapshot) => ({
          listId: snapshot.version.listId,
          version: snapshot.version.version,
        }));
        if (workers === 1) {
          results = parties.map((party) => screenParty(loaded.index, party, thresholds, { maxHits }));
        } else {
          const screener = await startBatchScreener(
            { dir: options.lists, ...(options.list === undefined ? {} : { listIds: options.list }) },
            thresholds,
            { ...(workers === undefined ? {} : { workers }), maxHits },
          );
          try {
            results = await screener.screen(parties);
          } finally {
            await screener.close();
          }
        }
      } catch (error) {
        if (error instanceof ListStoreError) throw new CliError(error.message, EXIT_UNUSABLE);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          throw new CliError((error as Error).message, EXIT_UNUSABLE);
        throw error;
      }

      const output = results.map((result, i) =>
        JSON.stringify({
          line: rows.value[i]!.line,
          ...(result.ref === undefined ? {} : { ref: result.ref }),
          name: result.name,
          party: result.party,
          outcome: result.outcome,
          hits: result.hits.map((hit) => hitRecord(hit, options.explain === true)),
          thresholds,
          lists,
          screenedAt,
        }),
      );
      process.stdout.write(`${output.join('\n')}\n`);
    });
};
