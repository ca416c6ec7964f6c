// bench/screening: ongoing monitoring (decision 0193). 100,000 leads already in an encrypted workstation are re-screened
// after a list update that adds 500 entries (OFAC SDN 2021 with 500 entries withheld, then the whole list), and, in the
// same run, the baseline: the same leads screened from scratch against the whole list, through the same code (read the
// parties beside the log, screen, record), on a copy of the same workstation. Goal: the re-screening under 30 s.
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Lead } from '../../core/routing/lead.ts';
import { deltaIndex, listDelta } from '../../core/screening/monitoring.ts';
import { screenParty } from '../../core/screening/screen.ts';
import { diffListVersions } from '../../core/screening/diff.ts';
import { importList } from '../../electron/services/lists/store.ts';
import type { ImportOutcome } from '../../electron/services/lists/store.ts';
import { readSnapshotSync } from '../../electron/services/lists/staging.ts';
import { importLeads } from '../../electron/services/workstation/commands/intake.ts';
import { recordListImported } from '../../electron/services/workstation/commands/list-imports.ts';
import { runMonitoring } from '../../electron/services/workstation/commands/monitoring.ts';
import type { RunProgress } from '../../electron/services/workstation/commands/monitoring.ts';
import { partiesOf } from '../../electron/services/workstation/commands/screener.ts';
import { initialiseWorkstation, openWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import type { Session, WorkstationDeps } from '../../electron/services/workstation/session/workstation.ts';
import { generatePolicy } from '../../test/fixtures/generate-leads.ts';
import { benchLeads, sharedData } from '../../test/fixtures/store.ts';

const LEADS = Number(process.env.BENCH_LEADS ?? 100_000);
const WITHHELD = Number(process.env.BENCH_ADDED ?? 500);
/** Leads given the name of a withheld entry, so the update has real hits to raise. */
const PLANTED = 50;
const GOAL_S = 30;

const dir = mkdtempSync(join(tmpdir(), 'perimeter-bench-rescreen-'));
// BENCH_PREPARED=DIR keeps the workstation with its leads and list version A in DIR (built there the first time), so
// another run measures again without the setup; otherwise everything lives in a temp folder removed at the end. The
// setup runs in a child process of its own, so the runs are measured in a process that did nothing else before, as a
// `perimeter lists import` would be.
const prepared = process.env.BENCH_PREPARED ?? join(dir, 'prepared');
const ready = existsSync(join(prepared, 'ready'));
const setupOnly = process.env.BENCH_SETUP_ONLY === '1';
const listsDir = join(dir, 'lists');
const seconds = (ms: number): string => (ms / 1000).toFixed(2);
const count = (n: number): string => n.toLocaleString('en');
const load = (): string => loadavg()[0]!.toFixed(2);
if (!setupOnly) console.log(`Node ${process.version}; load average ${load()} at the start`);

// The two versions: OFAC SDN 2021 with WITHHELD person and company entries left out (their aliases, addresses and
// comments too), then the whole list. Every 16th such entry is withheld, so they are spread over the list.
const sdn2021 = join(sharedData, 'sanctions', 'ofac-sdn-2021');
const sdnLines = readFileSync(join(sdn2021, 'sdn.csv'), 'utf8').split('\n');
const withheld = new Map<string, { name: string; person: boolean }>();
let seen = 0;
for (const line of sdnLines) {
  const match = /^(\d+),"([^"]*)",(-0- |"individual"),/.exec(line);
  if (match === null) continue;
  seen += 1;
  if (seen % 16 === 0 && withheld.size < WITHHELD)
    withheld.set(match[1]!, { name: match[2]!, person: match[3] === '"individual"' });
}
if (withheld.size < WITHHELD) throw new Error(`only ${withheld.size} entries to withhold`);
const partDir = join(dir, 'ofac-sdn-2021-without');
mkdirSync(partDir);
for (const file of readdirSync(sdn2021)) {
  const kept = readFileSync(join(sdn2021, file), 'latin1')
    .split('\n')
    .filter((line) => !withheld.has(/^(\d+),/.exec(line)?.[1] ?? ''));
  writeFileSync(join(partDir, file), kept.join('\n'), 'latin1');
}
const importSdn = async (into: string, from: string, importedAt: string): Promise<ImportOutcome> => {
  const outcome = await importList(into, {
    source: 'ofac-sdn-csv',
    files: readdirSync(from).map((name) => join(from, name)),
    importedAt,
  });
  if (!outcome.ok) throw new Error(`the OFAC import was refused: ${JSON.stringify(outcome.error)}`);
  return outcome.value;
};
mkdirSync(prepared, { recursive: true });
const before = await importSdn(join(prepared, 'lists'), partDir, '2026-11-01T00:00:00.000Z');
if (!setupOnly)
  console.log(
    `list version A: OFAC SDN 2021 without ${WITHHELD} entries: ${count(before.version.counts.entries ?? 0)}`,
  );

