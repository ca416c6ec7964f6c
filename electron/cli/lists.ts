// `perimeter lists import` and `perimeter lists show`: list versions in a list directory, with the diff of each import.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import * as z from 'zod';
import type { ListDiff } from '../../core/screening/diff.ts';
import { LIST_KINDS, LIST_SOURCES } from '../../core/screening/model.ts';
import type { ListVersion } from '../../core/screening/model.ts';
import { formatRejection } from '../services/lists/rejection.ts';
import { ListStoreError, activeVersions, importList } from '../services/lists/store.ts';
import { recordListImported, requireListImport } from '../services/workstation/commands/list-imports.ts';
import { runMonitoring } from '../services/workstation/commands/monitoring.ts';
import type { RunProgress } from '../services/workstation/commands/monitoring.ts';
import type { Session } from '../services/workstation/session/workstation.ts';
import { cliDoor, cliErrorOf, cliSignIn, PASSPHRASE_ENV } from './door.ts';
import { CliError, EXIT_INVALID, EXIT_UNUSABLE } from './exit.ts';

const ImportOptions = z.object({
  lists: z.string().min(1),
  source: z.enum(LIST_SOURCES, { message: `--source is one of ${LIST_SOURCES.join(', ')}` }),
  listId: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, '--list-id is lower-case letters, digits, dot, dash, underscore')
    .optional(),
  kind: z.enum(LIST_KINDS, { message: `--kind is one of ${LIST_KINDS.join(', ')}` }).optional(),
  json: z.boolean().optional(),
  db: z.string().min(1).optional(),
  user: z.string().min(1).optional(),
});
const ShowOptions = z.object({ lists: z.string().min(1), json: z.boolean().optional() });

const optionsOf = <T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> => {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new CliError(`option --${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, EXIT_UNUSABLE);
};

const SDN_SET = ['sdn.csv', 'alt.csv', 'add.csv', 'sdn_comments.csv'];

// A directory stands for the files of its set (the OFAC SDN CSV set), so `lists import … ofac-sdn-2021/` works.
const expandFiles = async (source: string, files: readonly string[]): Promise<string[]> => {
  const expanded: string[] = [];
  for (const file of files) {
    let info;
    try {
      info = await stat(file);
    } catch {
      throw new CliError(`${file}: no such file`, EXIT_UNUSABLE);
    }
    if (!info.isDirectory()) {
      expanded.push(file);
      continue;
    }
    const names = await readdir(file);
    const wanted =
      source === 'ofac-sdn-csv'
        ? names.filter((name) => SDN_SET.includes(name.toLowerCase()))
        : names.filter((name) => !name.startsWith('.'));
    if (wanted.length === 0) throw new CliError(`${file}: no files to import in this directory`, EXIT_UNUSABLE);
    expanded.push(...wanted.sort().map((name) => join(file, name)));
  }
  return expanded;
};

const countsText = (counts: Readonly<Record<string, number>>): string =>
  Object.entries(counts)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');

const diffText = (diff: ListDiff, limit = 10): string[] => {
  const lines = [
    diff.from === null
      ? `  first version: ${diff.added.length} entries`
      : `  since ${diff.from}: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed, ${diff.unchanged} unchanged`,
  ];
  if (diff.from === null) return lines;
  const show = (label: string, items: readonly { id: string; name: string; fields?: readonly string[] }[]): void => {
    if (items.length === 0) return;
    lines.push(`  ${label}:`);
    for (const item of items.slice(0, limit)) {
      lines.push(`    ${item.id}  ${item.name}${item.fields === undefined ? '' : `  (${item.fields.join(', ')})`}`);
    }
    if (items.length > limit) lines.push(`    … and ${items.length - limit} more (--json lists them all)`);
  };
  show('added', diff.added);
  show('removed', diff.removed);
  show('changed', diff.changed);
  return lines;
};

const versionText = (version: ListVersion): string[] => [
  `${version.listId}  version ${version.version}  (${version.source}${version.publishedAt === null ? '' : `, published ${version.publishedAt}`})`,
  `  sha256 ${version.contentSha256}`,
  `  imported ${version.importedAt}`,
  `  ${countsText(version.counts)}`,
];

const importInto = async (
  options: z.infer<typeof ImportOptions>,
  paths: readonly string[],
  session: Session | null,
): Promise<void> => {
  let previousActive: string | undefined;
  let outcome;
  try {
    outcome = await importList(options.lists, {
      source: options.source,
      files: paths,
      ...(options.listId === undefined ? {} : { listId: options.listId }),
      ...(options.kind === undefined ? {} : { kind: options.kind }),
      importedAt: new Date().toISOString(),
    });
    if (!outcome.ok) {
      const active = await activeVersions(options.lists).catch(() => []);
      previousActive = active.map((version) => `${version.listId} ${version.version}`).join(', ');
    }
  } catch (error) {
    if (error instanceof ListStoreError) throw new CliError(error.message, EXIT_UNUSABLE);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EACCES') {
      throw new CliError((error as Error).message, EXIT_UNUSABLE);
    }
    throw error;
  }
  if (!outcome.ok) {
    throw new CliError(
      `${formatRejection(outcome.error)}\nnothing imported; active versions unchanged${previousActive ? `: ${previousActive}` : ''}`,
      EXIT_INVALID,
    );
  }
  const { status, version, diff } = outcome.value;
  // The version is in the list directory now; the workstation's log records it (decision 0133), and a new version
  // starts the re-screening of the leads already there (decision 0193), carried out here before the command ends.
  const recorded = session ? cliDoor(session, 'lists import', () => recordListImported(session, outcome.value)) : null;
  const rescreen =
    session && recorded?.runId ? await rescreenWithProgress(session, recorded.runId, options.lists) : null;
  const sequence = recorded?.sequence ?? null;
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ status, version, previous: outcome.value.previous, diff, ...(sequence === null ? {} : { loggedAt: sequence }), ...(rescreen === null ? {} : { rescreen }) })}\n`,
    );
    return;
  }
  const lines = [
    status === 'unchanged' ? `unchanged: this content is already the active version` : 'imported and activated',
    ...versionText(version),
    ...(status === 'unchanged' ? [] : diffText(diff)),
    ...(sequence === null ? [] : [`  recorded in the workstation log as list.imported, entry ${sequence}`]),
    ...(rescreen === null ? [] : rescreenText(rescreen)),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
};

