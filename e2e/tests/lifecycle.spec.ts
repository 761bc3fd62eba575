// A class's life in the browser: the instructor renames and archives it (read-only, out of the
// list, results kept), brings it back, removes a member and deletes a quiz and the class after
// being told what goes; a learner leaves a class.
import type { Page } from '@playwright/test';
import { api } from '../api';
import { test, expect, axeViolations } from '../fixtures';
import { createUser, logIn, register, uniqueName } from '../accounts';

/** Opens the class's "rename, archive or delete" box unless it is open. */
async function openManage(page: Page): Promise<void> {
  const box = page.getByTestId('manage-class');
  await expect(box).toBeVisible();
  if ((await box.getAttribute('open')) === null) {
    await box.locator('summary').click();
  }
}

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

test('an instructor archives, brings back, removes a member and deletes; a learner leaves', async ({ page, browser, baseURL }) => {
  const teacher = uniqueName('prof');
  createUser(teacher, 'instructor');
  await page.goto('/classes');
  await logIn(page, teacher);
  const made = await api<{ id: number; join_code: string }>(page, 'POST', '/api/classes', { name: 'Old name' });
  const q = await api<{ id: number }>(page, 'POST', `/api/classes/${made.id}/quizzes`, quiz);
  const learnerName = uniqueName('amy');
  const learner = await (await browser.newContext({ baseURL, locale: 'en-US' })).newPage();
  await learner.goto(`/join/${made.join_code}`);
  await register(learner, learnerName);
  await expect(learner.getByTestId('page-class')).toBeVisible();

  // Rename and archive.
  await page.goto(`/classes/${made.id}`);
  await openManage(page);
  await page.getByTestId('class-rename-input').fill('Networks, spring');
  await page.getByTestId('class-rename').click();
  await expect(page.getByTestId('class-name')).toHaveText('Networks, spring');
  await openManage(page);
  await page.getByTestId('class-archive').click();
  await expect(page.getByTestId('class-archived-note')).toBeVisible();
  await expect(page.getByTestId('new-quiz')).toBeDisabled();
  expect(await axeViolations(page), 'an archived class').toEqual([]);
  await page.goto('/classes');
  await expect(page.getByTestId(`class-link-${made.id}`)).toHaveCount(0);
  await page.getByTestId('show-archived').check();
  await expect(page.getByTestId(`class-link-${made.id}`)).toBeVisible();
  await expect(page.getByTestId('class-archived')).toBeVisible();
  // The learner cannot start a quiz in it; the results page still opens.
  await learner.goto(`/classes/${made.id}`);
  await learner.getByTestId(`start-quiz-${q.id}`).click();
  await expect(learner.getByTestId('class-error')).toContainText('archived');
  await page.goto(`/quizzes/${q.id}/results`);
  await expect(page.getByTestId('results-quiz-title')).toHaveText('Week 1');

  // Back from the archive; the member is removed, after a question.
  await page.goto(`/classes/${made.id}`);
  await openManage(page);
  await page.getByTestId('class-archive').click();
  await expect(page.getByTestId('class-archived-note')).toHaveCount(0);
  let asked = '';
  page.on('dialog', (d) => {
    asked = d.message();
    void d.accept();
  });
  await page.getByTestId(`remove-member-${learnerName}`).click();
  await expect(page.getByTestId('members')).toHaveCount(0);
  expect(asked).toContain(learnerName);

  // The learner joins again and leaves by themselves.
  await learner.goto(`/join/${made.join_code}`);
  await learner.getByTestId('join-confirm').click();
  await expect(learner.getByTestId('page-class')).toBeVisible();
  learner.on('dialog', (d) => void d.accept());
  await learner.getByTestId('leave-class').click();
  await expect(learner.getByTestId('page-classes')).toBeVisible();
  await expect(learner.getByTestId(`class-link-${made.id}`)).toHaveCount(0);

  // Deleting the quiz, then the class: each question says what goes.
  await page.reload();
  await page.getByTestId(`delete-quiz-${q.id}`).click();
  await expect(page.getByTestId(`quiz-row-${q.id}`)).toHaveCount(0);
  expect(asked).toContain('Week 1');
  await openManage(page);
  await page.getByTestId('class-delete').click();
  await expect(page.getByTestId('page-classes')).toBeVisible();
  expect(asked).toContain('every attempt and result');
  await page.goto(`/classes/${made.id}`);
  await expect(page.getByTestId('page-class')).toContainText(/Not found|nothing here/i);
  await learner.context().close();
});
