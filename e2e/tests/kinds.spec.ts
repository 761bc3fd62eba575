// Every practice kind in a class quiz: the editor makes a state question (its end chosen, the
// field hidden); a learner answers a state, a whole next segment and a spot-the-error question
// from their own numbers, and the server grades them; a reload keeps the saved answers.
import { api } from '../api';
import { test, expect, axeViolations } from '../fixtures';
import { createUser, logIn, register, uniqueName } from '../accounts';

// In the handshake, step 1 is the server's SYN+ACK and step 2 the client's ACK.
const quiz = {
  title: 'Kinds',
  published: true,
  items: [
    { points: 1, question: { type: 'model', scenario: 'handshake', step: 2, field: 'seq', kind: 'state', side: 'server' } },
    { points: 2, question: { type: 'model', scenario: 'handshake', step: 1, field: 'seq', kind: 'next' } },
    { points: 3, question: { type: 'model', scenario: 'handshake', step: 1, field: 'ack', kind: 'spot_error' } },
  ],
};

test('state, next-segment and spot-the-error questions in a class quiz', async ({ page, browser, baseURL }) => {
  const teacher = uniqueName('prof');
  createUser(teacher, 'instructor');
  await page.goto('/classes');
  await logIn(page, teacher);
  const made = await api<{ id: number; join_code: string }>(page, 'POST', '/api/classes', { name: 'Kinds' });
  const q = await api<{ id: number }>(page, 'POST', `/api/classes/${made.id}/quizzes`, quiz);

  // The editor: a fourth question, a state question about the client.
  await page.goto(`/quizzes/${q.id}/edit`);
  await expect(page.getByTestId('item-0').getByTestId('model-kind')).toHaveValue('state');
  await expect(page.getByTestId('item-0').getByTestId('model-field')).toBeHidden();
  await page.getByTestId('add-model').click();
  const added = page.getByTestId('item-3');
  await expect(added.getByTestId('model-side')).toBeHidden();
  await added.getByTestId('model-kind').selectOption('state');
  await expect(added.getByTestId('model-side')).toBeVisible();
  await expect(added.getByTestId('model-field')).toBeHidden();
  await expect(added.getByTestId('preview').getByTestId('question-text')).toHaveAttribute('data-kind', 'state');
  await added.getByTestId('model-side').selectOption('client');
  await page.getByTestId('save-quiz').click();
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
  const saved = await api<{ quiz: { items: { question: { kind?: string; side?: string } }[] } }>(page, 'GET', `/api/quizzes/${q.id}`);
  expect(saved.quiz.items[3].question).toMatchObject({ kind: 'state', side: 'client' });
  expect(await axeViolations(page), 'the editor with each kind').toEqual([]);

  const learner = await (await browser.newContext({ baseURL, locale: 'en-US' })).newPage();
  await learner.goto(`/join/${made.join_code}`);
  await register(learner, uniqueName('amy'));
  await learner.getByTestId(`start-quiz-${q.id}`).click();
  await expect(learner.getByTestId('attempt-item-0')).toBeVisible();
  const item = (i: number) => learner.getByTestId(`attempt-item-${i}`);
  const given = async (i: number, which: string) => Number(await item(i).getByTestId(`given-${which}-isn`).innerText());

  // The server is ESTABLISHED after the handshake's ACK.
  await item(0).getByTestId('attempt-state-0').selectOption('ESTABLISHED');
  // The SYN+ACK: SYN and ACK, the server's ISN, the client's ISN + 1, no payload.
  await item(1).getByTestId('attempt-flag-1-SYN').check();
  await item(1).getByTestId('attempt-flag-1-ACK').check();
  await item(1).getByTestId('attempt-seq-1').fill(String(await given(1, 'server')));
  await item(1).getByTestId('attempt-ack-1').fill(String(((await given(1, 'client')) + 1) % 2 ** 32));
  await item(1).getByTestId('attempt-len-1').fill('0');
  // The SYN+ACK shown has a wrong ack: name it and give the right one.
  await item(2).getByTestId('attempt-wrong-field-2').selectOption('ack');
  await item(2).getByTestId('attempt-value-2').fill(String(((await given(2, 'client')) + 1) % 2 ** 32));
  // The added question asks about the client after the first SYN (SYN-SENT); answered wrongly on purpose.
  await item(3).getByTestId('attempt-state-3').selectOption('ESTABLISHED');
  expect(await axeViolations(learner), 'an attempt with each kind').toEqual([]);

  // Saved as typed (the server holds all four): a reload shows every answer again.
  const attemptPath = new URL(learner.url()).pathname.replace('/attempts/', '/api/attempts/');
  await expect
    .poll(async () => {
      const view = await learner.evaluate(async (path) => (await fetch(path)).json(), attemptPath);
      return view.saved.map((a: { type: string }) => a.type);
    })
    .toEqual(['state', 'segment', 'error', 'state']);
  await learner.reload();
  await expect(item(0).getByTestId('attempt-state-0')).toHaveValue('ESTABLISHED');
  await expect(item(1).getByTestId('attempt-len-1')).toHaveValue('0');
  await expect(item(2).getByTestId('attempt-wrong-field-2')).toHaveValue('ack');
  await expect(item(3).getByTestId('attempt-state-3')).toHaveValue('ESTABLISHED');

  await learner.getByTestId('submit-attempt').click();
  await expect(learner.getByTestId('attempt-score')).toHaveText('6 / 7');
  for (const [i, right] of [[0, 'true'], [1, 'true'], [2, 'true'], [3, 'false']] as const) {
    await expect(learner.getByTestId(`item-result-${i}`)).toHaveAttribute('data-correct', right);
  }
  await expect(learner.getByTestId('item-expected-3')).toHaveText('SYN-SENT');
});
