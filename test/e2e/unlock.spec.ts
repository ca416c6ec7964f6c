// Unlocking the workstation, a wrong passphrase, locking and switching user, with axe on the unlock and queue screens.
import { expect, test } from '@playwright/test';
import { e2eUser } from './support/users.ts';
import { apiFromPage, expectAccessible, hostState, signIn, snap } from './support/app.ts';
import { useFreshWorkstation } from './support/host-process.ts';

useFreshWorkstation();

test('unlocks with a passphrase, refuses a wrong one, and locks again', async ({ page }, testInfo) => {
  await page.goto(hostState().url);
  // The launch token is read once and removed from the address bar.
  await expect(page.getByRole('heading', { name: 'Perimeter workstation' })).toBeVisible();
  expect(page.url()).not.toContain('token=');
  await expectAccessible(page, 'the unlock screen');
  // The OS keychain is the desktop app's: the browser host says unavailable, and no keychain button is offered.
  expect(await apiFromPage(page, 'session.keychainStatus', {})).toMatchObject({ value: { available: false } });
  await expect(page.getByRole('button', { name: 'Unlock with OS keychain' })).toHaveCount(0);
  await snap(page, testInfo, '01-unlock');

  await page.getByLabel('User id').fill('olga');
  await page.getByLabel('Passphrase').fill('not the passphrase');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('do not open this workstation');
  await snap(page, testInfo, '02-wrong-passphrase');

  await page.getByLabel('Passphrase').fill(e2eUser('olga').passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText('(olga)')).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Queues' });
  await expect(nav.getByRole('button', { name: /Screening review/ })).toBeVisible();
  await expect(nav.getByRole('button', { name: /Awaiting my approval/ })).toBeVisible();
  await expect(page.locator('tr[data-case-id]').first()).toBeVisible();
  await expectAccessible(page, 'the queue screen');
  await snap(page, testInfo, '03-queues');

  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByLabel('User id')).toHaveValue('olga');
  await expect(page.getByLabel('Passphrase')).toBeFocused();

  await page.getByLabel('Passphrase').fill(e2eUser('olga').passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('button', { name: 'Switch user' }).click();
  await expect(page.getByLabel('User id')).toHaveValue('');
  // Locked means locked: once the lock has landed (the window leaves the signed-in screens at once, before the host
  // has answered the lock), the api refuses the old session's calls.
  await expect
    .poll(() => apiFromPage(page, 'cases.counts', {}), { timeout: 5_000 })
    .toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
});

test('a session that ends under the window returns it to the unlock screen, saying why', async ({ page }, testInfo) => {
  await page.goto(hostState().url);
  await page.getByLabel('User id').fill('olga');
  await page.getByLabel('Passphrase').fill(e2eUser('olga').passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByText('(olga)')).toBeVisible();
  // Locked elsewhere (here: straight through the api, past the window's own state), as a deactivation would.
  expect(await apiFromPage(page, 'session.lock', {})).toMatchObject({ ok: true });
  // The window's next api call finds the session gone. A background refresh (notifications, counts) may get there
  // before this click does; either way the window must end on the unlock screen.
  const queue = page.getByRole('navigation', { name: 'Queues' }).getByRole('button', { name: /Compliance review/ });
  if (await queue.isVisible()) await queue.click({ timeout: 5_000 }).catch(() => undefined);
  await expect(page.getByRole('heading', { name: 'Perimeter workstation' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('Signed out: the workstation is locked');
  await expect(page.getByLabel('User id')).toHaveValue('olga');
  await snap(page, testInfo, '04-signed-out-under-the-window');
});

// On a loaded machine the host answers a lock late. The window must not wait for it: the rotate-key spec typed the
// next user id into the users screen's own "User id" field, still up while the lock was in flight, and then found the
// unlock form holding the previous user. Holding the lock's request back reproduces that on any machine.
test('Lock leaves the signed-in screens at once, and an unlock typed meanwhile waits for the lock to land', async ({
  page,
}, testInfo) => {
  await signIn(page, 'ada');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Users' }).click();
  await expect(page.getByRole('table', { name: /users, by id/ })).toBeVisible();

  let letTheLockThrough = (): void => undefined;
  const held = new Promise<void>((resolve) => (letTheLockThrough = resolve));
  let lockSent = false;
  await page.route('**/api/session.lock', async (route) => {
    await held;
    lockSent = true;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Perimeter workstation' })).toBeVisible({ timeout: 2_000 });
  await expect(page.getByRole('table', { name: /users, by id/ })).toHaveCount(0);
  await expect(page.getByLabel('User id')).toHaveValue('ada');
  await snap(page, testInfo, '05-locking');

  await page.getByLabel('User id').fill('olga');
  await page.getByLabel('Passphrase').fill(e2eUser('olga').passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('button', { name: 'Unlocking…' })).toBeVisible();
  expect(lockSent).toBe(false);
  letTheLockThrough();
  // Olga is signed in after the lock, so the lock did not end her session.
  await expect(page.getByText('(olga)')).toBeVisible();
  expect(lockSent).toBe(true);
  expect(await apiFromPage(page, 'cases.counts', {})).toMatchObject({ ok: true });
  await page.unroute('**/api/session.lock');
});
