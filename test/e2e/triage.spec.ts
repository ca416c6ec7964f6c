// Keyboard-first triage of a screening hit: j / k to the case, a disposition key, a reason, Enter, auto-advance.
import { expect, test } from '@playwright/test';
import { expectAccessible, openCaseId, openCaseLead, selectedCaseTitle, signIn, snap } from './support/app.ts';
import { useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

test('clears a potential sanctions hit from the keyboard and moves on to the next case', async ({ page }, testInfo) => {
  await signIn(page, 'olga');
  await page
    .getByRole('navigation', { name: 'Queues' })
    .getByRole('button', { name: /Screening review/ })
    .click();
  // L-POTENTIAL is in the queue, not necessarily first.
  await expect(page.locator('tr[data-case-id]').first()).toBeVisible();
  await page.locator('body').click({ position: { x: 5, y: 990 } });

  // One step at a time: after each j, wait until the case view shows the row j selected, so a slow machine never reads
  // the previous case's lead and steps past the one wanted.
  const selectedRow = page.locator('tr[data-case-id][aria-current="true"]');
  const openLead = async (): Promise<string> =>
    (await selectedRow.count()) === 0 ? '' : ((await openCaseLead(page).textContent()) ?? '');
  for (let step = 0; step < 8 && !(await openLead()).includes('L-POTENTIAL'); step++) {
    await page.keyboard.press('j');
    await expect(selectedRow).toHaveCount(1);
    await expect(selectedCaseTitle(page)).toContainText(`Case ${await selectedRow.getAttribute('data-case-id')}`);
  }
  await expect(openCaseLead(page)).toContainText('L-POTENTIAL');
  const decided = await openCaseId(page);
  // Away and back again with the other key.
  const ids = await page
    .locator('tr[data-case-id]')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-case-id')));
  const [away, back] = ids.indexOf(decided) > 0 ? ['k', 'j'] : ['j', 'k'];
  await page.keyboard.press(away);
  await expect(openCaseLead(page)).not.toContainText('L-POTENTIAL');
  await page.keyboard.press(back);
  await expect(openCaseLead(page)).toContainText('L-POTENTIAL');

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await snap(page, testInfo, '01-help');
  await expectAccessible(page, 'the keyboard help');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  await page.keyboard.press('f');
  await expect(page.getByLabel('Clear false positive')).toBeChecked();
  await expect(page.getByLabel('Reason (required, at least 5 characters)')).toBeFocused();
  await page.keyboard.type('Date of birth and nationality differ from the list entry');
  await snap(page, testInfo, '02-decision-drafted');
  await expectAccessible(page, 'the case view with a drafted decision');
  await page.keyboard.press('Enter');

  await expect(page.getByRole('status').filter({ hasText: `${decided}: decision recorded (closed)` })).toBeVisible();
  // Auto-advance: another case is open, and the decided one has left the active queue.
  await expect(page.locator('#case-title')).not.toContainText(decided);
  await expect(page.locator(`tr[data-case-id="${decided}"]`)).toHaveCount(0);
  await expect(page.locator('tr[aria-current="true"]')).toHaveCount(1);
  await snap(page, testInfo, '03-advanced');
  // The keys work at once on the next case: focus left the reason box. Away and back, in the direction that has a
  // row (the case opened may be the last one left: on this spec's fresh workstation it is).
  const next = await openCaseId(page);
  const rows = await page
    .locator('tr[data-case-id]')
    .evaluateAll((found) => found.map((row) => row.getAttribute('data-case-id')));
  const [awayFromNext, backToNext] = rows.indexOf(next) > 0 ? ['k', 'j'] : ['j', 'k'];
  await page.keyboard.press(awayFromNext);
  await expect(page.locator('#case-title')).not.toContainText(next);
  await page.keyboard.press(backToNext);
  await expect(page.locator('#case-title')).toContainText(next);
});
