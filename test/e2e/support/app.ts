// Helpers for the e2e tests: open the workstation with its launch token, sign in, take screenshots, run axe.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect } from '@playwright/test';
import type { Page, TestInfo } from '@playwright/test';
import { e2eUser } from './users.ts';
import { STATE_ENV } from './host-process.ts';
import type { HostState } from './host-process.ts';

export type { HostState };

/** The browser host of the running spec file (useFreshWorkstation in host-process.ts). */
export const hostState = (): HostState => {
  const file = process.env[STATE_ENV];
  if (file === undefined)
    throw new Error(`${STATE_ENV} is not set: call useFreshWorkstation() at the top of the spec file`);
  return JSON.parse(readFileSync(file, 'utf8')) as HostState;
};

/** Opens the workstation and signs in as one of the e2e users. */
export const signIn = async (page: Page, userId: string): Promise<void> => {
  await page.goto(hostState().url);
  await page.getByLabel('User id').fill(userId);
  await page.getByLabel('Passphrase').fill(e2eUser(userId).passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText(`(${userId})`)).toBeVisible();
};

export const snap = async (page: Page, testInfo: TestInfo, name: string): Promise<void> => {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: false });
};

/** No WCAG 2 A/AA violations on what is on screen now. */
export const expectAccessible = async (page: Page, what: string): Promise<void> => {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const problems = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
        .slice(0, 3)
        .map((node) => node.target.join(' '))
        .join(' | ')}`,
  );
  expect(problems, `axe on ${what}`).toEqual([]);
};

/** The case list's row for a case id. */
export const caseRow = (page: Page, caseId: string) => page.locator(`tr[data-case-id="${caseId}"]`);

export const selectedCaseTitle = (page: Page) => page.locator('#case-title');

/** Calls the api from inside the page, as the signed-in user, to prove what the services themselves allow. */
export const apiFromPage = async (
  page: Page,
  method: string,
  body: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> =>
  page.evaluate(
    async ({ method, body, token }) => {
      const response = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      return (await response.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
    },
    { method, body, token: new URL(hostState().url).hash.slice('#token='.length) },
  );

/** The case id of the case open in the case view. */
export const openCaseId = async (page: Page): Promise<string> => {
  const title = (await selectedCaseTitle(page).textContent()) ?? '';
  const match = /Case (C-(?:[0-9A-HJKMNP-TV-Z]{5}-)?\d+(?:-\d+)?)/.exec(title);
  if (match?.[1] === undefined) throw new Error(`no case is open (title: ${title})`);
  return match[1];
};

/** The lead line of the open case ("L-… · product"). */
export const openCaseLead = (page: Page) => page.locator('.facts div', { hasText: 'Lead' }).locator('dd');

/** The internal id of the lead a source system calls `sourceId` (decision 0178), found as the lead page finds it. */
export const leadIdFromPage = async (page: Page, sourceId: string): Promise<string> => {
  const reply = await apiFromPage(page, 'leads.find', { id: sourceId });
  const leads = (reply.value as { leads: { leadId: string }[] } | undefined)?.leads ?? [];
  if (leads.length !== 1) throw new Error(`leads.find ${sourceId}: ${JSON.stringify(reply)}`);
  return leads[0]!.leadId;
};