// The workstation: the generated licensing map and LEADS generated leads (half with a person from the negatives set),
// PLANTED of them carrying the name of a withheld entry. They come in screened clear earlier (the intake benchmark
// measures intake); the monitoring run reads their parties from beside the log like any other lead's.
const policyText = stringify(generatePolicy(42), { aliasDuplicateObjects: false });
const admin = { id: 'bench', name: 'Bench Admin', passphrase: 'benchmark passphrase' };
const deps: WorkstationDeps = { now: () => new Date(), scryptCost: { N: 2 ** 14, r: 8, p: 1 } };
const planted = [...withheld.values()].slice(0, PLANTED);
const benchmarkLeads = (): Lead[] =>
  benchLeads(LEADS).map((lead, i) => {
    const screening = { screenedAt: '2026-11-01T00:00:00.000Z', hits: [] };
    const plant =
      i % Math.floor(LEADS / PLANTED) === 7 ? planted[Math.floor(i / Math.floor(LEADS / PLANTED))] : undefined;
    if (plant === undefined) return { ...lead, screening };
    return plant.person
      ? { ...lead, person: { fullName: plant.name }, screening }
      : { ...lead, company: { ...lead.company, name: plant.name }, screening };
  });
const setupStarted = performance.now();
if (!ready && !setupOnly) {
  const child = spawnSync(process.execPath, [...process.execArgv, import.meta.filename], {
    env: { ...process.env, BENCH_SETUP_ONLY: '1', BENCH_PREPARED: prepared },
    stdio: 'inherit',
  });
  if (child.status !== 0) throw new Error(`the setup failed (exit ${child.status})`);
  console.log(
    `setup: ${count(Number(readFileSync(join(prepared, 'ready'), 'utf8')))} leads in the encrypted workstation (${count(PLANTED)} named as a withheld entry), in a child process: ${seconds(performance.now() - setupStarted)} s`,
  );
} else if (setupOnly) {
  const leads = benchmarkLeads();
  const session = initialiseWorkstation(
    { path: join(prepared, 'workstation.db'), logId: 'bench-rescreen', admin, policyText },
    { ...deps, checkpointer: null },
  );
  const records = leads.map((lead, index) => ({ line: index + 1, lead }));
  for (let from = 0; from < records.length; from += 10_000)
    importLeads(session, records.slice(from, from + 10_000), [], {
      sourceSystem: 'bench',
      mode: 'valid',
      chunkSize: 2_000,
      screening: { kind: 'prescreened', screenedWith: null },
    });
  const leadCount = session.workstation.db.prepare('SELECT count(*) FROM leads').pluck().get() as number;
  session.workstation.close();
  writeFileSync(join(prepared, 'ready'), `${leadCount}\n`);
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
} else console.log(`setup: reused ${prepared} (${readFileSync(join(prepared, 'ready'), 'utf8').trim()} leads)`);

// Two copies of the prepared workstation (closed, so its files are whole): one re-screened, one for the baseline.
const copyWorkstation = (to: string): string => {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(prepared))
    if (name.startsWith('workstation.db')) copyFileSync(join(prepared, name), join(to, name));
  return join(to, 'workstation.db');
};
const dbPath = copyWorkstation(join(dir, 'monitored'));
const baseDir = join(dir, 'baseline');
copyWorkstation(baseDir);
cpSync(join(prepared, 'lists'), listsDir, { recursive: true });

const signIn = (path: string): Session =>
  openWorkstation({ path, userId: admin.id, passphrase: admin.passphrase }, { ...deps, checkpointer: null });

const report = (label: string, run: RunProgress, ms: number): void =>
  console.log(
    `${label}: ${seconds(ms)} s for ${count(run.leads)} leads (${count(Math.round(run.leads / (ms / 1000)))} leads/s); ` +
      `${count(run.hits)} new hits on ${count(run.leadsWithHits)} leads, ${count(run.casesOpened)} cases opened (state ${run.state})`,
  );

