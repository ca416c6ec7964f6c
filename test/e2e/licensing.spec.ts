// The licensing map: an operations admin reads the matrix, imports a new policy version, reads the diff and publishes
// it with a reason; a compliance officer sees her markets' part of the map and cannot publish, in the UI or the api.
// What is published here stays active for the specs that run after this one: it only adds a Jersey licence (no e2e
// lead is in Jersey) and relabels the map, so no routing they rely on changes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { apiFromPage, expectAccessible, signIn, snap } from './support/app.ts';
import { examplesDir } from '../support/examples.ts';
import { useFreshWorkstation } from './support/host-process.ts';
import { withoutApprovals } from '../support/policy-text.ts';

useFreshWorkstation();

// The e2e workstation's active policy: the example without its approvals section (test/support/workstation.ts).
const fintechText = withoutApprovals(readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8'));

const replaceOnce = (text: string, from: string, to: string): string => {
  if (text.split(from).length !== 2) throw new Error(`"${from}" must occur exactly once in the fintech policy`);
  return text.replace(from, to);
};

const JERSEY_LICENCE = `      - id: jfsc-msb
        regulator: JFSC
        regime: Jersey money service business
        jurisdictions: [JE]
        productClasses: [payments]
        customerTypes: [professional]
        validFrom: 2026-01-01
  - id: northwind-eu-ab`;

const matrixCell = (page: Page, entity: string, jurisdiction: string, product: string) =>
  page
    .getByRole('table', { name: /Licences: legal entity and jurisdiction/ })
    .locator(`tr[data-entity="${entity}"][data-jurisdiction="${jurisdiction}"] td[data-product="${product}"]`);

test('an operations admin reads the matrix, imports a new version, reads the diff and publishes it', async ({
  page,
}, testInfo) => {
  await signIn(page, 'ada');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Licensing map' }).click();
  await expect(page.getByRole('heading', { name: 'Licensing map', level: 1 })).toBeVisible();
  await expect(page.getByTestId('policy-label')).toHaveText('2026.11-1');
  const before = (await page.getByTestId('rule-version').textContent()) ?? '';
  expect(before).toMatch(/^sha256:[0-9a-f]{64}$/);

  // A known licence of the fintech example: the UK EMI covers corporate cards in GB; conditions on focus, in words.
  const gbCards = matrixCell(page, 'northwind-uk-ltd', 'GB', 'corporate-cards');
  await expect(gbCards).toContainText('Licensed');
  await gbCards.focus();
  await expect(gbCards.locator('.lic-tip')).toBeVisible();
  await expect(gbCards.locator('.lic-tip')).toContainText('fca-emi (FCA); held; retail, professional; from 2019-03-01');
  await expect(matrixCell(page, 'northwind-uk-ltd', 'GB', 'crypto-custody')).toHaveText('— Not licensed');
  await expect(matrixCell(page, 'northwind-eu-ab', 'FR', 'business-payments')).toContainText('fi-psd2-pi (passport)');
  await expect(matrixCell(page, 'northwind-us-llc', 'US-NY', 'business-payments')).toContainText('Not yet in force');
  await expect(page.getByRole('table', { name: /^Teams/ })).toContainText('UK SME desk');
  await expect(page.getByRole('table', { name: /^Reps/ })).toContainText('Olivia Bennett');
  await snap(page, testInfo, '01-licensing-map');
  await expectAccessible(page, 'the licensing map');

  // Filters: one jurisdiction, then one entity.
  await page.getByLabel('Jurisdiction', { exact: true }).selectOption('FR');
  await expect(page.locator('tr[data-jurisdiction]')).toHaveCount(1);
  await expect(page.getByRole('table', { name: /^Reps/ })).not.toContainText('Olivia Bennett');
  await page.getByLabel('Jurisdiction', { exact: true }).selectOption('');
  await page.getByLabel('Entity').selectOption('northwind-us-llc');
  await expect(page.locator('tr[data-entity="northwind-uk-ltd"]')).toHaveCount(0);
  await expect(page.locator('tr[data-entity="northwind-us-llc"]')).toHaveCount(2);
  await snap(page, testInfo, '02-filtered');
  await page.getByLabel('Entity').selectOption('');

  // A broken file: its problems with their lines, nothing to publish.
  const broken = testInfo.outputPath('policy-broken.yaml');
  writeFileSync(
    broken,
    replaceOnce(
      fintechText,
      '    products: [business-payments, corporate-cards]\n    customerTypes',
      '    products: [business-payments, gift-cards]\n    customerTypes',
    ),
  );
  const brokenLine =
    readFileSync(broken, 'utf8')
      .split('\n')
      .findIndex((line) => line.includes('gift-cards')) + 1;
  await page.getByLabel('Policy file (.yaml, .yml or .json)').setInputFiles(broken);
  const problems = page.getByRole('table', { name: /cannot be published/ });
  await expect(problems).toContainText('unknown product "gift-cards"');
  await expect(
    problems
      .getByRole('row', { name: /gift-cards/ })
      .getByRole('cell')
      .first(),
  ).toHaveText(String(brokenLine));
  await expect(page.getByRole('button', { name: /^Publish/ })).toHaveCount(0);
  await problems.scrollIntoViewIfNeeded();
  await snap(page, testInfo, '03-invalid-file');
  await expectAccessible(page, 'policy validation errors');

  // A file that is not UTF-8 (Latin-1): refused with its line before it is sent, never read as "Caf\uFFFD".
  const latin1Text = replaceOnce(fintechText, 'version: 2026.11-1', 'version: Caf\xe9 2026.11-1');
  const latin1Line = latin1Text.split('\n').findIndex((line) => line.includes('Caf\xe9')) + 1;
  await page.getByLabel('Policy file (.yaml, .yml or .json)').setInputFiles({
    name: 'policy-latin1.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from(latin1Text, 'latin1'),
  });
  await expect(page.getByRole('alert')).toContainText(`policy-latin1.yaml line ${latin1Line}: not UTF-8 text`);
  await expect(page.getByRole('button', { name: /^Publish/ })).toHaveCount(0);

  // The new version: a Jersey licence for the UK entity and a new label.
  const next = testInfo.outputPath('policy-2026.11-2.yaml');
  writeFileSync(
    next,
    replaceOnce(
      replaceOnce(fintechText, '  - id: northwind-eu-ab', JERSEY_LICENCE),
      'version: 2026.11-1',
      'version: 2026.11-2',
    ),
  );
  await page.getByLabel('Policy file (.yaml, .yml or .json)').setInputFiles(next);
  const cells = page.getByRole('table', { name: /Licences by entity × jurisdiction × product/ });
  const added = cells.getByRole('row', { name: /JE/ });
  await expect(added).toContainText('Added');
  await expect(added).toContainText('Northwind Pay UK Limited');
  await expect(added).toContainText('Business payment account');
  await expect(added).toContainText('jfsc-msb (JFSC); held; professional; from 2026-01-01');
  await expect(page.getByTestId('diff-summary')).toContainText('1 added, 0 removed, 0 changed');
  await expect(page.getByTestId('diff-summary')).toContainText('label 2026.11-1 → 2026.11-2');
  const candidate = (await page.getByTestId('candidate-version').textContent()) ?? '';
  expect(candidate).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(candidate).not.toBe(before);
  const publish = page.getByRole('button', { name: 'Publish 2026.11-2' });
  await expect(publish).toBeDisabled();
  await page.getByLabel(/Reason for publishing/).fill('JFSC licence granted to the UK entity');
  await page.getByRole('heading', { name: 'What changes' }).scrollIntoViewIfNeeded();
  await snap(page, testInfo, '04-diff');
  await expectAccessible(page, 'the policy diff');

  await publish.click();
  await expect(page.getByRole('status').filter({ hasText: 'Published 2026.11-2' })).toBeFocused();
  await expect(page.getByTestId('policy-label')).toHaveText('2026.11-2');
  await expect(page.getByTestId('rule-version')).toHaveText(candidate);
  await expect(matrixCell(page, 'northwind-uk-ltd', 'JE', 'business-payments')).toContainText('Licensed');
  await expect(page.getByRole('table', { name: /Earlier publications/ })).toContainText(before);
  await expect(page.locator('.lic-version')).toContainText('JFSC licence granted to the UK entity');
  await page.getByRole('status').filter({ hasText: 'Published 2026.11-2' }).scrollIntoViewIfNeeded();
  await snap(page, testInfo, '05-published');
});

test('a compliance officer sees her markets’ part of the map and cannot publish', async ({ page }, testInfo) => {
  await signIn(page, 'olga');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Licensing map' }).click();
  await expect(matrixCell(page, 'northwind-uk-ltd', 'GB', 'business-payments')).toContainText('Licensed');
  await expect(page.locator('tr[data-entity="northwind-us-llc"]')).toHaveCount(0);
  await expect(page.getByText('Only the part of the map inside your markets is shown.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Import new version' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Publish/ })).toHaveCount(0);
  await snap(page, testInfo, '01-officer-map');
  await expectAccessible(page, 'the licensing map for a compliance officer');

  // The services refuse it too, whatever the page offers.
  const active = (await page.getByTestId('rule-version').textContent()) ?? '';
  expect(await apiFromPage(page, 'policy.preview', { fileName: 'p.yaml', text: fintechText })).toMatchObject({
    ok: false,
    error: { code: 'forbidden' },
  });
  expect(
    await apiFromPage(page, 'policy.publish', {
      fileName: 'p.yaml',
      text: fintechText,
      ruleVersion: active,
      activeRuleVersion: active,
      reason: 'an officer trying to publish',
    }),
  ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
});
