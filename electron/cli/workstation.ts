// `perimeter workstation init` and `perimeter leads import`: create an encrypted workstation and run intake into it.
// Passphrases come from the environment (PERIMETER_PASSPHRASE) so they never appear in shell history or `ps`.
import type { Command } from 'commander';
import * as z from 'zod';
import { formatLeadProblem, leadFileFormat, readLeadFileRecords } from '../services/leads/read-lead-file.ts';
import { formatPolicyProblem, loadPolicyFile } from '../services/policy/load-policy-file.ts';
import { passphraseProblem } from '../../core/access/passphrase.ts';
import { importLeads, prescreenWithOwn } from '../services/workstation/commands/intake.ts';
import type { IntakeScreening } from '../services/workstation/commands/intake.ts';
import { reEnrol, rotateDatabaseKey } from '../services/workstation/commands/key-rotation.ts';
import { setActive } from '../services/workstation/commands/deactivation.ts';
import { initialiseWorkstation } from '../services/workstation/session/workstation.ts';
import { leadNamed } from '../services/workstation/queries/queries.ts';
import {
  denialOf,
  recordAccessDenied,
  requirePermission,
  throughTheDoor,
} from '../services/workstation/session/access.ts';
import { signIn } from '../services/workstation/session/sign-in.ts';
import { createUser } from '../services/workstation/commands/users.ts';
import { RoleSchema } from '../../core/api/contract.ts';
import type { LeadScreener, Session } from '../services/workstation/session/workstation.ts';
import { loadLeadScreener, screenedWithOf } from '../services/workstation/commands/screener.ts';
import { activeVersions } from '../services/lists/store.ts';
import { startBatchScreener } from '../services/screening/batch.ts';
import { importLeadsPipelined } from '../services/workstation/commands/pipeline.ts';
import { CliError, cliErrorOf, EXIT_INVALID, EXIT_UNUSABLE } from './exit.ts';
import { parseOptions } from './options.ts';
import { cliWorkstationDeps } from './deps.ts';
import {
  approveErasureOverride,
  eraseLead,
  retentionReport,
  runRetention,
} from '../services/workstation/commands/erasure.ts';
import type { ErasureOutcome } from '../services/workstation/commands/erasure.ts';
import { importFactResults } from '../services/workstation/commands/lead-facts.ts';
import { readFileSync } from 'node:fs';

const passphrase = (variable: string): string => {
  const value = process.env[variable];
  if (!value) throw new CliError(`set the passphrase in the environment variable ${variable}`, EXIT_UNUSABLE);
  return value;
};

/** The one passphrase rule (core/access/passphrase.ts), checked before anything is opened or written. */
const checkNewPassphrase = (value: string, variable: string): string => {
  const problem = passphraseProblem(value);
  if (problem !== null) throw new CliError(`${variable}: ${problem}`, EXIT_UNUSABLE);
  return value;
};

const storeFailure = (error: unknown): never => {
  throw cliErrorOf(error) ?? error;
};

const InitOptions = z.object({
  db: z.string().min(1),
  user: z.string().regex(/^[a-z][a-z0-9._-]{1,40}$/, '--user is lower-case letters, digits, ".", "_" or "-"'),
  name: z.string().min(1),
  policy: z.string().min(1),
  logId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, '--log-id is 1 to 64 letters, digits, ".", "_" or "-"'),
  passphraseEnv: z.string().min(1),
  secondAdmin: z
    .string()
    .regex(/^[a-z][a-z0-9._-]{1,40}$/, '--second-admin is lower-case letters, digits, ".", "_" or "-"')
    .optional(),
  secondAdminName: z.string().min(1).optional(),
  secondAdminPassphraseEnv: z.string().min(1),
});

const UserId = z.string().regex(/^[a-z][a-z0-9._-]{1,40}$/, '--target is lower-case letters, digits, ".", "_" or "-"');
const CreateUserOptions = z.object({
  db: z.string().min(1),
  user: z.string().min(1),
  target: UserId,
  name: z.string().trim().min(1).max(200),
  roles: z
    .string()
    .transform((text) => text.split(',').map((role) => role.trim()))
    .pipe(z.array(RoleSchema).min(1)),
  markets: z
    .string()
    .transform((text) => text.split(',').map((market) => market.trim()))
    .pipe(z.array(z.string().min(1).max(64)).min(1)),
  passphraseEnv: z.string().min(1),
  initialPassphraseEnv: z.string().min(1),
});

const ImportOptions = z.object({
  db: z.string().min(1),
  user: z.string().min(1),
  mode: z.enum(['all', 'valid']),
  sourceSystem: z.string().min(1).max(64),
  lists: z.string().min(1).optional(),
  passphraseEnv: z.string().min(1),
});

