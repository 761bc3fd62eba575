// Classes in the browser: an instructor builds a class and a quiz with a model question, a learner
// joins with the code and takes it with their own numbers, and the instructor reads the results
// and downloads a CSV whose rows match. Then user-written text full of markup stays inert.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { test, expect, axeViolations } from '../fixtures';
import { createUser, logIn, register, uniqueName } from '../accounts';

async function newPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: 'en-US' });
  return context.newPage();
}

/** Creates a class from /classes and opens its page; returns the join code. */
async function createClass(page: Page, name: string): Promise<string> {
  await page.goto('/classes');
  await page.getByTestId('class-name-input').fill(name);
  await page.getByTestId('create-class').click();
  await page.getByText(name, { exact: true }).first().click();
  await expect(page.getByTestId('page-class')).toBeVisible();
  return (await page.getByTestId('join-code').innerText()).trim();
}

test('an instructor builds a quiz, a learner takes it, the instructor reads the results and the CSV', async ({ page, browser, baseURL }) => {
  const teacher = uniqueName('prof');
  createUser(teacher, 'instructor');
  await page.goto('/classes');
  await logIn(page, teacher);
  const code = await createClass(page, 'Networks 101');
  expect(code).toMatch(/^[A-Z2-9]{8}$/);
  await expect(page.getByTestId('join-link')).toContainText(`/join/${code}`);

  // A new quiz with one model question: the SYN+ACK's ack number in the handshake.
  await page.getByTestId('new-quiz').click();
  await expect(page.getByTestId('page-quiz-editor')).toBeVisible();
  await page.getByTestId('quiz-title-input').fill('Handshake numbers');
  await page.getByTestId('add-model').click();
  const item = page.getByTestId('item-0');
  await item.getByTestId('model-scenario').selectOption('handshake');
  await item.getByTestId('model-step').selectOption('1');
  await item.getByTestId('model-field').selectOption('ack');
  // The live preview is one learner's variant: the givens and the asked segment, no answer.
  await expect(item.getByTestId('preview')).toBeVisible();
  await expect(item.getByTestId('preview').getByTestId('given-client-isn')).toHaveText(/^\d+$/);
  await item.getByTestId('item-points').fill('3');
  await page.getByTestId('quiz-published').check();
  await page.getByTestId('save-quiz').click();
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
  await page.screenshot({ path: 'screenshots/quiz-editor.png', fullPage: true });
  expect(await axeViolations(page), 'the quiz editor').toEqual([]);

  // The learner registers on the join link and joins.
  const learnerPage = await newPage(browser, baseURL);
  const learner = uniqueName('amy');
  await learnerPage.goto(`/join/${code}`);
  await register(learnerPage, learner);
  await expect(learnerPage.getByTestId('page-class')).toBeVisible();
  await expect(learnerPage.getByText('Handshake numbers')).toBeVisible();
  await learnerPage.locator('[data-testid^="start-quiz-"]').first().click();
  await expect(learnerPage.getByTestId('page-attempt')).toBeVisible();
  expect(await axeViolations(learnerPage), 'an attempt').toEqual([]);
  // Work the answer out as a learner would: the SYN+ACK acknowledges the client's ISN + 1.
  const isn = Number(await learnerPage.getByTestId('attempt-item-0').getByTestId('given-client-isn').innerText());
  await learnerPage.getByTestId('attempt-number-0').fill(String((isn + 1) % 2 ** 32));
  // Enter in an answer box does not hand the quiz in; only the button does.
  await learnerPage.getByTestId('attempt-number-0').press('Enter');
  await expect(learnerPage.getByTestId('attempt-result')).toHaveCount(0);
  await learnerPage.getByTestId('submit-attempt').click();
  await expect(learnerPage.getByTestId('attempt-score')).toContainText('3 / 3');
  await expect(learnerPage.getByTestId('attempt-right-count')).toHaveText('1 / 1');
  // The score is read first: above the questions, not under a long page.
  const scoreBox = await learnerPage.getByTestId('attempt-result').boundingBox();
  const firstItem = await learnerPage.getByTestId('attempt-item-0').boundingBox();
  expect(scoreBox!.y).toBeLessThan(firstItem!.y);
  await expect(learnerPage.getByTestId('attempt-item-0')).toContainText('Your numbers');
  await learnerPage.screenshot({ path: 'screenshots/quiz-attempt.png', fullPage: true });
  expect(await axeViolations(learnerPage), 'a handed-in attempt').toEqual([]);
  // The same page in Chinese.
  await learnerPage.getByTestId('lang-zh-CN').click();
  await expect(learnerPage.getByTestId('attempt-result')).toContainText('你的得分');
  await expect(learnerPage.getByTestId('item-result-0')).toContainText('分');
  await learnerPage.screenshot({ path: 'screenshots/quiz-attempt-zh.png', fullPage: true });
  await learnerPage.getByTestId('lang-en').click();
  // Back on the class page, the handed-in attempt is one click away.
  await learnerPage.goBack();
  await learnerPage.reload();
  await learnerPage.locator('[data-testid^="last-attempt-"]').first().click();
  await expect(learnerPage.getByTestId('attempt-score')).toContainText('3 / 3');

  // The instructor's results: the chart, the learner's row, and a CSV with the same numbers.
  await page.goto('/classes');
  await page.getByText('Networks 101', { exact: true }).first().click();
  await page.locator('[data-testid^="results-quiz-"]').first().click();
  await expect(page.getByTestId('page-results')).toBeVisible();
  await expect(page.getByTestId('score-chart')).toBeVisible();
  await expect(page.getByTestId('score-chart')).toContainText('1');
  await expect(page.getByTestId(`results-row-${learner}`)).toContainText('3');
  await page.screenshot({ path: 'screenshots/quiz-results.png', fullPage: true });
  expect(await axeViolations(page), 'the results').toEqual([]);
  // The learner's attempt, as the instructor reads it: their numbers, their answer, the verdict.
  await page.getByTestId(`results-row-${learner}`).getByTestId('learner-attempt').click();
  await expect(page.getByTestId('attempt-learner')).toHaveText(learner);
  // The numbers were the learner's, and the page says so.
  await expect(page.getByTestId('attempt-item-0')).toContainText('Their numbers');
  await expect(page.getByTestId('attempt-item-0')).not.toContainText('Your numbers');
  await expect(page.getByTestId('attempt-number-0')).toHaveValue(String((isn + 1) % 2 ** 32));
  await expect(page.getByTestId('item-result-0')).toHaveAttribute('data-correct', 'true');
  await expect(page.getByTestId('submit-attempt')).toHaveCount(0);
  await page.goBack();
  const download = page.waitForEvent('download');
  await page.getByTestId('download-csv').click();
  const csv = readFileSync(await (await download).path(), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('username,attempts,best_score,max_score,percent,last_submitted_at,q1_correct');
  expect(csv).toHaveLength(2);
  expect(csv[1]).toMatch(new RegExp(`^${learner},1,3,3,100\\.0,.+,1$`));

  // Somebody already logged in who follows a join link is asked first, not joined unasked;
  // here the instructor of the class, who is told why they cannot join it.
  await page.goto(`/join/${code}`);
  await expect(page.getByTestId('join-confirm')).toBeVisible();
  await page.getByTestId('join-confirm').click();
  await expect(page.getByTestId('join-error')).toContainText('You teach this class');
  await learnerPage.context().close();
});

test('markup in class names, quiz titles and questions is shown as text and never runs', async ({ page, browser, baseURL }) => {
  const teacher = uniqueName('prof');
  createUser(teacher, 'instructor');
  await page.goto('/classes');
  await logIn(page, teacher);
  const hostile = {
    className: '<img src=x onerror="window.__xss=1">Class',
    title: '<script>window.__xss=2</script>Quiz',
    question: '<a href="javascript:window.__xss=3" id="xss-link">click</a> <svg onload="window.__xss=4"></svg>?',
  };
  const code = await createClass(page, hostile.className);
  await page.getByTestId('new-quiz').click();
  await page.getByTestId('quiz-title-input').fill(hostile.title);
  await page.getByTestId('add-choice').click();
  const item = page.getByTestId('item-0');
  await item.getByTestId('text-en').fill(hostile.question);
  await item.getByTestId('text-zh').fill(hostile.question);
  for (const j of [0, 1]) {
    await item.getByTestId(`choice-en-${j}`).fill(`<b onmouseover="window.__xss=5">choice ${j}</b>`);
    await item.getByTestId(`choice-zh-${j}`).fill(`选项 ${j}`);
  }
  await item.getByTestId('choice-correct-0').check();
  await page.getByTestId('quiz-published').check();
  await page.getByTestId('save-quiz').click();
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');

  const learnerPage = await newPage(browser, baseURL);
  await learnerPage.goto(`/join/${code}`);
  await register(learnerPage, uniqueName('eve'));
  await expect(learnerPage.getByText(hostile.className)).toBeVisible();
  await learnerPage.locator('[data-testid^="start-quiz-"]').first().click();
  await expect(learnerPage.getByText(hostile.title)).toBeVisible();
  await expect(learnerPage.getByText(hostile.question)).toBeVisible();
  await learnerPage.getByText('choice 0', { exact: false }).first().hover();
  for (const p of [page, learnerPage]) {
    // Written as text: no element came out of the markup, and none of it ran.
    expect(await p.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await expect(p.locator('#xss-link, img[src="x"], svg[onload]')).toHaveCount(0);
  }
  // The learner picks the wrong choice (the order is their own) and hands in: their choice is
  // marked wrong in words, and the right one is named.
  const labels = learnerPage.locator('[data-testid^="attempt-choice-label-0-"]');
  const wrong = labels.filter({ hasText: 'choice 1' });
  await wrong.locator('input').check();
  await learnerPage.getByTestId('submit-attempt').click();
  await expect(learnerPage.getByTestId('attempt-right-count')).toHaveText('0 / 1');
  await expect(wrong).toHaveClass(/chosen wrong/);
  await expect(wrong).toContainText('✗ your answer');
  await expect(labels.filter({ hasText: 'choice 0' })).toContainText('the right answer');
  expect(await axeViolations(learnerPage), 'a graded choice').toEqual([]);
  await learnerPage.context().close();
});
