// Sync in the workstation (issue 15): an operations admin enrols the workstation with a real regional hub (served on
// 127.0.0.1 by this spec's process), reads the fingerprint, the hub's admin approves it through the hub's admin api,
// "Sync now" pushes and the status changes; with the hub stopped, "Sync now" fails in words and the header says Offline.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page, TestInfo } from '@playwright/test';
import { expectAccessible, signIn, snap } from './support/app.ts';
import { runUntilWritten, useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

// The hub runs in a process of its own (support/sync-hub.ts), so stopping it is a real outage for the workstation.
const hubDir = mkdtempSync(join(tmpdir(), 'perimeter-e2e-hub-'));
const hubState = join(hubDir, 'hub.json');
let stopHub: (() => Promise<void>) | null = null;
let hubUrl = '';
let adminToken = '';

test.beforeAll(async () => {
  stopHub = (await runUntilWritten('sync-hub.ts', [hubState], hubState, 'the e2e hub')).stop;
  ({ url: hubUrl, adminToken } = JSON.parse(readFileSync(hubState, 'utf8')) as { url: string; adminToken: string });
});
test.afterAll(async () => {
  await stopHub?.();
  rmSync(hubDir, { recursive: true, force: true });
});

const shot = async (page: Page, testInfo: TestInfo, name: string): Promise<void> => {
  await snap(page, testInfo, name);
  await page.screenshot({ path: `/tmp/perimeter-sync-${name}.png` });
};

const indicator = (page: Page) => page.getByRole('banner').getByRole('button', { name: /^Sync: / });

const admin = (path: string, method = 'POST'): Promise<Response> =>
  fetch(`${hubUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}` } });

test('an operations admin enrols the workstation, the hub approves it, sync now pushes; offline when the hub is down', async ({
  page,
}, testInfo) => {
  await signIn(page, 'ada');
  await expect(indicator(page)).toHaveAccessibleName(/Sync: Not enrolled/);
  await indicator(page).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sync with the regional hub' })).toBeVisible();
  await expect(page.getByText('Not enrolled.')).toBeVisible();
  await expectAccessible(page, 'sync screen, not enrolled');
  await shot(page, testInfo, '01-not-enrolled');

  // A hub of another region is refused, in words.
  await page.getByLabel('Hub URL').fill(hubUrl);
  await page.getByLabel('Region', { exact: true }).fill('ap-south');
  await page.getByRole('button', { name: 'Enrol', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Last run failed' })).toContainText(
    'serves region eu-west, not ap-south',
  );

  await page.getByLabel('Region', { exact: true }).fill('eu-west');
  await page.getByRole('button', { name: 'Enrol', exact: true }).click();
  await expect(page.getByText('pending: waiting for the hub’s operations admin to approve it')).toBeVisible();
  await expect(indicator(page)).toHaveAccessibleName(/Awaiting approval/);
  const fingerprint = (await page.getByLabel('Device key fingerprint').textContent()) ?? '';
  expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
  // The hub's admin compares the fingerprint with the one the hub lists, and approves.
  const listed = (await (await admin('/v1/admin/devices', 'GET')).json()) as {
    devices: { deviceId: string; fingerprint: string }[];
  };
  const device = listed.devices.find((d) => d.fingerprint === fingerprint);
  expect(device).toBeDefined();
  await expectAccessible(page, 'sync screen, pending');
  await shot(page, testInfo, '02-pending');

  const pendingBefore = Number(await page.getByLabel('Entries waiting to be pushed').textContent());
  expect(pendingBefore).toBeGreaterThan(0);
  expect((await admin(`/v1/admin/devices/${device!.deviceId}/approve?admin=olga`)).status).toBe(200);
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Last run:' })).toContainText(/synced: \d+ entries sent/);
  await expect(page.getByText('approved', { exact: true })).toBeVisible();
  await expect(indicator(page)).toHaveAccessibleName(/Sync: Online/);
  expect(Number(await page.getByLabel('Entries waiting to be pushed').textContent())).toBeLessThan(pendingBefore);
  await expect(page.getByLabel('Conflict cases open')).toHaveText('0');
  await expectAccessible(page, 'sync screen, synced');
  await shot(page, testInfo, '03-synced');

  // The hub goes down: sync now says so in words, and the header says Offline.
  await stopHub!();
  stopHub = null;
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Last run failed' })).toContainText('unreachable');
  await expect(indicator(page)).toHaveAccessibleName(/Sync: Offline/);
  await expect(page.getByText('offline: the last attempt could not reach the hub')).toBeVisible();
  await expectAccessible(page, 'sync screen, offline');
  await shot(page, testInfo, '04-offline');

  // Another screen keeps the header's Offline in sight.
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Queues' }).click();
  await expect(indicator(page)).toHaveAccessibleName(/Sync: Offline/);
  await shot(page, testInfo, '05-offline-header');
});

test('a compliance officer sees the same workstation offline and may sync, but has no enrolment form', async ({
  page,
}) => {
  await signIn(page, 'olga');
  await expect(indicator(page)).toHaveAccessibleName(/Sync: Offline/);
  await indicator(page).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sync with the regional hub' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sync now' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Enrol', exact: true })).toHaveCount(0);
  await expectAccessible(page, 'sync screen for an officer');
});
