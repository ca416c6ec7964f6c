// Runs the real `perimeter` CLI in a child process on the pinned Node 24, as a user would.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './examples.ts';

export type CliRun = { readonly status: number; readonly stdout: string; readonly stderr: string };

const pinnedNode = join(repoRoot, 'node_modules', 'node', 'bin', 'node');

export const runCli = (
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): CliRun => {
  const result = spawnSync(
    existsSync(pinnedNode) ? pinnedNode : process.execPath,
    [join(repoRoot, 'electron', 'cli', 'main.ts'), ...args],
    {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ...options.env },
      input: options.input,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
};

/** Runs a script on the pinned Node through peak-memory.ts: its output, and its peak resident memory in KiB. */
export const runMeasured = (script: string, args: readonly string[]): CliRun & { readonly peakKib: number } => {
  const result = spawnSync(
    existsSync(pinnedNode) ? pinnedNode : process.execPath,
    [join(repoRoot, 'test', 'support', 'peak-memory.ts'), script, ...args],
    { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const peak = /peak-rss-kib (\d+)/.exec(result.stderr);
  if (!peak) throw new Error(`no peak memory reported: ${result.stderr}`);
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, peakKib: Number(peak[1]) };
};

export const cliScript = join(repoRoot, 'electron', 'cli', 'main.ts');

/** Runs the CLI without blocking this process's event loop (a hub or host served by this process stays responsive). */
export const runCliAsync = (
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      existsSync(pinnedNode) ? pinnedNode : process.execPath,
      [join(repoRoot, 'electron', 'cli', 'main.ts'), ...args],
      { cwd: options.cwd ?? repoRoot, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
