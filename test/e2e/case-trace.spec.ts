// The routing trace in the case view reads as a compliance officer would follow it (issue 12 §4): names beside ids,
// licences by jurisdiction first with the regulator's reference, the rules with the facts they read, the team a rule
// excluded, and the screening hit that decided the queue. It only reads cases (of any status), so spec order is free.
import { expect, test } from '@playwright/test';
import { expectAccessible, signIn, snap } from './support/app.ts';
import { useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

test('a rule refusal names the policy, entities, the rule, its facts and the team it excluded', async ({
  page,
}, testInfo) => {
  await signIn(page, 'uma');
  // Any status: the spec reads the case whether or not a spec that ran before it has decided it.
  await page.getByLabel('Status').selectOption('any');
  await page.getByLabel('Search').fill('L-CA-GAMBLING');
  await expect(page.locator('.facts')).toContainText('L-CA-GAMBLING');
  const trace = page.getByRole('region', { name: 'Routing trace' });
  await expect(trace).toContainText('Policy Northwind Pay licensing map, label 2026.11-1');

  const entities = page.getByRole('table', { name: 'Legal entities and their licences' });
  await expect(entities.getByRole('row', { name: /Entities licensed for this path/ })).toContainText(
    'Northwind Pay US LLC (northwind-us-llc)',
  );
  await expect(entities.getByRole('row', { name: /held in its own right in US-CA/ })).toContainText(
    'ca-dfpi-mtl (California DFPI, ref. MTL-2231)',
  );
  // Jurisdiction first: the New York licence is out because it is for New York, not because of its dates.
  await expect(entities.getByRole('row', { name: /excluded by jurisdiction/ })).toContainText('ny-dfs-mtl');
  await expect(entities).not.toContainText('validity');

  const rules = page.getByRole('table', { name: 'Firm rules' });
  await expect(rules.getByRole('row', { name: /R-no-us-gambling/ })).toContainText('applied');
  await expect(rules.getByRole('row', { name: /R-no-us-gambling/ })).toContainText(
    'lead.industry = personal data (see Personal data)',
  );
  await expect(rules.getByRole('row', { name: /R-reseller-channel/ })).toContainText('did not apply');

  const teams = page.getByRole('table', { name: 'Teams considered' });
  // The team fact the rule's condition tested, with the team's value from the cited policy.
  await expect(teams.getByRole('row', { name: /Excluded by rule R-no-us-gambling/ })).toContainText(
    'US SMB desk (us-smb): entity.id = northwind-us-llc',
  );
  // Free attributes are personal data: the rule names the fact, its value is under Personal data.
  await expect(rules.getByRole('row', { name: /R-reseller-channel/ })).toContainText(
    'lead.attributes.channel = personal data (see Personal data)',
  );
  await expect(rules.getByRole('row', { name: /R-enterprise-desk/ })).toContainText('lead.jurisdiction = US-CA');
  await trace.scrollIntoViewIfNeeded();
  await snap(page, testInfo, '01-rule-refusal-trace');
  await rules.screenshot({ path: testInfo.outputPath('01-rules.png') });
  await teams.screenshot({ path: testInfo.outputPath('01-teams.png') });
  await expectAccessible(page, 'a case with its routing trace');
});

test('a screening refusal names the party and the listed entry that decided the queue', async ({ page }, testInfo) => {
  await signIn(page, 'sam');
  await page.getByLabel('Status').selectOption('any');
  await page.getByLabel('Search').fill('L-SANCTIONS');
  await expect(page.locator('.facts')).toContainText('L-SANCTIONS');
  const gates = page.getByRole('table', { name: 'Gates, in the order they were evaluated' });
  const screening = gates.getByRole('row', { name: /screening\.clear/ });
  await expect(screening).toContainText('Open hit: person matched entry ofac-sdn:18234 of ofac-sdn');
  await expect(screening).toContainText('Decided the queue (Sanctions match): person matched entry ofac-sdn:18234');
  await gates.scrollIntoViewIfNeeded();
  await snap(page, testInfo, '02-screening-trace');
  await gates.screenshot({ path: testInfo.outputPath('02-screening-gates.png') });
});
