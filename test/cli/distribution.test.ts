// `perimeter distribution status|fetch|pin-key` as an operator runs them, against a real hub (`perimeter hub`) in its
// own process on 127.0.0.1 with a policy published under the firm's publisher key: not enrolled (exit 1), no key
// pinned (exit 1), a key pinned by an operations admin, the policy pending, fetched and activated (exit 0), nothing new
// afterwards, and the hub down (exit 2).
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialiseWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import { runCliAsync } from '../support/cli.ts';
import { relabelledFintech } from '../support/distribution.ts';
import { repoRoot } from '../support/examples.ts';
import { TEST_SCRYPT } from '../support/workstation.ts';

const bin = join(repoRoot, 'bin', 'perimeter.mjs');
const pinnedNode = join(repoRoot, 'node_modules', 'node', 'bin', 'node');
const dir = mkdtempSync(join(tmpdir(), 'perimeter-distribution-cli-'));
const keyFile = join(dir, 'hub-keys.json');
const publisherFile = join(dir, 'publisher.json');
const store = `sqlite:${join(dir, 'hub.db')}`;
const db = join(dir, 'workstation.db');
const passphrase = 'correct horse battery staple';
const env = { PERIMETER_USER: 'ada', PERIMETER_PASSPHRASE: passphrase };
const hubCli = (...args: string[]) => spawnSync(process.execPath, [bin, 'hub', ...args], { encoding: 'utf8' });

let hubProcess: ChildProcess | null = null;
let url = '';
let publisherKey = '';

const startHub = (): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      existsSync(pinnedNode) ? pinnedNode : process.execPath,
      [
        join(repoRoot, 'hub', 'cli.ts'),
        '--region',
        'eu-west',
        '--store',
        store,
        '--key',
        keyFile,
        '--listen',
        '127.0.0.1:0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    hubProcess = child;
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /listening on (\S+)/.exec(out)?.[1];
      if (found && out.split('\n').length >= 3) resolve(found);
    });
    child.on('exit', (code) => reject(new Error(`the hub exited (${code}) before listening: ${out}`)));
  });
const stopHub = async (): Promise<void> => {
  const child = hubProcess;
  hubProcess = null;
  if (!child || child.exitCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
};

const distribution = (...args: string[]) => runCliAsync(['distribution', ...args, '--db', db], { env });

beforeAll(async () => {
  expect(hubCli('init-key', '--region', 'eu-west', '--out', keyFile).status).toBe(0);
  const made = hubCli('init-publisher-key', '--region', 'eu-west', '--out', publisherFile);
  expect(made.status).toBe(0);
  publisherKey = made.stdout.trim().split('\n').at(-1)!;
  const at = ['--store', store, '--key', keyFile];
  expect(hubCli('add-publisher', ...at, '--verifier-key', publisherKey, '--admin', 'olga').status).toBe(0);
  const policyFile = join(dir, 'policy.yaml');
  writeFileSync(policyFile, relabelledFintech('2026.12-1'));
  const published = hubCli(
    'publish-policy',
    ...at,
    '--publisher-key',
    publisherFile,
    '--file',
    policyFile,
    '--admin',
    'olga',
  );
  expect(published.status, published.stderr).toBe(0);
  url = await startHub();
  initialiseWorkstation(
    {
      path: db,
      logId: 'field-dist',
      admin: { id: 'ada', name: 'Ada Admin', passphrase },
      policyText: relabelledFintech('2026.11-1'),
    },
    { now: () => new Date(), scryptCost: TEST_SCRYPT },
  ).workstation.close();
}, 90_000);
afterAll(stopHub);

describe('perimeter distribution', () => {
  it('refuses to ask the hub before enrolment (exit 1), and shows the local policy offline', async () => {
    const status = await distribution('status');
    expect(status.status).toBe(1);
    expect(status.stderr).toMatch(/not enrolled with a regional hub/);
    const offline = await distribution('status', '--offline');
    expect(offline.status, offline.stderr).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({
      enrolled: false,
      publisherKey: null,
      streams: [{ stream: 'policy', active: { label: '2026.11-1', sequence: null }, hub: null, pending: false }],
    });
  }, 60_000);

  it('pins the publisher key, shows the published policy pending, fetches and activates it', async () => {
    const enrol = await runCliAsync(['sync', 'enrol', '--db', db, '--hub', url, '--region', 'eu-west'], { env });
    expect(enrol.status, enrol.stderr).toBe(0);
    const token = (JSON.parse(readFileSync(keyFile, 'utf8')) as { adminToken: string }).adminToken;
    const approved = await fetch(`${url}/v1/admin/devices/field-dist/approve?admin=olga`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(approved.status).toBe(200);

    const unpinned = await distribution('fetch');
    expect(unpinned.status).toBe(1);
    expect(unpinned.stderr).toMatch(/no publisher key is pinned/);
    const bad = await distribution('pin-key', '--key', 'nonsense');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/not a signed-note verifier key/);
    const pinned = await distribution('pin-key', '--key', publisherKey);
    expect(pinned.status, pinned.stderr).toBe(0);
    expect(pinned.stdout).toMatch(/^pinned publisher key perimeter-publisher\/eu-west\+[0-9a-f]{8} in entry \d+$/m);

    const pending = await distribution('status');
    expect(pending.status, pending.stderr).toBe(0);
    expect(JSON.parse(pending.stdout)).toMatchObject({
      publisherKey,
      streams: [{ stream: 'policy', hub: { sequence: 1, label: '2026.12-1' }, pending: true }],
    });

    const fetched = await distribution('fetch');
    expect(fetched.status, fetched.stderr).toBe(0);
    expect(JSON.parse(fetched.stdout)).toMatchObject({
      ok: true,
      results: [{ stream: 'policy', sequence: 1, status: 'activated' }],
    });
    const after = JSON.parse((await distribution('status', '--offline')).stdout) as unknown;
    expect(after).toMatchObject({
      streams: [{ active: { label: '2026.12-1', sequence: 1 }, previous: { label: '2026.11-1' } }],
    });
    const again = await distribution('fetch');
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, message: 'up to date: nothing newer at the hub' });
  }, 90_000);

  it('with the hub down: exit 2, unreachable', async () => {
    await stopHub();
    const down = await distribution('fetch');
    expect(down.status).toBe(2);
    expect(down.stderr).toMatch(/unreachable/);
  }, 60_000);
});
