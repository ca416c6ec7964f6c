// The audit log screen and the dashboard, as an auditor: filter, read an entry, download CSV and the regulator
// bundle (which verifies), and charts whose numbers are the services' own. Exports only append audit entries.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { unzipBundle } from '../../core/audit/bundle-assemble.ts';
import { verifyAuditBundle } from '../../core/audit/verify.ts';
import { apiFromPage, expectAccessible, signIn, snap } from './support/app.ts';
import { useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

const openScreen = async (page: Page, name: string): Promise<void> => {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
};

test('an auditor filters the audit log, reads an entry and downloads CSV and the regulator bundle', async ({
  page,
}, testInfo) => {
  await signIn(page, 'aud');
  await openScreen(page, 'Audit log');
  const rows = page.locator('table[aria-label="Audit entries"] tbody tr');
  await expect(rows.first()).toBeVisible();
  // Newest first: the first row has the highest sequence of the page.
  const sequences = (await rows.locator('td:first-child').allTextContents()).map(Number);
  expect(sequences).toEqual([...sequences].sort((a, b) => b - a));
  await snap(page, testInfo, '01-audit-log');
  await expectAccessible(page, 'the audit log');

  // Filter by one event type: every row shown is of that type, and the count agrees with the services.
  await page.getByLabel('Event type').selectOption('lead.intake');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(rows.first().locator('td').nth(2)).toHaveText('lead.intake');
  const types = await rows.locator('td:nth-child(3)').allTextContents();
  expect(new Set(types)).toEqual(new Set(['lead.intake']));
  const listed = (await apiFromPage(page, 'audit.list', { types: ['lead.intake'], limit: 200 })) as {
    ok: boolean;
    value: { total: number; entries: { sequence: string }[] };
  };
  expect(listed.ok).toBe(true);
  await expect(page.getByRole('navigation', { name: 'Audit pages' })).toContainText(
    `of ${listed.value.total} matching`,
  );

  // Open an entry: the detail panel shows its fields and payload, never personal data.
  const second = listed.value.entries[1]!.sequence;
  await page.getByRole('button', { name: `Entry ${second}`, exact: true }).click();
  const detail = page.locator('aside.audit-detail');
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText(`Entry ${second}: lead.intake`);
  await expect(detail.locator('.audit-payload')).toContainText('queue');
  await expect(detail.locator('.audit-payload')).toContainText('paths');
  await snap(page, testInfo, '02-audit-entry');
  await expectAccessible(page, 'the audit log with an entry open');

  // CSV of the filtered entries: a download, audited, whose rows are all lead.intake entries.
  const [csvDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(csvDownload.suggestedFilename()).toMatch(/^perimeter-audit-.+-\d+-entries-filtered\.csv$/);
  const csv = readFileSync((await csvDownload.path())!, 'utf8').replace(/^\ufeff/, '');
  const lines = csv.trimEnd().split('\r\n');
  expect(lines[0]).toBe('sequence,time,type,actor,subjects,commitment,previous,log,payload');
  expect(lines.length - 1).toBe(listed.value.total);
  for (const line of lines.slice(1)) expect(line.split(',')[2]).toBe('lead.intake');
  await expect(page.getByRole('status').filter({ hasText: 'Downloaded' })).toContainText('recorded as entry');

  // The regulator bundle: always the whole log; its manifest parses and the bundle verifies.
  const [bundleDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export regulator bundle' }).click(),
  ]);
  expect(bundleDownload.suggestedFilename()).toMatch(/^perimeter-audit-.+-\d+\.zip$/);
  const unzipped = unzipBundle(new Uint8Array(readFileSync((await bundleDownload.path())!)));
  if (!unzipped.ok) throw new Error(unzipped.error);
  const manifest = JSON.parse(new TextDecoder().decode(unzipped.value.files.get('manifest.json'))) as {
    format: string;
    entries: string | number;
  };
  expect(manifest.format).toBe('perimeter-audit-export');
  const { report } = verifyAuditBundle(unzipped.value.files);
  expect(report.failures).toEqual([]);
  expect(report.verdict).toBe('valid');
  // Both exports are in the log now, by this auditor.
  const exports = (await apiFromPage(page, 'audit.list', { types: ['audit.exported'], actor: 'aud' })) as {
    value: { total: number; entries: { payload: { includesPersonalData: boolean } }[] };
  };
  expect(exports.value.total).toBeGreaterThanOrEqual(2);
  expect(exports.value.entries.every((entry) => entry.payload.includesPersonalData === false)).toBe(true);
  await snap(page, testInfo, '03-audit-exported');

  // A compliance officer has no audit log screen, and the services refuse the call too.
  await page.getByRole('button', { name: 'Switch user' }).click();
  await page.getByLabel('User id').fill('olga');
  await page.getByLabel('Passphrase').fill('olga passphrase 123');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText('(olga)')).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Audit log' }),
  ).toHaveCount(0);
  const refused = await apiFromPage(page, 'audit.export', { format: 'bundle' });
  expect(refused.error?.code).toBe('forbidden');
});

