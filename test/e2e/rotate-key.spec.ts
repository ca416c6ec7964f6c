// Rotating the database key from the users screen (decision 0037): the dialog names who will need re-enrolment, a
// wrong passphrase changes nothing, the rotation drops every other user's key slot, a dropped user cannot sign in
// until re-enrolled. It runs on its own copy of the e2e workstation (like every spec) and
// re-enrols every dropped user with their original fixture passphrase, so the last step signs olga in as before.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { expectAccessible, hostState, signIn, snap } from './support/app.ts';
import { E2E_USERS } from './support/users.ts';
import { useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

const userRow = (page: Page, userId: string) => page.locator(`tr[data-user-id="${userId}"]`);
const fixturePassphrase = (userId: string): string =>
  E2E_USERS.find((user) => user.id === userId)?.passphrase ?? `${userId} re-enrolled passphrase`;

const openUsers = async (page: Page): Promise<void> => {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Users' }).click();
  await expect(page.getByRole('table', { name: /users, by id/ })).toBeVisible();
};

const tryUnlock = async (page: Page, userId: string, passphrase: string): Promise<void> => {
  await page.goto(hostState().url);
  await page.getByLabel('User id').fill(userId);
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
};

test('rotates the database key; dropped users need re-enrolment and sign in again after it', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await signIn(page, 'ada');
  await openUsers(page);
  const others = (
    await page
      .locator('tr[data-user-id]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-user-id') ?? ''))
  ).filter((id) => id !== 'ada');
  expect(others).toContain('olga');
  for (const id of ['ada', ...others]) await expect(userRow(page, id)).toContainText('Can sign in');

  // The dialog says who will need re-enrolment and that the keychain sign-in is forgotten.
  await page.getByRole('button', { name: 'Rotate database key…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate the database key' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel(/^Reason/)).toBeFocused();
  await expect(dialog).toContainText(`Will need re-enrolment: ${[...others].sort().join(', ')}.`);
  await expect(dialog).toContainText('Any OS keychain sign-in saved on this device is forgotten (none is saved now).');
  await expect(dialog.getByRole('button', { name: 'Rotate key' })).toBeDisabled();
  await dialog.getByLabel(/^Reason/).fill('Quarterly key rotation (e2e)');
  await dialog.getByLabel('Your passphrase').fill('not the passphrase');
  await dialog.getByRole('button', { name: 'Rotate key' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Not rotated: the passphrase is wrong; nothing was changed');
  await expectAccessible(page, 'the rotate-key dialog');
  await snap(page, testInfo, '01-rotate-dialog-wrong-passphrase');
  for (const id of others) await expect(userRow(page, id)).toContainText('Can sign in');

  await dialog.getByLabel('Your passphrase').fill(fixturePassphrase('ada'));
  await dialog.getByRole('button', { name: 'Rotate key' }).click();
  await expect(dialog.getByRole('status')).toContainText('The database key was rotated (audit entry');
  await expect(dialog).toContainText('Key slot kept: ada.');
  await expect(dialog).toContainText(`Needs re-enrolment: ${[...others].sort().join(', ')}.`);
  await expectAccessible(page, 'the rotation result');
  await snap(page, testInfo, '02-rotated');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('.user-message')).toContainText('The database key was rotated');

  // Ada is still signed in; everyone else needs re-enrolment.
  await expect(userRow(page, 'ada')).toContainText('Can sign in');
  for (const id of others) await expect(userRow(page, id)).toContainText('Needs re-enrolment');
  await expectAccessible(page, 'users screen after a rotation');
  await snap(page, testInfo, '03-needs-re-enrolment');

  // A dropped user's passphrase no longer opens the workstation.
  await page.getByRole('button', { name: 'Lock' }).click();
  await tryUnlock(page, 'olga', fixturePassphrase('olga'));
  await expect(page.getByRole('alert')).toHaveText('That user id and passphrase do not open this workstation.');
  await snap(page, testInfo, '04-olga-refused');

  // Re-enrol every dropped user, the fixture users with their original passphrases.
  await signIn(page, 'ada');
  await openUsers(page);
  for (const [index, id] of others.entries()) {
    await page.getByRole('button', { name: `Re-enrol ${id}` }).click();
    const form = page.locator('section.user-change', { hasText: `Re-enrol` });
    await expect(form.getByRole('heading', { name: new RegExp(`^Re-enrol .*\\(${id}\\)$`) })).toBeFocused();
    await form.getByLabel('Initial passphrase').fill(fixturePassphrase(id));
    await form.getByLabel('Confirm passphrase').fill(fixturePassphrase(id));
    await form.getByLabel(/^Reason/).fill('New key after the quarterly rotation');
    if (index === 0) {
      await expectAccessible(page, 'the re-enrol form');
      await snap(page, testInfo, '05-re-enrol-form');
    }
    await form.getByRole('button', { name: 'Re-enrol' }).click();
    await expect(page.locator('.user-message')).toHaveText(
      `${id} was re-enrolled and can sign in with the initial passphrase you gave.`,
    );
    await expect(userRow(page, id)).toContainText('Can sign in');
  }
  await expect(page.getByText('Needs re-enrolment')).toHaveCount(0);
  await snap(page, testInfo, '06-all-re-enrolled');

  // Olga signs in again with her own passphrase.
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, 'olga');
  await snap(page, testInfo, '07-olga-back');
});
