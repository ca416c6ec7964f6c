// A user changes their own passphrase: the wrong current one is refused, the new one signs in, the old one no longer
// does. The spec puts the original passphrase back, since the specs share one workstation.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { expectAccessible, hostState, snap } from './support/app.ts';
import { e2eUser } from './support/users.ts';
import { useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

const NEW_PASSPHRASE = 'uma has a new passphrase';

const unlock = async (page: Page, passphrase: string): Promise<void> => {
  await page.goto(hostState().url);
  await page.getByLabel('User id').fill('uma');
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
};

const change = async (page: Page, current: string, next: string): Promise<void> => {
  await page.getByRole('button', { name: 'Passphrase', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Change your passphrase' });
  await dialog.getByLabel('Current passphrase').fill(current);
  await dialog.getByLabel('New passphrase (at least 12 characters)').fill(next);
  await dialog.getByLabel('New passphrase again').fill(next);
  await dialog.getByRole('button', { name: 'Change passphrase' }).click();
};

test('changes one’s own passphrase: the wrong current one is refused, the new one signs in', async ({
  page,
}, testInfo) => {
  const original = e2eUser('uma').passphrase;
  await unlock(page, original);
  await expect(page.getByText('(uma)')).toBeVisible();

  await change(page, 'not my passphrase', NEW_PASSPHRASE);
  const dialog = page.getByRole('dialog', { name: 'Change your passphrase' });
  await expect(dialog.getByRole('alert')).toHaveText('the current passphrase is wrong; nothing was changed');
  await expectAccessible(page, 'the passphrase dialog');
  await snap(page, testInfo, '01-wrong-current');

  await dialog.getByLabel('Current passphrase').fill(original);
  await dialog.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Your passphrase was changed.');
  await snap(page, testInfo, '02-changed');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Lock' }).click();

  await unlock(page, original);
  await expect(page.getByRole('alert')).toHaveText('That user id and passphrase do not open this workstation.');
  await unlock(page, NEW_PASSPHRASE);
  await expect(page.getByText('(uma)')).toBeVisible();

  // Back to the original, for the specs that sign in as uma after this one.
  await change(page, NEW_PASSPHRASE, original);
  await expect(page.getByRole('dialog').getByRole('status')).toHaveText('Your passphrase was changed.');
});
