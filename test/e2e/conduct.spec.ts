// Issue 14 end to end in Chromium: a field rep records a first contact with the required disclosure (a contact without
// it is refused in words), qualifies the path (the KYC hand-off is queued), is refused PROPOSAL during the cooling-off
// with the countdown on screen, and proceeds once it has run out; a signed KYC callback lifts a hold, seen in the held
// and waiting view. The host runs on real time: the client's request is recorded so the window ends ~25 s later.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { expectAccessible } from './support/app.ts';
import { STATE_ENV, runUntilWritten } from './support/host-process.ts';
import type { ConductHostState } from './support/conduct-host.ts';

let stopHost: (() => Promise<void>) | null = null;
let stateDir = '';
const state = (): ConductHostState => JSON.parse(readFileSync(join(stateDir, 'host.json'), 'utf8')) as ConductHostState;

test.beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'perimeter-e2e-conduct-host-'));
  const file = join(stateDir, 'host.json');
  const host = await runUntilWritten('conduct-host.ts', [file], file, 'the conduct host');
  stopHost = host.stop;
  process.env[STATE_ENV] = file;
});
test.afterAll(async () => {
  delete process.env[STATE_ENV];
  await stopHost?.();
  rmSync(stateDir, { recursive: true, force: true });
});

const PASSPHRASE: Readonly<Record<string, string>> = {
  ada: 'correct horse battery staple',
  'rep-olivia': 'rep-olivia passphrase 123',
};

const signIn = async (page: Page, userId: string): Promise<void> => {
  await page.getByLabel('User id').fill(userId);
  await page.getByLabel('Passphrase').fill(PASSPHRASE[userId]!);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText(`(${userId})`)).toBeVisible();
};
const switchTo = async (page: Page, userId: string): Promise<void> => {
  await page.getByRole('button', { name: 'Switch user' }).click();
  await signIn(page, userId);
};
const screen = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true });
const shot = async (page: Page, name: string): Promise<void> => {
  await page.screenshot({ path: `/tmp/conduct-${name}.png`, fullPage: true });
};

