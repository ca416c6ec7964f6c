// `perimeter hub` through bin/perimeter.mjs as an operator runs it: the key file, the server and its identity, TLS
// required outside loopback, a key file of another region refused, approve-device and revoke-device with their exit
// codes, and the admin api behind its token.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/examples.ts';

const bin = join(repoRoot, 'bin', 'perimeter.mjs');
const hub = (args: readonly string[]) => {
  const result = spawnSync(process.execPath, [bin, 'hub', ...args], { encoding: 'utf8' });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
};
const dir = mkdtempSync(join(tmpdir(), 'perimeter-hub-cli-'));
const keyFile = join(dir, 'hub-keys.json');
const store = `sqlite:${join(dir, 'hub.db')}`;
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
});

const serve = (args: readonly string[]): Promise<{ url: string; identity: Record<string, string> }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'hub', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const lines = out.split('\n');
      if (lines.length >= 3) {
        const url = /listening on (\S+)/.exec(lines[0]!)?.[1];
        if (url) resolve({ url, identity: JSON.parse(lines[1]!) as Record<string, string> });
      }
    });
    child.on('exit', (code) => reject(new Error(`the hub exited (${code}) before listening: ${out}`)));
  });

describe('perimeter hub', () => {
  it('makes a key file readable by its owner only, and never overwrites it', () => {
    expect(hub(['init-key', '--region', 'eu-west', '--out', keyFile]).status).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const again = hub(['init-key', '--region', 'eu-west', '--out', keyFile]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    expect(JSON.parse(readFileSync(keyFile, 'utf8'))).toMatchObject({
      format: 'perimeter-hub-keys',
      region: 'eu-west',
    });
  });

  it('refuses a key file of another region, and a listener outside loopback without TLS', () => {
    const wrong = hub(['--region', 'ap-south', '--store', store, '--key', keyFile]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/region eu-west's, not ap-south's/);
    const open = hub(['--region', 'eu-west', '--store', store, '--key', keyFile, '--listen', '0.0.0.0:0']);
    expect(open.status).toBe(2);
    expect(open.stderr).toMatch(/outside loopback: give it --tls-cert and --tls-key/);
  });

  it('serves its identity, and its admin api only with the admin token', async () => {
    const { url, identity } = await serve([
      '--region',
      'eu-west',
      '--store',
      store,
      '--key',
      keyFile,
      '--listen',
      '127.0.0.1:0',
    ]);
    expect(identity).toMatchObject({ region: 'eu-west', logOrigin: 'perimeter-hub/eu-west/log' });
    expect(identity.witness).toMatch(/^perimeter-hub\/eu-west\/witness\+[0-9a-f]{8}\+/);
    expect((await fetch(`${url}/v1/admin/devices`)).status).toBe(401);
    const token = (JSON.parse(readFileSync(keyFile, 'utf8')) as { adminToken: string }).adminToken;
    const listed = await fetch(`${url}/v1/admin/devices`, { headers: { authorization: `Bearer ${token}` } });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual({ devices: [] });
    const unknown = await fetch(`${url}/v1/admin/devices/ghost/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(unknown.status).toBe(404);
    // A device request without its signature headers is refused.
    expect((await fetch(`${url}/v1/origins`)).status).toBe(401);
  });

  it('approve-device refuses a device that never asked (exit 1)', () => {
    const result = hub(['approve-device', '--store', store, '--key', keyFile, '--device', 'ghost', '--admin', 'olga']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/no device ghost has asked to enrol/);
  });
});
