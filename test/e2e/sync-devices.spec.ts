// The region's devices from an operations device (decision 0273), in a real browser against a real hub process: the
// hub's admin gives this workstation the operations capability; its operations admin sees the region's devices on the
// Sync screen, approves a pending field device (compared by fingerprint) and revokes it after a second click; the hub
// lists each decision. A compliance officer on the same workstation sees no device management.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page, TestInfo } from '@playwright/test';
import { expectAccessible, signIn, snap } from './support/app.ts';
import { runUntilWritten, useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

const dir = mkdtempSync(join(tmpdir(), 'perimeter-e2e-devices-'));
const hubState = join(dir, 'hub.json');
let stopHub: (() => Promise<void>) | null = null;
let hubUrl = '';
let adminToken = '';

test.beforeAll(async () => {
  stopHub = (await runUntilWritten('sync-hub.ts', [hubState], hubState, 'the e2e hub')).stop;
  ({ url: hubUrl, adminToken } = JSON.parse(readFileSync(hubState, 'utf8')) as { url: string; adminToken: string });
});
test.afterAll(async () => {
  await stopHub?.();
  rmSync(dir, { recursive: true, force: true });
});

const shot = async (page: Page, testInfo: TestInfo, name: string): Promise<void> => {
  await snap(page, testInfo, name);
  await page.screenshot({ path: `/tmp/perimeter-sync-devices-${name}.png`, fullPage: true });
};

type ListedDevice = { deviceId: string; fingerprint: string; status: string; operations: boolean };
const admin = async (path: string, method = 'POST'): Promise<Response> =>
  fetch(`${hubUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}` } });
const listed = async (): Promise<ListedDevice[]> =>
  ((await (await admin('/v1/admin/devices', 'GET')).json()) as { devices: ListedDevice[] }).devices;

test('an operations admin of an operations device approves and revokes a field device from the Sync screen', async ({
  page,
}, testInfo) => {
  await signIn(page, 'ada');
  await page
    .getByRole('banner')
    .getByRole('button', { name: /^Sync: / })
    .click();
  await page.getByLabel('Hub URL').fill(hubUrl);
  await page.getByLabel('Region', { exact: true }).fill('eu-west');
  await page.getByRole('button', { name: 'Enrol', exact: true }).click();
  await expect(page.getByLabel('Device key fingerprint')).toHaveText(/^[0-9a-f]{16}$/);
  const fingerprint = (await page.getByLabel('Device key fingerprint').textContent()) ?? '';
  const ownId = (await listed()).find((device) => device.fingerprint === fingerprint)!.deviceId;
  // The hub's admin approves this workstation with the operations capability.
  expect((await admin(`/v1/admin/devices/${ownId}/approve?admin=olga&operations=1`)).status).toBe(200);

  // A field device asks to enrol (its own workstation, in a process of its own).
  const fieldState = join(dir, 'field.json');
  await runUntilWritten('field-device.ts', [fieldState, hubUrl, 'field-7'], fieldState, 'the field device');
  const field = JSON.parse(readFileSync(fieldState, 'utf8')) as { deviceId: string; fingerprint: string };

  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Last run:' })).toContainText(/synced/);
  const devices = page.getByRole('region', { name: 'Devices of the region' });
  const row = devices.getByRole('row', { name: 'Device field-7' });
  await expect(row).toContainText('Awaiting approval');
  await expect(row).toContainText(field.fingerprint);
  await expect(devices.getByRole('row', { name: `Device ${ownId}` })).toContainText('(this workstation)');
  await expectAccessible(page, 'sync screen, devices of the region');
  await shot(page, testInfo, '01-pending-device');

  await row.getByRole('button', { name: 'Approve field-7' }).click();
  await expect(row).toContainText('Approved');
  await expect(devices.getByRole('status')).toContainText('device field-7 approved');
  await expect(row).toContainText('by ada');
  expect((await listed()).find((device) => device.deviceId === 'field-7')?.status).toBe('approved');
  await shot(page, testInfo, '02-approved');

  // Revocation is final: a second click confirms it.
  await row.getByRole('button', { name: 'Revoke field-7' }).click();
  await row.getByRole('button', { name: 'Confirm: revoke field-7 for good' }).click();
  await expect(row).toContainText('Revoked');
  await expect(devices.getByRole('status')).toContainText('device field-7 revoked');
  expect((await listed()).find((device) => device.deviceId === 'field-7')?.status).toBe('revoked');
  await expectAccessible(page, 'sync screen, device revoked');
  await shot(page, testInfo, '03-revoked');
});

test('a compliance officer on the operations device sees no device management', async ({ page }) => {
  await signIn(page, 'olga');
  await page
    .getByRole('banner')
    .getByRole('button', { name: /^Sync: / })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sync with the regional hub' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Devices of the region' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Approve / })).toHaveCount(0);
});
