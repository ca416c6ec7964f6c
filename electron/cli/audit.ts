// `perimeter audit …`: verify, export, prove and check proofs, compare exports, and run the log (keys, erasure).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import type { Command } from 'commander';
import * as z from 'zod';
import { bytesToBase64 } from '../../core/audit/bytes.ts';
import { auditBundleJsonSchemas } from '../../core/audit/json-schemas.ts';
import { inclusionProof } from '../../core/audit/merkle.ts';
import { formatTlogProof, verifyTlogProof } from '../../core/audit/tlog-proof.ts';
import { parseTrustedKeys } from '../../core/audit/verify.ts';
import type { AuditVerification } from '../../core/audit/verify.ts';
import {
  checkExportConsistency,
  describeFailure,
  parseTrustedKeyText,
  verifyUnzippedBundle,
} from '../../core/audit/verify-export.ts';
import type { VerifiedExport } from '../../core/audit/verify-export.ts';
import type { NoteVerifierKey } from '../../core/audit/note.ts';
import { nodeSha256 } from '../services/audit/node-sha256.ts';
import { readBundleVerifyingEarly } from '../services/audit/early-verify.ts';
import { buildCsv } from '../../core/audit/bundle-assemble.ts';
import {
  eraseDataSubject,
  exportLogBundle,
  logSigningKeys,
  rotateLogKey,
  signLogCheckpoint,
} from '../services/workstation/commands/audit-admin.ts';
import { PASSPHRASE_ENV, USER_ENV, withCliSession } from './door.ts';
import { CliError, EXIT_INVALID, EXIT_OK, EXIT_UNUSABLE } from './exit.ts';
import { runRetention } from '../services/workstation/commands/erasure.ts';

const out = (text: string): void => {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
};

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Validates a command's options with zod; the error names the option. */
const parseOptions = <T extends z.ZodType>(schema: T, options: unknown): z.infer<T> => {
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`option --${String(issue?.path[0] ?? '?')}: ${issue?.message ?? 'invalid'}`, EXIT_UNUSABLE);
  }
  return parsed.data;
};

const EntryNumber = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

// --- trusted keys -------------------------------------------------------------------------------------------------

/** A --key value is a note verifier key, or a file with one per line ("#" starts a comment). */
const loadTrustedKeys = (values: readonly string[]): NoteVerifierKey[] => {
  const keys: NoteVerifierKey[] = [];
  for (const value of values) {
    if (value.includes('+') && !existsSync(value)) {
      const parsed = parseTrustedKeys([value.trim()], nodeSha256);
      if (!parsed.ok) throw new CliError(`--key: not a note verifier key: ${parsed.error}`, EXIT_UNUSABLE);
      keys.push(...parsed.value);
      continue;
    }
    if (!existsSync(value))
      throw new CliError(`--key ${value}: neither a verifier key nor a readable file`, EXIT_UNUSABLE);
    const parsed = parseTrustedKeyText(readFileSync(value, 'utf8'), nodeSha256);
    if (!parsed.ok)
      throw new CliError(`${value} line ${parsed.line}: not a note verifier key: ${parsed.error}`, EXIT_UNUSABLE);
    keys.push(...parsed.value);
  }
  return keys;
};

// --- bundles --------------------------------------------------------------------------------------------------

// Worker threads pay off only with a core to run on: when the machine's load already fills every core, the verifier
// stays on this thread (measured with chunked workers at a load of 8 to 10 on 2 cores: 17.2 and 21.4 s on one thread
// against 20.4 and 23.9 s with a worker; decision 0191). `--threads 0` forces one thread, `--threads 1` the workers.
const useWorkers = (threads: 'auto' | number): boolean =>
  threads === 'auto' ? loadavg()[0]! < availableParallelism() : threads > 0;

