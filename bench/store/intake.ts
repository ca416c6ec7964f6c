// bench/store: end-to-end intake (tag, screen against the real lists, route, audit, persist, open cases) into an
// encrypted database and, in the same run, into an unencrypted one: leads per second each and the encryption overhead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { stringify } from 'yaml';
import { generatePolicy } from '../../test/fixtures/generate-leads.ts';
import { createDatabase, PAGE_CACHE_KIB } from '../../electron/services/store/database.ts';
import type { Database } from '../../electron/services/store/database.ts';
import { startBackgroundCheckpointer } from '../../electron/services/store/checkpointer.ts';
import { migrate } from '../../electron/services/store/migrations/runner.ts';
import { importLeads, startCheckpoints } from '../../electron/services/workstation/commands/intake.ts';
import type { BackgroundCheckpointer } from '../../electron/services/store/checkpointer.ts';
import {
  initialiseWorkstation,
  initialiseWorkstationOn,
} from '../../electron/services/workstation/session/workstation.ts';
import type {
  LeadScreener,
  Session,
  WorkstationDeps,
} from '../../electron/services/workstation/session/workstation.ts';
import { loadLeadScreener } from '../../electron/services/workstation/commands/screener.ts';
import { startBatchScreener } from '../../electron/services/screening/batch.ts';
import { importLeadsPipelined } from '../../electron/services/workstation/commands/pipeline.ts';
import { benchLeads, importRealLists } from '../../test/fixtures/store.ts';

const LEADS = Number(process.env.BENCH_LEADS ?? 100_000);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 1_000);
const dir = mkdtempSync(join(tmpdir(), 'perimeter-bench-store-'));
const policyText = stringify(generatePolicy(42), { aliasDuplicateObjects: false });
// BENCH_CHECKPOINTER=0 turns the background WAL checkpointer off (decision 0049), to measure what it brings.
const withCheckpointer = process.env.BENCH_CHECKPOINTER !== '0';
const deps: WorkstationDeps = {
  now: () => new Date(),
  scryptCost: { N: 2 ** 14, r: 8, p: 1 },
  ...(withCheckpointer ? {} : { checkpointer: null }),
};
const admin = { id: 'bench', name: 'Bench Admin', passphrase: 'benchmark passphrase' };

// BENCH_LISTS names a list directory imported before (to profile intake alone); otherwise the lists are imported now.
const listsDir = process.env.BENCH_LISTS ?? join(dir, 'lists');
if (!process.env.BENCH_LISTS) {
  console.log(`importing the real lists (OFAC SDN 2021, OFAC consolidated 2025, UN, US Congress PEP) into ${listsDir}`);
  importRealLists(listsDir);
}
const screener: LeadScreener = await loadLeadScreener(listsDir);
const leads = benchLeads(LEADS);
const records = leads.map((lead, index) => ({ line: index + 1, lead }));

// Screening runs on one worker thread, overlapping with routing and persistence on this one (2 cores).
const workers = await startBatchScreener(
  { dir: listsDir },
  { potential: 0.82, strong: 0.93 },
  { workers: Number(process.env.BENCH_WORKERS ?? 1), maxHits: 5 },
);
// The two stores take turns, a round of ROUND leads each (the first one alternating), so both see the same machine:
// on a shared 2-core machine the speed drifts over minutes, and back-to-back runs would measure the drift.
const ROUND = Number(process.env.BENCH_ROUND ?? 5_000);
type Tally = {
  label: string;
  session: Session;
  /** One background checkpointer for all of a store's rounds, as one import has (started in its first round's time). */
  checkpoints: BackgroundCheckpointer | null | undefined;
  seconds: number;
  /** CPU seconds of this (the writing) thread, and of the whole process (workers included), during its rounds. */
  mainCpu: number;
  processCpu: number;
  imported: number;
  cases: number;
  decisions: Record<string, number>;
};
const importRound = async (tally: Tally, round: readonly (typeof records)[number][]): Promise<void> => {
  const started = performance.now();
  const [thread, whole] = [process.threadCpuUsage(), process.cpuUsage()];
  if (tally.checkpoints === undefined) tally.checkpoints = startCheckpoints(tally.session.workstation);
  const checkpoints = tally.checkpoints;
  const result =
    process.env.BENCH_SERIAL === '1'
      ? importLeads(tally.session, round, [], { sourceSystem: 'bench', mode: 'valid', chunkSize: CHUNK, checkpoints })
      : await importLeadsPipelined(tally.session, round, [], workers, {
          sourceSystem: 'bench',
          chunkSize: CHUNK,
          checkpoints,
        });
  tally.seconds += (performance.now() - started) / 1000;
  const [threadAfter, wholeAfter] = [process.threadCpuUsage(thread), process.cpuUsage(whole)];
  tally.mainCpu += (threadAfter.user + threadAfter.system) / 1e6;
  tally.processCpu += (wholeAfter.user + wholeAfter.system) / 1e6;
  tally.imported += result.imported;
  tally.cases += result.casesOpened;
  for (const [kind, count] of Object.entries(result.decisions))
    tally.decisions[kind] = (tally.decisions[kind] ?? 0) + count;
};
/**
 * The floor (issue 17): the time to write the same rows and the same log bytes that intake wrote, with plain prepared
 * statements (one per table, prepared once) in one transaction, into a fresh encrypted store of the same schema and
 * indexes. No tagging, screening, routing, canonical JSON or hashing: only the writes.
 */