const count = (n: number): string => new Intl.NumberFormat('en-GB').format(n);

const counted = (n: number, one: string, many: string): string => `${count(n)} ${n === 1 ? one : many}`;

const rescreenText = (run: RunProgress): string[] => [
  `re-screened ${count(run.leads)} of ${counted(run.total, 'lead', 'leads')} against the ${count(run.added)} added and ${count(run.changed)} changed entries (run ${run.runId}${run.state === 'done' ? '' : `, stopped: ${run.stopReason ?? 'unknown'}`})`,
  `  ${counted(run.hits, 'new hit', 'new hits')} on ${counted(run.leadsWithHits, 'lead', 'leads')}, ${counted(run.casesOpened, 'case', 'cases')} opened, ${counted(run.suppressed, 'hit', 'hits')} on the allow-list not raised, ${counted(run.resolved, 'open hit', 'open hits')} resolved (entry removed)`,
];

/** Re-screens the leads as system:monitoring, with a progress line on stderr after each chunk. */
const rescreenWithProgress = async (session: Session, runId: string, listsDir: string): Promise<RunProgress> => {
  try {
    return await runMonitoring(session.workstation, runId, {
      listsDir,
      between: (progress) => {
        process.stderr.write(
          `re-screening ${progress.runId}: ${count(progress.leads)} of ${counted(progress.total, 'lead', 'leads')}, ${counted(progress.hits, 'new hit', 'new hits')}, ${counted(progress.casesOpened, 'case', 'cases')} opened\n`,
        );
      },
    });
  } catch (error) {
    throw cliErrorOf(error);
  }
};

export const registerListsCommands = (program: Command): void => {
  const lists = program.command('lists').description('sanctions, PEP, adverse-media and blocklist versions');

  lists
    .command('import')
    .description('import a list file set as a new version; prints the version and what changed since the last one')
    .requiredOption('--lists <dir>', 'list directory (created if missing)')
    .requiredOption('--source <kind>', `file format: ${LIST_SOURCES.join(', ')}`)
    .option('--list-id <id>', 'list id (default: from the source, e.g. ofac-sdn, un-sc-consolidated)')
    .option('--kind <kind>', `list kind for formats that do not say: ${LIST_KINDS.join(', ')}`)
    .option('--json', 'print the result as JSON')
    .option(
      '--db <file>',
      'also record the import in this workstation’s audit log (as --user, with lists.import) and re-screen its leads against what the new version adds or changes',
    )
    .option('--user <id>', `who imports, with --db (default: $PERIMETER_USER); passphrase from $${PASSPHRASE_ENV}`)
    .argument(
      '<files...>',
      'the files (or, for ofac-sdn-csv, the directory holding sdn.csv, alt.csv, add.csv, sdn_comments.csv)',
    )
    .action(async (files: string[], raw: unknown) => {
      const options = optionsOf(ImportOptions, raw);
      const paths = await expandFiles(options.source, files);
      // With a workstation, the user signs in and must hold lists.import before anything is imported.
      const session: Session | null = options.db === undefined ? null : cliSignIn(options.db, options.user);
      try {
        if (session) cliDoor(session, 'lists import', () => requireListImport(session));
        await importInto(options, paths, session);
      } finally {
        session?.workstation.close();
      }
    });

  lists
    .command('show')
    .description('the active version of each list, with counts and hashes')
    .requiredOption('--lists <dir>', 'list directory')
    .option('--json', 'print as JSON')
    .action(async (raw: unknown) => {
      const options = optionsOf(ShowOptions, raw);
      let active;
      try {
        active = await activeVersions(options.lists);
      } catch (error) {
        if (error instanceof ListStoreError) throw new CliError(error.message, EXIT_UNUSABLE);
        throw error;
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ lists: active })}\n`);
        return;
      }
      if (active.length === 0) {
        process.stdout.write(`no lists in ${options.lists}\n`);
        return;
      }
      process.stdout.write(`${active.flatMap((version) => versionText(version)).join('\n')}\n`);
    });
};