const verifyBundlePath = async (
  path: string,
  options: {
    readonly keys: readonly NoteVerifierKey[];
    readonly known: readonly string[];
    readonly threads?: 'auto' | number;
  },
): Promise<VerifiedExport> => {
  // Worker threads examine and hash chunks of lines while the zip still inflates (decision 0287), then with this
  // thread, which also judges every line in order (the same bytes, the same core functions).
  const { read, parallel } = await readBundleVerifyingEarly(path, {
    ...(useWorkers(options.threads ?? 'auto') ? {} : { workers: 0 }),
  });
  let verified: ReturnType<typeof verifyUnzippedBundle>;
  try {
    if (!read.ok) throw new CliError(read.error, EXIT_UNUSABLE);
    const knownCheckpoints = options.known.map((file) => {
      try {
        return new Uint8Array(readFileSync(file));
      } catch (error) {
        throw new CliError(`--known ${file}: ${error instanceof Error ? error.message : String(error)}`, EXIT_UNUSABLE);
      }
    });
    verified = verifyUnzippedBundle(read.value, {
      sha256: nodeSha256,
      trustedKeys: options.keys,
      knownCheckpoints,
      ...(parallel
        ? {
            merkle: parallel.merkle,
            lines: parallel.lines,
            ...(parallel.lineBounds ? { lineBounds: parallel.lineBounds } : {}),
          }
        : {}),
    });
  } finally {
    await parallel?.close();
  }
  if (!verified.ok) throw new CliError(`${path}: ${verified.error}`, EXIT_UNUSABLE);
  // A known checkpoint that no key vouches for (or of another log) says nothing about this bundle: the option is wrong.
  verified.value.report.known.forEach((known, index) => {
    if (known.outcome === 'not-used')
      throw new CliError(`--known ${options.known[index]}: ${known.problem ?? 'not usable'}`, EXIT_UNUSABLE);
  });
  return verified.value;
};

/** How a --known checkpoint was checked: whose signature vouches for it, and what it says about the bundle. */
const describeKnown = (known: AuditVerification['known'][number], file: string | undefined): string => {
  const signedBy =
    known.signature === 'trusted'
      ? `signature verified with trusted key ${known.signedBy.join(', ')}`
      : `signature verified only with key ${known.signedBy.join(', ')} that this log announced (integrity only: pass --key)`;
  const outcome =
    known.outcome === 'consistent'
      ? 'consistent with this bundle'
      : known.outcome === 'rollback'
        ? 'ROLLBACK: the bundle ends before it'
        : known.outcome === 'fork'
          ? 'FORK: the bundle has another root at its size'
          : `not used: ${known.problem ?? ''}`;
  return `known checkpoint ${file ?? known.label} (size ${known.size ?? '?'}): ${signedBy}; ${outcome}`;
};

const printReport = (path: string, report: AuditVerification, knownFiles: readonly string[] = []): void => {
  const { summary } = report;
  const lines: string[] = [];
  lines.push(report.verdict === 'valid' ? `${path}: VALID` : `${path}: INVALID`);
  if (report.firstFailure) lines.push(`first failure: ${describeFailure(report.firstFailure)}`);
  lines.push(report.trustNote);
  report.known.forEach((known, index) => lines.push(describeKnown(known, knownFiles[index])));
  lines.push(`log: ${summary.logId ?? '?'} (origin ${summary.origin ?? '?'})`);
  lines.push(
    `entries: ${summary.entries}${summary.firstTime ? ` from ${summary.firstTime} to ${summary.lastTime}` : ''}`,
  );
  const counts = Object.entries(summary.eventCounts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, count]) => `${type} ${count}`);
  if (counts.length) lines.push(`events: ${counts.join(', ')}`);
  const last = summary.checkpoints.at(-1);
  lines.push(
    `checkpoints: ${summary.checkpoints.length}${last ? ` (last: size ${last.size}, root ${last.root}, signed by ${last.signedBy.join(', ') || 'nobody valid'})` : ''}`,
  );
  for (const key of summary.keys)
    lines.push(
      `key ${key.keyId}: valid ${key.validFrom} to ${key.validUntil}, announced at entry ${key.announcedAt}${key.retiredAt !== null ? `, retired at entry ${key.retiredAt}` : ', active'}${key.trusted ? ', trusted (--key)' : key.endorsed ? ', endorsed by a trusted key' : ''}`,
    );
  if (summary.personalData.included)
    lines.push(
      `personal data: ${summary.personalData.present} held, ${summary.personalData.erased} erased (tombstones)`,
    );
  if (report.failureCount > 1) {
    lines.push(
      `failures: ${report.failureCount}${report.failures.length < report.failureCount ? ` (first ${report.failures.length} shown)` : ''}`,
    );
    for (const failure of report.failures) lines.push(`  ${describeFailure(failure)}`);
  }
  out(lines.join('\n'));
};

// --- databases ----------------------------------------------------------------------------------------------------

const DbOptions = z.object({
  db: z.string().min(1, 'the database file is required'),
  user: z.string().min(1).optional(),
});

// --- registration ---------------------------------------------------------------------------------------------

