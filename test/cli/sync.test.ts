// `perimeter sync enrol|push|pull|status` as an operator runs them, against a real hub (`perimeter hub`) in its own
// process on 127.0.0.1: another region refused, pending, approved through the hub's admin api, the hub down (exit 2,
// offline), revoked (exit 1, shown as revoked).
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialiseWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import { repoRoot, examplesDir } from '../support/examples.ts';
import { runCliAsync } from '../support/cli.ts';
import { TEST_SCRYPT } from '../support/workstation.ts';
import { withoutApprovals } from '../support/policy-text.ts';

const bin = join(repoRoot, 'bin', 'perimeter.mjs');
const pinnedNode = join(repoRoot, 'node_modules', 'node', 'bin', 'node');
const dir = mkdtempSync(join(tmpdir(), 'perimeter-sync-cli-'));
const keyFile = join(dir, 'hub-keys.json');
const store = `sqlite:${join(dir, 'hub.db')}`;
const db = join(dir, 'workstation.db');
const passphrase = 'correct horse battery staple';
const env = { PERIMETER_USER: 'ada', PERIMETER_PASSPHRASE: passphrase };

let hubProcess: ChildProcess | null = null;
let url = '';

const startHub = (listen: string): Promise<string> =>
  new Promise((resolve, reject) => {
    // The hub's own CLI on the pinned Node, not through bin/perimeter.mjs (whose spawnSync would outlive a kill).
    const child = spawn(
      existsSync(pinnedNode) ? pinnedNode : process.execPath,
      [join(repoRoot, 'hub', 'cli.ts'), '--region', 'eu-west', '--store', store, '--key', keyFile, '--listen', listen],
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

const admin = async (path: string): Promise<Response> =>
  fetch(`${url}${path}`, {
    method: path.includes('/devices/') ? 'POST' : 'GET',
    headers: {
      authorization: `Bearer ${(JSON.parse(readFileSync(keyFile, 'utf8')) as { adminToken: string }).adminToken}`,
    },
  });

const sync = (...args: string[]) => runCliAsync(['sync', ...args, '--db', db], { env });
const status = async (): Promise<Record<string, unknown>> => {
  const run = await sync('status');
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
};

beforeAll(async () => {
  expect(spawnSync(process.execPath, [bin, 'hub', 'init-key', '--region', 'eu-west', '--out', keyFile]).status).toBe(0);
  url = await startHub('127.0.0.1:0');
  initialiseWorkstation(
    {
      path: db,
      logId: 'field-cli',
      admin: { id: 'ada', name: 'Ada Admin', passphrase },
      policyText: withoutApprovals(readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8')),
    },
    { now: () => new Date(), scryptCost: TEST_SCRYPT },
  ).workstation.close();
}, 60_000);

afterAll(stopHub);

describe('perimeter sync', () => {
  it('says "not enrolled" and refuses to push before enrolment (exit 1)', async () => {
    expect(await status()).toMatchObject({ enrolled: false, online: null });
    const push = await sync('push');
    expect(push.status).toBe(1);
    expect(push.stderr).toMatch(/not enrolled with a regional hub/);
  });

  it('refuses a hub of another region (exit 1) and a malformed hub URL (exit 2)', async () => {
    const wrong = await sync('enrol', '--hub', url, '--region', 'ap-south');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/serves region eu-west, not ap-south/);
    const bad = await sync('enrol', '--hub', 'hub.internal', '--region', 'eu-west');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/option --hub: an http/);
    expect(await status()).toMatchObject({ enrolled: false });
  });

  it('enrols (pending, with the fingerprint the hub lists), pushes once approved, and pulls', async () => {
    const enrol = await sync('enrol', '--hub', url, '--region', 'eu-west');
    expect(enrol.status, enrol.stderr).toBe(0);
    const fingerprint = /fingerprint ([0-9a-f]{16})/.exec(enrol.stdout)?.[1];
    const listed = (await (await admin('/v1/admin/devices')).json()) as {
      devices: { deviceId: string; fingerprint: string; status: string }[];
    };
    expect(listed.devices).toEqual([
      expect.objectContaining({ deviceId: 'field-cli', fingerprint, status: 'pending' }),
    ]);
    expect(await status()).toMatchObject({ enrolled: true, standing: 'pending', fingerprint, region: 'eu-west' });

    const pending = await sync('push');
    expect(pending.status).toBe(1);
    expect(pending.stderr).toMatch(/not approved yet/);

    expect((await admin('/v1/admin/devices/field-cli/approve?admin=olga')).status).toBe(200);
    const push = await sync('push');
    expect(push.status, push.stderr).toBe(0);
    expect(JSON.parse(push.stdout)).toMatchObject({ entriesSent: expect.any(Number) });
    expect((JSON.parse(push.stdout) as { entriesSent: number }).entriesSent).toBeGreaterThan(0);
    const pull = await sync('pull');
    expect(pull.status, pull.stderr).toBe(0);
    const after = await status();
    expect(after).toMatchObject({ standing: 'approved', online: true });
    // Left to push: what was logged after the push's checkpoint (its sync.pushed, the later sign-ins).
    expect(after.pendingPush).toBeGreaterThan(0);
    expect(after.pendingPush).toBeLessThan(5);
    expect(after.lastSyncAt).toEqual(expect.any(String));
  }, 60_000);

  it('once pinned, refuses a lead of another region at intake: exit 1, the record and both regions named', async () => {
    const lead = (id: string, name: string, country: string, city: string) => ({
      id,
      customerType: 'professional',
      kycStatus: 'verified',
      amlDocumentation: 'complete',
      screening: { screenedAt: '2026-11-20T09:00:00Z', hits: [] },
      productInterests: ['business-payments'],
      company: { name, industry: 'software' },
      address: { line1: '1 Main Street', city, postalCode: '10001', country },
      kycPrescreenJurisdiction: country,
    });
    const file = join(dir, 'mixed.jsonl');
    writeFileSync(
      file,
      [lead('CLI-GB-1', 'Moorgate Ledger Ltd', 'GB', 'London'), lead('CLI-AE-1', 'Creek Trading LLC', 'AE', 'Dubai')]
        .map((record) => JSON.stringify(record))
        .join('\n'),
    );
    const run = await runCliAsync(['leads', 'import', '--db', db, '--user', 'ada', '--mode', 'valid', file], { env });
    expect(run.status, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ imported: 1, rejected: 1 });
    expect(run.stderr).toMatch(/line 2.*residency.*region me-central .*pinned to region eu-west/);
  }, 60_000);

  it('on an operations device: lists the region, approves a pending device and revokes it (decision 0273)', async () => {
    // Without the capability the hub refuses (exit 1); the hub's admin grants it with the approval.
    const before = await sync('devices');
    expect(before.status).toBe(1);
    expect(before.stderr).toMatch(/may not manage devices/);
    expect((await admin('/v1/admin/devices/field-cli/approve?admin=olga&operations=1')).status).toBe(200);
    // A second workstation asks to enrol.
    const db2 = join(dir, 'workstation-2.db');
    initialiseWorkstation(
      {
        path: db2,
        logId: 'field-cli-2',
        admin: { id: 'ada', name: 'Ada Admin', passphrase },
        policyText: withoutApprovals(readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8')),
      },
      { now: () => new Date(), scryptCost: TEST_SCRYPT },
    ).workstation.close();
    const enrol2 = await runCliAsync(['sync', 'enrol', '--db', db2, '--hub', url, '--region', 'eu-west'], { env });
    expect(enrol2.status, enrol2.stderr).toBe(0);
    const listed = await sync('devices');
    expect(listed.status, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { devices: unknown[] }).devices).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ deviceId: 'field-cli-2', status: 'pending' }),
        expect.objectContaining({ deviceId: 'field-cli', operations: true }),
      ]),
    );
    const approve = await sync('approve', '--device', 'field-cli-2', '--markets', 'UK');
    expect(approve.status, approve.stderr).toBe(0);
    expect(JSON.parse(approve.stdout)).toMatchObject({
      deviceId: 'field-cli-2',
      status: 'approved',
      approvedMarkets: ['UK'],
    });
    const self = await sync('revoke', '--device', 'field-cli');
    expect(self.status).toBe(1);
    expect(self.stderr).toMatch(/does not decide on itself/);
    const revoke = await sync('revoke', '--device', 'field-cli-2');
    expect(revoke.status, revoke.stderr).toBe(0);
    expect(JSON.parse(revoke.stdout)).toMatchObject({ deviceId: 'field-cli-2', status: 'revoked' });
    const push2 = await runCliAsync(['sync', 'push', '--db', db2], { env });
    expect(push2.status).toBe(1);
    expect(push2.stderr).toMatch(/revoked/);
  }, 120_000);

  it('with the hub down: exit 2, "unreachable", and the status says offline', async () => {
    await stopHub();
    const push = await sync('push');
    expect(push.status).toBe(2);
    expect(push.stderr).toMatch(/unreachable/);
    expect(await status()).toMatchObject({ online: false, standing: 'approved' });
  });

  it('once revoked at the hub: exit 1, and the status shows revoked', async () => {
    url = await startHub(new URL(url).host);
    expect((await admin('/v1/admin/devices/field-cli/revoke?admin=olga')).status).toBe(200);
    const push = await sync('push');
    expect(push.status).toBe(1);
    expect(push.stderr).toMatch(/revoked/);
    expect(await status()).toMatchObject({ online: true, standing: 'revoked' });
  }, 60_000);
});
