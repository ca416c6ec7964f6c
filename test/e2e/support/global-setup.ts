// Playwright global setup: builds the renderer when its sources are newer than the build, then starts the e2e host.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRendererIfNeeded } from '../../../scripts/renderer-build.ts';

const root = join(import.meta.dirname, '..', '..', '..');

const waitForFile = async (path: string, timeoutMs: number): Promise<string> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      if (text.endsWith('}')) return text;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the e2e host did not start within ${timeoutMs} ms`);
};

export default async function globalSetup(): Promise<() => Promise<void>> {
  buildRendererIfNeeded(root, (line) => process.stdout.write(`${line}\n`));
  const stateFile = join(mkdtempSync(join(tmpdir(), 'perimeter-e2e-')), 'host.json');
  const host = spawn(process.execPath, [join(root, 'test', 'e2e', 'support', 'host.ts'), stateFile], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => host.once('exit', () => resolve()));
  await Promise.race([
    waitForFile(stateFile, 60_000),
    exited.then(() => {
      throw new Error('the e2e host exited before it started');
    }),
  ]);
  process.env['PERIMETER_E2E_STATE'] = stateFile;
  return async () => {
    host.kill('SIGTERM');
    await exited;
  };
}
