// The app shell in a real Chromium against the real server: every page renders, navigation and
// deep links work, the language switch is remembered, and the server's own endpoints answer.
import { mkdirSync } from 'node:fs';
import { test, expect, PAGES } from '../fixtures';

const SCREENSHOTS = 'screenshots';

test('every page renders from the navigation, with a screenshot of each', async ({ page }) => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.goto('/');
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-state', 'ok');
  for (const p of PAGES) {
    await page.getByTestId(`nav-${p.id}`).click();
    await expect(page).toHaveURL(new RegExp(`${p.path.replace('/', '\\/')}$`));
    const section = page.getByTestId(`page-${p.id}`);
    await expect(section.getByRole('heading', { level: 1 })).toHaveText(p.en);
    await expect(page.getByTestId(`nav-${p.id}`)).toHaveAttribute('aria-current', 'page');
    await expect(page).toHaveTitle(`${p.en} · TCP Lab`);
    await page.screenshot({ path: `${SCREENSHOTS}/${p.id}.png`, fullPage: true });
  }
});

test('a deep link or a reload lands on the right page', async ({ page }) => {
  for (const p of PAGES) {
    await page.goto(p.path);
    await expect(page.getByTestId(`page-${p.id}`).getByRole('heading', { level: 1 })).toHaveText(p.en);
    await page.reload();
    await expect(page.getByTestId(`page-${p.id}`).getByRole('heading', { level: 1 })).toHaveText(p.en);
  }
});

test('an unknown address shows the not-found page with a way back', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByTestId('page-not-found')).toBeVisible();
  await page.getByTestId('page-not-found').getByRole('link').click();
  await expect(page.getByTestId('page-tutorial')).toBeVisible();
});

test('the language switch changes the interface and is remembered across reloads', async ({ page }) => {
  await page.goto('/quiz');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('lang-en')).toHaveAttribute('aria-pressed', 'true');

  await page.getByTestId('lang-zh-CN').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('lang-zh-CN')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('nav-tutorial')).toHaveText('教程');
  await expect(page.getByTestId('server-status')).toContainText('在线');
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const p of PAGES) {
    await page.getByTestId(`nav-${p.id}`).click();
    await expect(page.getByTestId(`page-${p.id}`).getByRole('heading', { level: 1 })).toHaveText(p.zh);
    await page.screenshot({ path: `${SCREENSHOTS}/${p.id}-zh-CN.png`, fullPage: true });
  }

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('page-config').getByRole('heading', { level: 1 })).toHaveText('Linux 配置生成器');

  await page.getByTestId('lang-en').click();
  await page.reload();
  await expect(page.getByTestId('page-config').getByRole('heading', { level: 1 })).toHaveText('Linux config generator');
});

test('a browser that prefers Chinese starts in Chinese', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ locale: 'zh-CN', baseURL });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('nav-quiz')).toHaveText('测验');
  await context.close();
});

test('everything is reachable by keyboard, starting with a skip link', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('brand')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('nav-tutorial')).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('page-quiz')).toBeVisible();
});

test('healthz answers 200 and reports the database', async ({ request }) => {
  const response = await request.get('/healthz');
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: 'ok', database: 'ok' });
});

test('a bad /api path is a JSON error, not the app', async ({ request }) => {
  const response = await request.get('/api/does-not-exist');
  expect(response.status()).toBe(404);
  expect(response.headers()['content-type']).toBe('application/json');
  expect(await response.json()).toEqual({
    error: { code: 'not_found', message: 'no API endpoint at /api/does-not-exist' },
  });
});

test('the app is served compressed, with the caching and security headers', async ({ request }) => {
  const index = await request.get('/', { headers: { 'accept-encoding': 'br' } });
  expect(index.headers()['content-encoding']).toBe('br');
  expect(index.headers()['cache-control']).toBe('no-cache');
  expect(index.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
  const html = await index.text();
  const wasm = html.match(/\/assets\/app-[0-9a-f]{16}\/tcplab_bg\.wasm/)![0];
  const asset = await request.get(wasm, { headers: { 'accept-encoding': 'br' } });
  expect(asset.status()).toBe(200);
  expect(asset.headers()['content-type']).toBe('application/wasm');
  expect(asset.headers()['content-encoding']).toBe('br');
  expect(asset.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
});
