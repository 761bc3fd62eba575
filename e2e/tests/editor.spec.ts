// The quiz editor keeps an instructor's work: every problem at once with each bad field marked,
// Chinese optional (learners reading Chinese see the English marked as not translated), a
// question before unsaved changes are left, and a copy in the browser offered back after a reload.
import { api } from '../api';
import { test, expect, axeViolations } from '../fixtures';
import { createUser, logIn, register, uniqueName } from '../accounts';

test('the editor lists every problem, marks each field, takes English alone and keeps unsaved work', async ({ page, browser, baseURL }) => {
  const teacher = uniqueName('prof');
  createUser(teacher, 'instructor');
  await page.goto('/classes');
  await logIn(page, teacher);
  const made = await api<{ id: number; join_code: string }>(page, 'POST', '/api/classes', { name: 'Editing' });
  const quiz = await api<{ id: number }>(page, 'POST', `/api/classes/${made.id}/quizzes`, { title: 'Draft one' });
  await page.goto(`/quizzes/${quiz.id}/edit`);
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');

  // Four problems in the settings and two questions, all listed by one Save, in the page's order.
  await page.getByTestId('quiz-title-input').fill('');
  await page.getByTestId('add-choice').click();
  await page.getByTestId('add-numeric').click();
  const choice = page.getByTestId('item-0');
  const numeric = page.getByTestId('item-1');
  await choice.getByTestId('choice-en-0').fill('SYN');
  await choice.getByTestId('choice-en-1').fill('FIN');
  await numeric.getByTestId('text-en').fill('How many seconds is the MSL on Linux?');
  await numeric.getByTestId('numeric-answer').fill('sixty');
  await page.getByTestId('save-quiz').click();
  const problems = page.getByTestId('editor-problem');
  await expect(page.getByTestId('editor-error')).toBeVisible();
  const fields = await problems.evaluateAll((items) => items.map((i) => i.getAttribute('data-field')));
  expect(fields).toEqual(['title', 'items[0].question.text.en', 'items[0].question.choices', 'items[1].question.answer']);
  await expect(page.getByTestId('editor-error')).toContainText('4 problems');
  await expect(page.getByTestId('quiz-title-input')).toHaveAttribute('aria-invalid', 'true');
  await expect(choice.getByTestId('text-en')).toHaveAttribute('aria-invalid', 'true');
  await expect(choice.getByTestId('choice-correct-0')).toHaveAttribute('aria-invalid', 'true');
  await expect(numeric.getByTestId('numeric-answer')).toHaveAttribute('aria-invalid', 'true');
  await expect(numeric.getByTestId('text-en')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('quiz-title-input')).toBeFocused();
  expect(await axeViolations(page), 'the editor with its problems listed').toEqual([]);
  // A problem in the list takes the focus to its field.
  await problems.nth(1).getByRole('button').click();
  await expect(choice.getByTestId('text-en')).toBeFocused();

  // English alone is enough; the Chinese inputs say they are not translated.
  await page.getByTestId('quiz-title-input').fill('Week 2');
  await choice.getByTestId('text-en').fill('Which flag opens a connection?');
  await choice.getByTestId('choice-correct-0').check();
  await numeric.getByTestId('numeric-answer').fill('60');
  await expect(choice.getByTestId('untranslated').first()).toBeVisible();
  await page.getByTestId('quiz-published').check();
  await page.getByTestId('save-quiz').click();
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
  await expect(page.getByTestId('editor-error')).toHaveCount(0);

  // A learner reading Chinese sees the English, marked.
  const learner = await (await browser.newContext({ baseURL, locale: 'zh-CN' })).newPage();
  await learner.goto(`/join/${made.join_code}`);
  await register(learner, uniqueName('li'));
  await learner.getByTestId(`start-quiz-${quiz.id}`).click();
  await expect(learner.getByTestId('question-text').first()).toHaveText('Which flag opens a connection? （未翻译）');

  // An in-app link asks first; "stay" keeps the form as it is.
  await page.getByTestId('quiz-title-input').fill('Week 2, revised');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'unsaved');
  let asked = '';
  page.once('dialog', (d) => {
    asked = d.message();
    return d.dismiss();
  });
  await page.getByTestId('editor-results').click();
  await expect(page.getByTestId('page-quiz-editor')).toBeVisible();
  expect(asked).toContain('not saved');
  await expect(page.getByTestId('quiz-title-input')).toHaveValue('Week 2, revised');

  // A reload asks too (the browser's own question); the copy kept in the browser comes back.
  let unload = '';
  page.once('dialog', (d) => {
    unload = d.type();
    return d.accept();
  });
  await page.reload();
  expect(unload).toBe('beforeunload');
  await expect(page.getByTestId('local-copy')).toBeVisible();
  await expect(page.getByTestId('quiz-title-input')).toHaveValue('Week 2');
  expect(await axeViolations(page), 'the editor offering a kept copy').toEqual([]);
  await page.getByTestId('local-copy-restore').click();
  await expect(page.getByTestId('quiz-title-input')).toHaveValue('Week 2, revised');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'unsaved');
  await page.getByTestId('save-quiz').click();
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
  // Saved: nothing is asked or offered any more.
  await page.reload();
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
  await expect(page.getByTestId('local-copy')).toHaveCount(0);
  await expect(page.getByTestId('quiz-title-input')).toHaveValue('Week 2, revised');
  await page.getByTestId('editor-results').click();
  await expect(page.getByTestId('page-results')).toBeVisible();

  // A kept copy can be thrown away.
  await page.goto(`/quizzes/${quiz.id}/edit`);
  await page.getByTestId('quiz-title-input').fill('Never saved');
  page.once('dialog', (d) => d.accept());
  await page.reload();
  await page.getByTestId('local-copy-discard').click();
  await expect(page.getByTestId('local-copy')).toHaveCount(0);
  await expect(page.getByTestId('quiz-title-input')).toHaveValue('Week 2, revised');
  await page.reload();
  await expect(page.getByTestId('local-copy')).toHaveCount(0);
});
