// Saved views (save, apply, rename, delete) and a bulk decision with a reason per case and a result per case, on the
// L-BULK-* leads that only this spec uses (test/e2e/support/fixture.ts; ada holds the claim on L-BULK-4).
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { apiFromPage, caseRow, expectAccessible, signIn, snap } from './support/app.ts';
import { useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

const queues = (page: Page) => page.getByRole('navigation', { name: 'Queues' });
const savedViews = (page: Page) => page.getByRole('region', { name: 'Saved views' });
const bulkRows = (page: Page) => page.locator('tr[data-case-id]', { hasText: /Bulk (Alpha|Beta|Gamma|Held) Ltd/ });

test('saves, applies, renames and deletes a view of the queue', async ({ page }, testInfo) => {
  await signIn(page, 'olga');
  await queues(page)
    .getByRole('button', { name: /Compliance review/ })
    .click();
  await page.getByLabel('Search').fill('Bulk');
  // The search has reached the services (it is sent 250 ms after the last keystroke): only the four are listed.
  await expect(page.locator('.pager')).toContainText('of 4 cases');
  await expect(bulkRows(page)).toHaveCount(4);
  await page.getByLabel('Sort by').selectOption('risk:desc');

  await expect(savedViews(page)).toContainText('No saved views yet.');
  await savedViews(page).getByRole('button', { name: 'Save current view…' }).click();
  await page.getByLabel('Name of this view').fill('Bulk leads to review');
  await page.getByRole('button', { name: 'Save view', exact: true }).click();
  const view = savedViews(page).getByRole('button', { name: 'Bulk leads to review', exact: true });
  await expect(view).toHaveAttribute('aria-current', 'page');
  await expect(savedViews(page).getByRole('status')).toContainText('View “Bulk leads to review” saved.');
  await snap(page, testInfo, '01-view-saved');
  await expectAccessible(page, 'the queue screen with a saved view');

  // Somewhere else entirely, then back through the view: queue, search and sort come back.
  await queues(page)
    .getByRole('button', { name: /All queues/ })
    .click();
  await page.getByLabel('Search').fill('');
  await page.getByLabel('Sort by').selectOption('slaDueAt:asc');
  await expect(view).not.toHaveAttribute('aria-current', 'page');
  await view.click();
  await expect(page.getByLabel('Search')).toHaveValue('Bulk');
  await expect(page.getByLabel('Sort by')).toHaveValue('risk:desc');
  await expect(queues(page).getByRole('button', { name: /Compliance review/ })).toHaveAttribute('aria-current', 'page');
  await expect(bulkRows(page)).toHaveCount(4);
  await expect(view).toHaveAttribute('aria-current', 'page');

  await savedViews(page).getByRole('button', { name: 'Rename view Bulk leads to review' }).click();
  await page.getByLabel('New name for Bulk leads to review').fill('My bulk cases');
  await page.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(savedViews(page).getByRole('button', { name: 'My bulk cases', exact: true })).toBeVisible();
  await snap(page, testInfo, '02-view-renamed');

  // Kept by the services (in the encrypted store), not in the browser.
  const listed = await apiFromPage(page, 'views.list', {});
  expect(listed).toMatchObject({ ok: true, value: [{ name: 'My bulk cases' }] });

  await savedViews(page).getByRole('button', { name: 'Delete view My bulk cases' }).click();
  await expect(savedViews(page)).toContainText('No saved views yet.');
  expect(await apiFromPage(page, 'views.list', {})).toEqual({ ok: true, value: [] });
});

test('decides several cases at once, each with its own reason and its own result', async ({ page }, testInfo) => {
  await signIn(page, 'olga');
  await queues(page)
    .getByRole('button', { name: /Compliance review/ })
    .click();
  await page.getByLabel('Search').fill('Bulk');
  // The search has reached the services (it is sent 250 ms after the last keystroke): only the four are listed.
  await expect(page.locator('.pager')).toContainText('of 4 cases');
  await expect(bulkRows(page)).toHaveCount(4);
  // In list order (equal SLA and risk: by case id); ada holds the claim on Bulk Held Ltd, wherever it is listed.
  const ids = await bulkRows(page).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-case-id') ?? ''));
  const [first, second, third, fourth] = ids as [string, string, string, string];
  const held = await bulkRows(page)
    .filter({ hasText: 'Bulk Held Ltd' })
    .evaluate((row) => row.getAttribute('data-case-id') ?? '');
  const decided = ids.filter((id) => id !== held);

  // A checkbox, then shift-click: the range from the first to the third.
  await page.getByLabel(`Select case ${first} for a bulk decision`).check();
  await page.getByLabel(`Select case ${third} for a bulk decision`).click({ modifiers: ['Shift'] });
  await expect(page.getByLabel(`Select case ${second} for a bulk decision`)).toBeChecked();
  // The keyboard: the fourth case under the cursor, then x.
  await caseRow(page, fourth).locator('td').nth(3).click();
  await expect(page.locator('#case-title')).toContainText(fourth);
  await page.locator('#case-title').click();
  await page.keyboard.press('x');
  await expect(page.getByLabel(`Select case ${fourth} for a bulk decision`)).toBeChecked();
  const bar = page.getByRole('region', { name: 'Selected cases' });
  await expect(bar).toContainText('4 cases selected');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('bulk decision');
  await page.keyboard.press('Escape');

  await bar.getByRole('button', { name: 'Decide selected…' }).click();
  const form = page.getByRole('region', { name: 'Bulk decision: 4 cases' });
  await expect(form).toBeVisible();
  // Only the dispositions every compliance review case allows, and never an assignment in bulk.
  await expect(form.getByRole('radio')).toHaveCount(3);
  await form.getByLabel('Reject').check();
  await form.getByLabel(`Reason for ${first} (required, at least 5 characters)`).fill('No licensed customer type');
  await form.getByRole('button', { name: `Copy the reason of ${first} to all` }).click();
  await expect(form.getByLabel(`Reason for ${fourth} (required, at least 5 characters)`)).toHaveValue(
    'No licensed customer type',
  );
  // Each case keeps its own reason: one of them gets another.
  const distinct = decided[1]!;
  await form.getByLabel(`Reason for ${distinct} (required, at least 5 characters)`).fill('Declined the product');
  await snap(page, testInfo, '03-bulk-form');
  await expectAccessible(page, 'the bulk decision form');
  await form.getByRole('button', { name: 'Record 4 decisions' }).click();

  for (const id of decided)
    await expect(page.getByTestId(`bulk-result-${id}`)).toHaveText('✓ Decision recorded; the case is closed.');
  await expect(page.getByTestId(`bulk-result-${held}`)).toContainText('being worked by ada');
  await expect(form.getByRole('status')).toHaveText('3 of 4 decided; 1 not decided (see each case).');
  await snap(page, testInfo, '04-bulk-results');
  await expectAccessible(page, 'the bulk decision results');

  // Each case carries its own reason: in its maker's decision (the reason itself is beside the log, decision 0141).
  const detail = (await apiFromPage(page, 'cases.get', { caseId: distinct })) as {
    value: { maker: { reason?: string } | null; history: { type: string; payload: { reason?: string } }[] };
  };
  expect(detail.value.maker?.reason).toBe('Declined the product');
  expect(detail.value.history.find((entry) => entry.type === 'case.decided')?.payload.reason).toBeUndefined();

  await form.getByRole('button', { name: 'Done' }).click();
  // The decided cases left the open queue; the held one stays, still selected for another try.
  await expect(bulkRows(page)).toHaveCount(1);
  for (const id of decided) await expect(caseRow(page, id)).toHaveCount(0);
  await expect(caseRow(page, held)).toHaveCount(1);
  await expect(bar).toContainText('1 case selected');
  await snap(page, testInfo, '05-after-bulk');
  await bar.getByRole('button', { name: 'Clear selection' }).click();
  await expect(bar).toHaveCount(0);
});
