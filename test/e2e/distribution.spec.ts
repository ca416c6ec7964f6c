// Signed distribution in the workstation (issue 15, decision 0276): an operations admin enrols the workstation with a
// real hub (its own process), pins the firm's publisher key, sees the published policy pending, fetches and activates
// it (the version it replaced is kept); a statement whose signature was tampered with is refused with a clear message
// and the activated version stays in force.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { expectAccessible, signIn, snap } from './support/app.ts';
import { runUntilWritten, useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

const hubDir = mkdtempSync(join(tmpdir(), 'perimeter-e2e-distribution-hub-'));
const hubState = join(hubDir, 'hub.json');
let stopHub: (() => Promise<void>) | null = null;
let hub: { url: string; adminToken: string; publisherKey: string; pid: number };

test.beforeAll(async () => {
  stopHub = (await runUntilWritten('distribution-hub.ts', [hubState], hubState, 'the distribution hub')).stop;
  hub = JSON.parse(readFileSync(hubState, 'utf8')) as typeof hub;
});
test.afterAll(async () => {
  await stopHub?.();
  rmSync(hubDir, { recursive: true, force: true });
});

const admin = (path: string, method = 'POST'): Promise<Response> =>
  fetch(`${hub.url}${path}`, { method, headers: { authorization: `Bearer ${hub.adminToken}` } });

test('pins the publisher key, activates a published policy, and refuses a tampered signature keeping it in force', async ({
  page,
}, testInfo) => {
  await signIn(page, 'ada');
  await page
    .getByRole('banner')
    .getByRole('button', { name: /^Sync: / })
    .click();
  await page.getByLabel('Hub URL').fill(hub.url);
  await page.getByLabel('Region', { exact: true }).fill('eu-west');
  await page.getByRole('button', { name: 'Enrol', exact: true }).click();
  const fingerprint = page.getByLabel('Device key fingerprint');
  await expect(fingerprint).toHaveText(/^[0-9a-f]{16}$/);
  const listed = (await (await admin('/v1/admin/devices', 'GET')).json()) as {
    devices: { deviceId: string; fingerprint: string }[];
  };
  const printed = await fingerprint.textContent();
  const device = listed.devices.find((d) => d.fingerprint === printed);
  expect((await admin(`/v1/admin/devices/${device!.deviceId}/approve?admin=olga`)).status).toBe(200);

  const section = page.getByRole('region', { name: 'Distributed policy and lists' });
  await expect(section).toContainText('none pinned: nothing distributed can be activated');
  await expect(section.getByRole('button', { name: 'Fetch and activate' })).toBeDisabled();
  const active = section.getByTestId('active-policy');
  await expect(active).toContainText('2026.11-1 (published on this workstation');

  // A key that is not a verifier key is refused in words; the publisher's key is pinned and shown by name and key id.
  await section.getByLabel('Publisher verifier key').fill('not a key');
  await section.getByRole('button', { name: 'Pin key' }).click();
  await expect(section.getByRole('alert')).toContainText('not a signed-note verifier key');
  await section.getByLabel('Publisher verifier key').fill(hub.publisherKey);
  await section.getByRole('button', { name: 'Pin key' }).click();
  await expect(section.getByLabel('Pinned publisher key')).toHaveText(
    hub.publisherKey.split('+').slice(0, 2).join('+'),
  );

  // The hub's listing: the policy is pending.
  await section.getByRole('button', { name: 'Check the hub' }).click();
  await expect(section.getByTestId('state-policy')).toHaveText('pending: newer at the hub');
  await expect(section.getByRole('row', { name: /Policy bundle/ })).toContainText('2026.12-1, sequence 1');
  await snap(page, testInfo, '01-distribution-pending');
  await expectAccessible(page, 'the distribution section, pending');

  // Fetched, verified and activated; the version it replaced is kept.
  await section.getByRole('button', { name: 'Fetch and activate' }).click();
  await expect(section.getByRole('status')).toContainText('policy 2026.12-1');
  await expect(section.getByRole('status')).toContainText('is active');
  await expect(active).toContainText('2026.12-1 (distributed, sequence 1');
  await expect(section.getByTestId('previous-policy')).toHaveText('2026.11-1');
  await expect(section.getByTestId('state-policy')).toHaveText('up to date');
  await snap(page, testInfo, '02-distribution-activated');

  // The hub now serves sequence 2 with a tampered signature: refused, in words; sequence 1 stays in force.
  process.kill(hub.pid, 'SIGUSR2');
  await expect.poll(() => existsSync(`${hubState}.tampered`)).toBe(true);
  await section.getByRole('button', { name: 'Check the hub' }).click();
  await expect(section.getByTestId('state-policy')).toHaveText('pending: newer at the hub');
  await section.getByRole('button', { name: 'Fetch and activate' }).click();
  const refused = section.getByRole('status');
  await expect(refused).toContainText('Last distribution run refused: policy sequence 2 refused');
  await expect(refused).toContainText(/2026\.12-1 \(sha256:[0-9a-f]+\) stays in force/);
  await expect(active).toContainText('2026.12-1 (distributed, sequence 1');
  await expect(section.getByRole('row', { name: /Policy bundle/ })).toContainText('sequence 2: untrusted_signature');
  await snap(page, testInfo, '03-distribution-refused');
  await expectAccessible(page, 'the distribution section, refused');
});