test('an auditor reveals, with a purpose, the personal data an entry committed to; the read is logged', async ({
  page,
}, testInfo) => {
  await signIn(page, 'aud');
  await openScreen(page, 'Audit log');
  await page.getByLabel('Event type').selectOption('lead.intake');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  const listed = (await apiFromPage(page, 'audit.list', { types: ['lead.intake'], limit: 1 })) as {
    value: { entries: { sequence: string; subjects: string[]; payload: Record<string, unknown> }[] };
  };
  const entry = listed.value.entries[0]!;
  const lead = entry.subjects[0]!;
  // The hashed entry holds the routing facts only; the lead's record is beside the log.
  expect(entry.payload).not.toHaveProperty('sourceId');
  await page.getByRole('button', { name: `Entry ${entry.sequence}`, exact: true }).click();
  const detail = page.locator('aside.audit-detail');
  await expect(detail).toContainText('shown below on request, with a purpose');
  const readsBefore = (await apiFromPage(page, 'audit.list', { types: ['personal_data.read'], actor: 'aud' })) as {
    value: { total: number };
  };
  await detail.getByLabel('Purpose of this read (recorded in the audit log)').fill('sample check of intake records');
  await detail.getByRole('button', { name: 'Show personal data' }).click();
  const shown = detail.getByRole('region', { name: 'Personal data of this entry' });
  await expect(shown).toContainText(`Subject ${lead}`);
  await expect(shown).toContainText(lead.slice('lead:'.length));
  await snap(page, testInfo, '04-entry-personal-data');
  await expectAccessible(page, 'an entry with its personal data shown');
  const readsAfter = (await apiFromPage(page, 'audit.list', { types: ['personal_data.read'], actor: 'aud' })) as {
    value: { total: number; entries: { subjects: string[]; payload: { sequences: string[] } }[] };
  };
  expect(readsAfter.value.total).toBe(readsBefore.value.total + 1);
  expect(readsAfter.value.entries[0]).toMatchObject({ subjects: [lead], payload: { sequences: [entry.sequence] } });
});

test('the dashboard charts queue ageing and refusals with the services’ numbers', async ({ page }, testInfo) => {
  await signIn(page, 'aud');
  await openScreen(page, 'Dashboard');
  const ageing = page.locator('figure', { has: page.locator('svg[data-chart="queue-ageing"]') });
  await expect(ageing.getByRole('img')).toBeVisible();
  const summary = (await apiFromPage(page, 'dashboard.summary', {})) as {
    value: {
      queues: {
        queue: string;
        open: number;
        overdue: number;
        age: { under1d: number; from1dTo3d: number; from3dTo7d: number; over7d: number };
      }[];
      refusals: { reason: string; count: number }[];
    };
  };
  const counts = (await apiFromPage(page, 'cases.counts', {})) as {
    value: { queues: { queue: string; open: number; overdue: number }[] };
  };
  // The chart's text alternative: one row per queue with its buckets, total and overdue.
  const tableRows = page.locator('table[data-chart-table="queue-ageing"] tbody tr');
  await expect(tableRows).toHaveCount(summary.value.queues.length);
  for (const [index, queue] of summary.value.queues.entries()) {
    const cells = (await tableRows.nth(index).locator('td').allTextContents()).map((text) => text.trim());
    expect(cells).toEqual([
      String(queue.age.under1d),
      String(queue.age.from1dTo3d),
      String(queue.age.from3dTo7d),
      String(queue.age.over7d),
      String(queue.open),
      `${queue.overdue} overdue`,
    ]);
    // The same figures as the queue badges, which come from other counters.
    const badge = counts.value.queues.find((candidate) => candidate.queue === queue.queue)!;
    expect([queue.open, queue.overdue]).toEqual([badge.open, badge.overdue]);
  }
  // The seeded workstation has overdue screening cases (the clock runs a day after import) and refusals.
  expect(summary.value.queues.some((queue) => queue.overdue > 0)).toBe(true);
  // Each bar segment is drawn with the bucket's value.
  const firstQueue = summary.value.queues[0]!;
  const bar = page.locator('svg[data-chart="queue-ageing"] g').first();
  await expect(bar.locator('rect[data-series="over7d"]')).toHaveAttribute('data-value', String(firstQueue.age.over7d));
  await expect(bar.locator('rect[data-series="under1d"]')).toHaveAttribute(
    'data-value',
    String(firstQueue.age.under1d),
  );

  const refusalRows = page.locator('table[data-chart-table="refusals"] tbody tr');
  await expect(refusalRows).toHaveCount(summary.value.refusals.length);
  expect(summary.value.refusals.length).toBeGreaterThan(0);
  for (const [index, refusal] of summary.value.refusals.entries())
    await expect(refusalRows.nth(index).locator('td').first()).toHaveText(String(refusal.count));
  const refusedTotal = summary.value.refusals.reduce((sum, refusal) => sum + refusal.count, 0);
  await expect(page.locator('[data-total="refused"]')).toHaveText(String(refusedTotal));
  await snap(page, testInfo, '01-dashboard');
  await expectAccessible(page, 'the dashboard');
});
