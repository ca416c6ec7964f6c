// The e2e suite's processes: the fixture workstation built once per run (global setup), and a browser host on a fresh
// copy of it for each spec file, so a spec sees only what it does itself and the files may run in any order.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from '@playwright/test';
import type { VerifierBundles } from './verifier-bundles.ts';

export type E2eFixture = {
  readonly dir: string;
  readonly dbPath: string;
  readonly importFile: string;
  readonly verifier: VerifierBundles;
  /** The demo's OFAC extract, imported: the list store the hosts read by version (screening-hits.spec.ts). */
  readonly listsDir: string;
};

export type HostState = {
  readonly url: string;
  readonly port: number;
  readonly importFile: string;
  readonly verifier: VerifierBundles;
};

export const FIXTURE_ENV = 'PERIMETER_E2E_FIXTURE';
export const STATE_ENV = 'PERIMETER_E2E_STATE';

const support = import.meta.dirname;
const root = join(support, '..', '..', '..');

const waitForJson = async (path: string, timeoutMs: number, what: string): Promise<string> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      if (text.endsWith('}')) return text;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not start within ${timeoutMs} ms`);
};

/** Runs a support script on the pinned Node until it has written `output`; returns the process and a stop. */
export const runUntilWritten = async (
  script: string,
  args: readonly string[],
  output: string,
  what: string,
): Promise<{ stop: () => Promise<void> }> => {
  const child = spawn(process.execPath, [join(support, script), ...args], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A script that writes its output and exits at once (the fixture builder) has done its work: only an exit without
  // the output written is a failure, whichever the polling sees first.
  const written = (): boolean => existsSync(output) && readFileSync(output, 'utf8').endsWith('}');
  await Promise.race([
    waitForJson(output, 60_000, what),
    exited.then((code) => {
      if (code === 0 && written()) return;
      throw new Error(`${what} exited (${code}) before it started`);
    }),
  ]);
  return {
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
};

/** Builds the fixture workstation (fixture.ts) and returns the path of its description. */
export const buildFixture = async (): Promise<string> => {
  const file = join(mkdtempSync(join(tmpdir(), 'perimeter-e2e-')), 'fixture.json');
  const built = await runUntilWritten('fixture.ts', [file], file, 'the e2e fixture');
  await built.stop();
  return file;
};

export const readFixture = (file: string): E2eFixture => JSON.parse(readFileSync(file, 'utf8')) as E2eFixture;

/** Starts a browser host on a fresh copy of the fixture workstation. */
export const startHost = async (fixtureFile: string): Promise<{ stateFile: string; stop: () => Promise<void> }> => {
  const stateDir = mkdtempSync(join(tmpdir(), 'perimeter-e2e-host-'));
  const stateFile = join(stateDir, 'host.json');
  const host = await runUntilWritten('host.ts', [fixtureFile, stateFile], stateFile, 'the e2e host');
  return {
    stateFile,
    stop: async () => {
      await host.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
};

/**
 * Call at the top of every spec file: its tests run against a browser host of their own, on a fresh copy of the
 * fixture workstation, started before the file's first test and stopped after its last.
 */
export const useFreshWorkstation = (): void => {
  let stop: (() => Promise<void>) | null = null;
  test.beforeAll(async () => {
    const fixture = process.env[FIXTURE_ENV];
    if (fixture === undefined)
      throw new Error(`${FIXTURE_ENV} is not set: run these tests through playwright.config.ts`);
    const host = await startHost(fixture);
    stop = host.stop;
    process.env[STATE_ENV] = host.stateFile;
  });
  test.afterAll(async () => {
    delete process.env[STATE_ENV];
    await stop?.();
  });
};
