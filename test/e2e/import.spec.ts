// An operations admin imports a lead file (valid rows only) and reads the refusal notifications.
import { expect, test } from '@playwright/test';
import { expectAccessible, hostState, leadIdFromPage, signIn, snap } from './support/app.ts';
import { useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

test('imports the valid rows of a lead file and reports the broken one', async ({ page }, testInfo) => {
  await signIn(page, 'ada');
  await page.getByRole('button', { name: 'Import leads' }).click();
  await expect(page.getByRole('heading', { name: 'Import leads' })).toBeVisible();
  await expectAccessible(page, 'the import screen');

  await page.getByLabel('Lead file (.csv or .jsonl)').setInputFiles(hostState().importFile);
  // All or nothing first: the broken row rejects the whole file.
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('alert').or(page.getByTestId('imported'))).toBeVisible();
  const allOrNothing = page.getByTestId('imported');
  if (await allOrNothing.isVisible()) await expect(allOrNothing).toHaveText('0');

  await page.getByLabel('Import the valid rows and report the others').check();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('imported')).toHaveText('2');
  await expect(page.getByTestId('cases-opened')).toHaveText('1');
  const rejected = page.getByRole('table', { name: /Rejected rows/ });
  await expect(rejected).toContainText('2');
  await expect(rejected).toContainText('customerType');
  await snap(page, testInfo, '01-import-result');
  await expectAccessible(page, 'the import result');

  await page.getByRole('button', { name: 'Notifications' }).click();
  const notifications = page.getByRole('table', { name: /notifications/ });
  // Notifications name leads by their internal ids (decision 0178).
  await expect(notifications).toContainText(await leadIdFromPage(page, 'L-E2E-HIT'));
  await expect(notifications).toContainText(await leadIdFromPage(page, 'L-SANCTIONS'));
  await snap(page, testInfo, '02-notifications');
  await expectAccessible(page, 'the notifications screen');
});

test('refuses a lead file that is not UTF-8, naming its line, instead of importing "Caf\uFFFD"', async ({ page }) => {
  await signIn(page, 'ada');
  await page.getByRole('button', { name: 'Import leads' }).click();
  const csv =
    'id,company_name,address_country,customer_type,products\nL-E2E-LATIN1,Caf\xe9 SARL,FR,retail,business-payments\n';
  await page
    .getByLabel('Lead file (.csv or .jsonl)')
    .setInputFiles({ name: 'latin1.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'latin1') });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('latin1.csv line 2: not UTF-8 text');
  await expect(page.getByTestId('imported')).toHaveCount(0);
});
