// `perimeter cases conflict|resolve-conflict`: a sync conflict (decisions 0244, 0266-0268) read and resolved from the
// command line, through the same session-checked services as the workstation's conflict screen and the api
// (`cases.conflict`, `cases.resolveConflict`).
import type { Command } from 'commander';
import * as z from 'zod';
import { loadSyncConflict, resolveSyncConflict } from '../services/workstation/commands/sync-conflicts.ts';
import type { SyncConflict } from '../services/workstation/commands/sync-conflicts.ts';
import { parseOptions } from './options.ts';
import { runAsAdmin } from './workstation.ts';

const SessionOptions = z.object({
  db: z.string().min(1),
  user: z.string().min(1),
  passphraseEnv: z.string().min(1),
  conflict: z.string().regex(/^SC-.+-v\d{1,9}$/u, 'a sync conflict id such as SC-C-7KQ2M-1043-v0'),
});
const ShowOptions = SessionOptions.extend({ json: z.boolean().optional() });
const ResolveOptions = SessionOptions.extend({
  choose: z
    .string()
    .regex(/^.+#\d{1,15}$/u, 'the decision that stands, as <origin>#<sequence> (shown by `cases conflict`)')
    .optional(),
  reopen: z.boolean().optional(),
  reason: z.string().trim().min(5, '--reason needs at least 5 characters').max(2000),
  json: z.boolean().optional(),
}).refine((options) => (options.choose !== undefined) !== (options.reopen === true), {
  message: 'give exactly one of --choose <origin#seq> and --reopen',
  path: ['choose'],
});

/** The conflict in words: the case, each decision's entry (origin#seq, actor, time, version seen, reason), the outcome. */
export const formatConflict = (conflict: SyncConflict): string =>
  [
    `${conflict.id}  ${conflict.status}  case ${conflict.caseId} (lead ${conflict.leadId}), version ${conflict.seenVersion}: ${conflict.reason.replaceAll('_', ' ')}`,
    ...conflict.decisions.map(
      (decision) =>
        `  ${decision.origin}#${decision.seq}  ${decision.type} ${decision.decision ?? ''} by ${decision.actor.replace(/^user:/u, '')} at ${decision.time}, saw version ${decision.caseVersion ?? '?'}: ${decision.reason ?? ''}`,
    ),
    ...(conflict.status === 'resolved'
      ? [
          `  resolved by ${conflict.resolvedBy} at ${conflict.resolvedAt}: ${conflict.chosen ? `${conflict.chosen.origin}#${conflict.chosen.seq} stands` : 'reopened for a new decision'}`,
        ]
      : []),
    ...conflict.superseded.map(
      (lost) =>
        `  superseded: a later resolution by ${lost.by} at ${lost.at} (${lost.origin}#${lost.seq}) ${lost.chosen ? `chose ${lost.chosen.origin}#${lost.chosen.seq}` : 'reopened'}`,
    ),
    ...conflict.followUps.map(
      (followUp) => `  after it on the lead: ${followUp.type} by ${followUp.actor} at ${followUp.time} (kept)`,
    ),
  ].join('\n');

const common = (command: Command): Command =>
  command
    .requiredOption('--db <file>', 'the workstation database')
    .requiredOption('--user <id>', 'the user signing in')
    .option('--passphrase-env <name>', 'environment variable holding the passphrase', 'PERIMETER_PASSPHRASE')
    .requiredOption('--conflict <id>', 'the sync conflict id (SC-<case>-v<version>)')
    .option('--json', 'print JSON instead of text');

export const registerCasesCommands = (program: Command): void => {
  const cases = program.command('cases').description('review cases: sync conflicts between devices');
  common(cases.command('conflict').description('show a sync conflict: both decisions with their entries')).action(
    (raw: unknown) => {
      const options = parseOptions(ShowOptions, raw);
      runAsAdmin(
        options,
        'cases conflict',
        (session) => loadSyncConflict(session, options.conflict),
        options.json ? undefined : (conflict) => formatConflict(conflict as SyncConflict),
      );
    },
  );
  common(
    cases
      .command('resolve-conflict')
      .description('resolve a sync conflict (senior officers): one decision stands, or the case reopens'),
  )
    .option('--choose <origin#seq>', 'the decision that stands, by its entry')
    .option('--reopen', 'no decision stands: the case is open again for a new decision')
    .requiredOption('--reason <text>', 'why (kept as personal data beside the log)')
    .action((raw: unknown) => {
      const options = parseOptions(ResolveOptions, raw);
      const chosen =
        options.choose === undefined
          ? null
          : {
              origin: options.choose.slice(0, options.choose.lastIndexOf('#')),
              seq: Number(options.choose.slice(options.choose.lastIndexOf('#') + 1)),
            };
      runAsAdmin(
        options,
        'cases resolve-conflict',
        (session) => resolveSyncConflict(session, options.conflict, { chosen, reason: options.reason }),
        options.json ? undefined : (conflict) => formatConflict(conflict as SyncConflict),
      );
    });
};
