// The tutorial in Chromium: lessons load in both languages, the player steps through the model's
// steps with the right numbers, keyboard and reduced motion work.
import { mkdirSync } from 'node:fs';
import { test, expect } from '../fixtures';

const SCREENSHOTS = 'screenshots';

test('every lesson loads in both languages and says when a translation is missing', async ({ page, request }) => {
  for (const lang of ['en', 'zh-CN'] as const) {
    const lessons = await (await request.get(`/api/lessons?lang=${lang}`)).json();
    expect(lessons.length).toBeGreaterThanOrEqual(8);
    await page.goto('/');
    await page.getByTestId(`lang-${lang}`).click();
    for (const lesson of lessons) {
      await page.getByTestId(`lesson-link-${lesson.id}`).click();
      const article = page.getByTestId('lesson');
      await expect(article).toHaveAttribute('data-lang', lesson.lang);
      await expect(article.locator('.lesson-text')).not.toBeEmpty();
      await expect(page.getByTestId('not-translated')).toHaveCount(lesson.lang === lang ? 0 : 1);
      await page.goBack();
    }
  }
});

test('stepping through the handshake shows exactly the model numbers for the ISNs in the link', async ({ page }) => {
  await page.goto('/lessons/handshake?scenario=handshake&client_isn=1000&server_isn=5000&step=0');
  const player = page.locator('[data-testid=player][data-scenario=handshake]');
  // Every scenario is recorded against the kernel by the fidelity tests: no player says it is not.
  await expect(page.locator('[data-testid=player][data-scenario=simultaneous-open]')).toBeVisible();
  await expect(page.getByTestId('unchecked')).toHaveCount(0);
  await expect(player.getByTestId('field-seq')).toHaveText('1000');
  await expect(player.getByTestId('client-state')).toHaveText('CLOSED → SYN-SENT');
  await player.getByTestId('step-forward').click();
  await expect(player.getByTestId('field-seq')).toHaveText('5000');
  await expect(player.getByTestId('field-ack')).toHaveText('1001');
  await expect(player.getByTestId('server-state')).toContainText('SYN-RECEIVED');
  await player.getByTestId('step-forward').click();
  await expect(player.getByTestId('field-seq')).toHaveText('1001');
  await expect(player.getByTestId('field-ack')).toHaveText('5001');
  await expect(player.getByTestId('announcement')).toContainText('ESTABLISHED');
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/handshake.png`, fullPage: true });

  await player.getByTestId('numbering').click();
  await expect(player.getByTestId('field-seq')).toHaveText('1');
  await expect(player.getByTestId('field-ack')).toHaveText('1');
});

type Change = { before: string; via?: string[]; after: string };
const path = (c: Change) => {
  const states = [c.before, ...(c.via ?? [])];
  if (c.after !== c.before || (c.via ?? []).length > 0) states.push(c.after);
  return states.join(' → ');
};

test('every step of every scenario shows exactly what the model gives for the same ISNs', async ({ page, request }) => {
  test.setTimeout(180_000);
  const lessons = await (await request.get('/api/lessons?lang=en')).json();
  const seen = new Set<string>();
  for (const lesson of lessons) {
    for (const scenario of lesson.scenarios as string[]) {
      seen.add(scenario);
      const [clientIsn, serverIsn] = [4294967000 + scenario.length, 12345];
      const run = await (await request.get(`/api/scenarios/${scenario}?client_isn=${clientIsn}&server_isn=${serverIsn}`)).json();
      await page.goto(`/lessons/${lesson.id}?scenario=${scenario}&client_isn=${clientIsn}&server_isn=${serverIsn}&step=0`);
      const player = page.locator(`[data-testid=player][data-scenario=${scenario}]`);
      for (const [i, step] of run.steps.entries()) {
        await expect(player.getByTestId('step-count')).toHaveText(new RegExp(`^${i + 1}/`));
        await expect(player.getByTestId('client-state')).toHaveText(path(step.client));
        await expect(player.getByTestId('server-state')).toHaveText(path(step.server));
        await expect(player.getByTestId('explanation')).not.toHaveText(/\{|^Why: $/);
        if (step.kind.type === 'segment') {
          const s = step.kind.segment;
          await expect(player.getByTestId('field-seq')).toHaveText(String(s.seq));
          await expect(player.getByTestId('field-ack')).toHaveText(String(s.ack));
          await expect(player.getByTestId('field-len')).toHaveText(String(s.len));
          const flags = ['fin', 'syn', 'rst', 'psh', 'ack'].filter((f) => s.flags[f]).map((f) => f.toUpperCase()).join('+');
          await expect(player.getByTestId('field-flags')).toHaveAttribute('data-flags', flags);
        }
        if (step.settings?.length) {
          await expect(player.getByTestId('step-settings')).toContainText(step.settings[0]);
        }
        if (i + 1 < run.steps.length) await player.getByTestId('step-forward').click();
      }
    }
  }
  const all = await (await request.get('/api/scenarios')).json();
  expect([...seen].sort()).toEqual(all.map((s: { id: string }) => s.id).sort());
});

test('keyboard: the keys work wherever focus is in the player, and are listed', async ({ page }) => {
  await page.goto('/lessons/close?scenario=close-fin-ack&client_isn=4294967290&server_isn=7&step=0');
  const player = page.locator('[data-testid=player][data-scenario=close-fin-ack]');
  // After clicking a button, the arrows still step (the focus is on the button).
  await player.getByTestId('step-forward').click();
  await expect(player.getByTestId('step-count')).toHaveText(/^2\//);
  await page.keyboard.press('ArrowRight');
  await expect(player.getByTestId('step-count')).toHaveText(/^3\//);
  // After clicking the diagram too.
  await player.getByTestId('diagram').click();
  await page.keyboard.press('ArrowLeft');
  await expect(player.getByTestId('step-count')).toHaveText(/^2\//);
  await page.keyboard.press('End');
  const count = await player.getByTestId('step-count').textContent();
  const [, total] = count!.split('/');
  await expect(player.getByTestId('step-count')).toHaveText(`${total}/${total}`);
  await page.keyboard.press('Home');
  await expect(player.getByTestId('step-count')).toHaveText(/^1\//);
  await page.keyboard.press(' ');
  await expect(player.getByTestId('step-count')).toHaveText(`${total}/${total}`, { timeout: 15_000 });
  // The shortcuts are written down, and the icons are drawn, not font glyphs.
  await player.getByTestId('player-keys').locator('summary').click();
  await expect(player.getByTestId('player-keys')).toContainText('Home');
  await expect(player.getByTestId('restart').locator('svg')).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/close.png`, fullPage: true });
});