const Reason = z.string().trim().min(5, '--reason needs at least 5 characters').max(2000);
const RotateOptions = z.object({
  db: z.string().min(1),
  user: z.string().min(1),
  reason: Reason,
  passphraseEnv: z.string().min(1),
});
const TargetOptions = RotateOptions.extend({
  target: z.string().min(1),
  initialPassphraseEnv: z.string().min(1).optional(),
});

/**
 * Signs the admin in (audited, decision 0132), runs one user-management command through the door (a refusal logged as
 * access.denied for `action`, decision 0130), prints its result as JSON and signs out.
 */
export const runAsAdmin = (
  options: { readonly db: string; readonly user: string; readonly passphraseEnv: string },
  action: string,
  run: (session: Session) => unknown,
  format: (result: unknown) => string = (result) => JSON.stringify(result),
): void => {
  const session = (() => {
    try {
      return signIn(
        { path: options.db, userId: options.user, passphrase: passphrase(options.passphraseEnv) },
        'cli',
        cliWorkstationDeps(),
      );
    } catch (error) {
      return storeFailure(error);
    }
  })();
  try {
    process.stdout.write(`${format(throughTheDoor(session, action, () => run(session)))}\n`);
  } catch (error) {
    storeFailure(error);
  } finally {
    session.workstation.close();
  }
};

/**
 * A command an operations admin runs on another user (--target) with a reason; with `initialPassphraseOf`, the target
 * also gets an initial passphrase from the environment (the one passphrase rule, core/access/passphrase.ts).
 */
const targetCommand = (
  parent: Command,
  spec: {
    readonly name: string;
    readonly description: string;
    readonly admin: string;
    readonly entry: string;
    readonly initialPassphraseOf?: string;
  },
  run: (session: Session, target: string, reason: string, initialPassphrase: string | null) => unknown,
): void => {
  const command = parent
    .command(spec.name)
    .description(spec.description)
    .requiredOption('--db <file>', 'the workstation database')
    .requiredOption('--user <id>', `the operations admin who ${spec.admin}`)
    .requiredOption('--target <id>', `the user to ${spec.name}`)
    .requiredOption('--reason <text>', `why (recorded in the ${spec.entry} audit entry)`)
    .option('--passphrase-env <name>', "environment variable holding the admin's passphrase", 'PERIMETER_PASSPHRASE');
  if (spec.initialPassphraseOf)
    command.option(
      '--initial-passphrase-env <name>',
      `environment variable holding the ${spec.initialPassphraseOf} user's initial passphrase`,
      'PERIMETER_INITIAL_PASSPHRASE',
    );
  command.action((raw: unknown) => {
    const options = parseOptions(TargetOptions, raw);
    const initial = options.initialPassphraseEnv === undefined ? null : passphrase(options.initialPassphraseEnv);
    if (initial !== null) checkNewPassphrase(initial, options.initialPassphraseEnv!);
    runAsAdmin(options, `workstation ${spec.name}`, (session) => run(session, options.target, options.reason, initial));
  });
};

