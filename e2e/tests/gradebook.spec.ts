// Course tools in the browser: an instructor changes a score with a reason the learner reads,
// gives one learner an extra attempt, and reads the class gradebook, whose Moodle and Canvas CSV
// downloads hold the numbers the results pages show.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { api } from '../api';
import { test, expect, axeViolations } from '../fixtures';
import { createUser, logIn, register, uniqueName } from '../accounts';

function quiz(title: string, counted: 'best' | 'latest') {
  return {
    title,
    published: true,
    attempts_allowed: 2,
    counted,
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
      { points: 3, question: { type: 'numeric', text: { en: 'MSL on Linux, in seconds?', 'zh-CN': 'Linux 的 MSL 是多少秒？' }, answer: 60 } },
    ],
  };
}

type Attempt = { attempt_id: number; items: { prompt: { choices?: { en: string }[] } }[] };

/** A learner's hand-in through the API: the right choice or not, and a number. */
async function handIn(page: Page, quizId: number, right: boolean, value: number): Promise<number> {
  const a = await api<Attempt>(page, 'POST', `/api/quizzes/${quizId}/attempts`, {});
  const index = a.items[0].prompt.choices!.findIndex((c) => (c.en === 'SYN') === right);
  await api(page, 'POST', `/api/attempts/${a.attempt_id}/submit`, { answers: [{ type: 'choice', index }, { type: 'number', value }] });
  return a.attempt_id;
}

async function learner(browser: Browser, baseURL: string | undefined, code: string, name: string): Promise<Page> {
  const page = await (await browser.newContext({ baseURL, locale: 'en-US' })).newPage();
  await page.goto(`/join/${code}`);
  await register(page, name);
  await expect(page.getByTestId('page-class')).toBeVisible();
  return page;
}

test('an instructor overrides a score, gives an extra attempt, and the gradebook CSV matches the results', async ({ page, browser, baseURL }) => {
  const teacher = uniqueName('prof');
  createUser(teacher, 'instructor');
  await page.goto('/classes');
  await logIn(page, teacher);
  const made = await api<{ id: number; join_code: string }>(page, 'POST', '/api/classes', { name: 'Grades' });
  const week1 = await api<{ id: number }>(page, 'POST', `/api/classes/${made.id}/quizzes`, quiz('Week 1', 'best'));
  const week2 = await api<{ id: number }>(page, 'POST', `/api/classes/${made.id}/quizzes`, quiz('Week 2', 'latest'));
  const [amyName, bobName] = [uniqueName('amy'), uniqueName('bob')];
  const amy = await learner(browser, baseURL, made.join_code, amyName);
  const bob = await learner(browser, baseURL, made.join_code, bobName);
  await handIn(amy, week1.id, true, 60); // 5
  await handIn(amy, week1.id, false, 1); // 0: the best counts
  await handIn(amy, week2.id, true, 60); // 5
  await handIn(amy, week2.id, true, 1); // 2: the latest counts
  const bobsAttempt = await handIn(bob, week1.id, false, 59); // 0, changed to 3 below

  // The instructor changes bob's score from his attempt's page: a reason is required.
  await page.goto(`/quizzes/${week1.id}/results`);
  await page.getByTestId(`results-row-${bobName}`).getByTestId('learner-attempt').click();
  await expect(page.getByTestId('score-override')).toBeVisible();
  await page.getByTestId('override-score').fill('3');
  await page.getByTestId('override-save').click();
  await expect(page.getByTestId('override-error')).toBeVisible();
  await expect(page.getByTestId('override-reason')).toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('override-reason').fill('59 s is what this kernel showed in the lab');
  await page.getByTestId('override-save').click();
  await expect(page.getByTestId('override-saved')).toBeVisible();
  await expect(page.getByTestId('attempt-score')).toHaveText('3 / 5');
  expect(await axeViolations(page), 'the score override').toEqual([]);

  // bob reads the new score, the graded one and why.
  await bob.goto(`/attempts/${bobsAttempt}`);
  await expect(bob.getByTestId('attempt-score')).toHaveText('3 / 5');
  await expect(bob.getByTestId('attempt-overridden')).toContainText('0 / 5');
  await expect(bob.getByTestId('attempt-override-reason')).toContainText('59 s is what this kernel showed');

  // An extra attempt for bob only, from the results page.
  await page.goto(`/quizzes/${week1.id}/results`);
  await page.getByTestId('exception-learner').selectOption(bobName);
  await page.getByTestId('exception-attempts').fill('1');
  await page.getByTestId('exception-save').click();
  await expect(page.getByTestId(`exception-${bobName}`)).toContainText('1 extra attempts');
  expect(await axeViolations(page), 'the results page with exceptions').toEqual([]);
  await bob.goto(`/classes/${made.id}`);
  await expect(bob.getByTestId(`quiz-row-${week1.id}`).getByTestId('quiz-attempts')).toHaveText('1 / 3');

  // The gradebook: the numbers of each quiz's results page, and in the downloads.
  const results: Record<string, Record<number, string>> = {};
  for (const q of [week1.id, week2.id]) {
    await page.goto(`/quizzes/${q}/results`);
    await expect(page.getByTestId(`results-row-${amyName}`)).toBeVisible();
    for (const name of [amyName, bobName]) {
      const row = page.getByTestId(`results-row-${name}`);
      if ((await row.count()) > 0) {
        results[name] = { ...results[name], [q]: (await row.getByTestId('learner-best').innerText()).split(' / ')[0] };
      }
    }
  }
  expect(results).toEqual({ [amyName]: { [week1.id]: '5', [week2.id]: '2' }, [bobName]: { [week1.id]: '3' } });
  await page.goto(`/classes/${made.id}`);
  await page.getByTestId('gradebook-link').click();
  await expect(page.getByTestId('page-gradebook')).toBeVisible();
  const cells = async (name: string) => page.getByTestId(`gradebook-row-${name}`).getByTestId('gradebook-score').allInnerTexts();
  expect(await cells(amyName)).toEqual(['5', '2']);
  expect(await cells(bobName)).toEqual(['3', '–']);
  expect(await axeViolations(page), 'the gradebook').toEqual([]);

  const download = async (testid: string) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
    return readFileSync(await file.path(), 'utf8').trim().split('\n').map((line) => line.split(','));
  };
  const moodle = await download('gradebook-csv-moodle');
  expect(moodle[0]).toEqual(['username', 'Week 1', 'Week 2']);
  const rows = Object.fromEntries(moodle.slice(1).map(([name, ...scores]) => [name, scores]));
  expect(rows[amyName]).toEqual([results[amyName][week1.id], results[amyName][week2.id]]);
  expect(rows[bobName]).toEqual([results[bobName][week1.id], '']);
  const canvas = await download('gradebook-csv-canvas');
  expect(canvas[0]).toEqual(['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', 'Week 1', 'Week 2']);
  expect(canvas[1]).toEqual(['Points Possible', '', '', '', '', '5', '5']);
  expect(canvas.find((r) => r[0] === amyName)).toEqual([amyName, '', '', amyName, 'Grades', '5', '2']);

  // On a phone the table scrolls in its own box; the page does not.
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await amy.context().close();
  await bob.context().close();
});
