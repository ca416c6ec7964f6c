// `perimeter approvals list|approve|reject`: meta-actions awaiting a second operations admin (decisions 0160, 0161),
// through the same session-checked services as the workstation's "awaiting my approval".
import type { Command } from 'commander';
import * as z from 'zod';
import type { MetaRequestView } from '../services/workstation/commands/duties.ts';
import { approveRequest, listApprovals, rejectRequest } from '../services/workstation/commands/approvals.ts';
import { parseOptions } from './options.ts';
import { runAsAdmin } from './workstation.ts';

const AdminOptions = z.object({
  db: z.string().min(1),
  user: z.string().min(1),
  passphraseEnv: z.string().min(1),
});
const ListOptions = AdminOptions.extend({ all: z.boolean().optional(), json: z.boolean().optional() });
const RequestOptions = AdminOptions.extend({
  request: z.string().regex(/^MR-\d{1,12}$/, 'a request id such as MR-12'),
});
const RejectOptions = RequestOptions.extend({
  reason: z.string().trim().min(5, '--reason needs at least 5 characters').max(2000),
});

/** One line per request: id, status, what, who asked, and why the caller may not approve it. */
export const formatRequest = (request: MetaRequestView): string =>
  [
    `${request.id}  ${request.status}  ${request.summary}`,
    `  requested by ${request.requestedBy} at ${request.requestedAt}${request.reason ? `: ${request.reason}` : ''}`,
    ...(request.decidedBy ? [`  ${request.status} by ${request.decidedBy} at ${request.decidedAt}`] : []),
    ...(request.status === 'pending' && request.needsAnotherAdmin
      ? ['  needs a second operations admin: no other admin who is a different person can approve it']
      : request.status === 'pending' && !request.mayApprove
        ? [`  you cannot approve it: ${request.whyNot}`]
        : []),
  ].join('\n');

const common = (command: Command): Command =>
  command
    .requiredOption('--db <file>', 'the workstation database')
    .requiredOption('--user <id>', 'the operations admin signing in')
    .option('--passphrase-env <name>', 'environment variable holding the passphrase', 'PERIMETER_PASSPHRASE');

export const registerApprovalsCommands = (program: Command): void => {
  const approvals = program
    .command('approvals')
    .description(
      "meta-actions awaiting a second operations admin's approval (user creation, grants, reactivation, policy)",
    );
  common(approvals.command('list').description('the pending requests (--all: every request), newest first'))
    .option('--all', 'every request, decided ones too')
    .option('--json', 'print JSON instead of text')
    .action((raw: unknown) => {
      const options = parseOptions(ListOptions, raw);
      runAsAdmin(
        options,
        'approvals list',
        (session) => listApprovals(session, { status: options.all ? 'all' : 'pending' }),
        options.json
          ? undefined
          : (requests) =>
              (requests as MetaRequestView[]).length === 0
                ? 'no requests'
                : (requests as MetaRequestView[]).map(formatRequest).join('\n'),
      );
    });
  common(approvals.command('approve').description('approve a request: the change is applied in the same transaction'))
    .requiredOption('--request <id>', 'the request id (MR-…)')
    .action((raw: unknown) => {
      const options = parseOptions(RequestOptions, raw);
      runAsAdmin(options, 'approvals approve', (session) => approveRequest(session, options.request));
    });
  common(approvals.command('reject').description('reject a request (or withdraw your own) with a reason'))
    .requiredOption('--request <id>', 'the request id (MR-…)')
    .requiredOption('--reason <text>', 'why (kept as personal data beside the log)')
    .action((raw: unknown) => {
      const options = parseOptions(RejectOptions, raw);
      runAsAdmin(options, 'approvals reject', (session) => rejectRequest(session, options.request, options.reason));
    });
};