export const registerWorkstationCommands = (program: Command): void => {
  const workstation = program
    .command('workstation')
    .description('create and maintain an encrypted workstation database');
  workstation
    .command('init')
    .description(
      'create the encrypted database, its audit log, the first user (operations admin + senior officer) and publish a policy',
    )
    .requiredOption('--db <file>', 'the database file to create (never overwritten)')
    .requiredOption('--user <id>', 'the first user id')
    .requiredOption('--name <name>', "the first user's name")
    .requiredOption('--policy <file>', 'the policy bundle to publish')
    .option('--log-id <id>', 'the audit log id of this device', 'workstation-1')
    .option('--passphrase-env <name>', 'environment variable holding the passphrase', 'PERIMETER_PASSPHRASE')
    .option(
      '--second-admin <id>',
      'a second operations admin, so meta-actions the policy puts under a second approval can be approved (decision 0160)',
    )
    .option('--second-admin-name <name>', "the second admin's name")
    .option(
      '--second-admin-passphrase-env <name>',
      "environment variable holding the second admin's passphrase",
      'PERIMETER_SECOND_ADMIN_PASSPHRASE',
    )
    .action(async (raw: unknown) => {
      const options = parseOptions(InitOptions, raw);
      if (options.secondAdmin !== undefined && options.secondAdminName === undefined)
        throw new CliError('option --second-admin-name: required with --second-admin', EXIT_UNUSABLE);
      const secondAdmin =
        options.secondAdmin === undefined
          ? undefined
          : {
              id: options.secondAdmin,
              name: options.secondAdminName!,
              passphrase: checkNewPassphrase(
                passphrase(options.secondAdminPassphraseEnv),
                options.secondAdminPassphraseEnv,
              ),
            };
      // The policy is checked first, as `policy check` does (file, line and path of each problem), before anything is
      // created.
      const policy = await loadPolicyFile(options.policy);
      if (!policy.ok)
        throw new CliError(
          formatPolicyProblem(policy.error),
          policy.error.kind === 'unreadable' ? EXIT_UNUSABLE : EXIT_INVALID,
        );
      const policyText = policy.value.text;
      try {
        const session = initialiseWorkstation(
          {
            path: options.db,
            logId: options.logId,
            admin: {
              id: options.user,
              name: options.name,
              passphrase: checkNewPassphrase(passphrase(options.passphraseEnv), options.passphraseEnv),
            },
            secondAdmin,
            policyText,
          },
          cliWorkstationDeps(),
        );
        const version = session.workstation.policy().loaded.version;
        session.workstation.close();
        process.stdout.write(
          `created ${options.db} (key slots in ${options.db}.keys.json); user ${options.user}${secondAdmin ? ` and second admin ${secondAdmin.id}` : ''}; policy ${version}\n`,
        );
      } catch (error) {
        storeFailure(error);
      }
    });

  workstation
    .command('rotate-key')
    .description(
      're-encrypt the database under a new random key (decision 0037): only --user keeps a key slot; every other user needs re-enrolment and the OS keychain slot is deleted',
    )
    .requiredOption('--db <file>', 'the workstation database')
    .requiredOption('--user <id>', 'the operations admin who rotates (keeps their slot and passphrase)')
    .requiredOption('--reason <text>', 'why (recorded in the store.rekeyed audit entry)')
    .option('--passphrase-env <name>', 'environment variable holding the passphrase', 'PERIMETER_PASSPHRASE')
    .action((raw: unknown) => {
      const options = parseOptions(RotateOptions, raw);
      const secret = passphrase(options.passphraseEnv);
      runAsAdmin(options, 'workstation rotate-key', (session) =>
        rotateDatabaseKey(session, { passphrase: secret, reason: options.reason }),
      );
    });

  workstation
    .command('create-user')
    .description(
      "add a user, or request it where the policy puts user.create under a second operations admin's approval (then `perimeter approvals approve`)",
    )
    .requiredOption('--db <file>', 'the workstation database')
    .requiredOption('--user <id>', 'the operations admin who adds (or requests) the user')
    .requiredOption('--target <id>', 'the new user id')
    .requiredOption('--name <name>', "the new user's name")
    .requiredOption(
      '--roles <list>',
      'comma-separated roles: compliance_officer, senior_officer, operations_admin, auditor, field_rep',
    )
    .requiredOption('--markets <list>', 'comma-separated markets, groups or jurisdictions of the policy, or *')
    .option('--passphrase-env <name>', "environment variable holding the admin's passphrase", 'PERIMETER_PASSPHRASE')
    .option(
      '--initial-passphrase-env <name>',
      "environment variable holding the new user's initial passphrase",
      'PERIMETER_INITIAL_PASSPHRASE',
    )
    .action((raw: unknown) => {
      const options = parseOptions(CreateUserOptions, raw);
      const initial = checkNewPassphrase(passphrase(options.initialPassphraseEnv), options.initialPassphraseEnv);
      runAsAdmin(options, 'workstation create-user', (session) =>
        createUser(session, {
          id: options.target,
          name: options.name,
          roles: options.roles,
          markets: options.markets,
          passphrase: initial,
        }),
      );
    });

  targetCommand(
    workstation,
    {
      name: 're-enrol',
      description:
        'give a user whose key slot a rotation dropped a new one, under an initial passphrase (decision 0037)',
      admin: 're-enrols',
      entry: 'permission.granted',
      initialPassphraseOf: 're-enrolled',
    },
    (session, userId, reason, initialPassphrase) =>
      reEnrol(session, { userId, initialPassphrase: initialPassphrase!, reason }),
  );
  targetCommand(
    workstation,
    {
      name: 'deactivate',
      description:
        'cut a leaver off (decision 0039): sign-in revoked and their claimed cases released in one audited command, then their key slots removed',
      admin: 'deactivates',
      entry: 'permission.revoked',
    },
    (session, userId, reason) => setActive(session, { userId, active: false, reason }),
  );
  targetCommand(
    workstation,
    {
      name: 'reactivate',
      description: 'let a deactivated user sign in again, under a new initial passphrase (decision 0039)',
      admin: 'reactivates',
      entry: 'permission.granted',
      initialPassphraseOf: 'reactivated',
    },
    (session, userId, reason, initialPassphrase) =>
      setActive(session, { userId, active: true, reason, initialPassphrase: initialPassphrase! }),
  );

  const leads = program.command('leads').description('lead intake and erasure');
  registerErasureCommands(program, leads);
  registerFactCommand(leads);
  leads
    .command('import')
    .description('tag, screen, route and persist leads from a CSV or JSONL file, opening cases for refusals')
    .argument('<file>', 'leads as .jsonl or .csv (docs/leads.md)')
    .requiredOption('--db <file>', 'the workstation database')
    .requiredOption('--user <id>', 'who imports (needs lead.create)')
    .option(
      '--mode <mode>',
      'all: the batch lands whole or not at all; valid: bad rows are reported and the rest land',
      'all',
    )
    .option(
      '--source-system <name>',
      'where the records come from; re-importing the same ids from it adds nothing',
      'file',
    )
    .option('--lists <dir>', 'screen against the active list versions in this directory (perimeter lists import)')
    .option('--passphrase-env <name>', 'environment variable holding the passphrase', 'PERIMETER_PASSPHRASE')
    .action(async (file: string, raw: unknown) => {
      const options = parseOptions(ImportOptions, raw);
      const format = leadFileFormat(file);
      if (!format) throw new CliError(`${file}: use a .jsonl or .csv file`, EXIT_UNUSABLE);
      // Every record is judged on its own: mode valid imports the good ones, mode all none if any is bad.
      const read = await readLeadFileRecords(file, format);
      if (read.kind === 'unusable') throw new CliError(formatLeadProblem(read.problem), EXIT_UNUSABLE);
      const { problems } = read.records;
      let records = options.mode === 'all' && problems.length > 0 ? [] : read.records.leads;
      let screener: LeadScreener | null = null;
      let session;
      try {
        session = signIn(
          { path: options.db, userId: options.user, passphrase: passphrase(options.passphraseEnv) },
          'cli',
          cliWorkstationDeps(),
        );
        // Refused before anything is screened or written: the door logs it (decision 0130).
        const signedInAs = session;
        throughTheDoor(signedInAs, 'leads import', () => requirePermission(signedInAs, 'lead.create', 'add leads'));
        // An all-or-nothing import is one transaction: its leads are screened before it (screening is pure), so the
        // write lock is held for the writing only (decision 0125). A "valid" import screens on a worker thread while
        // this one persists the previous chunk.
        if (options.lists && options.mode === 'all') {
          screener = await loadLeadScreener(options.lists);
          // Importing leads against an empty list directory is a mistake on the command line: say so.
          if (screener.listVersions.length === 0)
            throw new CliError(`${options.lists}: no lists imported; run perimeter lists import first`, EXIT_UNUSABLE);
        }
      } catch (error) {
        session?.workstation.close();
        storeFailure(error);
      }
      const signedIn = session!;
      const policy = signedIn.workstation.policy();
      const thresholds = policy.loaded.policy.screening;
      let screening: IntakeScreening = { kind: 'none' };
      if (screener) {
        const own = prescreenWithOwn(screener, records, new Date().toISOString(), policy);
        records = own.records;
        screening = { kind: 'prescreened', screenedWith: own.screenedWith };
      }
      try {
        const onProgress = (done: number, total: number): boolean =>
          process.stderr.write(`\rimported ${done}/${total}`);
        let result;
        if (options.lists && options.mode === 'valid') {
          const workers = await startBatchScreener(
            { dir: options.lists },
            { potential: thresholds.potentialMatchThreshold, strong: thresholds.strongMatchThreshold },
            { workers: 1, maxHits: 5 },
          );
          try {
            result = await importLeadsPipelined(signedIn, records, problems, workers, {
              sourceSystem: options.sourceSystem,
              onProgress,
              screenedWith: screenedWithOf(thresholds, await activeVersions(options.lists)),
            });
          } finally {
            await workers.close();
          }
        } else {
          result = importLeads(signedIn, records, problems, {
            sourceSystem: options.sourceSystem,
            mode: options.mode,
            onProgress,
            screening,
          });
        }
        if (records.length > 0) process.stderr.write('\n');
        for (const problem of result.rejected) process.stderr.write(`${formatLeadProblem({ ...problem, file })}\n`);
        process.stdout.write(
          `${JSON.stringify({ imported: result.imported, duplicates: result.duplicates, rejected: result.rejected.length, decisions: result.decisions, casesOpened: result.casesOpened })}\n`,
        );
        if (result.rejected.length > 0) process.exitCode = EXIT_INVALID;
      } catch (error) {
        // A refusal during the import (the user lost lead.create or was deactivated meanwhile) is logged like any.
        const denial = denialOf(error);
        if (denial !== null) recordAccessDenied(signedIn, 'leads import', denial);
        storeFailure(error);
      } finally {
        session!.workstation.close();
      }
    });
};

