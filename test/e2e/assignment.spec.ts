// Approving an assignment names the entity, team and rep; a deviation from the licensing map is an override.
import { expect, test } from '@playwright/test';
import { openCaseId, signIn, snap } from './support/app.ts';
import { useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

test('approves an assignment for a lead of unknown customer type, recorded as an override', async ({
  page,
}, testInfo) => {
  await signIn(page, 'olga');
  await page.getByLabel('Search').fill('L-CT-UNKNOWN');
  await expect(page.locator('.facts')).toContainText('L-CT-UNKNOWN');
  const caseId = await openCaseId(page);

  await page.locator('#case-title').click();
  await page.keyboard.press('a');
  await expect(page.getByLabel('Approve assignment')).toBeChecked();
  await page.getByLabel('Entity id').fill('northwind-uk-ltd');
  await page.getByLabel('Team id').fill('uk-sme');
  await page.getByLabel('Rep id').fill('rep-olivia');
  await page.getByLabel('Reason (required, at least 5 characters)').fill('Customer confirmed professional by phone');
  await snap(page, testInfo, '01-assignment-drafted');
  await page.getByRole('button', { name: 'Record decision' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${caseId}: decision recorded` })).toBeVisible();

  await page.getByLabel('Search').fill(caseId);
  await expect(page.locator('#case-title')).toContainText(caseId);
  // The customer type is not one the licensing map allows: an override, which always needs a second officer.
  await expect(page.locator('.case-badges')).toContainText('Awaiting approval');
  await expect(page.locator('.four-eyes')).toContainText('Override');
  await snap(page, testInfo, '02-override-awaiting-approval');
});
