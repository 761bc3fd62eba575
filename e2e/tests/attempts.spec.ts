// Class attempts that never lose an answer: answers are saved on the server as the learner works,
// so a reload or a second browser picks them up; a handed-in attempt stops a stale tab's saves;
// and a time limit runs out on the server's clock, whether the page is open (it hands in) or
// closed (the server hands in what was saved).
import type { Browser, Page } from '@playwright/test';
import { api } from '../api';
import { test, expect, axeViolations } from '../fixtures';
import { createUser, logIn, register, uniqueName } from '../accounts';

/** A choice (2 points) and a number (3 points, 60). */
function quiz(timeLimitS: number | null) {
  return {
    title: timeLimitS ? 'Timed check' : 'Resumable check',
    published: true,
    attempts_allowed: 1,
    time_limit_s: timeLimitS,
    items: [
      {
        points: 2,
        question: {
          type: 'choice',
          text: { en: 'Which flag opens a connection?', 'zh-CN': '哪个标志打开连接？' },
          choices: [
            { text: { en: 'SYN', 'zh-CN': 'SYN' }, correct: true },
            { text: { en: 'FIN', 'zh-CN': 'FIN' } },
          ],
        },
      },
      {
        points: 3,
        question: { type: 'numeric', text: { en: 'TIME-WAIT on Linux, in seconds?', 'zh-CN': 'Linux 的 TIME-WAIT 有多少秒？' }, answer: 60 },
      },
    ],
  };
}

/** An instructor's class with one quiz in it: the join code and the quiz's id. */
async function classWithQuiz(page: Page, timeLimitS: number | null): Promise<{ code: string; quizId: number; classId: number }> {
  const teacher = uniqueName('prof');
  createUser(teacher, 'instructor');
  await page.goto('/classes');
  await logIn(page, teacher);
  const made = await api<{ id: number; join_code: string }>(page, 'POST', '/api/classes', { name: 'Attempts' });
  const q = await api<{ id: number }>(page, 'POST', `/api/classes/${made.id}/quizzes`, quiz(timeLimitS));
  return { code: made.join_code, quizId: q.id, classId: made.id };
}

async function learnerPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  return (await browser.newContext({ baseURL, locale: 'en-US' })).newPage();
}

/** The learner joins with the code and starts the quiz; returns the attempt page's address. */
async function joinAndStart(page: Page, code: string, learner: string): Promise<string> {
  await page.goto(`/join/${code}`);
  await register(page, learner);
  await expect(page.getByTestId('page-class')).toBeVisible();
  await page.locator('[data-testid^="start-quiz-"]').first().click();
  await expect(page.getByTestId('page-attempt')).toBeVisible();
  return page.url();
}

/** The choice labelled `text`, in this learner's own order. */
function choice(page: Page, text: string) {
  return page.locator('[data-testid^="attempt-choice-label-0-"]').filter({ hasText: text }).locator('input');
}

async function saved(page: Page): Promise<void> {
  await expect(page.getByTestId('attempt-save-status')).toHaveAttribute('data-state', 'saved');
}

test('answers survive a reload and a second browser, and a stale tab learns of the hand-in', async ({ page, browser, baseURL }) => {
  const { code } = await classWithQuiz(page, null);
  const learner = uniqueName('amy');
  const laptop = await learnerPage(browser, baseURL);
  const address = await joinAndStart(laptop, code, learner);
  await choice(laptop, 'SYN').check();
  await laptop.getByTestId('attempt-number-1').fill('59');
  await saved(laptop);
  await expect(laptop.getByTestId('attempt-save-status')).toContainText('Answers saved at');
  expect(await axeViolations(laptop), 'an attempt being saved').toEqual([]);

  // A reload: the same answers, filled in, and a word that they were.
  await laptop.reload();
  await expect(choice(laptop, 'SYN')).toBeChecked();
  await expect(laptop.getByTestId('attempt-number-1')).toHaveValue('59');
  await expect(laptop.getByTestId('attempt-resumed')).toBeVisible();

  // A second browser (another device) logs in and continues the same attempt.
  const phone = await learnerPage(browser, baseURL);
  await phone.setViewportSize({ width: 360, height: 740 });
  await phone.goto('/classes');
  await logIn(phone, learner);
  await phone.goto(address);
  await expect(choice(phone, 'SYN')).toBeChecked();
  await expect(phone.getByTestId('attempt-number-1')).toHaveValue('59');
  await phone.getByTestId('attempt-number-1').fill('60');
  await saved(phone);
  expect(await phone.evaluate(() => document.documentElement.scrollWidth), 'no sideways scrolling at 360 px').toBeLessThanOrEqual(360);
  await laptop.reload();
  await expect(laptop.getByTestId('attempt-number-1')).toHaveValue('60');

  // Handed in on the phone; the laptop's next change finds the attempt handed in and shows it.
  await phone.getByTestId('submit-attempt').click();
  await expect(phone.getByTestId('attempt-score')).toHaveText('5 / 5');
  await choice(laptop, 'FIN').check();
  await expect(laptop.getByTestId('attempt-score')).toHaveText('5 / 5');
  await expect(choice(laptop, 'SYN')).toBeChecked();
  await laptop.context().close();
  await phone.context().close();
});

test('a time limit runs out: an open page hands in, a closed one is handed in by the server', async ({ page, browser, baseURL }) => {
  // One minute is the shortest limit there is; the server's grace adds 30 s for the closed tab.
  test.setTimeout(180_000);
  const { code, quizId } = await classWithQuiz(page, 60);

  // Learner one keeps the page open; their second answer is still being typed.
  const open = await learnerPage(browser, baseURL);
  const first = uniqueName('ann');
  await open.goto(`/join/${code}`);
  await register(open, first);
  await expect(open.getByTestId('quiz-time-limit')).toHaveText('Time limit: 1 min');
  await open.locator('[data-testid^="start-quiz-"]').first().click();
  await expect(open.getByTestId('attempt-time-left')).toContainText(/Time left: 0:[5][0-9]|Time left: 1:00/);
  await choice(open, 'SYN').check();
  await saved(open);
  expect(await axeViolations(open), 'a timed attempt').toEqual([]);

  // Learner two answers both questions, sees them saved, and closes the tab.
  const closed = await learnerPage(browser, baseURL);
  const second = uniqueName('bob');
  await joinAndStart(closed, code, second);
  await choice(closed, 'FIN').check();
  await closed.getByTestId('attempt-number-1').fill('60');
  await saved(closed);
  await closed.context().close();

  // The open page hands in at 0:00 by itself, with what is on it.
  await open.getByTestId('attempt-number-1').fill('6');
  await expect(open.getByTestId('attempt-score')).toHaveText('2 / 5', { timeout: 75_000 });

  // The closed tab's attempt: handed in by the server once the grace is over, with its saved
  // answers (the wrong choice, the right number), and in the instructor's results.
  await page.goto(`/quizzes/${quizId}/results`);
  await expect(page.getByTestId(`results-row-${first}`).getByTestId('learner-best')).toHaveText('2 / 5');
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId(`results-row-${second}`).getByTestId('learner-best')).toHaveText('3 / 5', { timeout: 1_000 });
  }).toPass({ timeout: 70_000 });
  await page.getByTestId(`results-row-${second}`).getByTestId('learner-attempt').click();
  await expect(page.getByTestId('attempt-graded-at-due')).toBeVisible();
  await expect(page.getByTestId('attempt-number-1')).toHaveValue('60');
  await open.context().close();
});