const SignInOptions = z.object({ db: z.string().min(1), user: z.string().min(1), passphraseEnv: z.string().min(1) });
const EraseOptions = SignInOptions.extend({ lead: z.string().min(1).max(100), reason: Reason, override: z.boolean() });
const ApproveOptions = SignInOptions.extend({ request: z.string().min(1).max(100), reason: Reason });

const signInOptions = (command: Command, who: string): Command =>
  command
    .requiredOption('--db <file>', 'the workstation database')
    .requiredOption('--user <id>', who)
    .option('--passphrase-env <name>', 'environment variable holding the passphrase', 'PERIMETER_PASSPHRASE');

// A refusal inside a required retention period is an answer, printed like the others, and exits 1 (README).
const printErasure = (outcome: ErasureOutcome): ErasureOutcome => {
  if (outcome.outcome === 'refused') {
    process.stderr.write(`lead ${outcome.leadId}: erasure refused: ${outcome.message}\n`);
    process.exitCode = EXIT_INVALID;
  }
  return outcome;
};

/** `perimeter leads facts FILE`: a result file of fact updates, all or nothing (docs/conduct.md, decision 0202). */
const registerFactCommand = (leads: Command): void => {
  signInOptions(
    leads
      .command('facts')
      .description(
        'apply a result file of lead fact updates (KYC, AML, suitability, customer type, address, consent), all or nothing',
      )
      .argument('<file>', 'the result file (JSON, format perimeter-lead-facts, docs/conduct.md)'),
    'a compliance or senior officer (lead.update_facts), or a rep for the contact facts of their own paths',
  ).action((file: string, raw: unknown) => {
    const options = parseOptions(SignInOptions, raw);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new CliError(`${file}: cannot read it: ${(error as Error).message}`, EXIT_UNUSABLE);
    }
    runAsAdmin(options, 'leads facts', (session) => importFactResults(session, file, text));
  });
};

