// The sync conflict queue (issue 15, decisions 0244, 0268): a conflict seeded through the real apply (a field tablet's
// entries applied to this workstation, support/conflict-fixture.ts) shows in the Sync conflict queue; a senior officer
// opens it, sees both decisions with their entries (device log, entry, officer, time, version seen, reason), picks one
// with a reason, and the conflict leaves the queue while the held case takes the chosen decision.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { apiFromPage, expectAccessible, signIn, snap } from './support/app.ts';
import { FIXTURE_ENV, runUntilWritten, startHost, STATE_ENV } from './support/host-process.ts';

const workDir = mkdtempSync(join(tmpdir(), 'perimeter-e2e-conflict-spec-'));
let stop: (() => Promise<void>) | null = null;
let conflict = { caseId: '', conflictId: '' };

test.beforeAll(async () => {
  const base = process.env[FIXTURE_ENV];
  if (base === undefined) throw new Error(`${FIXTURE_ENV} is not set: run these tests through playwright.config.ts`);
  const fixtureFile = join(workDir, 'fixture.json');
  await (await runUntilWritten('conflict-fixture.ts', [base, fixtureFile], fixtureFile, 'the conflict fixture')).stop();
  conflict = (JSON.parse(readFileSync(fixtureFile, 'utf8')) as { conflict: typeof conflict }).conflict;
  const host = await startHost(fixtureFile);
  stop = host.stop;
  process.env[STATE_ENV] = host.stateFile;
});
test.afterAll(async () => {
  delete process.env[STATE_ENV];
  await stop?.();
  rmSync(workDir, { recursive: true, force: true });
});

test('a senior officer resolves a sync conflict from its queue, choosing one of the two decisions', async ({
  page,
}, testInfo) => {
  await signIn(page, 'sam');
  const queue = page.getByRole('navigation', { name: 'Queues' }).getByRole('button', { name: /Sync conflict/ });
  await expect(queue.locator('.queue-count')).toHaveText('1');
  await queue.click();
  await page.locator(`tr[data-case-id="${conflict.conflictId}"]`).click();
  await expect(page.locator('#case-title')).toContainText(conflict.conflictId);
  const decisions = page.getByRole('table', { name: 'Decisions in conflict' });
  await expect(decisions.locator('tbody tr')).toHaveCount(2);
  await expect(decisions).toContainText('perimeter/audit/e2e-tablet');
  await expect(decisions).toContainText('pat');
  await expect(decisions).toContainText('Pursue expansion');
  await expect(decisions).toContainText('three prospects asked for it this week');
  await expect(decisions).toContainText('sue');
  await expect(decisions).toContainText('no licence is planned there');
  await expectAccessible(page, 'the sync conflict');
  await snap(page, testInfo, '01-conflict');

  const form = page.getByRole('form', { name: 'Resolve the conflict' });
  await form.getByRole('radio', { name: /Pursue expansion by pat/ }).check();
  await form.getByLabel('Reason for the resolution').fill('the expansion board approved the licence on Monday');
  await snap(page, testInfo, '02-choosing');
  await page.screenshot({ path: '/tmp/perimeter-conflict-02-choosing.png', fullPage: true });
  await form.getByRole('button', { name: 'Resolve conflict' }).click();
  // Out of the queue (the screen moves on, as after any decision); the held case took the chosen decision.
  await expect(queue.locator('.queue-count')).toHaveText('0');
  await expect(page.locator(`tr[data-case-id="${conflict.conflictId}"]`)).toHaveCount(0);
  await page.screenshot({ path: '/tmp/perimeter-conflict-03-resolved.png', fullPage: true });
  expect(await apiFromPage(page, 'cases.conflict', { conflictId: conflict.conflictId })).toMatchObject({
    ok: true,
    value: { status: 'resolved', resolvedBy: 'sam', chosen: { origin: 'perimeter/audit/e2e-tablet' } },
  });
  expect(await apiFromPage(page, 'cases.get', { caseId: conflict.caseId })).toMatchObject({
    ok: true,
    value: { case: { status: 'closed', resolution: 'pursue_expansion' } },
  });
  await snap(page, testInfo, '03-case-closed');
});
