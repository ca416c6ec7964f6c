// Separation of duties for meta-actions (decisions 0160, 0161): once the policy puts user creation under a second
// approval, one operations admin's new user is only a request (shown as pending on the users screen); another admin,
// who is a different person, approves it in "Awaiting my approval", and only then can the new user sign in.
// The admins and the user created here (oscar, penny, val) are new to this spec's own copy of the e2e workstation.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { apiFromPage, expectAccessible, hostState, signIn, snap } from './support/app.ts';
import { useFreshWorkstation } from './support/host-process.ts';
import { examplesDir } from '../support/examples.ts';

useFreshWorkstation();

const OSCAR_PASSPHRASE = 'oscar admin passphrase 2026';
const PENNY_PASSPHRASE = 'penny admin passphrase 2026';
const VAL_PASSPHRASE = 'val initial passphrase 2026';
/** The example policy as shipped: with its approvals section (every meta-action needs a second admin). */
const withApprovals = readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8');

const unlockAs = async (page: Page, userId: string, passphrase: string): Promise<void> => {
  await page.goto(hostState().url);
  await page.getByLabel('User id').fill(userId);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText(`(${userId})`)).toBeVisible();
};

const ok = async (page: Page, method: string, body: unknown): Promise<Record<string, unknown>> => {
  const reply = await apiFromPage(page, method, body);
  expect(reply, `${method}: ${reply.error?.message}`).toMatchObject({ ok: true });
  return reply.value as Record<string, unknown>;
};

test('one operations admin requests a user, another approves it in "Awaiting my approval"', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  // Setting the scene through the api while the policy asks no second approval: ada adds oscar (an admin), oscar adds
  // penny (an admin), and oscar publishes the example policy as shipped, with its approvals section.
  await signIn(page, 'ada');
  await ok(page, 'users.create', {
    id: 'oscar',
    name: 'Oscar Reyes',
    roles: ['operations_admin'],
    markets: ['*'],
    passphrase: OSCAR_PASSPHRASE,
  });
  await page.getByRole('button', { name: 'Lock' }).click();
  await unlockAs(page, 'oscar', OSCAR_PASSPHRASE);
  await ok(page, 'users.create', {
    id: 'penny',
    name: 'Penny Lund',
    roles: ['operations_admin'],
    markets: ['*'],
    passphrase: PENNY_PASSPHRASE,
  });
  const preview = await ok(page, 'policy.preview', { fileName: 'policy.yaml', text: withApprovals });
  await ok(page, 'policy.publish', {
    fileName: 'policy.yaml',
    text: withApprovals,
    ruleVersion: preview.ruleVersion,
    activeRuleVersion: preview.activeRuleVersion,
    reason: 'user and policy changes need a second admin from now on',
  });
  await page.getByRole('button', { name: 'Lock' }).click();

  // Penny adds val on the users screen: the answer is a request, shown as pending; val does not exist yet.
  await unlockAs(page, 'penny', PENNY_PASSPHRASE);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  await page.getByLabel('User id').fill('val');
  await page.getByLabel('Name').fill('Valentina Rossi');
  await page.getByRole('group', { name: 'Roles (at least one)' }).getByLabel('Compliance officer').check();
  await page.getByLabel('Markets (comma separated; * for every market)').fill('US-CA');
  await page.getByLabel('Initial passphrase').fill(VAL_PASSPHRASE);
  await page.getByLabel('Confirm passphrase').fill(VAL_PASSPHRASE);
  await page.getByRole('button', { name: 'Add user' }).click();
  const status = page.locator('p.user-message[role="status"]');
  await expect(status).toContainText('Create user val (Valentina Rossi)');
  await expect(status).toContainText('Nothing changes until a second operations admin approves it');
  await expect(page.locator('tr[data-user-id="val"]')).toHaveCount(0);
  const pending = page.getByRole('region', { name: 'Pending changes' });
  await expect(pending).toContainText('Create user val (Valentina Rossi): roles compliance_officer; markets US-CA');
  await expect(pending).toContainText('requested by penny: awaiting another operations admin');
  await expectAccessible(page, 'users screen with a pending change');
  await snap(page, testInfo, '01-pending-user');
  // Penny cannot approve her own request, whatever the screen offers.
  const requests = (await ok(page, 'approvals.list', {})) as unknown as { id: string }[];
  const requestId = requests[0]!.id;
  expect(await apiFromPage(page, 'approvals.approve', { requestId })).toMatchObject({
    ok: false,
    error: { code: 'forbidden' },
  });
  await page.getByRole('button', { name: 'Lock' }).click();

  // Nor can oscar, who asked for penny's account: for him it is not awaiting approval.
  await unlockAs(page, 'oscar', OSCAR_PASSPHRASE);
  await page
    .getByRole('navigation', { name: 'Queues' })
    .getByRole('button', { name: /Awaiting my approval/ })
    .click();
  const oscarPanel = page.getByRole('region', { name: 'User and policy changes awaiting my approval' });
  await expect(oscarPanel).toContainText('No user or policy change awaits your approval.');
  await expect(oscarPanel).toContainText('1 other pending change you cannot approve');
  await page.getByRole('button', { name: 'Lock' }).click();

  // Ada (a different person from penny) approves it in "Awaiting my approval".
  await signIn(page, 'ada');
  const awaiting = page
    .getByRole('navigation', { name: 'Queues' })
    .getByRole('button', { name: /Awaiting my approval/ });
  await awaiting.click();
  const panel = page.getByRole('region', { name: 'User and policy changes awaiting my approval' });
  const item = panel.locator(`li[data-request-id="${requestId}"]`);
  await expect(item).toContainText('Create user val (Valentina Rossi)');
  await expect(item).toContainText('requested by penny');
  await expectAccessible(page, 'awaiting my approval with a user change');
  await snap(page, testInfo, '02-awaiting-my-approval');
  await item.getByRole('button', { name: `Approve ${requestId}` }).click();
  await expect(panel.getByRole('status')).toContainText(`Approved ${requestId}: Create user val`);
  await expect(item).toHaveCount(0);
  await snap(page, testInfo, '03-approved');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Users' }).click();
  await expect(page.locator('tr[data-user-id="val"]')).toContainText('Compliance officer');
  await expect(page.getByRole('region', { name: 'Pending changes' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Lock' }).click();

  // Val signs in with the passphrase penny gave.
  await unlockAs(page, 'val', VAL_PASSPHRASE);
  // The header names her and her markets (a screen she lands on may name her markets too).
  await expect(page.getByText('Signed in as Valentina Rossi')).toContainText('markets US-CA');
});
