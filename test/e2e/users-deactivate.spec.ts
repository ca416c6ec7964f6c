// The leaver process on the users screen (decision 0039): an operations admin deactivates an officer with a reason,
// after a confirmation naming the cases she holds claimed; the cases go back to their queues, she can no longer sign
// in; the admin reactivates her with a new initial passphrase and she signs in again with her markets only.
// The user deactivated here (leo) is created here, on this spec's own copy of the e2e workstation.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { apiFromPage, expectAccessible, hostState, signIn, snap } from './support/app.ts';
import { useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

const LEO_PASSPHRASE = 'leo initial passphrase 2026';
const LEO_NEW_PASSPHRASE = 'leo is back passphrase 2026';

const userRow = (page: Page, userId: string) => page.locator(`tr[data-user-id="${userId}"]`);

const openUsers = async (page: Page): Promise<void> => {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Users' }).click();
  await expect(page.getByRole('table', { name: /users, by id/ })).toBeVisible();
};

const unlockAs = async (page: Page, userId: string, passphrase: string): Promise<void> => {
  await page.goto(hostState().url);
  await page.getByLabel('User id').fill(userId);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
};

type CaseList = { rows: { id: string; status: string; claimedBy: string | null; jurisdiction: string | null }[] };

test('an operations admin deactivates a leaver (her claims released) and reactivates her', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  // Ada adds leo, a compliance officer for the UK; leo signs in and claims two open cases.
  await signIn(page, 'ada');
  expect(
    await apiFromPage(page, 'users.create', {
      id: 'leo',
      name: 'Leona Ortiz',
      roles: ['compliance_officer'],
      markets: ['UK'],
      passphrase: LEO_PASSPHRASE,
    }),
  ).toMatchObject({ ok: true });
  await page.getByRole('button', { name: 'Lock' }).click();
  await unlockAs(page, 'leo', LEO_PASSPHRASE);
  await expect(page.getByText('(leo)')).toBeVisible();
  const open = (await apiFromPage(page, 'cases.list', { status: ['open'], pageSize: 100 })) as {
    ok: boolean;
    value: CaseList;
  };
  expect(open.ok).toBe(true);
  // Two of them, in the order they were opened (case ids count up), as the services release them.
  const leoCases = open.value.rows
    .slice(-2)
    .map((row) => row.id)
    .sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
  expect(leoCases).toHaveLength(2);
  for (const caseId of leoCases)
    expect(await apiFromPage(page, 'cases.claim', { caseId })).toMatchObject({ ok: true, value: { claimedBy: 'leo' } });
  const leoSees = ((await apiFromPage(page, 'cases.list', { pageSize: 500 })) as { value: CaseList }).value.rows.map(
    (row) => row.id,
  );

  // Ada opens the users screen: leo is active and can sign in; ada has no button to deactivate herself.
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, 'ada');
  await openUsers(page);
  await expect(userRow(page, 'leo')).toContainText('Leona Ortiz');
  await expect(userRow(page, 'leo')).toContainText('Can sign in');
  await expect(userRow(page, 'ada').getByRole('button', { name: /^Deactivate/ })).toHaveCount(0);
  expect(await apiFromPage(page, 'users.setActive', { userId: 'ada', active: false, reason: 'leaving' })).toMatchObject(
    { ok: false, error: { code: 'conflict', message: expect.stringContaining('cannot deactivate yourself') } },
  );

  // The form: what happens, the two claimed cases, a mandatory reason.
  const deactivate = userRow(page, 'leo').getByRole('button', { name: 'Deactivate leo' });
  await deactivate.click();
  const form = page.locator('section.user-change');
  await expect(page.getByRole('heading', { name: 'Deactivate Leona Ortiz (leo)' })).toBeFocused();
  await expect(form).toContainText('These 2 cases claimed by leo will be released to their queues:');
  for (const caseId of leoCases) await expect(form.locator('.released-cases')).toContainText(`${caseId} · `);
  const submit = form.getByRole('button', { name: 'Deactivate…' });
  await form.getByLabel(/^Reason/).fill('left');
  await expect(submit).toBeDisabled();
  await form.getByLabel(/^Reason/).fill('Left the firm on 2026-11-20');
  await expectAccessible(page, 'the deactivate form');
  await snap(page, testInfo, '01-deactivate-form');

  // The confirmation names the cases; "Go back" has the focus and Escape closes it, changing nothing.
  await form.getByLabel(/^Reason/).press('Tab');
  await expect(submit).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('alertdialog', { name: 'Deactivate Leona Ortiz (leo)?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Go back' })).toBeFocused();
  for (const caseId of leoCases) await expect(dialog).toContainText(`${caseId} · `);
  await expectAccessible(page, 'the deactivation confirmation');
  await snap(page, testInfo, '02-confirm-deactivation');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(submit).toBeFocused();
  await expect(userRow(page, 'leo')).toContainText('Can sign in');

  // Confirmed, by keyboard.
  await page.keyboard.press('Enter');
  await dialog.getByRole('button', { name: 'Deactivate leo' }).focus();
  await page.keyboard.press('Enter');
  const message = page.locator('.user-message');
  await expect(message).toContainText('leo was deactivated (audit entry');
  await expect(message).toContainText(`${leoCases.join(', ')} released to their queues; their key slot was removed.`);
  await expect(message).toBeFocused();
  await expect(userRow(page, 'leo')).toContainText('No (deactivated)');
  await expect(userRow(page, 'leo')).toContainText('Deactivated');
  await expect(userRow(page, 'leo').getByRole('button', { name: 'Re-enrol leo' })).toHaveCount(0);
  await expect(userRow(page, 'leo').getByRole('button', { name: 'Reactivate leo' })).toBeVisible();
  await expectAccessible(page, 'users screen with a deactivated user');
  await snap(page, testInfo, '03-deactivated');

  // The cases are open in their queues again, their history ends with ada's release of leo's claim.
  for (const caseId of leoCases) {
    const detail = (await apiFromPage(page, 'cases.get', { caseId })) as {
      ok: boolean;
      value: { case: { status: string; claimedBy: string | null }; history: Record<string, unknown>[] };
    };
    expect(detail.value.case).toMatchObject({ status: 'open', claimedBy: null });
    expect(detail.value.history.at(-1)).toMatchObject({
      type: 'case.released',
      actor: 'user:ada',
      payload: { claimedBy: 'leo' },
    });
    // The reason is free text: beside the log (decision 0141), never in the entry.
    expect(JSON.stringify(detail.value.history.at(-1))).not.toContain('Left the firm');
  }
  // Leo cannot sign in any more.
  await page.getByRole('button', { name: 'Lock' }).click();
  await unlockAs(page, 'leo', LEO_PASSPHRASE);
  await expect(page.getByRole('alert')).toHaveText('That user id and passphrase do not open this workstation.');
  await snap(page, testInfo, '04-leo-refused');

  // Ada reactivates her with a new initial passphrase and a reason.
  await signIn(page, 'ada');
  await openUsers(page);
  await userRow(page, 'leo').getByRole('button', { name: 'Reactivate leo' }).click();
  const again = page.locator('section.user-change');
  await expect(page.getByRole('heading', { name: 'Reactivate Leona Ortiz (leo)' })).toBeFocused();
  await again.getByLabel('Initial passphrase').fill(LEO_NEW_PASSPHRASE);
  await again.getByLabel('Confirm passphrase').fill('not the same passphrase');
  await expect(again.getByRole('alert')).toHaveText('The two passphrases differ.');
  await again.getByLabel('Confirm passphrase').fill(LEO_NEW_PASSPHRASE);
  await again.getByLabel(/^Reason/).fill('Rejoined the UK desk');
  await expectAccessible(page, 'the reactivate form');
  await snap(page, testInfo, '05-reactivate-form');
  await again.getByRole('button', { name: 'Reactivate' }).click();
  await expect(message).toContainText('leo was reactivated (audit entry');
  await expect(userRow(page, 'leo')).toContainText('Yes');
  await expect(userRow(page, 'leo')).toContainText('Can sign in');
  await snap(page, testInfo, '06-reactivated');

  // Leo signs in with the new passphrase (the old one is gone) and sees her UK cases, as before.
  await page.getByRole('button', { name: 'Lock' }).click();
  await unlockAs(page, 'leo', LEO_PASSPHRASE);
  await expect(page.getByRole('alert')).toHaveText('That user id and passphrase do not open this workstation.');
  await unlockAs(page, 'leo', LEO_NEW_PASSPHRASE);
  await expect(page.getByText('(leo)')).toBeVisible();
  const after = (await apiFromPage(page, 'cases.list', { pageSize: 500 })) as { value: CaseList };
  expect(after.value.rows.map((row) => row.id)).toEqual(leoSees);
  expect(new Set(after.value.rows.map((row) => row.jurisdiction))).toEqual(new Set(['GB']));
  await snap(page, testInfo, '07-leo-back');

  // An auditor reads the leaver process in the audit log: created, revoked (with the released cases), granted.
  await page.getByRole('button', { name: 'Lock' }).click();
  await signIn(page, 'aud');
  const audit = (await apiFromPage(page, 'audit.list', { subject: 'user:leo', order: 'oldest' })) as {
    ok: boolean;
    value: {
      entries: { type: string; actor: string; payload: Record<string, unknown>; commitment: string | null }[];
    };
  };
  expect(audit.ok).toBe(true);
  // Sign-ins and sign-outs name the user too (session.*, decision 0132); what is checked here is the account's history.
  const history = audit.value.entries.filter((entry) => !entry.type.startsWith('session.'));
  // Each entry commits to its free text (the name, the reasons), which stays beside the log (decision 0141).
  expect(history.map((entry) => [entry.type, entry.actor, entry.commitment !== null])).toEqual([
    ['user.created', 'user:ada', true],
    ['permission.revoked', 'user:ada', true],
    ['permission.granted', 'user:ada', true],
  ]);
  expect(JSON.stringify(history)).not.toMatch(/Left the firm|Rejoined the UK desk/);
  expect(history[1]?.payload).toMatchObject({
    permission: 'workstation-sign-in',
    releasedCases: leoCases,
  });
});
