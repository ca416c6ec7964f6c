// Erasing a lead from the workstation: a prospect is erased at once; a customer inside the AML record-keeping period is
// refused with the date it ends, a senior officer requests an override, and a second senior officer approves it.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { apiFromPage, expectAccessible, leadIdFromPage, openCaseLead, signIn, snap } from './support/app.ts';
import { e2eUser } from './support/users.ts';
import { useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

/**
 * Opens the case of the lead a CRM calls `sourceId`, found by that id, then keeps it in the list by its internal id
 * (the CRM's id goes with the erasure), and answers that id.
 */
const openLead = async (page: Page, sourceId: string): Promise<string> => {
  await page.getByLabel('Status').selectOption('any');
  await page.getByLabel('Search').fill(sourceId);
  await page.locator('tr[data-case-id]').first().click();
  await expect(openCaseLead(page)).toContainText(sourceId);
  const leadId = await leadIdFromPage(page, sourceId);
  await page.getByLabel('Search').fill(leadId);
  await page.locator('tr[data-case-id]').first().click();
  await expect(openCaseLead(page)).toContainText(leadId);
  return leadId;
};

const erasure = (page: Page) => page.locator('section.erasure');

test('a senior officer erases a prospect from the lead, and the lists show the placeholder', async ({
  page,
}, testInfo) => {
  await signIn(page, 'sam');
  const br = await openLead(page, 'L-BR');
  const subject = page.locator('.facts div', { hasText: 'Subject' }).locator('dd');
  await expect(subject).toContainText('Café Paulista Ltda');
  await erasure(page)
    .getByLabel(/^Reason/)
    .fill('GDPR art. 17 request R-2026-114');
  await erasure(page).getByRole('button', { name: 'Erase personal data…' }).click();
  await expect(erasure(page)).toContainText('It cannot be undone.');
  await erasure(page).getByRole('button', { name: 'Confirm erasure' }).click();
  await expect(erasure(page).getByRole('status')).toContainText(`Erased: 1 record(s) of lead ${br}`);
  await expect(subject).toHaveText(`[erased] ${br}`);
  await expect(page.locator('tr[data-case-id]').first()).toContainText(`[erased] ${br}`);
  // The CRM's id went with the personal data: the case shows only the internal id now.
  await expect(openCaseLead(page)).not.toContainText('id L-BR');
  await erasure(page).scrollIntoViewIfNeeded();
  await snap(page, testInfo, '01-erased');
  await expectAccessible(page, 'the erased lead');
  // Search no longer finds the name.
  await page.getByLabel('Search').fill('Paulista');
  await expect(page.locator('tr[data-case-id]')).toHaveCount(0);
});

test('inside the AML period: refused with its end date, an override requested, approved by a second officer', async ({
  page,
}, testInfo) => {
  await signIn(page, 'sam');
  await openLead(page, 'L-UK-TWO-PRODUCTS');
  await expect(erasure(page).getByRole('note').first()).toContainText(
    /Kept under Electronic Money Regulations 2011 \(authorised EMI\) for 5 years \(UK MLR 2017 reg\. 40\): erasable from \d{4}-\d{2}-\d{2}/,
  );
  await erasure(page)
    .getByLabel(/^Reason/)
    .fill('customer letter of 1 December');
  await erasure(page).getByRole('button', { name: 'Erase personal data…' }).click();
  await erasure(page).getByRole('button', { name: 'Confirm erasure' }).click();
  await expect(erasure(page).getByRole('status')).toContainText(
    /Refused: kept under Electronic Money Regulations 2011 \(authorised EMI\) for 5 years \(UK MLR 2017 reg\. 40\): erasable from \d{4}-\d{2}-\d{2}/,
  );
  await erasure(page).scrollIntoViewIfNeeded();
  await snap(page, testInfo, '02-refused');

  await erasure(page)
    .getByLabel(/^Reason/)
    .fill('court order 2026/114 overrides the retention');
  await erasure(page).getByRole('button', { name: 'Erase personal data…' }).click();
  await erasure(page).getByRole('button', { name: 'Request an override' }).click();
  await expect(erasure(page).getByRole('status')).toContainText(/Override EO-\d+ requested/);
  await expect(erasure(page)).toContainText('a second senior officer must approve it');
  const requestId = /EO-\d+/.exec((await erasure(page).getByRole('status').textContent()) ?? '')![0];
  await snap(page, testInfo, '03-override-requested');
  // Not only the screen: the services refuse the requester's own approval.
  expect(
    await apiFromPage(page, 'leads.approveErasureOverride', { requestId, reason: 'approving my own request' }),
  ).toMatchObject({ ok: false, error: { code: 'forbidden' } });

  await page.getByRole('button', { name: 'Switch user' }).click();
  await page.getByLabel('User id').fill('sue');
  await page.getByLabel('Passphrase').fill(e2eUser('sue').passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  const twoProducts = await openLead(page, 'L-UK-TWO-PRODUCTS');
  await expect(erasure(page)).toContainText(`Override ${requestId} requested by sam`);
  await erasure(page)
    .getByLabel(/^Reason/)
    .fill('court order seen and filed');
  await erasure(page).getByRole('button', { name: 'Erase personal data…' }).click();
  await erasure(page)
    .getByRole('button', { name: `Approve override ${requestId} and erase` })
    .click();
  await expect(erasure(page).getByRole('status')).toContainText(`Erased: 1 record(s) of lead ${twoProducts}`);
  await expect(page.locator('.facts div', { hasText: 'Subject' }).locator('dd')).toHaveText(`[erased] ${twoProducts}`);
  await erasure(page).scrollIntoViewIfNeeded();
  await snap(page, testInfo, '04-override-approved');
});

test('the lead page reaches a lead without a case and erases it', async ({ page }, testInfo) => {
  await signIn(page, 'sam');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Lead', exact: true }).click();
  await page.getByLabel('Lead id').fill('L-NO-SUCH-LEAD');
  await page.getByRole('button', { name: 'Open lead' }).click();
  await expect(page.getByRole('status')).toHaveText('No lead L-NO-SUCH-LEAD in your markets.');
  // L-AML-PARTIAL is held (AML documentation partial): no case, so only the lead page reaches it, by the CRM's id.
  const partial = await leadIdFromPage(page, 'L-AML-PARTIAL');
  await page.getByLabel('Lead id').fill('L-AML-PARTIAL');
  await page.getByRole('button', { name: 'Open lead' }).click();
  await expect(page.locator('#lead-title')).toHaveText(`Lead ${partial}`);
  await erasure(page)
    .getByLabel(/^Reason/)
    .fill('GDPR art. 17 request R-2026-120');
  await erasure(page).getByRole('button', { name: 'Erase personal data…' }).click();
  await erasure(page).getByRole('button', { name: 'Confirm erasure' }).click();
  await expect(erasure(page).getByRole('status')).toContainText(`Erased: 1 record(s) of lead ${partial}`);
  await expect(erasure(page)).toContainText('The personal data of this lead has been erased.');
  await snap(page, testInfo, '05-lead-page-erased');
  await expectAccessible(page, 'the lead page');
});
