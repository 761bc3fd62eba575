// The test object every spec uses: Playwright's, pointed at the server global-setup started, and
// failing any test during which the page logs an error or breaks its Content-Security-Policy.
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';

export const test = base.extend<{ pageErrors: string[] }>({
  baseURL: async ({}, use) => {
    const url = process.env.TCPLAB_URL;
    if (!url) throw new Error('TCPLAB_URL is not set: global-setup did not start the server');
    await use(url);
  },
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => {
        // A 4xx the app answers with a message (a wrong password, say) is logged by Chromium
        // itself; 5xx and everything else still fail the test.
        const expected4xx = /Failed to load resource: the server responded with a status of 4\d\d/;
        if (msg.type() === 'error' && !expected4xx.test(msg.text())) errors.push(`console: ${msg.text()}`);
      });
      await use(errors);
      expect(errors, 'the page logged errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** What axe-core (WCAG 2.1 A and AA rules and its best practices) finds wrong on the page as it is now; empty is good. */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
}

/** The pages of the app: path, test id of the nav link, and the heading in each language. */
export const PAGES = [
  { id: 'tutorial', path: '/', en: 'Tutorial: the three-way handshake and the four-way close', zh: '教程：三次握手与四次挥手' },
  { id: 'quiz', path: '/quiz', en: 'Quiz', zh: '测验' },
  { id: 'progress', path: '/progress', en: 'Your progress', zh: '我的学习进度' },
  { id: 'classes', path: '/classes', en: 'Classes', zh: '班级' },
  { id: 'replay', path: '/replay', en: 'Replay your own capture', zh: '回放你自己的抓包' },
  { id: 'config', path: '/config', en: 'Linux config generator', zh: 'Linux 配置生成器' },
] as const;