export const registerAuditCommands = (program: Command): void => {
  const audit = program
    .command('audit')
    .description('the tamper-evident audit log: verify exports, export, prove, manage');

  audit
    .command('verify')
    .argument('<bundle>', 'an export bundle (.zip) or a directory with its files')
    .option('--key <key>', 'a trusted log key (note verifier key) or a file of them; repeatable', collect, [])
    .option('--known <checkpoint>', 'a signed checkpoint of this log seen before; repeatable', collect, [])
    .option('--json', 'print the full report as JSON')
    .option(
      '--threads <mode>',
      'auto (worker threads unless the load already fills every core), 0 (this thread only) or 1 (worker threads)',
      'auto',
    )
    .description('verify an export: exit 0 valid, 1 invalid, 2 unusable input')
    .action(async (bundle: string, raw: unknown) => {
      const options = parseOptions(
        z.object({
          key: z.array(z.string()),
          known: z.array(z.string()),
          json: z.boolean().optional(),
          threads: z.union([z.literal('auto'), z.enum(['0', '1']).transform(Number)]),
        }),
        raw,
      );
      const { report } = await verifyBundlePath(bundle, {
        keys: loadTrustedKeys(options.key),
        known: options.known,
        threads: options.threads,
      });
      if (options.json) out(JSON.stringify({ bundle, ...report }, null, 2));
      else printReport(bundle, report, options.known);
      process.exitCode = report.verdict === 'valid' ? EXIT_OK : EXIT_INVALID;
    });

  audit
    .command('export')
    .requiredOption('--db <file>', 'the encrypted database')
    .requiredOption('--out <file>', 'the bundle to write (.zip); an existing file is not overwritten')
    .option('--user <name>', `who signs in (default: $${USER_ENV}); passphrase from $${PASSPHRASE_ENV}`)
    .option('--personal-data', 'include personal data (data and salts that open the commitments)')
    .option('--csv', 'include entries.csv, the spreadsheet view (left out by default: `audit csv` derives it)')
    .description('export the audit log as one bundle file; the export is itself logged')
    .action((raw: unknown) => {
      const options = parseOptions(
        DbOptions.extend({ out: z.string().min(1), personalData: z.boolean().optional(), csv: z.boolean().optional() }),
        raw,
      );
      if (existsSync(options.out))
        throw new CliError(`${options.out} exists already; choose another --out`, EXIT_UNUSABLE);
      const result = withCliSession(options, 'audit export', (session) =>
        exportLogBundle(session, { includePersonalData: options.personalData ?? false, csv: options.csv ?? false }),
      );
      writeFileSync(options.out, result.zip, { flag: 'wx', mode: 0o600 });
      out(`${options.out}: ${result.entries} entries (the last, ${result.exportSequence}, records this export)`);
    });

  audit
    .command('csv')
    .argument('<bundle>', 'an export bundle (.zip) or a directory with its files')
    .requiredOption('--out <file>', 'the CSV file to write; an existing file is not overwritten')
    .option('--key <key>', 'a trusted log key (note verifier key) or a file of them; repeatable', collect, [])
    .description(
      'verify a bundle, then write entries.csv, its spreadsheet view (the same bytes an export with --csv carries)',
    )
    .action(async (bundle: string, raw: unknown) => {
      const options = parseOptions(z.object({ out: z.string().min(1), key: z.array(z.string()) }), raw);
      if (existsSync(options.out))
        throw new CliError(`${options.out} exists already; choose another --out`, EXIT_UNUSABLE);
      const { report, log } = await verifyBundlePath(bundle, { keys: loadTrustedKeys(options.key), known: [] });
      if (report.verdict !== 'valid')
        throw new CliError(
          `${bundle} does not verify (${report.firstFailure ? describeFailure(report.firstFailure) : 'invalid'}): no CSV from it`,
          EXIT_INVALID,
        );
      const count = log.checkpoints.at(-1)?.body.size ?? 0;
      const entries = Array.from({ length: count }, (_, index) => log.entryBytes(index));
      writeFileSync(options.out, buildCsv(entries), { flag: 'wx', mode: 0o600 });
      out(`${options.out}: ${count} entries as CSV, from a bundle that verifies`);
    });

  audit
    .command('prove')
    .argument('<bundle>', 'an export bundle')
    .requiredOption('--entry <n>', 'the sequence number of the entry')
    .option('--out <file>', 'write the proof here instead of standard output')
    .description('write a C2SP tlog-proof that one entry is in the log, checkable against the checkpoint it carries')
    .action(async (bundle: string, raw: unknown) => {
      const options = parseOptions(z.object({ entry: EntryNumber, out: z.string().optional() }), raw);
      const { report, log } = await verifyBundlePath(bundle, { keys: [], known: [] });
      if (report.verdict !== 'valid')
        throw new CliError(
          `${bundle} does not verify (${report.firstFailure ? describeFailure(report.firstFailure) : 'invalid'}): no proof from it`,
          EXIT_INVALID,
        );
      const checkpoint = log.checkpoints.at(-1);
      if (!checkpoint) throw new CliError(`${bundle} has no checkpoint`, EXIT_INVALID);
      if (options.entry >= checkpoint.body.size)
        throw new CliError(
          `--entry ${options.entry}: the log has entries 0 to ${checkpoint.body.size - 1}`,
          EXIT_UNUSABLE,
        );
      const proof = formatTlogProof({
        extra: log.entryBytes(options.entry),
        index: options.entry,
        proof: inclusionProof(log.tree.read, nodeSha256, options.entry, checkpoint.body.size),
        checkpoint: checkpoint.note,
      });
      if (options.out) {
        writeFileSync(options.out, proof, { flag: 'wx' });
        out(`${options.out}: entry ${options.entry} in the tree of size ${checkpoint.body.size}`);
      } else process.stdout.write(proof);
    });

  audit
    .command('verify-proof')
    .argument('<proof>', 'a .tlog-proof file written by prove')
    .option('--key <key>', 'a trusted log key or a file of them; repeatable', collect, [])
    .option('--json', 'print the result as JSON')
    .description('check an inclusion proof (exit 0 valid, 1 invalid, 2 unusable)')
    .action((proofFile: string, raw: unknown) => {
      const options = parseOptions(z.object({ key: z.array(z.string()), json: z.boolean().optional() }), raw);
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(readFileSync(proofFile));
      } catch (error) {
        throw new CliError(`${proofFile}: ${error instanceof Error ? error.message : String(error)}`, EXIT_UNUSABLE);
      }
      const keys = loadTrustedKeys(options.key);
      const check = verifyTlogProof(bytes, { sha256: nodeSha256, keys });
      const trust =
        check.signature === 'verified'
          ? 'checkpoint signed by a trusted key'
          : 'integrity only: no --key given, the checkpoint signature was not checked';
      if (options.json)
        out(
          JSON.stringify(
            {
              proof: proofFile,
              ...check,
              checkpoint: check.checkpoint && { ...check.checkpoint, root: bytesToBase64(check.checkpoint.root) },
            },
            null,
            2,
          ),
        );
      else out(`${proofFile}: ${check.ok ? 'VALID' : 'INVALID'}: ${check.reason}${check.ok ? `\n${trust}` : ''}`);
      process.exitCode = check.ok ? EXIT_OK : EXIT_INVALID;
    });

  audit
    .command('consistency')
    .argument('<old>', 'an earlier export of the log')
    .argument('<new>', 'a later export of the same log')
    .option('--key <key>', 'a trusted log key or a file of them; repeatable', collect, [])
    .option('--json', 'print the result as JSON')
    .description('check that the new export extends the old one: same entries, consistent checkpoints')
    .action(async (oldPath: string, newPath: string, raw: unknown) => {
      const options = parseOptions(z.object({ key: z.array(z.string()), json: z.boolean().optional() }), raw);
      const keys = loadTrustedKeys(options.key);
      const result = checkExportConsistency(
        { label: oldPath, verified: await verifyBundlePath(oldPath, { keys, known: [] }) },
        { label: newPath, verified: await verifyBundlePath(newPath, { keys, known: [] }) },
        nodeSha256,
      );
      const { problems, proof } = result;
      if (options.json) out(JSON.stringify(result, null, 2));
      else
        out(
          problems.length === 0
            ? `CONSISTENT: ${newPath} (size ${result.new.size}) extends ${oldPath} (size ${result.old.size}); consistency proof of ${proof.length} hashes verified\n${result.trust}`
            : `INCONSISTENT:\n${problems.map((problem) => `  ${problem}`).join('\n')}`,
        );
      process.exitCode = problems.length === 0 ? EXIT_OK : EXIT_INVALID;
    });

  audit
    .command('schema')
    .argument('[name]', 'entry, manifest, keys or personal-data (default: all, keyed by file name)')
    .description('print the JSON Schemas of the export bundle (generated from the zod schemas that validate it)')
    .action((name?: string) => {
      const schemas = auditBundleJsonSchemas();
      if (!name) return out(JSON.stringify(schemas, null, 2));
      const schema = schemas[`schema/${name}.schema.json`];
      if (!schema)
        throw new CliError(
          `no schema ${JSON.stringify(name)}: choose entry, manifest, keys or personal-data`,
          EXIT_UNUSABLE,
        );
      out(JSON.stringify(schema, null, 2));
    });

  audit
    .command('keys')
    .requiredOption('--db <file>', 'the encrypted database')
    .option('--user <name>', `who signs in (default: $${USER_ENV}); passphrase from $${PASSPHRASE_ENV}`)
    .option('--json', 'print as JSON')
    .description('print the log’s verifier keys (give the active one to auditors out of band)')
    .action((raw: unknown) => {
      const options = parseOptions(DbOptions.extend({ json: z.boolean().optional() }), raw);
      const keys = withCliSession(options, 'audit keys', (session) => logSigningKeys(session));
      if (options.json) out(JSON.stringify(keys, null, 2));
      else
        out(
          keys
            .map(
              (key) =>
                `${key.verifierKey}  ${key.active ? 'active' : `retired at entry ${key.retiredAt}`}, valid ${key.validFrom} to ${key.validUntil}`,
            )
            .join('\n'),
        );
    });

  audit
    .command('checkpoint')
    .requiredOption('--db <file>', 'the encrypted database')
    .option('--user <name>', `who signs in (default: $${USER_ENV}); passphrase from $${PASSPHRASE_ENV}`)
    .description('sign a checkpoint of the whole log now')
    .action((raw: unknown) => {
      const options = parseOptions(DbOptions, raw);
      const checkpoint = withCliSession(options, 'audit checkpoint', (session) => signLogCheckpoint(session));
      process.stdout.write(checkpoint.note);
    });

  audit
    .command('rotate-key')
    .requiredOption('--db <file>', 'the encrypted database')
    .requiredOption('--reason <text>', 'why (recorded in the key.rotated entry)')
    .option('--user <name>', `who signs in (default: $${USER_ENV}); passphrase from $${PASSPHRASE_ENV}`)
    .option('--validity-days <days>', 'how long the new key may sign', '365')
    .description('rotate the checkpoint signing key (a logged event; the old key co-signs the hand-over)')
    .action((raw: unknown) => {
      const options = parseOptions(
        DbOptions.extend({
          reason: z.string().min(1).max(500),
          validityDays: z.coerce.number().int().min(1).max(3650),
        }),
        raw,
      );
      const result = withCliSession(options, 'audit rotate-key', (session) =>
        rotateLogKey(session, { reason: options.reason, validityDays: options.validityDays }),
      );
      out(`key rotated at entry ${result.sequence}\nverifier key: ${result.verifierKey}`);
    });

  audit
    .command('erase')
    .requiredOption('--db <file>', 'the encrypted database')
    .requiredOption('--subject <id>', "the data subject: lead:<id>, the lead's internal id or its source system's id")
    .requiredOption('--basis <text>', 'the legal basis and request reference (recorded)')
    .option('--user <name>', `who signs in (default: $${USER_ENV}); passphrase from $${PASSPHRASE_ENV}`)
    .description('erase a data subject’s personal data (GDPR art. 17), leaving a logged tombstone')
    .action((raw: unknown) => {
      const options = parseOptions(
        DbOptions.extend({ subject: z.string().min(1), basis: z.string().min(1).max(500) }),
        raw,
      );
      // The same command as `perimeter leads erase`: a refusal inside a required retention period exits 1.
      const outcome = withCliSession(options, 'audit erase', (session) =>
        eraseDataSubject(session, options.subject, options.basis),
      );
      if (outcome.outcome === 'erased')
        out(`${options.subject}: ${outcome.records} record(s) erased; tombstone entry ${outcome.tombstone}`);
      else throw new CliError(`${options.subject}: erasure refused: ${outcome.message}`, EXIT_INVALID);
    });

  audit
    .command('purge')
    .requiredOption('--db <file>', 'the encrypted database')
    .option('--user <name>', `who signs in (default: $${USER_ENV}); passphrase from $${PASSPHRASE_ENV}`)
    .description('delete personal data past its retention period (the policy’s retention rules), leaving a tombstone')
    .action((raw: unknown) => {
      const options = parseOptions(DbOptions, raw);
      // The same run as `perimeter retention run` and the one at sign-in: the published policy's retention periods.
      const run = withCliSession(options, 'audit purge', (session) => runRetention(session));
      out(
        `${run.records} record(s) purged; ${run.sequence === null ? 'nothing had expired' : `tombstone entry ${run.sequence}`}`,
      );
    });
};
