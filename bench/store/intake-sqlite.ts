// bench/store (ceiling): how much of an intake is SQLite's own work, and so how many leads per second one writer
// connection could reach even if every line of JavaScript cost nothing. The leads are screened first (untimed), then
// imported in chunks of 1,000 into an encrypted workstation exactly as `importLeads` does; every statement better-sqlite3
// runs (COMMIT included) is timed by wrapping its Statement methods in this process. Compared against the goal of
// issue 5 (5,000 leads/s) and the same run's measured rate.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { stringify } from 'yaml';
import { generatePolicy } from '../../test/fixtures/generate-leads.ts';
import { importLeads } from '../../electron/services/workstation/commands/intake.ts';
import { initialiseWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import type { WorkstationDeps } from '../../electron/services/workstation/session/workstation.ts';
import { startBatchScreener } from '../../electron/services/screening/batch.ts';
import { prescreenLeads } from '../../electron/services/workstation/commands/pipeline.ts';
import { benchLeads, importRealLists } from '../../test/fixtures/store.ts';

const LEADS = Number(process.env.BENCH_LEADS ?? 20_000);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 1_000);
const GOAL = 5_000;
const dir = mkdtempSync(join(tmpdir(), 'perimeter-bench-sqlite-'));

// The instrument: every run/get/all/iterate of every prepared statement, timed and summed by SQL text.
const timing = new Map<string, { ms: number; calls: number }>();
let measuring = false;
const probe = new BetterSqlite3(':memory:');
const statementPrototype = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, unknown>;
probe.close();
for (const method of ['run', 'get', 'all', 'iterate']) {
  const original = statementPrototype[method] as (...args: unknown[]) => unknown;
  statementPrototype[method] = function (this: { source: string }, ...args: unknown[]): unknown {
    if (!measuring) return original.apply(this, args);
    const started = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      const key = this.source.replace(/\s+/g, ' ').trim().slice(0, 96);
      const entry = timing.get(key) ?? { ms: 0, calls: 0 };
      entry.ms += performance.now() - started;
      entry.calls += 1;
      timing.set(key, entry);
    }
  };
}

try {
  const listsDir = process.env.BENCH_LISTS ?? join(dir, 'lists');
  if (!process.env.BENCH_LISTS) importRealLists(listsDir);
  const records = benchLeads(LEADS).map((lead, index) => ({ line: index + 1, lead }));
  const screener = await startBatchScreener(
    { dir: listsDir },
    { potential: 0.82, strong: 0.93 },
    { workers: 2, maxHits: 5 },
  );
  const screened = [];
  for (let i = 0; i < records.length; i += CHUNK)
    screened.push(...(await prescreenLeads(records.slice(i, i + CHUNK), screener, new Date().toISOString())));
  await screener.close();

  const deps: WorkstationDeps = { now: () => new Date(), scryptCost: { N: 2 ** 14, r: 8, p: 1 } };
  const session = initialiseWorkstation(
    {
      path: join(dir, 'encrypted.db'),
      logId: 'bench-sqlite',
      admin: { id: 'bench', name: 'Bench Admin', passphrase: 'benchmark passphrase' },
      policyText: stringify(generatePolicy(42), { aliasDuplicateObjects: false }),
    },
    deps,
    null,
  );
  session.workstation.policy();
  measuring = true;
  const started = performance.now();
  const result = importLeads(session, screened, [], { sourceSystem: 'bench', mode: 'valid', chunkSize: CHUNK });
  const totalMs = performance.now() - started;
  measuring = false;

  const rows = [...timing].sort((a, b) => b[1].ms - a[1].ms);
  const sqliteMs = rows.reduce((sum, [, entry]) => sum + entry.ms, 0);
  const commitMs = timing.get('COMMIT')?.ms ?? 0;
  const perLead = (ms: number): string => `${((ms * 1000) / result.imported).toFixed(0)} µs`;
  console.log(
    `intake of ${result.imported.toLocaleString('en')} pre-screened leads into an encrypted workstation, chunks of ${CHUNK}, one thread ` +
      `(WAL checkpoints on the background checkpointer's thread, not counted below):`,
  );
  console.log(
    `  measured: ${Math.round(result.imported / (totalMs / 1000)).toLocaleString('en')} leads/s (${perLead(totalMs)} per lead)`,
  );
  console.log(
    `  inside SQLite: ${perLead(sqliteMs)} per lead (${((100 * sqliteMs) / totalMs).toFixed(0)}% of the time), ` +
      `of which COMMIT ${perLead(commitMs)}`,
  );
  console.log(
    `  ceiling for one writer connection, with every line of JavaScript free: ` +
      `${Math.round(result.imported / (sqliteMs / 1000)).toLocaleString('en')} leads/s (goal: ${GOAL.toLocaleString('en')} leads/s)`,
  );
  const counts = session.workstation.db
    .prepare<[], { n: number }>(
      `SELECT (SELECT count(*) FROM audit_entries) + (SELECT count(*) FROM audit_entry_subjects)
         + (SELECT count(*) FROM audit_tree_nodes) + (SELECT count(*) FROM audit_personal_data)
         + (SELECT count(*) FROM leads) + (SELECT count(*) FROM product_paths) + (SELECT count(*) FROM cases)
         + (SELECT count(*) FROM notifications) AS n`,
    )
    .get()!;
  console.log(
    `  rows written: ${(counts.n / result.imported).toFixed(1)} per lead, plus counters; statements: ` +
      `${(rows.reduce((sum, [, entry]) => sum + entry.calls, 0) / result.imported).toFixed(1)} per lead`,
  );
  console.log('  the statements by time:');
  for (const [sql, entry] of rows.slice(0, 12))
    console.log(
      `  ${perLead(entry.ms).padStart(7)} per lead  ${((entry.ms * 1000) / entry.calls).toFixed(1).padStart(7)} µs × ${String(entry.calls).padStart(7)}  ${sql}`,
    );
  session.workstation.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
