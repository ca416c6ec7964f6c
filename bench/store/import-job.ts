// bench/store/import-job.ts (issue 17): 100,000 leads through the workstation's import job (leads.startImport, chunks
// between which the event loop is served, screening against the real lists) and through the CLI (`perimeter leads
// import --mode valid --lists`, a child process: screening on a worker while the main thread writes), each into its
// own fresh encrypted workstation, in one run. Prints both times, the ratio (goal: the job at most 1.5× the CLI) and
// how the job's progress moved (how often a status poll saw it advance, and the longest time it stood still).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { generatePolicy } from '../../test/fixtures/generate-leads.ts';
import { importJobStatus, startImportJob } from '../../electron/services/workstation/commands/import-jobs.ts';
import { loadLeadScreener } from '../../electron/services/workstation/commands/screener.ts';
import { initialiseWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import type { WorkstationDeps } from '../../electron/services/workstation/session/workstation.ts';
import { benchLeads, importRealLists } from '../../test/fixtures/store.ts';

const LEADS = Number(process.env.BENCH_LEADS ?? 100_000);
const POLL_MS = 100;
const dir = mkdtempSync(join(tmpdir(), 'perimeter-bench-import-job-'));
const repoRoot = join(import.meta.dirname, '..', '..');
const policyText = stringify(generatePolicy(42), { aliasDuplicateObjects: false });
const deps: WorkstationDeps = { now: () => new Date(), scryptCost: { N: 2 ** 14, r: 8, p: 1 } };
const passphrase = 'benchmark passphrase';
const admin = { id: 'bench', name: 'Bench Admin', passphrase };

const listsDir = process.env.BENCH_LISTS ?? join(dir, 'lists');
if (!process.env.BENCH_LISTS) {
  console.log(`importing the real lists into ${listsDir}`);
  importRealLists(listsDir);
}
const file = join(dir, 'leads.jsonl');
writeFileSync(
  file,
  benchLeads(LEADS)
    .map((lead) => JSON.stringify(lead))
    .join('\n') + '\n',
);
console.log(`${LEADS.toLocaleString('en')} bench leads written to ${file}`);

// The CLI, as an operator runs it.
const cliDb = join(dir, 'cli.db');
initialiseWorkstation({ path: cliDb, logId: 'bench-cli', admin, policyText }, deps, null).workstation.close();
const cliStarted = performance.now();
const cli = spawnSync(
  process.execPath,
  [
    join(repoRoot, 'electron', 'cli', 'main.ts'),
    'leads',
    'import',
    file,
    '--db',
    cliDb,
    '--user',
    'bench',
    '--mode',
    'valid',
    '--lists',
    listsDir,
    '--source-system',
    'bench',
  ],
  { env: { ...process.env, PERIMETER_PASSPHRASE: passphrase }, encoding: 'utf8', maxBuffer: 1 << 28 },
);
const cliSeconds = (performance.now() - cliStarted) / 1000;
if (cli.status !== 0) throw new Error(`the CLI failed (${cli.status}): ${cli.stderr.slice(-2000)}`);
console.log(
  `CLI: ${LEADS.toLocaleString('en')} leads in ${cliSeconds.toFixed(1)} s = ${Math.round(LEADS / cliSeconds).toLocaleString('en')} leads/s`,
);

// The import job, in this process, as the workstation's api runs it; its status polled as the screen polls it.
const screener = await loadLeadScreener(listsDir);
const session = initialiseWorkstation(
  { path: join(dir, 'job.db'), logId: 'bench-job', admin, policyText },
  deps,
  screener,
);
session.workstation.policy();
const content = readFileSync(file, 'utf8');
const jobStarted = performance.now();
const { jobId } = startImportJob(session, {
  fileName: 'leads.jsonl',
  format: 'jsonl',
  content,
  mode: 'valid',
  sourceSystem: 'bench',
} as Parameters<typeof startImportJob>[1]);
let polls = 0;
let advanced = 0;
let last = 0;
let lastMoved = performance.now();
let longestStill = 0;
for (;;) {
  await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  const status = importJobStatus(session, jobId);
  polls += 1;
  const now = performance.now();
  if (status.processed > last) {
    advanced += 1;
    longestStill = Math.max(longestStill, now - lastMoved);
    lastMoved = now;
    last = status.processed;
  }
  if (status.state !== 'running') {
    if (status.state !== 'done') throw new Error(`the job ended ${status.state}: ${JSON.stringify(status.error)}`);
    break;
  }
}
const jobSeconds = (performance.now() - jobStarted) / 1000;
session.workstation.close();
console.log(
  `import job: ${LEADS.toLocaleString('en')} leads in ${jobSeconds.toFixed(1)} s = ${Math.round(LEADS / jobSeconds).toLocaleString('en')} leads/s; ` +
    `progress advanced in ${advanced} of ${polls} polls (every ${POLL_MS} ms), longest still ${(longestStill / 1000).toFixed(2)} s`,
);
console.log(`the job took ${(jobSeconds / cliSeconds).toFixed(2)}× the CLI's time (goal <= 1.5×)`);
rmSync(dir, { recursive: true, force: true });
