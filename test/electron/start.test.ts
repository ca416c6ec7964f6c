// `npm start` without an Electron binary: a demo workstation behind the browser host, signed in with the printed passphrase.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

const waitForLines = (
  child: ReturnType<typeof spawn>,
  done: (text: string) => boolean,
  timeoutMs: number,
): Promise<string> =>
  new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no URL within ${timeoutMs} ms:\n${text}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (done(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`start.mjs exited with ${code}:\n${text}`));
    });
  });

describe('npm start without the Electron binary', () => {
  it('says why, creates a demo workstation with the example leads, and serves it with a working passphrase', async () => {
    const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], {
      cwd: root,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: join(root, 'test-results', 'no-electron-here') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let demoDir: string | null = null;
    try {
      const text = await waitForLines(
        child,
        (seen) => /browser host: http:\/\/127\.0\.0\.1:\d+\/#token=\S+/.test(seen),
        60_000,
      );
      expect(text).toMatch(/^Electron is not started: ELECTRON_OVERRIDE_DIST_PATH names .* which does not exist/m);
      expect(text).toMatch(/\d+ example leads imported, \d+ review cases opened/);
      const database = /Demo workstation: (\S+)/.exec(text)?.[1];
      demoDir = database ? dirname(database) : null;
      const passphrase = /user "ada" with the passphrase (\S+)/.exec(text)?.[1];
      const [, origin, token] = /browser host: (http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/.exec(text) ?? [];
      const call = async (method: string, body: unknown): Promise<unknown> =>
        (
          await fetch(`${origin}/api/${method}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
        ).json();
      expect(await call('session.unlock', { userId: 'ada', passphrase })).toMatchObject({
        ok: true,
        value: { id: 'ada' },
      });
      expect(await call('cases.list', {})).toMatchObject({ ok: true, value: { total: expect.any(Number) } });
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      if (demoDir?.includes('perimeter-demo-')) rmSync(demoDir, { recursive: true, force: true });
    }
  });
});