const floorOf = (source: Database): { seconds: number; rows: number } => {
  const target = createDatabase(join(dir, `floor-${Date.now()}.db`), new Uint8Array(32).fill(7));
  target.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  migrate(target);
  // Tables that triggers maintain (counts) fill themselves as the other tables' rows go in, as they do in intake.
  const maintained = new Set(
    (source.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger'").pluck().all() as string[]).flatMap((sql) =>
      [...sql.matchAll(/(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE)\s+"?(\w+)/gi)].map((match) => match[1]!),
    ),
  );
  const tables = (
    source
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[]
  ).filter((name) => name !== 'schema_migrations' && !maintained.has(name));
  // Read everything first (outside the clock), then clear what the migrations seeded.
  const data = tables.map((name) => {
    const columns = (source.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(name) as string[]).map(
      (column) => `"${column}"`,
    );
    return {
      name,
      columns,
      rows: source
        .prepare(`SELECT ${columns.join(', ')} FROM "${name}"`)
        .raw()
        .all(),
    };
  });
  target.pragma('foreign_keys = OFF');
  for (const { name } of data) target.prepare(`DELETE FROM "${name}"`).run();
  let rows = 0;
  const started = performance.now();
  target.transaction(() => {
    for (const { name, columns, rows: values } of data) {
      const insert = target.prepare(
        `INSERT INTO "${name}" (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
      for (const row of values) insert.run(row as unknown[]);
      rows += values.length;
    }
  })();
  const seconds = (performance.now() - started) / 1000;
  target.close();
  return { seconds, rows };
};

const report = (tally: Tally): number => {
  const { db } = tally.session.workstation;
  const entries = db.prepare('SELECT count(*) FROM audit_entries').pluck().get() as number;
  // The hashed log's bytes (canonical entries) and the personal data kept beside it, per imported lead.
  const logBytes = db.prepare('SELECT coalesce(sum(length(canonical)), 0) FROM audit_entries').pluck().get() as number;
  const sideBytes = db
    .prepare('SELECT coalesce(sum(length(data)), 0) FROM audit_personal_data')
    .pluck()
    .get() as number;
  const rate = tally.imported / tally.seconds;
  const perLead = (value: number): string => (value / Math.max(tally.imported, 1)).toFixed(1);
  console.log(
    `${tally.label}: ${tally.imported} leads in ${tally.seconds.toFixed(1)} s = ${Math.round(rate).toLocaleString('en')} leads/s ` +
      `(${entries} audit entries, ${tally.cases} cases, decisions ${JSON.stringify(tally.decisions)}); ` +
      `per lead: ${perLead(entries)} entries, ${perLead(logBytes)} bytes of hashed log, ${perLead(sideBytes)} bytes of personal data beside it`,
  );
  // CPU per lead does not depend on how busy the shared machine is, as the wall-clock rate does.
  const ms = (seconds: number): string => ((seconds * 1000) / Math.max(tally.imported, 1)).toFixed(3);
  console.log(
    `  CPU per lead: ${ms(tally.mainCpu)} ms on the writing thread, ${ms(tally.processCpu)} ms in the process (workers included)`,
  );
  // Where the hashed bytes go: per lead, by event type (largest first).
  const byType = db
    .prepare<[], { type: string; bytes: number }>(
      'SELECT type, sum(length(canonical)) AS bytes FROM audit_entries GROUP BY type ORDER BY bytes DESC',
    )
    .all()
    .filter((row) => row.bytes / Math.max(tally.imported, 1) >= 1)
    .map((row) => `${row.type} ${perLead(row.bytes)}`);
  console.log(`  hashed log per lead by type: ${byType.join(', ')}`);
  // Rows per lead, by table (the tables intake writes).
  const rowCounts = (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[]
  ).map((name) => ({ name, rows: db.prepare(`SELECT count(*) FROM "${name}"`).pluck().get() as number }));
  const totalRows = rowCounts.reduce((sum, table) => sum + table.rows, 0);
  console.log(
    `  rows per lead: ${perLead(totalRows)} (${rowCounts
      .filter((table) => table.rows / Math.max(tally.imported, 1) >= 0.05)
      .map((table) => `${table.name} ${perLead(table.rows)}`)
      .join(', ')})`,
  );
  if (tally.label.startsWith('encrypted')) {
    const floor = floorOf(db);
    const floorRate = tally.imported / floor.seconds;
    console.log(
      `  floor: the same ${floor.rows.toLocaleString('en')} rows and log bytes with plain prepared statements in one ` +
        `transaction into a fresh encrypted store: ${floor.seconds.toFixed(2)} s = ${Math.round(floorRate).toLocaleString('en')} leads/s; ` +
        `intake is ${(floorRate / rate).toFixed(2)}× the floor (goal <= 2×)`,
    );
  }
  tally.session.workstation.close();
  return rate;
};

const setupDone = performance.now();
console.log(`setup: ${leads.length} leads generated, lists indexed (${(setupDone / 1000).toFixed(1)} s since start)`);
const encrypted = initialiseWorkstation(
  { path: join(dir, 'encrypted.db'), logId: 'bench-enc', admin, policyText },
  deps,
  screener,
);

// The unencrypted twin: the same schema, pragmas and services, without the cipher. Benchmark only.
const plainDb = new BetterSqlite3(join(dir, 'plain.db'));
plainDb.pragma('journal_mode = WAL');
plainDb.pragma('synchronous = FULL');
plainDb.pragma('foreign_keys = ON');
plainDb.pragma('secure_delete = ON');
plainDb.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
migrate(plainDb);
const plain = initialiseWorkstationOn(
  plainDb,
  { path: join(dir, 'plain.db'), logId: 'bench-plain', admin, policyText },
  // The twin's checkpointer opens its file without a key, like the twin.
  { ...deps, checkpointer: withCheckpointer ? (db, path) => startBackgroundCheckpointer(db, path, null) : null },
  screener,
  new Uint8Array(32),
);
const tallies: Tally[] = [
  {
    label: 'encrypted (SQLCipher)',
    session: encrypted,
    checkpoints: undefined,
    seconds: 0,
    mainCpu: 0,
    processCpu: 0,
    imported: 0,
    cases: 0,
    decisions: {},
  },
  {
    label: 'unencrypted',
    session: plain,
    checkpoints: undefined,
    seconds: 0,
    mainCpu: 0,
    processCpu: 0,
    imported: 0,
    cases: 0,
    decisions: {},
  },
];
// Parse and compile the published policy before the clock starts.
for (const tally of tallies) tally.session.workstation.policy();
for (let from = 0, turn = 0; from < records.length; from += ROUND, turn += 1) {
  const round = records.slice(from, from + ROUND);
  const order = turn % 2 === 0 ? tallies : [...tallies].reverse();
  for (const tally of order) await importRound(tally, round);
}
await workers.close();
for (const tally of tallies) tally.checkpoints?.stop();
console.log(
  `(the two stores took turns in rounds of ${ROUND.toLocaleString('en')} leads, alternating which went first)`,
);
const encryptedRate = report(tallies[0]!);
const plainRate = report(tallies[1]!);

console.log(
  `encryption overhead: ${(((plainRate - encryptedRate) / plainRate) * 100).toFixed(1)}% (goal < 20%); goal: >= 5,000 leads/s end to end` +
    (withCheckpointer ? '' : ' (background checkpointer off)'),
);
rmSync(dir, { recursive: true, force: true });