test('a field rep works a crypto path through disclosures, KYC and cooling-off; a KYC callback lifts a hold', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const { url, callbackSecret, leadId } = state();
  await page.goto(url);
  await signIn(page, 'rep-olivia');

  // My leads: the new crypto-custody path, its next step a first contact, blocked by the risk warning.
  await expect(screen(page, 'My leads')).toHaveAttribute('aria-current', 'page');
  const row = page.locator(`tr[data-path="${leadId}/crypto-custody"]`);
  await expect(row).toContainText('R. P.');
  await expect(row).toContainText('New');
  await expect(row).toContainText('send disclosure RW-CRYPTO v2 with the first contact');
  await expect(page.locator(`tr[data-path="${leadId}/business-payments"]`)).toHaveCount(0);
  // j / k move through the list as in the queues; the timeline beside it follows.
  const paths = page.locator('table.my-leads tbody tr');
  await expect(paths).toHaveCount(2);
  const selectedRow = page.locator('table.my-leads tbody tr[aria-current="true"]');
  const firstSelected = await selectedRow.getAttribute('data-path');
  await page.keyboard.press('j');
  await expect(selectedRow).not.toHaveAttribute('data-path', firstSelected!);
  const second = (await selectedRow.getAttribute('data-path'))!;
  await expect(page.locator('#path-title')).toContainText(second.split('/')[0]!);
  await page.keyboard.press('k');
  await expect(selectedRow).toHaveAttribute('data-path', firstSelected!);
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('record the client’s request');
  await expectAccessible(page, 'the keyboard help with the path keys');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await row.getByRole('button').click();
  await expect(row).toHaveAttribute('aria-current', 'true');
  const timeline = page.locator('section.path-view');
  await expect(timeline.locator('#path-title')).toContainText(leadId);
  await expect(timeline.locator('[data-gate="disclosure"]')).toHaveAttribute('data-status', 'blocked');
  await shot(page, 'my-leads');
  await expectAccessible(page, 'My leads with the path timeline');

  // A first contact without the risk warning is refused, in words; with it the path is CONTACTED.
  await page.keyboard.press('o');
  const outreach = page.getByRole('form', { name: 'Record outreach' });
  await expect(outreach.getByLabel('Direction')).toBeFocused();
  await outreach.getByLabel('What was communicated').fill('Emailed the custody brochure');
  await outreach.getByLabel('RW-CRYPTO v2').uncheck();
  await expectAccessible(page, 'the outreach form');
  await outreach.getByRole('button', { name: 'Record' }).click();
  const refusal = timeline.locator('.refusal');
  await expect(refusal).toContainText('refused by D-PS23-6-RISK-WARNING');
  await expect(refusal).toContainText('send disclosure RW-CRYPTO v2 with the first contact');
  await outreach.getByLabel('RW-CRYPTO v2').check();
  await outreach.getByRole('button', { name: 'Record' }).click();
  await expect(timeline.getByRole('status')).toContainText('Outreach recorded: the path is now Contacted');
  await expect(timeline.locator('table.outreach')).toContainText('RW-CRYPTO v2');
  await expect(timeline).toContainText('RW-CRYPTO v2 by email');

  // Qualified from the keyboard: the KYC hand-off goes into the outbox with it. Then the travel-rule checklist.
  await page.locator('body').click({ position: { x: 5, y: 500 } });
  await page.keyboard.press('a');
  await expect(timeline.getByRole('status')).toContainText('the path is now Qualified');
  await expect(timeline.getByRole('status')).toContainText('KYC hand-off was queued');
  for (const item of ['travel-rule-data', 'self-hosted-wallet-check']) {
    await page.keyboard.press('c');
    const form = page.getByRole('form', { name: 'Mark a checklist step done' });
    await form.getByLabel('Step id').fill(item);
    await form.getByLabel('Step id').press('Enter');
    await expect(timeline.getByRole('status')).toContainText(`Step ${item} done`);
    await page.locator('body').click({ position: { x: 5, y: 500 } });
  }
  await expect(timeline.locator('[data-gate="checklist"]')).toHaveAttribute('data-status', 'met');
  await expect(timeline.locator('[data-gate="kyc_verified"]')).toHaveAttribute('data-status', 'blocked');

  // Operations: the business payment path is held until KYC is verified; the initiation is in the outbox.
  await switchTo(page, 'ada');
  await screen(page, 'Held and waiting').click();
  const held = page.locator(`tr[data-path="${leadId}/business-payments"]`);
  await expect(held).toContainText('Held at routing');
  await expect(held).toContainText('KYC verified');
  await shot(page, 'held');
  await expectAccessible(page, 'Held and waiting');
  await screen(page, 'KYC outbox').click();
  const event = page.locator('table.kyc-outbox tbody tr', { hasText: leadId });
  await expect(event).toHaveCount(1);
  await expect(event).toContainText('crypto-custody');
  const eventId = (await event.locator('code').first().textContent())!;
  expect(eventId).toMatch(/^kyc_[0-9a-f]{32}$/);
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(event).toContainText('delivered', { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await shot(page, 'outbox');
  await expectAccessible(page, 'the KYC outbox');

  // A supervisor looks at the rep's list: the timeline shows the lead's KYC outbox event to those who operate it.
  await screen(page, 'Reps’ leads').click();
  await page.getByLabel('Rep id').fill('rep-olivia');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByRole('heading', { name: 'Leads of rep-olivia' })).toBeVisible();
  await row.getByRole('button').click();
  await expect(timeline.locator('table.outbox')).toContainText(eventId);
  await expect(timeline.locator('table.outbox')).toContainText('Delivered');
  await expectAccessible(page, 'a rep’s leads seen by a supervisor');

  // The KYC system reports the lead verified: a Standard Webhooks-signed callback to the host.
  const body = JSON.stringify({
    type: 'kyc.outcome.reported',
    timestamp: new Date().toISOString(),
    data: { eventId, leadId, status: 'verified', reference: 'E2E-KYC-1' },
  });
  const at = new Date();
  const answer = await fetch(new URL('/kyc/callback', url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': 'msg_e2e_conduct_1',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(callbackSecret).sign('msg_e2e_conduct_1', at, body),
    },
    body,
  });
  expect(answer.status).toBe(200);
  expect(await answer.json()).toEqual({ accepted: true, duplicate: false });
  await screen(page, 'KYC outbox').click();
  await expect(event).toContainText('verified');
  await screen(page, 'Held and waiting').click();
  await expect(page.getByText('Nothing is held or waiting.')).toBeVisible();
  await expect(held).toHaveCount(0);
  await shot(page, 'held-lifted');

  // Back to the rep: KYC verified; the client's request recorded so the 24-hour cooling-off ends ~25 s from now.
  await switchTo(page, 'rep-olivia');
  await row.click();
  await expect(timeline.locator('[data-fact="kyc"]')).toHaveText('Verified');
  await page.locator('body').click({ position: { x: 5, y: 500 } });
  await page.keyboard.press('r');
  const requestedAt = new Date(Date.now() - 24 * 3_600_000 + 25_000).toISOString();
  const request = page.getByRole('form', { name: "Record the client's request" });
  await request.getByLabel('Time of the request').fill(requestedAt);
  await request.getByRole('button', { name: 'Record the request' }).click();
  await expect(timeline.getByRole('status')).toContainText("The client's request is on record");

  // PROPOSAL is refused during the cooling-off, with the rule, the end and the live countdown.
  await page.locator('body').click({ position: { x: 5, y: 500 } });
  await page.keyboard.press('a');
  await expect(refusal).toContainText('refused by CO-PS22-10-PS23-6');
  await expect(refusal).toContainText('cooling-off ends');
  const countdown = timeline.getByRole('timer', { name: 'Cooling-off' });
  await expect(countdown).toContainText(/\d+ s left/);
  const first = await countdown.locator('.countdown-left').textContent();
  await expect(countdown.locator('.countdown-left')).not.toHaveText(first!, { timeout: 5_000 });
  await expect(row).toContainText(/cooling-off: \d+ s left/);
  await expect(timeline.locator('[data-gate="cooling_off"]')).toHaveAttribute('data-status', 'pending');
  await expect(timeline.locator('[data-next-step]')).toContainText('Proposal — blocked by Cooling-off');
  await shot(page, 'timeline-blocked');
  await expectAccessible(page, 'the timeline blocked by cooling-off');

  // Once the clock passes the end the gate is met, and the same key moves the path to PROPOSAL.
  await expect(timeline.locator('[data-gate="cooling_off"]')).toHaveAttribute('data-status', 'met', {
    timeout: 45_000,
  });
  await page.locator('body').click({ position: { x: 5, y: 500 } });
  await page.keyboard.press('a');
  await expect(timeline.getByRole('status')).toContainText('the path is now Proposal');
  await expect(timeline.locator('ol.stages [aria-current="step"]')).toHaveText('Proposal');
  await expect(refusal).toHaveCount(0);
  await expect(timeline.locator('[data-next-step]')).toContainText('Won — nothing blocks it');
  await shot(page, 'timeline-unblocked');
  await expectAccessible(page, 'the timeline after the cooling-off');
});

