// bench/store: rotating the database key (users.rotateDatabaseKey, decision 0037) on a realistic encrypted database
// (BENCH_LEADS leads through the real intake: tag, screen against the real lists, route, audit, persist, open cases),
// end to end, against what the same file costs to copy (fs.copyFileSync) and to VACUUM INTO alone, measured on the
// same database in the same run. The rotation is synchronous: the process (and, in the app, every api call) waits for
// all of it; a timer due at once, set just before the rotation, shows how long the event loop was held.
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { generatePolicy } from '../../test/fixtures/generate-leads.ts';
import { openDatabase } from '../../electron/services/store/database.ts';
import { DEFAULT_SCRYPT_COST, unlockDatabaseKey } from '../../electron/services/store/key-slots.ts';
import type { RekeyStep } from '../../electron/services/store/rekey.ts';
import { startBatchScreener } from '../../electron/services/screening/batch.ts';
import { rotateDatabaseKey } from '../../electron/services/workstation/commands/key-rotation.ts';
import { importLeadsPipelined } from '../../electron/services/workstation/commands/pipeline.ts';
import { loadLeadScreener } from '../../electron/services/workstation/commands/screener.ts';
import { initialiseWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import type { WorkstationDeps } from '../../electron/services/workstation/session/workstation.ts';
import { benchLeads, importRealLists } from '../../test/fixtures/store.ts';

const LEADS = Number(process.env.BENCH_LEADS ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'perimeter-bench-rotate-'));
const path = join(dir, 'workstation.db');
const policyText = stringify(generatePolicy(42), { aliasDuplicateObjects: false });
// The production scrypt cost: a rotation derives twice (checking the admin's passphrase, re-wrapping the new key).
const deps: WorkstationDeps = { now: () => new Date(), scryptCost: DEFAULT_SCRYPT_COST };
const admin = { id: 'bench', name: 'Bench Admin', passphrase: 'benchmark passphrase' };
const MIB = 1024 * 1024;
const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(2)} s`;

// BENCH_LISTS names a list directory imported before; otherwise the real lists are imported now.
const listsDir = process.env.BENCH_LISTS ?? join(dir, 'lists');
if (!process.env.BENCH_LISTS) {
  console.log(`importing the real lists (OFAC SDN 2021, OFAC consolidated 2025, UN, US Congress PEP) into ${listsDir}`);
  importRealLists(listsDir);
}
const screener = await loadLeadScreener(listsDir);
const workers = await startBatchScreener(
  { dir: listsDir },
  { potential: 0.82, strong: 0.93 },
  { workers: 1, maxHits: 5 },
);
const session = initialiseWorkstation({ path, logId: 'bench-rotate', admin, policyText }, deps, screener);
const records = benchLeads(LEADS).map((lead, index) => ({ line: index + 1, lead }));
const intakeStarted = performance.now();
const intake = await importLeadsPipelined(session, records, [], workers, { sourceSystem: 'bench', chunkSize: 1_000 });
await workers.close();
const db = session.workstation.db;
const count = (sql: string): number => Number(db.prepare(sql).pluck().get());
const before = { leads: count('SELECT count(*) FROM leads'), entries: count('SELECT count(*) FROM audit_entries') };
console.log(
  `intake: ${intake.imported} leads, ${intake.casesOpened} cases, ${before.entries} audit entries in ${seconds(intakeStarted)}`,
);

// Everything in the one file, so the copy and VACUUM INTO see what the rotation sees.
db.pragma('wal_checkpoint(TRUNCATE)');
const size = statSync(path).size;
console.log(`database: ${(size / MIB).toFixed(1)} MiB (${path}, WAL checkpointed)`);

// Baselines on the same database, just before the rotation: a plain file copy, and VACUUM INTO alone (the rotation's
// first step, with its temp_store = MEMORY), each into a fresh file in the same directory, removed afterwards.
const copyPath = join(dir, 'copy.db');
const copyStarted = performance.now();
copyFileSync(path, copyPath);
const copyTime = seconds(copyStarted);
rmSync(copyPath);
const vacuumPath = join(dir, 'vacuum.db');
db.pragma('temp_store = MEMORY');
const vacuumStarted = performance.now();
db.prepare('VACUUM INTO ?').run(vacuumPath);
const vacuumTime = seconds(vacuumStarted);
db.pragma('temp_store = DEFAULT');
const vacuumSize = statSync(vacuumPath).size;
rmSync(vacuumPath);
console.log(`baseline fs.copyFileSync: ${copyTime}`);
console.log(`baseline VACUUM INTO alone: ${vacuumTime} (${(vacuumSize / MIB).toFixed(1)} MiB written)`);

// One scrypt derivation at the production cost, for the share of the two the rotation makes.
const scryptStarted = performance.now();
unlockDatabaseKey(path, admin.id, admin.passphrase).fill(0);
const scryptTime = seconds(scryptStarted);

// The rotation, through the service function the api method calls, with the time of each named step.
const steps: [RekeyStep, number][] = [];
// A timer due at once, set just before: it fires only when the event loop is free again.
let timerFiredAt = 0;
const timerFired = new Promise<void>((resolve) =>
  setTimeout(() => {
    timerFiredAt = performance.now();
    resolve();
  }, 0),
);
const rotationStarted = performance.now();
const result = rotateDatabaseKey(
  session,
  { passphrase: admin.passphrase, reason: 'benchmark' },
  { onStep: (step) => steps.push([step, performance.now()]) },
);
const rotationTime = seconds(rotationStarted);
await timerFired;
let previous = rotationStarted;
const breakdown = steps.map(([step, at]) => {
  const part = `${step} +${((at - previous) / 1000).toFixed(2)}`;
  previous = at;
  return part;
});

const after = session.workstation.db;
const rotated = {
  leads: Number(after.prepare('SELECT count(*) FROM leads').pluck().get()),
  entries: Number(after.prepare('SELECT count(*) FROM audit_entries').pluck().get()),
};
if (rotated.leads !== before.leads || rotated.entries !== before.entries + 1 || result.sequence !== before.entries)
  throw new Error(`the rotated database differs: ${JSON.stringify({ before, rotated, result })}`);
session.workstation.close();
// The new key opens it; the file on disk is the re-encrypted copy.
openDatabase(path, unlockDatabaseKey(path, admin.id, admin.passphrase), { check: 'quick', migrate: false }).close();

console.log(
  `rotation (users.rotateDatabaseKey, end to end): ${rotationTime} for ${(size / MIB).toFixed(1)} MiB ` +
    `(new file ${(statSync(path).size / MIB).toFixed(1)} MiB; includes 2 scrypt derivations at N=2^17, one measured alone: ${scryptTime})`,
);
console.log(`rotation steps (s since the previous step): ${breakdown.join(', ')}`);
console.log(
  `process blocked: the rotation is synchronous, so the event loop (every api call, the UI's requests) waits for all of it; ` +
    `a timer due at once, set just before it, fired after ${((timerFiredAt - rotationStarted) / 1000).toFixed(2)} s`,
);
rmSync(dir, { recursive: true, force: true });
