// `npm start` without an Electron binary: the renderer built if needed, a demo workstation behind the browser host that
// serves the workstation page, every demo user's passphrase printed once and working.
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
  it('says why, builds the renderer if needed, creates the demo workstation, serves the workstation page, and every printed passphrase signs its user in', async () => {
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
        240_000,
      );
      expect(text).toMatch(/^Electron is not started: ELECTRON_OVERRIDE_DIST_PATH names .* which does not exist/m);
      expect(text).toMatch(
        /\d{4,} leads imported over the past week \(the fintech example and generated ones\), \d+ review cases opened/,
      );
      expect(text).toMatch(/screened against ofac-sdn \(120 entries\) and un-sc-consolidated \(128 entries\)/);
      expect(text).not.toMatch(/serving the api only/);
      const database = /Demo workstation: (\S+)/.exec(text)?.[1];
      demoDir = database ? dirname(database) : null;
      const passphrases = new Map(
        [...text.matchAll(/^ {2}([a-z-]+) +passphrase (\S+) /gm)].map(([, user, passphrase]) => [user!, passphrase!]),
      );
      expect([...passphrases.keys()].sort()).toEqual(['ada', 'avery', 'olga', 'omar', 'rep-olivia', 'sam', 'uma']);
      const [, origin, token] = /browser host: (http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/.exec(text) ?? [];

      // The page a newcomer opens is the workstation, not a 404.
      const page = await fetch(`${origin}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');

      const call = async (method: string, body: unknown): Promise<unknown> =>
        (
          await fetch(`${origin}/api/${method}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
        ).json();
      for (const userId of ['olga', 'ada']) {
        expect(await call('session.unlock', { userId, passphrase: passphrases.get(userId) })).toMatchObject({
          ok: true,
          value: { id: userId },
        });
        expect(await call('cases.list', {})).toMatchObject({ ok: true, value: { total: expect.any(Number) } });
        expect(await call('session.lock', {})).toMatchObject({ ok: true });
      }
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      if (demoDir?.includes('perimeter-demo-')) rmSync(demoDir, { recursive: true, force: true });
    }
  }, 300_000);
});
