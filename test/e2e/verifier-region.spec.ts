// An auditor drops a real region export (`perimeter hub export` of a real hub with two devices, one of which signed a
// fork) on the verifier screen: the same verdict as `perimeter verify-region`, the fork shown; three tampered copies
// (an entry byte flipped, a line dropped, a checkpoint swapped) are invalid, each naming the file and the problem.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { expectAccessible, signIn, snap } from './support/app.ts';
import { runUntilWritten, useFreshWorkstation } from './support/host-process.ts';
import type { RegionExports } from './support/region-exports.ts';

useFreshWorkstation();

let exports: RegionExports;
test.beforeAll(async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'perimeter-e2e-region-')), 'region-exports.json');
  const made = await runUntilWritten('region-exports.ts', [out], out, 'the region exports');
  await made.stop();
  exports = JSON.parse(readFileSync(out, 'utf8')) as RegionExports;
});

/** Drops a file on the verifier's drop zone, as dragging it from a file manager would. */
const dropFile = async (page: Page, path: string): Promise<void> => {
  const dataTransfer = await page.evaluateHandle(
    ({ base64, name }) => {
      const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
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

test('verifies a region export in the browser, shows its fork, and names what is wrong with tampered copies', async ({
  page,
}, testInfo) => {
  const apiCalls: string[] = [];
  await signIn(page, 'avery');
  await page.getByRole('button', { name: 'Verify exports' }).click();
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/')) apiCalls.push(request.url());
  });

  await dropFile(page, exports.valid.path);
  await expect(page.getByTestId('verdict')).toHaveText('Valid');
  await expect(page.getByTestId('region-headline')).toHaveText(
    `Region eu-west verified: 2 device logs, ${exports.valid.entries} entries, hub log of ${exports.valid.hubLogSize} entries; every accepted checkpoint is in the hub log; 1 fork recorded, with both signed checkpoints`,
  );
  const forks = page.getByRole('table', { name: /Forks recorded by the witness/ });
  await expect(forks).toContainText('field-y');
  await expect(forks).toContainText('two checkpoints of size');
  await expect(forks).toContainText('devices/field-y/forks.json');
  await expect(page.getByRole('table', { name: /Region eu-west: device logs \(2\)/ })).toContainText('field-x');
  await expect(page.getByTestId('region-problems')).toHaveCount(0);
  await snap(page, testInfo, '01-region-valid-with-fork');
  await expectAccessible(page, 'a verified region export');

  for (const [how, file] of Object.entries(exports.tampered)) {
    await dropFile(page, file.path);
    await expect(page.getByTestId('verdict')).toHaveText('Invalid');
    await expect(page.getByTestId('region-headline')).toContainText('Region eu-west NOT verified');
    const problems = page.getByTestId('region-problems');
    await expect(problems).toContainText(file.names!);
    // The first row is the first problem `perimeter verify-region` prints, in the same words.
    const first = problems.locator('tbody tr').first();
    await expect(first.locator('td').nth(0)).toHaveText(file.firstProblem!.file);
    await expect(first.locator('td').nth(3)).toHaveText(file.firstProblem!.message);
    await snap(page, testInfo, `02-region-${how}`);
  }
  await expectAccessible(page, 'an invalid region export');
  expect(apiCalls).toEqual([]);
});
