// The quiz in the browser: a question of each kind with the learner's own numbers, the server's
// verdict with the steps replayed, and progress that survives a reload.
import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures';

/** Fills in some well-formed answer (right or wrong: the server decides) and submits it. */
async function answer(page: Page, kind: string) {
  const form = page.getByTestId('answer-form');
  switch (kind) {
    case 'field':
      if (await form.getByTestId('answer-flags').count()) {
        await form.getByTestId('flag-ACK').check();
      } else {
        await form.getByTestId('answer-number').fill('1');
      }
      break;
    case 'state':
      await form.getByTestId('answer-state').selectOption('ESTABLISHED');
      break;
    case 'next':
      await form.getByTestId('flag-ACK').check();
      await form.getByTestId('answer-seq').fill('1');
      await form.getByTestId('answer-ack').fill('1');
      await form.getByTestId('answer-len').fill('0');
      break;
    case 'spot_error':
      await form.getByTestId('answer-wrong-field').selectOption('seq');
      await form.getByTestId('answer-value').fill('1');
      break;
  }
  const graded = page.waitForResponse((r) => r.url().includes('/answers') && r.request().method() === 'POST');
  await form.getByTestId('submit').click();
  return (await graded).json();
}

test('a question of each kind is graded by the server, and progress survives a reload', async ({ page }) => {
  await page.goto('/quiz');
  for (const kind of ['field', 'state', 'next', 'spot_error']) {
    const issued = page.waitForResponse((r) => r.url().endsWith('/api/quiz/questions') && r.status() === 200);
    await page.getByTestId(`kind-${kind}`).click();
    const question = await (await issued).json();
    const q = page.getByTestId('question');
    await expect(q).toHaveAttribute('data-kind', kind);
    // The learner's own numbers are on screen, and the answer is not in what the browser got.
    await expect(page.getByTestId('given-client-isn')).toHaveText(String(question.prompt.client_isn));
    expect(question.prompt.shown.length).toBe(question.prompt.step);
    if (question.prompt.step > 0) {
      await expect(q.locator('[data-testid=player][data-scenario=quiz]')).toBeVisible();
    }

    const feedback = await answer(page, kind);
    const shown = page.getByTestId('feedback');
    await expect(shown).toHaveAttribute('data-correct', String(feedback.correct));
    await expect(shown.getByTestId('verdict')).toHaveText(feedback.correct ? 'Right!' : 'Not quite.');
    await expect(shown.getByTestId('expected')).not.toBeEmpty();
    await expect(shown.locator('[data-testid=player][data-scenario=feedback]')).toBeVisible();
    // The learner's answer stands beside the right one, and the feedback says what was asked.
    await expect(shown.getByTestId('your-answer')).not.toBeEmpty();
    await expect(shown.getByTestId('feedback-asked')).toContainText(`#${question.prompt.step + 1}`);
    if (kind === 'field') {
      const names: Record<string, string> = { seq: 'seq', ack: 'ack', len: 'length', flags: 'flags' };
      await expect(shown.getByTestId('feedback-asked').locator('strong')).toHaveText(names[question.prompt.field]);
      if (question.prompt.field !== 'flags') await expect(shown.getByTestId('your-answer')).toHaveText('1');
      // A wrong number is told as the kind of mistake it is.
      const told = ['off', 'other_side'].includes(feedback.wrong?.kind);
      await expect(shown.getByTestId('mistake')).toHaveCount(told ? 1 : 0);
    }
    if (kind === 'state') {
      // The "why" is told from the end that was asked about, ending in the state it is in.
      const why = shown.getByTestId('state-why');
      await expect(why).toContainText(question.prompt.side === 'client' ? 'Client' : 'Server');
      await expect(why).toContainText(String(feedback.expected.value));
    }
    // The givens name only what the scenario uses.
    await expect(shown.getByTestId('given-client-bytes')).toHaveCount(question.prompt.client_writes ? 1 : 0);
  }

  await page.getByTestId('nav-progress').click();
  await expect(page.getByTestId('history-item')).toHaveCount(4);
  // Times are local, with their offset from UTC.
  await expect(page.getByTestId('history-item').first().locator('time')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC[+−]\d/);
  for (const kind of ['field', 'state', 'next', 'spot_error']) {
    await expect(page.locator(`[data-testid=topic][data-kind=${kind}] [data-testid=topic-answered]`)).toHaveText('1');
  }
  await page.reload();
  await expect(page.getByTestId('history-item')).toHaveCount(4);
});

