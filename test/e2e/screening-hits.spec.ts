// The screening hit in front of the officer, by keyboard only: the screening queue, the case of a lead our own engine
// screened against the demo's OFAC extract, the hit side by side (h), then the hit cleared with a reason (f, Enter).
import { expect, test } from '@playwright/test';
import {
  apiFromPage,
  expectAccessible,
  leadIdFromPage,
  openCaseId,
  openCaseLead,
  signIn,
  snap,
} from './support/app.ts';
import { useFreshWorkstation } from './support/host-process.ts';
import { e2eUser } from './support/users.ts';

useFreshWorkstation();

test('an officer reads a real sanctions hit side by side and clears it, the decision naming the hit', async ({
  page,
}, testInfo) => {
  await signIn(page, 'olga');
  const queue = page.getByRole('navigation', { name: 'Queues' }).getByRole('button', { name: /Screening review/ });
  await queue.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('tr[data-case-id]').first()).toBeVisible();
  // j through the queue to the lead (the first case opens with the queue).
  for (let step = 0; step < 6 && !((await openCaseLead(page).textContent()) ?? '').includes('L-E2E-GHARIB'); step++)
    await page.keyboard.press('j');
  await expect(openCaseLead(page)).toContainText('L-E2E-GHARIB');
  const caseId = await openCaseId(page);

  // Nothing personal is read until the officer asks for the hit.
  const hits = page.getByRole('region', { name: 'Screening hits side by side' });
  await expect(hits.getByRole('button', { name: /Show the hit side by side/ })).toBeVisible();
  await page.keyboard.press('h');
  const hit = hits.getByRole('article', { name: /Hit 1: Sanctions · ofac-sdn 31756/ });
  await expect(hit).toBeVisible();

  // The screened party as given beside the listed entry, fact beside fact; every name of the entry with its quality.
  const compare = hit.getByRole('table', { name: 'The screened person beside listed entry ofac-sdn 31756' });
  await expect(compare.locator('.name-given')).toHaveText('Abbas Gharib');
  await expect(compare.getByRole('row', { name: 'Name Abbas Gharib GHARIB, Abbas Hassan' })).toBeVisible();
  await expect(compare.getByRole('row', { name: 'Date of birth — 1969-09-25' })).toBeVisible();
  await expect(compare.getByRole('row', { name: 'Nationality FR LB' })).toBeVisible();
  const names = hit.getByRole('table', { name: 'Names of 31756' });
  await expect(names.getByRole('row', { name: /GHARIB, Abbas Hassan.*matched.*Primary name.*good/ })).toBeVisible();
  await expect(names.getByRole('row', { name: /GHARIB, Abbass.*Alias.*weak alias/ })).toBeVisible();
  await expect(hit).toContainText('SDGT');
  await expect(hit).toContainText('POB Tayir Harfa, Lebanon');
  // The matched words carry the same pair number on both sides; "Hassan" has no counterpart in the lead.
  const partyName = hit.getByLabel('Abbas Gharib as matched');
  const listedName = hit.getByLabel('GHARIB, Abbas Hassan as matched');
  for (const word of ['abbas', 'gharib']) {
    const left = await partyName.locator('mark', { hasText: word }).locator('sup').textContent();
    const right = await listedName.locator('mark', { hasText: word }).locator('sup').textContent();
    expect(left).not.toBeNull();
    expect(left).toBe(right);
  }
  await expect(listedName.locator('.unmatched')).toContainText('hassan');
  // The score's parts: the name similarity, and the nationality that lowered it.
  const parts = hit.getByRole('table', { name: /^Score/ });
  await expect(parts.getByRole('row', { name: /Name similarity 0\.93 only in the listed name: hassan/ })).toBeVisible();
  await expect(parts.getByRole('row', { name: /Nationality -0\.05 FR against LB: differs/ })).toBeVisible();
  await expect(hit.getByRole('checkbox', { name: 'This decision covers hit 1' })).toBeChecked();
  const sdnVersion = ((await hit.textContent()) ?? '').match(/version ([0-9a-f]{16})/)?.[1];
  expect(sdnVersion).toBeDefined();
  await hits.scrollIntoViewIfNeeded();
  await snap(page, testInfo, '01-hit-side-by-side');
  await expectAccessible(page, 'the screening hit side by side');

  // Clear it: f picks the disposition and puts the cursor in the reason; Enter records it.
  await page.keyboard.press('f');
  await expect(page.getByLabel('Clear false positive')).toBeChecked();
  await expect(page.getByLabel('Reason (required, at least 5 characters)')).toBeFocused();
  await page.keyboard.type('Hassan missing and nationality French, not Lebanese: a different person');
  await snap(page, testInfo, '02-decision-drafted');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: `${caseId}: decision recorded (closed)` })).toBeVisible();
  await snap(page, testInfo, '03-decided');

  // The log says which hit was cleared, and that olga read the screened party for this case: an auditor reads it.
  await page.getByRole('button', { name: 'Switch user' }).click();
  await page.getByLabel('User id').fill('aud');
  await page.getByLabel('Passphrase', { exact: true }).fill(e2eUser('aud').passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText('(aud)')).toBeVisible();
  const decided = (await apiFromPage(page, 'audit.list', { types: ['case.decided'], subject: `case:${caseId}` })) as {
    value: { entries: { payload: Record<string, unknown> }[] };
  };
  expect(decided.value.entries[0]?.payload).toMatchObject({
    decision: 'clear_false_positive',
    hits: [{ listId: 'ofac-sdn', entryId: '31756', listVersion: sdnVersion }],
  });
  const reads = (await apiFromPage(page, 'audit.list', {
    types: ['personal_data.read'],
    subject: `lead:${await leadIdFromPage(page, 'L-E2E-GHARIB')}`,
  })) as { value: { entries: { actor: string; payload: Record<string, unknown>; commitment: string | null }[] } };
  // The read names the fields and the record read; its purpose is free text, beside the log under the commitment.
  expect(reads.value.entries[0]).toMatchObject({
    actor: 'user:olga',
    payload: { fields: expect.arrayContaining(['person']) as unknown },
  });
  expect(reads.value.entries[0]?.payload).not.toHaveProperty('purpose');
  expect(reads.value.entries[0]?.commitment).not.toBeNull();
});