/** `perimeter leads erase|approve-erasure` and `perimeter retention run|report` (docs/erasure.md, decision 0150). */
const registerErasureCommands = (program: Command, leads: Command): void => {
  signInOptions(
    leads
      .command('erase')
      .description(
        "erase a lead's personal data beside the log and in every projection (refused inside a required retention period)",
      ),
    'a senior officer (lead.erase) whose markets include the lead',
  )
    .requiredOption('--lead <id>', "the lead to erase: its internal id, or its source system's id for it")
    .requiredOption('--reason <text>', 'why: the request and its reference (kept beside the log)')
    .option('--override', 'inside a required retention period: request an override for a second senior officer', false)
    .action((raw: unknown) => {
      const options = parseOptions(EraseOptions, raw);
      runAsAdmin(options, 'leads erase', (session) =>
        printErasure(
          eraseLead(session, {
            leadId: leadNamed(session, options.lead),
            reason: options.reason,
            override: options.override,
          }),
        ),
      );
    });
  signInOptions(
    leads
      .command('approve-erasure')
      .description('approve another senior officer’s erasure override (four-eyes): the lead is erased at once'),
    'a senior officer other than the requester',
  )
    .requiredOption('--request <id>', 'the override request (EO-…)')
    .requiredOption('--reason <text>', 'why the override is right (kept beside the log)')
    .action((raw: unknown) => {
      const options = parseOptions(ApproveOptions, raw);
      runAsAdmin(options, 'leads approve-erasure', (session) =>
        printErasure(approveErasureOverride(session, { requestId: options.request, reason: options.reason })),
      );
    });

  const retention = program
    .command('retention')
    .description('retention per regime from the policy (it also runs by itself: at sign-in and daily in `serve`)');
  signInOptions(
    retention
      .command('run')
      .description('purge the personal data whose retention period has passed, now, with its projection copies'),
    'a senior officer of every market',
  ).action((raw: unknown) => {
    runAsAdmin(parseOptions(SignInOptions, raw), 'retention run', (session) => runRetention(session));
  });
  signInOptions(
    retention
      .command('report')
      .description('per regime: period, cut-off today, subjects held and expired; the last purges'),
    'a senior officer or an auditor',
  ).action((raw: unknown) => {
    runAsAdmin(parseOptions(SignInOptions, raw), 'retention report', (session) => retentionReport(session));
  });
};