test('an incomplete answer cannot be sent, and a bad number is named', async ({ page }) => {
  await page.goto('/quiz');
  await page.getByTestId('kind-next').click();
  const submit = page.getByTestId('submit');
  await expect(submit).toBeDisabled();
  await page.getByTestId('answer-seq').fill('12abc');
  await expect(page.getByTestId('answer-seq')).toHaveAttribute('aria-invalid', 'true');
  await expect(submit).toBeDisabled();
});

test('a new visitor sees an empty progress page that points to the quiz', async ({ page }) => {
  await page.goto('/progress');
  await expect(page.getByTestId('progress-empty')).toBeVisible();
  await page.getByTestId('continue').click();
  await expect(page.getByTestId('page-quiz')).toBeVisible();
});

test('registering keeps the progress, and a fresh browser profile logs in and sees it', async ({ page, browser, baseURL }) => {
  await page.goto('/quiz');
  await page.getByTestId('kind-state').click();
  await answer(page, 'state');
  await expect(page.getByTestId('feedback')).toBeVisible();

  const username = `e2e-${Date.now()}`;
  await page.getByTestId('nav-progress').click();
  await expect(page.getByTestId('history-item')).toHaveCount(1);
  await page.getByTestId('account-username').fill(username);
  await page.getByTestId('account-password').fill('correct horse battery');
  await page.getByTestId('register').click();
  await expect(page.getByTestId('account-name')).toHaveText(username);
  await expect(page.getByTestId('history-item')).toHaveCount(1);

  const fresh = await browser.newContext({ baseURL });
  const other = await fresh.newPage();
  await other.goto('/progress');
  await expect(other.getByTestId('progress-empty')).toBeVisible();
  await other.getByTestId('account-username').fill(username);
  await other.getByTestId('account-password').fill('wrong password');
  await other.getByTestId('login').click();
  await expect(other.getByTestId('account-error')).toContainText('wrong username or password');
  await other.getByTestId('account-password').fill('correct horse battery');
  // A real form: Enter in the password field logs in.
  await other.getByTestId('account-password').press('Enter');
  await expect(other.getByTestId('account-name')).toHaveText(username);
  await expect(other.getByTestId('history-item')).toHaveCount(1);
  await fresh.close();
});

test('a wrong login is said in the reader\'s language, and follows a language switch', async ({ page }) => {
  await page.goto('/progress');
  await page.getByTestId('lang-zh-CN').click();
  await page.getByTestId('account-username').fill('nobody-here');
  await page.getByTestId('account-password').fill('wrong password');
  await page.getByTestId('account-password').press('Enter');
  await expect(page.getByTestId('account-error')).toHaveText('用户名或密码错误。');
  await page.getByTestId('lang-en').click();
  await expect(page.getByTestId('account-error')).toHaveText('Wrong username or password.');
  // Too short a name, in Chinese: the text for the field, not the server's English.
  await page.getByTestId('lang-zh-CN').click();
  await page.getByTestId('account-username').fill('ab');
  await page.getByTestId('register').click();
  await expect(page.getByTestId('account-error')).toContainText('用户名为 3 到 32 个字符');
});

