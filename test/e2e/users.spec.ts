// The users screen: an operations admin adds an officer, changes her roles and markets with reasons, and the new
// officer signs in with the initial passphrase and sees only her market's cases. Others get neither screen nor api.
// The user created here (val) is new to this spec's own copy of the e2e workstation.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { apiFromPage, expectAccessible, signIn, snap } from './support/app.ts';
import { useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

const VAL_PASSPHRASE = 'val initial passphrase 2026';

const usersTable = (page: Page) => page.getByRole('table', { name: /users, by id/ });
const userRow = (page: Page, userId: string) => page.locator(`tr[data-user-id="${userId}"]`);

test('an operations admin adds an officer and changes her roles and markets; she signs in with her passphrase', async ({
  page,
}, testInfo) => {
  await signIn(page, 'ada');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  await expect(usersTable(page)).toBeVisible();
  await expect(userRow(page, 'ada')).toContainText('Operations admin, Senior officer');
  await expect(userRow(page, 'olga')).toContainText('Compliance officer');
  await expect(userRow(page, 'olga')).toContainText('UK, EU-Passported');
  await expect(userRow(page, 'val')).toHaveCount(0);
  await expectAccessible(page, 'users screen');
  await snap(page, testInfo, '01-users');

  // The form's own checks: no role, a short passphrase.
  await page.getByLabel('User id').fill('val');
  await page.getByLabel('Name').fill('Valentina Rossi');
  await page.getByLabel('Markets (comma separated; * for every market)').fill('US-CA');
  await page.getByLabel('Initial passphrase').fill('too short');
  await page.getByLabel('Confirm passphrase').fill('too short');
  await page.getByRole('button', { name: 'Add user' }).click();
  const problems = page.getByRole('alert').filter({ hasText: 'Please correct:' });
  await expect(problems).toContainText('Roles: choose at least one.');
  await expect(problems).toContainText('Initial passphrase: at least 12 characters.');
  await expectAccessible(page, 'users screen with form problems');
  await snap(page, testInfo, '02-form-problems');

  // The services' check: an id that exists already.
  await page.getByLabel('User id').fill('olga');
  await page.getByRole('group', { name: 'Roles (at least one)' }).getByLabel('Compliance officer').check();
  await page.getByLabel('Initial passphrase').fill(VAL_PASSPHRASE);
  await page.getByLabel('Confirm passphrase').fill(VAL_PASSPHRASE);
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('alert')).toContainText('Not added: user olga exists already');
  await expect(problems).toHaveCount(0);
  await snap(page, testInfo, '03-duplicate-id');

  // And a market the policy does not know.
  await page.getByLabel('User id').fill('val');
  await page.getByLabel('Markets (comma separated; * for every market)').fill('US-CA, Atlantis');
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('alert')).toContainText('"Atlantis" is not a market');
  await expect(userRow(page, 'val')).toHaveCount(0);

  await page.getByLabel('Markets (comma separated; * for every market)').fill('US-CA');
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('status')).toContainText('User val (Valentina Rossi) added');
  await expect(userRow(page, 'val')).toContainText('Valentina Rossi');
  await expect(userRow(page, 'val')).toContainText('Compliance officer');
  await expect(userRow(page, 'val')).toContainText('US-CA');
  await expect(userRow(page, 'val')).toContainText('Yes');
  // The form is empty again, ready for the next person.
  await expect(page.getByLabel('User id')).toHaveValue('');
  await expect(page.getByLabel('Initial passphrase')).toHaveValue('');

  // Change markets: the reason is mandatory (at least 5 characters), by keyboard.
  await userRow(page, 'val').getByRole('button', { name: 'Change markets of val' }).click();
  await expect(page.getByRole('heading', { name: 'Change markets of Valentina Rossi (val)' })).toBeFocused();
  const markets = page.locator('#change-markets');
  await expect(markets).toHaveValue('US-CA');
  await markets.fill('UK');
  const save = page.getByRole('button', { name: 'Save markets' });
  await page.getByLabel(/^Reason/).fill('move');
  await expect(save).toBeDisabled();
  await page.getByLabel(/^Reason/).fill('Moved to the UK desk');
  await expectAccessible(page, 'change markets form');
  await snap(page, testInfo, '04-change-markets');
  await page.getByLabel(/^Reason/).press('Tab');
  await expect(save).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('Markets of val changed to UK.');
  await expect(userRow(page, 'val').locator('td').nth(2)).toHaveText('UK');

  // Change roles: cancel returns focus to the row's button; then add the auditor role.
  const changeRoles = userRow(page, 'val').getByRole('button', { name: 'Change roles of val' });
  await changeRoles.click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(changeRoles).toBeFocused();
  await changeRoles.click();
  const roles = page.locator('.user-change').getByRole('group', { name: 'Roles (at least one)' });
  await expect(roles.getByLabel('Compliance officer')).toBeChecked();
  await roles.getByLabel('Auditor').check();
  await page
    .locator('.user-change')
    .getByLabel(/^Reason/)
    .fill('Also reviews the audit log');
  await page.getByRole('button', { name: 'Save roles' }).click();
  await expect(page.getByRole('status')).toContainText('Roles of val changed to Compliance officer, Auditor.');
  await expect(userRow(page, 'val').locator('td').nth(1)).toHaveText('Compliance officer, Auditor');
  await snap(page, testInfo, '05-changed');

  // The new officer signs in with the initial passphrase: her markets are now UK (GB) only.
  await page.getByRole('button', { name: 'Switch user' }).click();
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeVisible();
  await page.getByLabel('User id').fill('val');
  await page.getByLabel('Passphrase', { exact: true }).fill(VAL_PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText('(val)')).toBeVisible();
  await expect(page.locator('.who')).toContainText('Compliance officer, Auditor · markets UK');
  await expect(page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Users' })).toHaveCount(0);
  const rows = page.locator('tr[data-case-id]');
  await expect(rows.first()).toBeVisible();
  const jurisdictions = await rows.locator('td[data-column="jurisdiction"]').allTextContents();
  expect(jurisdictions.length).toBeGreaterThan(0);
  expect(new Set(jurisdictions)).toEqual(new Set(['GB']));
  // Nothing of ada's session shows through (the saved views load for val, not for the locked session).
  await expect(page.getByText('No saved views yet.')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await snap(page, testInfo, '06-val-queues');
  expect(await apiFromPage(page, 'users.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });

  // As an auditor now, val can read how she came to be: each change is in the audit log, by ada, bound to its reason.
  const audit = (await apiFromPage(page, 'audit.list', { subject: 'user:val', order: 'oldest' })) as {
    ok: boolean;
    value: {
      entries: { type: string; actor: string; payload: Record<string, unknown>; commitment: string | null }[];
    };
  };
  expect(audit.ok).toBe(true);
  // Sign-ins and sign-outs name the user too (session.*, decision 0132); what is checked here is the account's history.
  const history = audit.value.entries.filter((entry) => !entry.type.startsWith('session.'));
  // Each entry commits to its free text (her name, the reasons), which stays beside the log (decision 0141).
  expect(history.map((entry) => [entry.type, entry.actor, entry.commitment !== null])).toEqual([
    ['user.created', 'user:ada', true],
    ['market.reassigned', 'user:ada', true],
    ['user.role_changed', 'user:ada', true],
  ]);
  expect(JSON.stringify(audit.value.entries)).not.toMatch(/Moved to the UK desk|Also reviews the audit log/);
});

test('a compliance officer gets no users screen, and the services refuse her', async ({ page }, testInfo) => {
  await signIn(page, 'olga');
  const screens = page.getByRole('navigation', { name: 'Screens' });
  await expect(screens.getByRole('button', { name: 'Queues' })).toBeVisible();
  await expect(screens.getByRole('button', { name: 'Users' })).toHaveCount(0);
  await snap(page, testInfo, '01-no-users-screen');
  expect(
    await apiFromPage(page, 'users.create', {
      id: 'olgas-friend',
      name: 'Not allowed',
      roles: ['operations_admin'],
      markets: ['*'],
      passphrase: 'a long enough passphrase',
    }),
  ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(
    await apiFromPage(page, 'users.setRoles', {
      userId: 'olga',
      roles: ['operations_admin'],
      reason: 'promote myself',
    }),
  ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(await apiFromPage(page, 'users.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
});
