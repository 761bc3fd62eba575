// Every page on a phone, a tablet and a laptop (360, 390, 768, 1280 px), in both languages: the
// page never scrolls sideways (wide things such as generated files scroll inside their own box),
// no text is drawn under 12 px (the diagram's included: it is laid out for its width, not scaled
// down), and what a learner needs to answer (the quiz givens)
// is fully visible. Screenshots at 390 px are kept next to the desktop ones.
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, PAGES } from '../fixtures';

const SCREENSHOTS = 'screenshots';
const LESSONS = ['/lessons/handshake', '/lessons/fast-open', '/lessons/states', '/lessons/backlog'];

/** Elements whose own text is drawn below 12 CSS px; in an SVG, after the drawing's scale. */
async function tinyText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const own = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      if (!own) continue;
      const style = getComputedStyle(el);
      const box = (el as HTMLElement).getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
      if (el.closest('.visually-hidden')) continue;
      const scale = el instanceof SVGGraphicsElement ? (el.getScreenCTM()?.a ?? 1) : 1;
      const drawn = parseFloat(style.fontSize) * scale;
      if (drawn < 12) out.push(`${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''}: ${drawn.toFixed(1)}px`);
    }
    return out.slice(0, 5);
  });
}

/** Diagram texts that stick out of their drawing (and would be cut off at its edge). */
async function clippedDiagramText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const svg of Array.from(document.querySelectorAll('svg.diagram'))) {
      const frame = svg.getBoundingClientRect();
      for (const text of Array.from(svg.querySelectorAll('text'))) {
        const box = text.getBoundingClientRect();
        if (box.width === 0) continue;
        if (box.left < frame.left - 1 || box.right > frame.right + 1) out.push(`${text.textContent}: ${box.left.toFixed(0)}..${box.right.toFixed(0)} outside ${frame.left.toFixed(0)}..${frame.right.toFixed(0)}`);
      }
    }
    return out.slice(0, 5);
  });
}

async function sideways(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

for (const width of [360, 390, 768, 1280]) {
  for (const lang of ['en', 'zh-CN'] as const) {
    test(`at ${width} px in ${lang} no page scrolls sideways or has text under 12 px`, async ({ page }) => {
      await page.setViewportSize({ width, height: 800 });
      await page.goto('/');
      await page.getByTestId(`lang-${lang}`).click();
      mkdirSync(SCREENSHOTS, { recursive: true });
      for (const path of [...PAGES.map((p) => p.path), ...LESSONS]) {
        await page.goto(path);
        await expect(page.locator('main h1').first()).toBeVisible();
        // The config page's output and the lessons' players render after their data arrives.
        await page.waitForLoadState('networkidle');
        expect(await sideways(page), `${path} at ${width} px (${lang})`).toBeLessThanOrEqual(0);
        expect(await tinyText(page), `text under 12 px on ${path} at ${width} px (${lang})`).toEqual([]);
        expect(await clippedDiagramText(page), `diagram text cut off on ${path} at ${width} px (${lang})`).toEqual([]);
        if (width === 390) {
          const name = path === '/' ? 'tutorial' : path.replaceAll('/', '-').replace(/^-/, '');
          await page.screenshot({ path: `${SCREENSHOTS}/${name}-${lang}-390.png`, fullPage: true });
        }
      }
    });
  }
}

test('on a phone the quiz givens are shown whole', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto('/quiz');
  await page.getByTestId('kind-field').click();
  const givens = page.getByTestId('givens');
  await expect(givens).toBeVisible();
  for (const id of ['given-client-isn', 'given-server-isn']) {
    const box = await page.getByTestId(id).evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { right: r.right, clipped: el.scrollWidth > el.clientWidth, text: el.textContent ?? '' };
    });
    expect(box.clipped, `${id} is cut off`).toBe(false);
    expect(box.right, `${id} runs off the screen`).toBeLessThanOrEqual(360);
    expect(box.text).toMatch(/^\d+$/);
  }
  expect(await sideways(page)).toBeLessThanOrEqual(0);
});