// The update: the whole list becomes active, and the leads are re-screened against the 500 entries it adds.
const after = await importSdn(listsDir, sdn2021, '2026-11-20T00:00:00.000Z');
console.log(
  `list version B: the whole list, ${count(after.version.counts.entries ?? 0)} entries: ${count(after.diff.added.length)} added, ${count(after.diff.changed.length)} changed, ${count(after.diff.removed.length)} removed`,
);
const monitored = signIn(dbPath);
monitored.workstation.policy();
const { runId } = recordListImported(monitored, after);
const cpuAtStart = process.cpuUsage();
const started = performance.now();
// The first progress report comes once the versions are read, the delta indexed and removed entries resolved.
let preparedMs = 0;
const rescreened = await runMonitoring(monitored.workstation, runId!, {
  listsDir,
  between: () => {
    if (preparedMs === 0) preparedMs = performance.now() - started;
  },
});
const rescreenMs = performance.now() - started;
const rescreenCpu = process.cpuUsage(cpuAtStart);
monitored.workstation.close();

// The baseline: the same leads, from the same starting point, screened from scratch against the whole list version B
// (a run that treats it as a first version, so every entry is "added").
const baseline = signIn(join(baseDir, 'workstation.db'));
baseline.workstation.policy();
const whole = readSnapshotSync(listsDir, 'ofac-sdn', after.version.version)!;
const fromScratch = recordListImported(baseline, {
  status: 'activated',
  version: after.version,
  previous: null,
  diff: diffListVersions(undefined, whole),
});
const baselineCpuAtStart = process.cpuUsage();
const baselineStarted = performance.now();
let baselinePreparedMs = 0;
const scratch = await runMonitoring(baseline.workstation, fromScratch.runId!, {
  listsDir,
  between: () => {
    if (baselinePreparedMs === 0) baselinePreparedMs = performance.now() - baselineStarted;
  },
});
const baselineMs = performance.now() - baselineStarted;
const baselineCpu = process.cpuUsage(baselineCpuAtStart);
const cpuText = (usage: NodeJS.CpuUsage): string =>
  `${seconds((usage.user + usage.system) / 1000)} s of CPU (all threads)`;
baseline.workstation.close();

// Where the time goes: screening alone (no store), the same parties against the delta index and the whole list's.
const previous = readSnapshotSync(listsDir, 'ofac-sdn', before.version.version)!;
const parties = benchmarkLeads().flatMap((lead) => partiesOf(lead));
const thresholds = { potential: 0.82, strong: 0.93 };
const timeScreening = (index: ReturnType<typeof deltaIndex>): { ms: number; hits: number } => {
  const begun = performance.now();
  let hits = 0;
  for (const party of parties) hits += screenParty(index, party, thresholds, { maxHits: 5 }).hits.length;
  return { ms: performance.now() - begun, hits };
};
const indexStarted = performance.now();
const delta = deltaIndex(listDelta(previous, whole));
const deltaBuildMs = performance.now() - indexStarted;
const wholeStarted = performance.now();
const wholeIndex = deltaIndex(listDelta(undefined, whole));
const wholeBuildMs = performance.now() - wholeStarted;
const deltaOnly = timeScreening(delta);
const wholeOnly = timeScreening(wholeIndex);

console.log('');
report(
  `re-screening against the ${count(after.diff.added.length)} added entries (goal < ${GOAL_S} s)`,
  rescreened,
  rescreenMs,
);
console.log(
  `  ${cpuText(rescreenCpu)}; of which ${seconds(preparedMs)} s reading the two versions (checked against their hashes) and indexing the delta`,
);
report('baseline: the same leads screened from scratch against the whole list', scratch, baselineMs);
console.log(
  `  ${cpuText(baselineCpu)}; of which ${seconds(baselinePreparedMs)} s reading the version and indexing the whole list`,
);
console.log(`ratio baseline / re-screening: ${(baselineMs / rescreenMs).toFixed(1)}x`);
console.log(
  `screening alone, ${count(parties.length)} parties: delta index (${count(after.diff.added.length)} entries, built in ${seconds(deltaBuildMs)} s) ${seconds(deltaOnly.ms)} s, ${count(deltaOnly.hits)} hits; ` +
    `whole list (${count(whole.entries.length)} entries, built in ${seconds(wholeBuildMs)} s) ${seconds(wholeOnly.ms)} s, ${count(wholeOnly.hits)} hits`,
);
console.log(
  `goal: ${rescreenMs / 1000 < GOAL_S ? 'met' : 'NOT met'} (${seconds(rescreenMs)} s < ${GOAL_S} s); load average ${load()} at the end`,
);
rmSync(dir, { recursive: true, force: true });
