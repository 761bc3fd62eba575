// An account's owner, from the /classes page: changes the password (the other browser is logged
// out), downloads their data, deletes the account; the instructor then sees "a deleted learner"
// in the results and purges it.
import { readFileSync } from 'node:fs';
import { api } from '../api';
import { test, expect, axeViolations } from '../fixtures';
import { PASSWORD, createUser, logIn, register, uniqueName } from '../accounts';

const quiz = {
  title: 'Week 1',
  published: true,
  items: [
    {
      points: 1,
      question: {
        type: 'choice',
        text: { en: 'Which flag opens a connection?', 'zh-CN': '哪个标志打开连接？' },
        choices: [{ text: { en: 'SYN', 'zh-CN': 'SYN' }, correct: true }, { text: { en: 'FIN', 'zh-CN': 'FIN' } }],
      },
    },
  ],
};

test('a learner changes the password, downloads their data and deletes the account; the instructor purges the result', async ({
  page,
  browser,
  baseURL,
}) => {
  const teacher = uniqueName('prof');
  createUser(teacher, 'instructor');
  await page.goto('/classes');
  await logIn(page, teacher);
  const made = await api<{ id: number; join_code: string }>(page, 'POST', '/api/classes', { name: 'Accounts' });
  const q = await api<{ id: number }>(page, 'POST', `/api/classes/${made.id}/quizzes`, quiz);

  // The learner reads Chinese, on a phone.
  const name = uniqueName('amy');
  const context = await browser.newContext({ baseURL, locale: 'zh-CN', viewport: { width: 360, height: 800 } });
  const amy = await context.newPage();
  await amy.goto(`/join/${made.join_code}`);
  await register(amy, name);
  await expect(amy.getByTestId('page-class')).toBeVisible();
  const attempt = await api<{ attempt_id: number }>(amy, 'POST', `/api/quizzes/${q.id}/attempts`, {});
  await api(amy, 'POST', `/api/attempts/${attempt.attempt_id}/submit`, { answers: [{ type: 'choice', index: 0 }] });
  // A second browser of the same account.
  const other = await (await browser.newContext({ baseURL, locale: 'en-US' })).newPage();
  await other.goto('/classes');
  await logIn(other, name);

  await amy.goto('/classes');
  const settings = amy.getByTestId('account-settings');
  await expect(settings).toBeVisible();
  await expect(settings.locator('h2')).toHaveText('你的账户');
  expect(await amy.evaluate(() => document.documentElement.scrollWidth), 'no sideways scrolling at 360 px').toBeLessThanOrEqual(360);
  expect(await axeViolations(amy), 'the account settings in Chinese at 360 px').toEqual([]);

  // Two new passwords that differ are caught before anything is sent.
  await amy.getByTestId('password-current').fill(PASSWORD);
  await amy.getByTestId('password-new').fill('a brand new password');
  await amy.getByTestId('password-again').fill('a brand new passwore');
  await amy.getByTestId('password-save').click();
  await expect(amy.getByTestId('password-mismatch')).toBeVisible();
  await expect(amy.getByTestId('password-again')).toHaveAttribute('aria-invalid', 'true');
  // A wrong current password: the server says so, in Chinese, and the field is marked.
  await amy.getByTestId('password-current').fill('not my password');
  await amy.getByTestId('password-again').fill('a brand new password');
  await amy.getByTestId('password-save').click();
  await expect(amy.getByTestId('account-settings-error')).toContainText('密码');
  await expect(amy.getByTestId('password-current')).toHaveAttribute('aria-invalid', 'true');
  // Enter submits the form.
  await amy.getByTestId('password-current').fill(PASSWORD);
  await amy.getByTestId('password-again').press('Enter');
  await expect(amy.getByTestId('password-changed')).toBeVisible();
  await expect(amy.getByTestId('password-current')).toHaveValue('');

  // The other browser is logged out; this one is not.
  await other.reload();
  await expect(other.getByTestId('account-username')).toBeVisible();
  await amy.reload();
  await expect(amy.getByTestId('account-settings')).toBeVisible();

  // The download holds the account, the class and the handed-in quiz.
  const [file] = await Promise.all([amy.waitForEvent('download'), amy.getByTestId('account-export').click()]);
  expect(file.suggestedFilename()).toBe(`tcplab-${name}.json`);
  const data = JSON.parse(readFileSync(await file.path(), 'utf8'));
  expect(data.account.username).toBe(name);
  expect(data.classes_joined[0].class).toBe('Accounts');
  expect(data.class_attempts[0].quiz).toBe('Week 1');

  // Deleting asks first; the old password is refused; dismissing the question keeps the account.
  let asked = false;
  amy.once('dialog', (d) => {
    asked = true;
    return d.dismiss();
  });
  await amy.getByTestId('delete-password').fill('a brand new password');
  await amy.getByTestId('account-delete').click();
  await expect.poll(() => asked).toBe(true);
  // Nothing was sent: the account is still there and logged in.
  const me = await api<{ username: string | null }>(amy, 'GET', '/api/auth/me');
  expect(me.username).toBe(name);
  amy.once('dialog', (d) => d.accept());
  await amy.getByTestId('delete-password').fill(PASSWORD);
  await amy.getByTestId('account-delete').click();
  await expect(amy.getByTestId('account-settings-error')).toBeVisible();
  await expect(amy.getByTestId('delete-password')).toHaveAttribute('aria-invalid', 'true');
  amy.once('dialog', (d) => d.accept());
  await amy.getByTestId('delete-password').fill('a brand new password');
  await amy.getByTestId('account-delete').click();
  await expect(amy.getByTestId('account-username')).toBeVisible();
  await expect(amy.getByTestId('account-settings')).toHaveCount(0);

  // The instructor sees a deleted learner's result, without the name, and purges it.
  await page.goto(`/quizzes/${q.id}/results`);
  await expect(page.getByTestId('results-learners')).toHaveText('1');
  const row = page.getByTestId('results-table').locator('tbody tr');
  await expect(row).toContainText('a deleted learner');
  await expect(row).not.toContainText(name);
  expect(await axeViolations(page), 'results with a deleted learner').toEqual([]);
  page.once('dialog', (d) => d.accept());
  await page.getByTestId('purge-deleted').click();
  await expect(page.getByTestId('results-learners')).toHaveText('0');
  await expect(page.getByTestId('purge-deleted')).toHaveCount(0);
});
