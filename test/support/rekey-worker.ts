// Runs test/support/rekey-crash-worker.ts in a child process (ada rotates the database key) and resolves with its
// stdout once it has been SIGKILLed: at a named step of the hand-over, or by us `killAfterMs` after it is ready.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RekeyStep } from '../../electron/services/store/rekey.ts';
import { repoRoot } from './examples.ts';
import { ADMIN_PASSPHRASE } from './workstation.ts';

const pinnedNode = join(repoRoot, 'node_modules', 'node', 'bin', 'node');

export const runRekeyWorker = (path: string, killAt: RekeyStep | 'loop', killAfterMs?: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      existsSync(pinnedNode) ? pinnedNode : process.execPath,
      [join(repoRoot, 'test', 'support', 'rekey-crash-worker.ts'), path, killAt],
      { env: { ...process.env, CRASH_PASSPHRASE: ADMIN_PASSPHRASE }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    let timerStarted = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      // The clock starts when the worker is ready, so a kill lands among the rotations.
      if (killAfterMs !== undefined && out.startsWith('ready\n') && !timerStarted) {
        timerStarted = true;
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(out) : reject(new Error(`worker ended without being killed: ${err}`)),
    );
  });
