// An expansion review: the trace shows that no entity is licensed, and the officer decides to pursue the market.
import { expect, test } from '@playwright/test';
import { expectAccessible, openCaseId, signIn, snap } from './support/app.ts';
import { useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

test('decides an expansion review after reading the routing trace', async ({ page }, testInfo) => {
  await signIn(page, 'olga');
  await page
    .getByRole('navigation', { name: 'Queues' })
    .getByRole('button', { name: /Expansion review/ })
    .click();
  await page.locator('tr[data-case-id]', { hasText: 'Brick Lane Coffee Ltd' }).click();
  await expect(page.locator('.facts')).toContainText('L-UK-TWO-PRODUCTS');
  const caseId = await openCaseId(page);

  const gates = page.getByRole('table', { name: 'Gates, in the order they were evaluated' });
  await expect(gates.getByRole('row', { name: /entity\.licensed/ })).toContainText('failed');
  // Names beside ids, from the policy the decision cites; the licence that is for the UK fails on the product.
  const entities = page.getByRole('table', { name: 'Legal entities and their licences' });
  await expect(entities).toContainText('Northwind Pay UK Limited (northwind-uk-ltd)');
  await expect(entities.getByRole('row', { name: /excluded by product/ })).toContainText('fca-emi (FCA, ref. 900123)');
  await expect(page.getByRole('radio')).toHaveCount(3);
  await snap(page, testInfo, '01-expansion-case');
  await expectAccessible(page, 'an expansion review case');

  // Claim holds the case for this officer until a decision or a release.
  await page.getByRole('button', { name: 'Claim' }).click();
  await expect(page.locator('.case-badges')).toContainText('Claimed');
  await expect(page.locator('.facts')).toContainText('olga');
  await page.getByRole('button', { name: 'Release' }).click();
  await expect(page.locator('.case-badges')).toContainText('Open');

  await page.getByLabel('Pursue expansion').check();
  await page
    .getByLabel('Reason (required, at least 5 characters)')
    .fill('Crypto custody demand in the UK: open a licence study');
  await page.getByRole('button', { name: 'Record decision' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${caseId}: decision recorded (closed)` })).toBeVisible();
  await expect(page.locator(`tr[data-case-id="${caseId}"]`)).toHaveCount(0);
  await snap(page, testInfo, '02-expansion-decided');
});
