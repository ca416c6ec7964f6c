// Lead intake: a CRM export imported with a column mapping, and leads added by hand by a field rep and an admin, with
// the routing outcome per product and the service's validation errors beside their fields. Lead ids: L-INTAKE-*.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { expectAccessible, signIn, snap } from './support/app.ts';
import { useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

const crmExport = [
  '"Lead Ref","Company Name","Country","Customer Segment","Products","KYC","AML","screened_at","Sales Owner"',
  'L-INTAKE-CSV-1,"Intake Tools, Ltd",GB,professional,business-payments,verified,complete,2026-11-20T09:00:00Z,Jo',
  'L-INTAKE-CSV-2,Intake Gears Ltd,GB,professional,business-payments,verified,complete,2026-11-20T09:00:00Z,Jo',
  'L-INTAKE-CSV-3,Intake Bolts Ltd,GB,professional,business-payments,verified,complete,2026-11-20T09:00:00Z,Max',
  'L-INTAKE-CSV-4,Intake Nuts Ltd,GB,professional,business-payments,verified,complete,2026-11-20T09:00:00Z,Max',
].join('\r\n');

const addLead = (page: Page) => page.getByRole('region', { name: 'Add a lead by hand' });

test('imports a CRM export with a column mapping', async ({ page }, testInfo) => {
  await signIn(page, 'ada');
  await page.getByRole('button', { name: 'Import leads' }).click();
  await page.getByLabel('Lead file (.csv or .jsonl)').setInputFiles({
    name: 'crm-export.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(crmExport, 'utf8'),
  });

  // Documented columns need no mapping; the others get a select with a first guess.
  await expect(page.getByLabel('Column “screened_at”')).toHaveCount(0);
  // Column names are matched exactly: "Products" is not "products", but that is the first guess.
  await expect(page.getByLabel('Column “Products”')).toHaveValue('products');
  await expect(page.getByLabel('Column “Company Name”')).toHaveValue('company_name');
  await expect(page.getByLabel('Column “Country”')).toHaveValue('address_country');
  await expect(page.getByLabel('Column “Lead Ref”')).toHaveValue('');
  await expect(page.getByLabel('Column “Sales Owner”')).toHaveValue('');
  const preview = page.getByRole('table', { name: 'First 3 rows of the file' });
  await expect(preview.locator('tbody tr')).toHaveCount(3);
  await expect(preview).toContainText('Intake Tools, Ltd');
  await expect(preview).not.toContainText('Intake Nuts Ltd');

  // Without an id column nothing could be imported; two columns onto one name is refused before sending.
  await page.getByLabel('Column “Customer Segment”').selectOption('company_name');
  await expect(page.getByRole('alert')).toContainText('would both become company_name');
  await expect(page.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();
  await page.getByLabel('Column “Customer Segment”').selectOption('customer_type');
  await page.getByLabel('Column “Lead Ref”').selectOption('id');
  await expect(page.getByLabel('Column “KYC”')).toHaveValue('kyc_status');
  await expect(page.getByLabel('Column “AML”')).toHaveValue('aml_documentation');
  await expect(preview.locator('thead')).toContainText('→ customer_type');
  await expect(preview.locator('thead')).toContainText('(left out)');
  await snap(page, testInfo, '01-column-mapping');
  await expectAccessible(page, 'the column mapping');

  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('imported')).toHaveText('4');
  await expect(page.getByTestId('cases-opened')).toHaveText('0');
  await expect(page.getByRole('status').filter({ hasText: 'Import result' })).toContainText('Assigned: 4');
  await snap(page, testInfo, '02-mapped-import-result');
});

test('a field rep adds a lead by hand, sees it assigned, and sees field errors', async ({ page }, testInfo) => {
  await signIn(page, 'fiona');
  // A field rep has My leads (their product paths, issue 14) and the import screen, nothing else.
  const screens = page.getByRole('navigation', { name: 'Screens' }).getByRole('button');
  await expect(screens).toHaveText(['My leads', 'Import leads', 'Sync']);
  await screens.filter({ hasText: 'Import leads' }).click();
  const form = addLead(page);
  await expect(form).toBeVisible();

  // Invalid: a country name instead of a code, and no product.
  await form.getByLabel('Lead reference').fill('L-INTAKE-HAND-BAD');
  await form.getByLabel('Customer type').selectOption('professional');
  await form.getByLabel('Company name').fill('Wrongly Typed Ltd');
  await form.getByLabel('Country code').fill('France');
  await form.getByRole('button', { name: 'Add lead' }).click();
  await expect(page.getByRole('alert')).toContainText('The lead was not added');
  const country = form.getByLabel('Country code');
  await expect(country).toHaveAttribute('aria-invalid', 'true');
  await expect(country).toHaveAccessibleDescription(/ISO 3166-1 alpha-2/);
  await expect(form.getByLabel('Product ids')).toHaveAccessibleDescription(/at least one product interest/);
  await expect(country).toBeFocused();
  await snap(page, testInfo, '03-field-errors');
  await expectAccessible(page, 'the add-lead form with errors');

  // Corrected: a UK professional with KYC and AML done and a clean screening is assigned to a rep.
  await form.getByLabel('Lead reference').fill('L-INTAKE-HAND-1');
  await form.getByLabel('Country code').fill('GB');
  await form.getByLabel('City').fill('Leeds');
  await form.getByLabel('Product ids').fill('business-payments');
  await form.getByLabel('KYC status').selectOption('verified');
  await form.getByLabel('AML documentation').selectOption('complete');
  await form.getByLabel(/Screened against sanctions/).check();
  await form.getByLabel('Screened on').fill('2026-11-20');
  await form.getByRole('button', { name: 'Add lead' }).click();
  const outcome = form.getByRole('table', { name: 'Routing outcome per product' });
  await expect(
    form.getByRole('heading', { name: /^Lead L-[0-9A-Z]{16} added \(your id L-INTAKE-HAND-1\)$/ }),
  ).toBeVisible();
  await expect(outcome.locator('tr[data-product="business-payments"]')).toHaveAttribute('data-outcome', 'assigned');
  await expect(outcome).toContainText(/Assigned to \S+ in uk-/);
  await expect(country).not.toHaveAttribute('aria-invalid', 'true');
  await snap(page, testInfo, '04-assigned');
  await expectAccessible(page, 'the add-lead outcome');

  // The same reference again is a conflict, shown at the reference.
  await form.getByLabel('Lead reference').fill('L-INTAKE-HAND-1');
  await form.getByLabel('Customer type').selectOption('professional');
  await form.getByLabel('Company name').fill('Twice Ltd');
  await form.getByLabel('Country code').fill('GB');
  await form.getByLabel('Product ids').fill('business-payments');
  await form.getByRole('button', { name: 'Add lead' }).click();
  await expect(form.getByLabel('Lead reference')).toHaveAccessibleDescription(/exists already/);
});

test('a lead in a country without a licence is refused into expansion review', async ({ page }, testInfo) => {
  await signIn(page, 'ada');
  await page.getByRole('button', { name: 'Import leads' }).click();
  const form = addLead(page);
  await form.getByLabel('Lead reference').fill('L-INTAKE-HAND-CH');
  await form.getByLabel('Customer type').selectOption('professional');
  await form.getByLabel('Company name').fill('Alpenpay AG');
  await form.getByLabel('Country code').fill('CH');
  await form.getByLabel('City').fill('Zürich');
  // An admin reads the active policy, so products are offered by name.
  await form.getByLabel('Business payment account').check();
  await form.getByLabel('KYC status').selectOption('verified');
  await form.getByLabel('AML documentation').selectOption('complete');
  await form.getByLabel(/Screened against sanctions/).check();
  await form.getByLabel('Screened on').fill('2026-11-20');
  await form.getByRole('button', { name: 'Add lead' }).click();
  const row = form.getByRole('table', { name: 'Routing outcome per product' }).locator('tbody tr');
  await expect(row).toHaveAttribute('data-outcome', 'refused');
  await expect(row).toContainText('Business payment account');
  await expect(row).toContainText(
    /Refused: sent to Expansion review because of no licensed entity \(case C-[0-9A-HJKMNP-TV-Z]{5}-\d+(-\d+)?\)/,
  );
  await row.scrollIntoViewIfNeeded();
  await snap(page, testInfo, '05-refused');
  await expectAccessible(page, 'a refused lead');
});
