// An admin, from the /classes page: finds a learner's account, disables it (the learner is logged
// out and cannot log in), enables it, and makes a password-reset link the learner opens to set a
// new password.
import { test, expect, axeViolations } from '../fixtures';
import { PASSWORD, createUser, logIn, register, uniqueName } from '../accounts';

test('an admin disables and enables an account and sends a password-reset link', async ({ page, browser, baseURL }) => {
  const root = uniqueName('root');
  createUser(root, 'admin');
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto('/classes');
  await logIn(page, root);
  const name = uniqueName('amy');
  const learner = await (await browser.newContext({ baseURL, locale: 'en-US' })).newPage();
  await learner.goto('/classes');
  await register(learner, name);

  const admin = page.getByTestId('admin-accounts');
  await expect(admin).toBeVisible();
  await page.getByTestId('admin-search').fill(name);
  await expect(page.getByTestId('admin-total')).toHaveText('1 accounts');
  const row = page.getByTestId(`admin-row-${name}`);
  await expect(row).toHaveAttribute('data-disabled', 'false');
  expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no sideways scrolling at 360 px').toBeLessThanOrEqual(360);
  expect(await axeViolations(page), 'the accounts list at 360 px').toEqual([]);

  // Disabling asks first; dismissed, nothing changes.
  let asked = false;
  page.once('dialog', (d) => {
    asked = true;
    return d.dismiss();
  });
  await row.getByTestId('admin-toggle').click();
  await expect.poll(() => asked).toBe(true);
  // Nothing was sent: the server still has the account enabled, and the learner logged in.
  const listed = await page.evaluate(async (q) => (await (await fetch(`/api/admin/accounts?q=${q}`)).json()).accounts[0].disabled, name);
  expect(listed).toBe(false);
  await learner.reload();
  await expect(learner.getByTestId('my-role')).toBeVisible();
  page.once('dialog', (d) => d.accept());
  await row.getByTestId('admin-toggle').click();
  await expect(row).toHaveAttribute('data-disabled', 'true');
  await expect(row.getByTestId('admin-reset')).toBeDisabled();
  await learner.reload();
  await expect(learner.getByTestId('account-username')).toBeVisible();
  await learner.getByTestId('account-username').fill(name);
  await learner.getByTestId('account-password').fill(PASSWORD);
  await learner.getByTestId('login').click();
  await expect(learner.getByTestId('account-error')).toContainText('disabled');

  // Enabled again, then a reset link for the learner to open.
  await row.getByTestId('admin-toggle').click();
  await expect(row).toHaveAttribute('data-disabled', 'false');
  await row.getByTestId('admin-reset').click();
  const link = await page.getByTestId('reset-link').innerText();
  expect(link).toMatch(/\/reset\/[0-9a-f]{32}$/);
  expect(await axeViolations(page), 'the accounts list with a reset link').toEqual([]);

  const owner = await (await browser.newContext({ baseURL, locale: 'zh-CN' })).newPage();
  await owner.goto(new URL(link).pathname);
  await expect(owner.getByTestId('reset-username')).toHaveText(name);
  expect(await axeViolations(owner), 'the reset page in Chinese').toEqual([]);
  await owner.getByTestId('reset-new').fill('a brand new password');
  await owner.getByTestId('reset-again').fill('a different password');
  await owner.getByTestId('reset-save').click();
  await expect(owner.getByTestId('reset-mismatch')).toBeVisible();
  await owner.getByTestId('reset-again').fill('a brand new password');
  await owner.getByTestId('reset-again').press('Enter');
  await expect(owner.getByTestId('page-classes')).toBeVisible();
  await expect(owner.getByTestId('my-role')).toBeVisible();
  // The link is spent.
  await owner.goto(new URL(link).pathname);
  await expect(owner.getByTestId('reset-error')).toContainText('已被使用');
});
