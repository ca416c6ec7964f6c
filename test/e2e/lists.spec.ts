// Ongoing monitoring in the workstation (decisions 0193–0195): an operations admin uploads a new version of the OFAC
// list, sees what it adds, changes and removes before activating it, activates it and watches the leads being
// re-screened; the new hit's case appears in the screening review queue; an officer clears it and finds it on the
// allow-list. The update lands in this spec's own copy of the e2e workstation and of its list directory.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { apiFromPage, expectAccessible, openCaseLead, signIn, snap } from './support/app.ts';
import { useFreshWorkstation } from './support/host-process.ts';
import { repoRoot } from '../support/examples.ts';

useFreshWorkstation();

const demoSdn = join(repoRoot, 'resources', 'demo', 'lists', 'ofac-sdn');

/**
 * The demo's OFAC extract as the next edition: one entity added whose name is close to a lead's company (a potential
 * match: two words more than the lead's name), one entry's remarks changed, and 31756 (GHARIB) removed, with its
 * address and aliases.
 */
const writeUpdate = (dir: string): string[] => {
  mkdirSync(dir, { recursive: true });
  const lines = (file: string): string[] => readFileSync(join(demoSdn, file), 'latin1').split('\n');
  const without = (file: string): string[] => lines(file).filter((line) => !line.startsWith('31756,'));
  const sdn = without('sdn.csv').map((line) =>
    line.startsWith('7225,')
      ? line.replace('POB Quintana Roo, Mexico.', 'POB Quintana Roo, Mexico; Gender Male.')
      : line,
  );
  const end = sdn.findIndex((line) => line.trim() === '' || line.startsWith('\u001a'));
  sdn.splice(
    end === -1 ? sdn.length : end,
    0,
    '99001,"THAMES PAYMENTS PARTNERS GLOBAL HOLDINGS LTD",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r',
  );
  const files = { 'sdn.csv': sdn, 'alt.csv': without('alt.csv'), 'add.csv': without('add.csv') };
  return Object.entries(files).map(([name, content]) => {
    const path = join(dir, name);
    writeFileSync(path, content.join('\n'), 'latin1');
    return path;
  });
};

