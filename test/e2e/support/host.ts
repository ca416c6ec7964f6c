// One spec file's browser host: a copy of the e2e fixture workstation (fixture.ts) in a folder of its own, served with the
// built renderer. Writes its address to the state file named on the command line; removes the copy when stopped.
import { copyFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { startBrowserHost } from '../../../electron/services/host/browser-host.ts';
import { listStoreReader } from '../../../electron/services/lists/reader.ts';
import { repoRoot } from '../../support/examples.ts';
import { TEST_SCRYPT } from '../../support/workstation.ts';
import type { E2eFixture, HostState } from './host-process.ts';

const [fixtureFile, stateFile] = process.argv.slice(2);
if (fixtureFile === undefined || stateFile === undefined)
  throw new Error('usage: node test/e2e/support/host.ts FIXTURE_JSON STATE_FILE');
const fixture = JSON.parse(readFileSync(fixtureFile, 'utf8')) as E2eFixture;

// The database with its key slots (workstation.db, workstation.db.keys.json; closed, so no WAL is left to copy).
const dir = mkdtempSync(join(tmpdir(), 'perimeter-e2e-copy-'));
const dbName = basename(fixture.dbPath);
for (const name of readdirSync(dirname(fixture.dbPath)))
  if (name.startsWith(dbName)) copyFileSync(join(dirname(fixture.dbPath), name), join(dir, name));

// The list directory too: an operations admin may activate a new version in it (lists.spec.ts), which no other spec
// may see.
const listsDir = join(dir, 'lists');
cpSync(fixture.listsDir, listsDir, { recursive: true });

// A day and two hours after the cases opened, so the screening queue (24-hour SLA) shows overdue cases.
const startedAt = Date.now();
const host = await startBrowserHost({
  dbPath: join(dir, dbName),
  staticDir: join(repoRoot, 'out', 'renderer'),
  deps: {
    now: () => new Date(Date.parse('2026-11-24T12:00:00.000Z') + (Date.now() - startedAt)),
    scryptCost: TEST_SCRYPT,
    // This host's own copy of the fixture's list directory: read by version, and written by a list update.
    listStore: listStoreReader(listsDir),
  },
});
const state: HostState = {
  url: host.url,
  port: host.port,
  importFile: fixture.importFile,
  verifier: fixture.verifier,
};
writeFileSync(stateFile, JSON.stringify(state));

const stop = (): void => {
  void host.close().then(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