test('a rep plans a contact and is warned before its time; a supervisor opens the reassignment and is told who may not take the path, and why', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { url } = state();
  await page.goto(url);
  await signIn(page, 'rep-olivia');
  const other = page.locator('table.my-leads tbody tr', { hasNotText: 'R. P.' }).first();
  await other.getByRole('button').click();
  const timeline = page.locator('section.path-view');
  await expect(timeline.locator('#path-title')).toContainText('crypto-custody');

  // A phone call planned two hours ahead: GB retail crypto, no inbound request or consent on record, so the
  // cold-contact rule would refuse it; the rep is warned now, on the timeline and in My leads.
  await page.locator('body').click({ position: { x: 5, y: 500 } });
  await page.keyboard.press('p');
  const plan = page.getByRole('form', { name: 'Plan a contact' });
  await expect(plan.getByLabel('Channel')).toBeFocused();
  await plan.getByLabel('Channel').selectOption('phone');
  const at = new Date(Math.ceil((Date.now() + 2 * 3_600_000) / 60_000) * 60_000).toISOString();
  await plan.getByLabel('Planned time').fill(at);
  await expectAccessible(page, 'the plan form');
  await plan.getByRole('button', { name: 'Plan the contact' }).click();
  await expect(timeline.getByRole('status')).toContainText('Contact planned for');
  const planned = timeline.getByRole('group', { name: 'Planned contact' });
  await expect(planned).toContainText('phone at');
  await expect(planned.locator('[data-warning="would_be_refused"]').first()).toContainText('CC-COBS-4.8');
  await expect(other).toContainText('planned: phone');
  await expect(other).toContainText('warning: CC-COBS-4.8');
  await expect(page.locator('section.due-soon')).toContainText('phone contact planned for');
  await shot(page, 'planned-contact');
  await expectAccessible(page, 'a planned contact with its warning');

  // A supervisor opens the reassignment of that path: only Olivia sells crypto custody at the UK SME desk, so no rep
  // of the policy may take it, and each is listed with the reason, in words.
  await switchTo(page, 'ada');
  await screen(page, 'Reps’ leads').click();
  await page.getByLabel('Rep id').fill('rep-olivia');
  await page.getByRole('button', { name: 'Show' }).click();
  await other.getByRole('button').click();
  await page.locator('body').click({ position: { x: 5, y: 500 } });
  await page.keyboard.press('g');
  const reassign = page.getByRole('form', { name: 'Reassign the path' });
  await expect(reassign.getByRole('alert')).toContainText('No rep of the policy may take this path');
  await reassign.getByText(/Reps who may not take it/).click();
  const whyNot = reassign.getByRole('list', { name: 'Reps who may not take it' });
  await expect(whyNot).toContainText('rep-harry');
  await expect(whyNot).toContainText('crypto-custody');
  await expect(reassign.getByRole('button', { name: 'Reassign' })).toBeDisabled();
  await shot(page, 'reassign');
  await expectAccessible(page, 'the reassignment form');
});
