// Market scopes: an officer licensed for US-CA sees only US-CA cases, and other markets' leads answer "not found".
import { expect, test } from '@playwright/test';
import { apiFromPage, signIn, snap } from './support/app.ts';
import { useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

test('a user outside a market cannot see its leads', async ({ page }, testInfo) => {
  await signIn(page, 'uma');
  const rows = page.locator('tr[data-case-id]');
  await expect(rows.first()).toBeVisible();
  const jurisdictions = await rows.locator('td[data-column="jurisdiction"]').allTextContents();
  expect(jurisdictions.length).toBeGreaterThan(0);
  expect(new Set(jurisdictions)).toEqual(new Set(['US-CA']));
  await expect(page.locator('.case-list')).toContainText('Lucky Sevens Online Inc');
  await expect(page.getByRole('button', { name: 'Notifications' })).toHaveCount(0);
  await snap(page, testInfo, '01-us-ca-only');

  await page.getByLabel('Search').fill('L-SANCTIONS');
  await expect(page.getByText('No cases match these filters.')).toBeVisible();
  await snap(page, testInfo, '02-other-market-hidden');
  // Neither the CRM's id nor a lookup finds a lead outside the user's markets.
  expect(await apiFromPage(page, 'leads.find', { id: 'L-SANCTIONS' })).toMatchObject({
    ok: false,
    error: { code: 'not_found' },
  });
});
