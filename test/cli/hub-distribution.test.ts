// `perimeter hub` distribution commands as an operations admin runs them (decisions 0253, 0256): the publisher key
// file, registering it at the hub, publishing a policy bundle and a list version with their exit codes, the listing of
// statements and of superseded decisions, and the same through the admin api behind its token.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, bytesToHex, utf8Bytes } from '../../core/audit/bytes.ts';
import { signDistribution } from '../../core/sync/distribution.ts';
import { nodeSha256 } from '../../hub/service.ts';
import { examplesDir, repoRoot, sharedData } from '../support/examples.ts';
import { withoutApprovals } from '../support/workstation.ts';

const bin = join(repoRoot, 'bin', 'perimeter.mjs');
const hub = (args: readonly string[]) => {
  const result = spawnSync(process.execPath, [bin, 'hub', ...args], { encoding: 'utf8' });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
};
const dir = mkdtempSync(join(tmpdir(), 'perimeter-hub-distrib-cli-'));
const keyFile = join(dir, 'hub-keys.json');
const publisherFile = join(dir, 'publisher.json');
const store = `sqlite:${join(dir, 'hub.db')}`;
const at = ['--store', store, '--key', keyFile];
const policyFile = join(dir, 'policy.yaml');
writeFileSync(policyFile, withoutApprovals(readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8')));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
});

let verifierKey = '';

describe('perimeter hub distribution', () => {
  it('makes a publisher key file readable by its owner only and prints the verifier key to pin', () => {
    expect(hub(['init-key', '--region', 'eu-west', '--out', keyFile]).status).toBe(0);
    const made = hub(['init-publisher-key', '--region', 'eu-west', '--out', publisherFile]);
    expect(made.status).toBe(0);
    verifierKey = made.stdout.trim().split('\n').at(-1)!;
    expect(verifierKey).toMatch(/^perimeter-publisher\/eu-west\+[0-9a-f]{8}\+/);
    expect(statSync(publisherFile).mode & 0o777).toBe(0o600);
    expect(hub(['init-publisher-key', '--region', 'eu-west', '--out', publisherFile]).status).toBe(2);
  });

  it('publishes only under a registered publisher key, and a valid bundle only', () => {
    const publish = ['publish-policy', ...at, '--publisher-key', publisherFile, '--admin', 'olga'];
    const unregistered = hub([...publish, '--file', policyFile]);
    expect(unregistered.status).toBe(1);
    expect(unregistered.stderr).toMatch(/no signature on the statement verifies against a registered publisher key/);
    expect(hub(['add-publisher', ...at, '--verifier-key', 'nonsense', '--admin', 'olga']).status).toBe(2);
    const added = hub(['add-publisher', ...at, '--verifier-key', verifierKey, '--admin', 'olga']);
    expect(added.status).toBe(0);
    expect(added.stdout).toMatch(/added/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: [\n');
    const invalid = hub([...publish, '--file', bad]);
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toMatch(/bad.yaml is not a valid policy/);
    const done = hub([...publish, '--file', policyFile]);
    expect(done.status).toBe(0);
    expect(done.stdout).toMatch(/^published policy sequence 1: 2026\.11-1 \(sha256:[0-9a-f]{64}\)$/m);
  });

  it('publishes a list version from its source files and lists every statement', () => {
    const list = hub([
      'publish-list',
      ...at,
      '--publisher-key',
      publisherFile,
      '--source',
      'blocklist',
      '--list-id',
      'internal',
      '--admin',
      'olga',
      join(sharedData, 'sanctions', 'blocked.txt'),
    ]);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^published list:internal sequence 1/);
    const listed = hub(['distributions', ...at]);
    expect(listed.status).toBe(0);
    expect(
      listed.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('\t').slice(0, 2)),
    ).toEqual([
      ['list:internal', '1'],
      ['policy', '1'],
    ]);
    const superseded = hub(['superseded', ...at]);
    expect(superseded).toMatchObject({ status: 0, stdout: '' });
  });

  it('takes a statement signed elsewhere through the admin api, behind the admin token', async () => {
    const child = spawn(process.execPath, [bin, 'hub', '--region', 'eu-west', ...at, '--listen', '127.0.0.1:0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /listening on (\S+)/.exec(out)?.[1];
        if (found) resolve(found);
      });
      child.on('exit', (code) => reject(new Error(`the hub exited (${code}): ${out}`)));
    });
    const token = (JSON.parse(readFileSync(keyFile, 'utf8')) as { adminToken: string }).adminToken;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const seed = base64ToBytes((JSON.parse(readFileSync(publisherFile, 'utf8')) as { seed: string }).seed)!;
    const content = utf8Bytes(readFileSync(policyFile, 'utf8').replace('version: 2026.11-1', 'version: 2026.12-1'));
    const note = signDistribution(
      {
        region: 'eu-west',
        stream: 'policy',
        sequence: 2,
        kind: 'policy',
        version: 'whatever-the-publisher-says',
        label: '2026.12-1',
        contentSha256: bytesToHex(nodeSha256(content)),
        publishedAt: '2026-12-07T10:00:00.000Z',
      },
      { name: 'perimeter-publisher/eu-west', seed },
      nodeSha256,
    );
    const body = JSON.stringify({ note, content: bytesToBase64(content) });
    expect((await fetch(`${url}/v1/admin/distributions`, { method: 'POST', body })).status).toBe(401);
    const posted = await fetch(`${url}/v1/admin/distributions?admin=olga`, { method: 'POST', headers, body });
    expect(posted.status).toBe(201);
    expect(await posted.json()).toMatchObject({ stream: 'policy', sequence: 2, label: '2026.12-1' });
    const again = await fetch(`${url}/v1/admin/distributions?admin=olga`, { method: 'POST', headers, body });
    expect(again.status).toBe(409);
    const listed = (await (await fetch(`${url}/v1/admin/distributions`, { headers })).json()) as {
      publishers: string[];
      distributions: { stream: string; sequence: number; receivedBy: string }[];
    };
    expect(listed.publishers).toEqual([verifierKey]);
    expect(listed.distributions.map((d) => `${d.stream}#${d.sequence} ${d.receivedBy}`)).toEqual([
      'list:internal#1 olga',
      'policy#1 olga',
      'policy#2 olga',
    ]);
    const superseded = await fetch(`${url}/v1/admin/superseded-decisions`, { headers });
    expect(await superseded.json()).toEqual({ decisions: [] });
  });
});