test('an operations admin activates a new list version after its diff, and the re-screening opens a case', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const files = writeUpdate(testInfo.outputPath('ofac-update'));
  await signIn(page, 'ada');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Lists' }).click();
  await expect(page.getByRole('heading', { name: 'Screening lists', level: 1 })).toBeVisible();
  const active = page.getByRole('region', { name: 'Active lists' });
  const activeRow = active.getByRole('row', { name: /ofac-sdn/ });
  await expect(activeRow).toContainText('120');
  const before = (await activeRow.locator('code').textContent()) ?? '';
  expect(before).toMatch(/^[0-9a-f]{16}$/);
  await snap(page, testInfo, '01-lists');
  await expectAccessible(page, 'the lists screen');

  // Upload: nothing changes yet; the diff against the active version is shown.
  await page.getByLabel('File format').selectOption('ofac-sdn-csv');
  await page.getByLabel('List files').setInputFiles(files);
  await page.getByRole('button', { name: 'Show what changes' }).click();
  const preview = page.getByRole('region', { name: /^New version of ofac-sdn/ });
  await expect(preview).toBeVisible();
  await expect(preview.getByTestId('diff-added')).toHaveText('1');
  await expect(preview.getByTestId('diff-changed')).toHaveText('1');
  await expect(preview.getByTestId('diff-removed')).toHaveText('1');
  await expect(preview.getByRole('table', { name: 'Added' })).toContainText(
    'THAMES PAYMENTS PARTNERS GLOBAL HOLDINGS LTD',
  );
  await expect(preview.getByRole('table', { name: 'Changed' })).toContainText('remarks');
  await expect(preview.getByRole('table', { name: 'Removed' })).toContainText('31756');
  const next = ((await preview.getByRole('heading').locator('code').textContent()) ?? '').trim();
  expect(next).toMatch(/^[0-9a-f]{16}$/);
  expect(next).not.toBe(before);
  // Not active before the admin says so.
  await expect(activeRow.locator('code')).toHaveText(before);
  await preview.scrollIntoViewIfNeeded();
  await snap(page, testInfo, '02-diff-before-activation');
  await expectAccessible(page, 'the diff of a list version');

  // Activate: the re-screening runs in the background and reports its progress, then what it found.
  await preview.getByRole('button', { name: 'Activate and re-screen the leads' }).click();
  const progress = page.getByRole('region', { name: /Re-screening against ofac-sdn/ });
  await expect(progress.getByRole('progressbar')).toBeVisible();
  await expect(progress.getByTestId('rescreen-progress')).toHaveText(/^Done: /, { timeout: 30_000 });
  const text = (await progress.getByTestId('rescreen-progress').textContent()) ?? '';
  const [, read, total] = /^Done: ([\d,]+) of ([\d,]+) leads/.exec(text) ?? [];
  expect(read).toBe(total);
  await expect(progress).toContainText('re-screened against 1 added and 1 changed entries');
  await expect(progress).toContainText('1 new hit on 1 lead, 1 case opened, 0 held back by the allow-list');
  await expect(progress).toContainText('1 open hit resolved (entry removed)');
  await expect(activeRow.locator('code')).toHaveText(next);
  await expect(page.getByRole('region', { name: 'Re-screening runs' }).getByRole('row', { name: /ada/ })).toContainText(
    'Done',
  );
  await snap(page, testInfo, '03-rescreened');
  await expectAccessible(page, 'the re-screening result');

  // The new case is in the screening review queue.
  await progress.getByRole('button', { name: 'Open the screening review queue' }).click();
  const row = page.locator('tr[data-case-id]', { hasText: 'Thames Payments Partners Ltd' });
  await expect(row).toBeVisible();
  await snap(page, testInfo, '04-queue-with-new-case');

  // A compliance officer of the UK clears it as a false positive; the allow-list shows it.
  await page.getByRole('button', { name: 'Switch user' }).click();
  await signIn(page, 'olga');
  const queue = page.getByRole('navigation', { name: 'Queues' }).getByRole('button', { name: /Screening review/ });
  await queue.click();
  await page.locator('tr[data-case-id]', { hasText: 'Thames Payments Partners Ltd' }).click();
  await expect(openCaseLead(page)).toBeVisible();
  const hits = page.getByRole('region', { name: 'Screening hits side by side' });
  await hits.getByRole('button', { name: /Show the hit side by side/ }).click();
  await expect(hits.getByRole('article', { name: /ofac-sdn 99001/ })).toBeVisible();
  await snap(page, testInfo, '05-new-hit-side-by-side');
  await page.getByLabel('Clear false positive').check();
  await page.getByLabel('Reason (required, at least 5 characters)').fill('Different firm: no global holdings entity');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'decision recorded (closed)' })).toBeVisible();

  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Allow-list' }).click();
  const allow = page.getByRole('table', { name: '1 cleared hit' });
  await expect(allow).toContainText('Thames Payments Partners Ltd');
  await expect(allow).toContainText('99001');
  await expect(allow).toContainText('not yet');
  await snap(page, testInfo, '06-allow-list');
  await expectAccessible(page, 'the allow-list');
  await expect(allow).toContainText('Review by');

  // The officer takes the row off again, by keyboard, with a reason (decision 0197).
  await allow.getByRole('button', { name: /Take off the allow-list: ofac-sdn 99001/ }).focus();
  await page.keyboard.press('Enter');
  const removal = page.getByRole('form', { name: /Take ofac-sdn 99001 off the allow-list/ });
  await expect(removal.getByLabel(/Reason \(required/)).toBeFocused();
  await page.keyboard.type('Adverse media since: review again');
  await snap(page, testInfo, '07-allow-list-remove');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'taken off the allow-list' })).toBeVisible();
  await expect(page.getByText('No false positive has been cleared yet.')).toBeVisible();

  // The services refuse an officer the list screens' methods (operations admins only), and log it.
  const refused = await apiFromPage(page, 'lists.overview', {});
  expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
});