test('lessons opened and finished show on the progress page by their titles, with where to continue', async ({ page, request }) => {
  await page.goto('/lessons/close');
  await expect(page.getByTestId('lesson')).toBeVisible();
  await page.goto('/lessons/handshake');
  await page.getByTestId('lesson-finish').click();
  await expect(page.getByTestId('lesson-finish')).toBeDisabled();
  await page.goto('/progress');
  await expect(page.locator('[data-testid=lesson-progress][data-lesson=handshake]')).toHaveAttribute('data-finished', 'true');
  await expect(page.locator('[data-testid=lesson-progress][data-lesson=close]')).toHaveAttribute('data-finished', 'false');
  const lessons: { id: string; title: string }[] = await (await request.get('/api/lessons?lang=en')).json();
  await expect(page.getByTestId('continue-lesson')).toHaveText(lessons.find((l) => l.id === 'close')!.title);
  await page.getByTestId('lang-zh-CN').click();
  const zh: { id: string; title: string }[] = await (await request.get('/api/lessons?lang=zh-CN')).json();
  await expect(page.getByTestId('continue-lesson')).toHaveText(zh.find((l) => l.id === 'close')!.title);
});

/** The right answer of a numeric tuning question, worked out from the numbers in its text the
 * way a learner would (the bank's formulas, written again here on purpose). */
function worked(bankId: string, text: string): number | undefined {
  const n = (text.match(/\b\d+\b/g) ?? []).map(Number);
  switch (bankId) {
    case 'keepalive-detect': return n[0] + n[2] * n[1];
    case 'local-ports': return n[1] - n[0] + 1;
    case 'port-rate-limit': return Math.floor((n[1] - n[0] + 1) / 60);
    case 'accept-queue': return Math.min(n[0], n[1]);
    case 'time-wait-count': return n[0] * 60;
    case 'bdp': return n[0] * n[1] * 125;
  }
  return undefined;
}

test('tuning questions: a worked number is right, a choice is graded, both languages, and the topic shows in the progress', async ({ page }) => {
  await page.goto('/quiz');
  await page.getByTestId('kind-tuning').click();
  const seen = { numeric: 0, choice: 0 };
  for (let i = 0; i < 30 && (seen.numeric < 1 || seen.choice < 1); i++) {
    if (i > 0) await page.getByTestId('next-question').click();
    const q = page.getByTestId('question');
    await expect(q).toHaveAttribute('data-kind', 'tuning');
    const bankId = (await q.getAttribute('data-bank-id'))!;
    const text = (await q.getByTestId('question-text').textContent())!;
    const graded = page.waitForResponse((r) => r.url().includes('/api/quiz/tuning/') && r.request().method() === 'POST');
    const number = q.getByTestId('answer-number');
    if (await number.count()) {
      await number.fill('12x');
      await expect(q.getByTestId('submit')).toBeDisabled();
      const right = worked(bankId, text);
      expect(right, `a formula for ${bankId}`).toBeDefined();
      await number.fill(String(right));
      await q.getByTestId('submit').click();
      const feedback = await (await graded).json();
      expect(feedback.correct, `${bankId}: ${text}`).toBe(true);
      await expect(page.getByTestId('verdict')).toHaveText('Right!');
      await expect(page.getByTestId('expected')).toContainText(String(right));
      seen.numeric++;
    } else {
      await q.getByTestId('choice-0').check();
      await q.getByTestId('submit').click();
      const feedback = await (await graded).json();
      await expect(page.getByTestId('feedback')).toHaveAttribute('data-correct', String(feedback.correct));
      await expect(page.getByTestId('expected')).not.toBeEmpty();
      seen.choice++;
    }
    await expect(page.getByTestId('explain')).not.toBeEmpty();
  }
  expect(seen.numeric).toBeGreaterThan(0);
  expect(seen.choice).toBeGreaterThan(0);

  // The explanation follows the interface language.
  await page.getByTestId('lang-zh-CN').click();
  await expect(page.getByTestId('explain')).toContainText(/[\u4e00-\u9fff]/);
  await page.getByTestId('lang-en').click();

  await page.getByTestId('nav-progress').click();
  const topic = page.locator('[data-testid=topic][data-kind=tuning]');
  await expect(topic.getByTestId('topic-answered')).toHaveText(String(seen.numeric + seen.choice));
  await expect(topic.getByTestId('topic-correct')).not.toHaveText('0');
});