test('relative numbers change the sentence too, and the address follows the step', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/lessons/handshake?scenario=handshake&client_isn=1000&server_isn=5000&step=1');
  const player = page.locator('[data-testid=player][data-scenario=handshake]');
  await expect(player.getByTestId('explanation')).toContainText('1001');
  await player.getByTestId('numbering').click();
  await expect(player.getByTestId('field-ack')).toHaveText('1');
  await expect(player.getByTestId('explanation')).not.toContainText('1001');
  await player.getByTestId('step-forward').click();
  await expect(page).toHaveURL(/step=2/);
  await expect(page).toHaveURL(/client_isn=1000&server_isn=5000/);
  await player.getByTestId('copy-step-link').click();
  await expect(player.getByTestId('copy-step-link-status')).not.toBeEmpty();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain('/lessons/handshake?scenario=handshake&step=2&client_isn=1000&server_isn=5000');
  const again = await context.newPage();
  await again.goto(link);
  await expect(again.locator('[data-testid=player][data-scenario=handshake]').getByTestId('step-count')).toHaveText(/^3\//);
});

test('reduced motion shows each step whole', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, reducedMotion: 'reduce' });
  const page = await context.newPage();
  await page.goto('/lessons/handshake?scenario=handshake&client_isn=1&server_isn=2&step=0');
  const player = page.locator('[data-testid=player][data-scenario=handshake]');
  await player.getByTestId('play').click();
  // With reduced motion no arrow is ever drawn part-way: the current line always ends at a timeline.
  const timelines = await player.locator('line.timeline').evaluateAll((lines) => lines.map((l) => l.getAttribute('x1')));
  expect(timelines).toHaveLength(2);
  for (let i = 0; i < 10; i++) {
    const x2 = await player.locator('.step.current line.segment').getAttribute('x2');
    expect(timelines).toContain(x2);
    await page.waitForTimeout(100);
  }
  await context.close();
});

test('on a phone-sized screen the player fits and works', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto('/lessons/handshake?scenario=handshake&client_isn=1000&server_isn=5000&step=0');
  const player = page.locator('[data-testid=player][data-scenario=handshake]');
  await expect(player).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'the page scrolls sideways').toBeLessThanOrEqual(0);
  await player.getByTestId('step-forward').click();
  await expect(player.getByTestId('server-state')).toContainText('SYN-RECEIVED');
  await page.screenshot({ path: `${SCREENSHOTS}/handshake-phone.png`, fullPage: true });
});
