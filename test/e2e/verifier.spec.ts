// An auditor verifies real exports of the e2e workstation's log in the browser: valid, tampered, trusted, compared.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { expectAccessible, hostState, signIn, snap } from './support/app.ts';
import { useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

/** Drops a file on the verifier's drop zone, as dragging it from a file manager would. */
const dropFile = async (page: Page, path: string): Promise<void> => {
  const dataTransfer = await page.evaluateHandle(
    ({ base64, name }) => {
      const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
      // Runs in the page; the tests are type-checked without the DOM library.
      const { DataTransfer } = globalThis as unknown as {
        DataTransfer: new () => { items: { add: (file: File) => void } };
      };
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type: 'application/zip' }));
      return transfer;
    },
    { base64: readFileSync(path).toString('base64'), name: basename(path) },
  );
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer });
};

test('accepts an export, names the tampered entry of a changed copy, and finds two exports consistent', async ({
  page,
}, testInfo) => {
  const bundles = hostState().verifier;
  const apiCalls: string[] = [];
  await signIn(page, 'avery');
  await page.getByRole('button', { name: 'Verify exports' }).click();
  await expect(page.getByRole('heading', { name: 'Verify audit exports' })).toBeVisible();
  await snap(page, testInfo, '01-verifier-empty');
  await expectAccessible(page, 'the verifier screen');

  // From here on nothing may reach the services: the verdict is the browser's own.
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/')) apiCalls.push(request.url());
  });

  // A real export: valid, integrity only (no key given), with its summary and a finished progress bar.
  await page.getByLabel('Open bundle', { exact: true }).setInputFiles(bundles.later);
  await expect(page.getByTestId('verdict')).toHaveText('Valid');
  await expect(page.getByTestId('entry-count')).toHaveText(bundles.laterEntries.toLocaleString('en'));
  await expect(page.getByTestId('trust')).toHaveText('Integrity only: keys not independently trusted');
  await expect(page.getByRole('progressbar', { name: 'Verification progress' })).toHaveAttribute(
    'aria-valuenow',
    '100',
  );
  await expect(page.getByRole('table', { name: 'Events by type' })).toContainText('audit.exported');
  await expect(page.getByTestId('first-failure')).toHaveCount(0);
  await snap(page, testInfo, '02-verifier-valid');
  await expectAccessible(page, 'a valid verdict');

  // The tampered copy, dropped on the drop zone: invalid, the changed entry named with the reason.
  await dropFile(page, bundles.tampered);
  await expect(page.getByTestId('verdict')).toHaveText('Invalid');
  await expect(page.getByTestId('failing-entry')).toHaveText(bundles.tamperedSequence);
  await expect(page.getByTestId('failure-reason')).toHaveText(bundles.tamperedMessage);
  await expect(page.getByTestId('first-failure')).toContainText(
    `entries.jsonl line ${Number(bundles.tamperedSequence) + 1}`,
  );
  await snap(page, testInfo, '03-verifier-tampered');
  await expectAccessible(page, 'an invalid verdict');

  // With the log's key pasted, the same valid export is trust established.
  await page.getByLabel('Trusted verifier keys (optional)').fill(`# from the log's owner\n${bundles.verifierKey}`);
  await page.getByLabel('Open bundle', { exact: true }).setInputFiles(bundles.later);
  await expect(page.getByTestId('verdict')).toHaveText('Valid');
  await expect(page.getByTestId('trust')).toHaveText('Trust established: signed by a key you trust');

  // Two exports: the later one extends the earlier one.
  await page.getByLabel('Older bundle', { exact: true }).setInputFiles(bundles.earlier);
  await page.getByLabel('Newer bundle', { exact: true }).setInputFiles(bundles.later);
  await page.getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByTestId('compare-status')).toHaveText('Consistent: the newer bundle extends the older one');
  await expect(page.getByRole('progressbar', { name: 'Comparison progress' })).toHaveAttribute('aria-valuenow', '100');
  await page.getByTestId('compare-status').scrollIntoViewIfNeeded();
  await snap(page, testInfo, '04-verifier-compare');
  await expectAccessible(page, 'a comparison');

  // And in the wrong order it is a rollback.
  await page.getByLabel('Older bundle', { exact: true }).setInputFiles(bundles.later);
  await page.getByLabel('Newer bundle', { exact: true }).setInputFiles(bundles.earlier);
  await page.getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByTestId('compare-status')).toHaveText('Not consistent');
  await expect(page.getByTestId('compare-problems')).toContainText('rollback');

  expect(apiCalls).toEqual([]);
});

test('is not offered to a compliance officer', async ({ page }) => {
  await signIn(page, 'olga');
  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Verify exports' })).toHaveCount(0);
});
