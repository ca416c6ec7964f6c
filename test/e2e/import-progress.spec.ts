// Long lead imports run as background jobs (decision 0048): the import screen shows a progress bar that moves, the
// result when the job ends, and a cancel button; the officer can leave the screen and come back to the job. The
// thousands of leads it adds land in this spec's own copy of the e2e workstation.
import { writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { generateLeads } from '../fixtures/generate-leads.ts';
import { expectAccessible, signIn, snap } from './support/app.ts';
import { useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

/** Bench-like generated leads (test/fixtures/generate-leads.ts) as a JSON Lines file with ids of their own. */
const writeLeadFile = (path: string, prefix: string, count: number): string => {
  writeFileSync(
    path,
    generateLeads(48, count)
      .map((lead, index) => JSON.stringify({ ...lead, id: `${prefix}-${index + 1}` }))
      .join('\n') + '\n',
  );
  return path;
};

const openImport = async (page: Page): Promise<void> => {
  await page.getByRole('button', { name: 'Import leads' }).click();
  await expect(page.getByRole('heading', { name: 'Import leads', level: 1 })).toBeVisible();
};

const progressBar = (page: Page) => page.getByRole('progressbar', { name: /^Importing / });
const progressValue = async (page: Page): Promise<number | null> => {
  const value = await progressBar(page)
    .getAttribute('value', { timeout: 1_000 })
    .catch(() => null);
  return value === null ? null : Number(value);
};

test('a long import shows its progress and result, and can be cancelled after leaving the screen', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const big = writeLeadFile(testInfo.outputPath('job-leads.jsonl'), 'L-JOB', 4_000);
  const cancelled = writeLeadFile(testInfo.outputPath('job-cancel.jsonl'), 'L-JOBC', 6_000);
  await signIn(page, 'ada');
  await openImport(page);

  await page.getByLabel('Lead file (.csv or .jsonl)').setInputFiles(big);
  await page.getByLabel('Source system').fill('e2e-jobs');
  await page.getByLabel('Import the valid rows and report the others').check();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(progressBar(page)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel import' })).toBeVisible();

  // Sample the bar until the result appears: it must move through values between the start and the end.
  const values: number[] = [];
  let shot = false;
  while (!(await page.getByTestId('imported').isVisible())) {
    const value = await progressValue(page);
    if (value !== null) values.push(value);
    if (!shot && value !== null && value > 0) {
      await expect(page.getByTestId('import-progress-text')).toHaveText(/^[\d,]+ of 4,000 leads$/);
      await snap(page, testInfo, '01-import-progress');
      await expectAccessible(page, 'the import screen with an import running');
      shot = true;
    }
    await page.waitForTimeout(100);
  }
  expect(values).toEqual([...values].sort((a, b) => a - b));
  expect(new Set(values.filter((value) => value > 0 && value < 4_000)).size).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('imported')).toHaveText('4000');
  await expect(progressBar(page)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Cancel import' })).toHaveCount(0);
  await snap(page, testInfo, '02-import-result');
  await expectAccessible(page, 'the import result');

  // A second import: leave the screen while it runs, come back to its progress, and cancel it.
  await page.getByLabel('Lead file (.csv or .jsonl)').setInputFiles(cancelled);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect.poll(() => progressValue(page)).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Notifications' }).click();
  await expect(page.getByRole('heading', { name: 'Import leads', level: 1 })).toHaveCount(0);
  await openImport(page);
  await expect(progressBar(page)).toBeVisible();
  const before = (await progressValue(page)) ?? 0;
  await page.getByRole('button', { name: 'Cancel import' }).click();
  const end = page.getByRole('status').filter({ hasText: 'was cancelled after' });
  await expect(end).toBeVisible();
  await expect(progressBar(page)).toHaveCount(0);
  const text = (await end.textContent()) ?? '';
  const match = /cancelled after ([\d,]+) of 6,000 leads/.exec(text);
  const processed = Number((match?.[1] ?? 'NaN').replaceAll(',', ''));
  expect(processed).toBeGreaterThanOrEqual(before);
  expect(processed).toBeLessThan(6_000);
  // What committed before the cancel stays, and the result says so.
  await expect(page.getByTestId('imported')).toHaveText(String(processed));
  await expect(end).toContainText('leads were imported before it stopped; they stay.');
  await snap(page, testInfo, '03-import-cancelled');
  await expectAccessible(page, 'the cancelled import');
});
