// A question pool: "2 of these 8, each learner their own pick". Learners get different
// questions; the results mark what a learner was not asked; the editor refuses a pool larger
// than the quiz and a quiz of more than 50 questions without one.
import type { Browser, Page } from '@playwright/test';
import { api, call } from '../api';
import { test, expect, axeViolations } from '../fixtures';
import { createUser, logIn, register, uniqueName } from '../accounts';

const question = (n: number) => ({
  points: 1,
  question: {
    type: 'choice',
    text: { en: `Question ${n}`, 'zh-CN': `第 ${n} 题` },
    choices: [{ text: { en: 'yes', 'zh-CN': '是' }, correct: true }, { text: { en: 'no', 'zh-CN': '否' } }],
  },
});

async function learner(browser: Browser, baseURL: string | undefined, code: string): Promise<Page> {
  const page = await (await browser.newContext({ baseURL, locale: 'en-US' })).newPage();
  await page.goto(`/join/${code}`);
  await register(page, uniqueName('pool'));
  await expect(page.getByTestId('page-class')).toBeVisible();
  return page;
}

test('a pool gives learners their own pick of the questions', async ({ page, browser, baseURL }) => {
  const teacher = uniqueName('prof');
  createUser(teacher, 'instructor');
  await page.goto('/classes');
  await logIn(page, teacher);
  const made = await api(page, 'POST', '/api/classes', { name: 'Pools' });
  const items = [1, 2, 3, 4, 5, 6, 7, 8].map(question);
  const quiz = await api(page, 'POST', `/api/classes/${made.id}/quizzes`, { title: 'Pool', published: true, draw: 2, items });

  // Five learners: each is asked two of the eight, and not all the same two.
  const picks = new Set<string>();
  const pages: Page[] = [];
  for (let i = 0; i < 5; i++) {
    const p = await learner(browser, baseURL, made.join_code);
    pages.push(p);
    const attempt = await api(p, 'POST', `/api/quizzes/${quiz.id}/attempts`, {});
    const texts = attempt.items.map((it: { prompt: { text: { en: string } } }) => it.prompt.text.en);
    expect(texts).toHaveLength(2);
    picks.add(texts.join(' + '));
  }
  expect(picks.size, [...picks].join('; ')).toBeGreaterThan(1);

  // The first learner hands in from the page: two questions are shown.
  const first = pages[0];
  await first.goto(`/classes/${made.id}`);
  await first.getByTestId(`start-quiz-${quiz.id}`).click();
  await expect(first.locator('[data-testid^="attempt-item-"]')).toHaveCount(2);
  for (const i of [0, 1]) {
    await first.getByTestId(`attempt-choice-label-${i}-0`).locator('input').check();
  }
  await first.getByTestId('submit-attempt').click();
  await expect(first.getByTestId('attempt-score')).toBeVisible();

  // The results: six of the eight questions show "not asked" for that learner.
  await page.goto(`/quizzes/${quiz.id}/results`);
  const row = page.getByTestId('results-table').locator('tbody tr').first();
  await expect(row.locator('td[data-correct="none"]')).toHaveCount(6);
  await expect(row.locator('td[data-correct="true"], td[data-correct="false"]')).toHaveCount(2);
  expect(await axeViolations(page), 'results of a pool').toEqual([]);

  // The editor shows the pool; a pool larger than the quiz is refused, naming the field.
  await page.goto(`/quizzes/${quiz.id}/edit`);
  await expect(page.getByTestId('quiz-draw')).toHaveValue('2');
  await page.getByTestId('quiz-draw').fill('9');
  await page.getByTestId('save-quiz').click();
  await expect(page.getByTestId('editor-problem')).toHaveAttribute('data-field', 'draw');
  await expect(page.getByTestId('quiz-draw')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('quiz-draw')).toBeFocused();

  // A bank of 500 questions is one save; more than 50 without a pool is refused.
  const bank = Array.from({ length: 500 }, (_, n) => question(n + 1));
  const refused = await call(page, 'PUT', `/api/quizzes/${quiz.id}`, { title: 'Bank', published: true, items: bank });
  expect(refused.status).toBe(422);
  expect(refused.json.error.field).toBe('items');
  const saved = await api(page, 'PUT', `/api/quizzes/${quiz.id}`, { title: 'Bank', published: true, draw: 20, items: bank });
  expect(saved.quiz.items).toHaveLength(500);
  const attempt = await api(pages[1], 'POST', `/api/quizzes/${quiz.id}/attempts`, {});
  // pages[1] still has its open attempt from above, on the quiz as it was: it resumes that one.
  expect(attempt.items).toHaveLength(2);
  const fresh = await learner(browser, baseURL, made.join_code);
  const big = await api(fresh, 'POST', `/api/quizzes/${quiz.id}/attempts`, {});
  expect(big.items).toHaveLength(20);
});
