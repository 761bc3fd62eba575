// axe-core, a third-party checker, on every page in both languages: no violations of WCAG 2.1
// A and AA rules. The quiz is checked with a question on screen and with its feedback too; the
// class pages (editor, class, attempt, results) are checked in classes.spec.ts, where they exist.
import { test, expect, PAGES, axeViolations as violations } from '../fixtures';

for (const lang of ['en', 'zh-CN'] as const) {
  test(`axe finds nothing on any page in ${lang}`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto('/');
    await page.getByTestId(`lang-${lang}`).click();
    for (const path of [...PAGES.map((p) => p.path), '/lessons/handshake', '/lessons/states']) {
      await page.goto(path);
      await expect(page.locator('main h1').first()).toBeVisible();
      await page.waitForLoadState('networkidle');
      expect(await violations(page), `${path} (${lang})`).toEqual([]);
    }
    await page.goto('/quiz');
    await page.getByTestId('kind-state').click();
    await expect(page.getByTestId('question')).toBeVisible();
    expect(await violations(page), `a quiz question (${lang})`).toEqual([]);
    await page.getByTestId('answer-state').selectOption('ESTABLISHED');
    await page.getByTestId('submit').click();
    await expect(page.getByTestId('feedback')).toBeVisible();
    expect(await violations(page), `quiz feedback (${lang})`).toEqual([]);
  });
}
