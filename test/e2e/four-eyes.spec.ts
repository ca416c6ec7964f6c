// Four-eyes: a senior officer confirms a sanctions match; they cannot check it themselves; a second officer approves it.
import { expect, test } from '@playwright/test';
import { apiFromPage, expectAccessible, openCaseId, openCaseLead, signIn, snap } from './support/app.ts';
import { e2eUser } from './support/users.ts';
import { useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

test('the maker cannot approve their own decision and a second officer can', async ({ page }, testInfo) => {
  await signIn(page, 'sam');
  await page.getByLabel('Search').fill('L-SANCTIONS');
  await expect(page.locator('tr[data-case-id]')).toHaveCount(1);
  await expect(openCaseLead(page)).toContainText('L-SANCTIONS');
  const caseId = await openCaseId(page);

  await page.locator('#case-title').click();
  await page.keyboard.press('m');
  await page.keyboard.type('Strong match on name, date of birth and address');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'needs a second officer' })).toBeVisible();

  await page.getByLabel('Search').fill(caseId);
  await expect(page.locator('#case-title')).toContainText(caseId);
  await expect(page.locator('.case-badges')).toContainText('Awaiting approval');
  await expect(page.getByText('You made this decision, so you cannot check it')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Approve decision' })).toBeDisabled();
  await snap(page, testInfo, '01-maker-cannot-check');
  // Personal data only on request, with a purpose that the audit log records.
  await page.getByLabel('Purpose of this read (recorded in the audit log)').fill('verify the sanctions match');
  await page.getByRole('button', { name: 'Show personal data' }).click();
  await expect(page.locator('.personal')).toContainText('This read was recorded in the audit log');
  await expect(page.getByRole('table', { name: /Product paths of L-[0-9A-Z]{16}/ })).toContainText('business-payments');
  await expect(page.locator('.personal dl')).toContainText('Ivan');
  await page.locator('.personal').scrollIntoViewIfNeeded();
  await snap(page, testInfo, '01b-personal-data');
  // Not only the button: the services refuse the maker too.
  expect(await apiFromPage(page, 'cases.approve', { caseId, reason: 'approving my own decision' })).toMatchObject({
    ok: false,
    error: { code: 'forbidden' },
  });

  await page.getByRole('button', { name: 'Switch user' }).click();
  await page.getByLabel('User id').fill('sue');
  await page.getByLabel('Passphrase').fill(e2eUser('sue').passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  const awaiting = page
    .getByRole('navigation', { name: 'Queues' })
    .getByRole('button', { name: /Awaiting my approval/ });
  await expect(awaiting.locator('.queue-count')).not.toHaveText('0');
  await awaiting.click();
  await page.locator(`tr[data-case-id="${caseId}"]`).click();
  await expect(page.locator('#case-title')).toContainText(caseId);
  await expect(page.locator('.four-eyes')).toContainText('sam');
  await page
    .getByLabel('Checker’s reason (required, at least 5 characters)')
    .fill('Evidence reviewed: the match holds');
  await snap(page, testInfo, '02-checker');
  await expectAccessible(page, 'the four-eyes check');
  await page.getByRole('button', { name: 'Approve decision' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${caseId}: approved` })).toBeVisible();

  await page
    .getByRole('navigation', { name: 'Queues' })
    .getByRole('button', { name: /All queues/ })
    .click();
  await page.getByLabel('Status').selectOption('any');
  await page.getByLabel('Search').fill(caseId);
  await expect(page.locator('.case-badges')).toContainText('Closed');
  await expect(page.locator('.four-eyes')).toContainText('sue — approved');
  await snap(page, testInfo, '03-approved');
});
