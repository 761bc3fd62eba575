// The config generator: the form updates the output as you type, the browser computes the same
// file as the server, copy and download give exactly what is shown, and the permalink restores
// the inputs in a fresh page.
import { readFileSync } from 'node:fs';
import { test, expect } from '../fixtures';

async function open(page: import('@playwright/test').Page, path = '/config') {
  await page.goto(path);
  await expect(page.getByTestId('settings').getByTestId('setting').first()).toBeVisible();
}

test('fill the form, copy, download, and reopen the permalink', async ({ page, context, baseURL, request }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page);

  await page.getByTestId('preset-long').click();
  await expect(page.getByTestId('field-peak_connections')).toHaveValue('500000');
  await expect(page.getByTestId('preset-long')).toHaveAttribute('aria-pressed', 'true');

  // The worked example: a web server, 100,000 connections, 16 GiB, 1 Gbit/s, 50 ms RTT.
  await page.getByTestId('field-workload').selectOption('short');
  await page.getByTestId('field-peak_connections').fill('100,000');
  await page.getByTestId('field-ram_mib').fill('16384');
  await page.getByTestId('field-nic_mbit').fill('1000');
  await page.getByTestId('field-rtt_ms').fill('50');
  await expect(page.getByTestId('figure-bdp')).toHaveText('6.0 MiB'); // 6,250,000 bytes
  await expect(page.getByTestId('figure-sockets')).toHaveText('100000');
  await expect(page).toHaveURL(/\/config\?v=1&w=short&conn=100000&.*rtt=50/);

  const permalink = await page.getByTestId('permalink').inputValue();
  expect(permalink.startsWith(`${baseURL}/config?v=1&w=short&conn=100000`)).toBe(true);
  const shown = await page.getByTestId('file-sysctl').textContent();
  expect(shown).toContain(permalink);
  expect(shown).toMatch(/^net\.ipv4\.tcp_max_syn_backlog = \d+$/m);

  // The server computes the same file from the same query (the shared crate on both sides).
  const query = permalink.split('?')[1];
  const fromServer = await request.get(`/api/tuning/sysctl.conf?${query}`);
  expect(fromServer.status()).toBe(200);
  expect(await fromServer.text()).toBe(shown);

  await page.getByTestId('copy').click();
  await expect(page.getByTestId('copy-status')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shown);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
  expect(download.suggestedFilename()).toBe('90-tcplab.conf');
  expect(readFileSync(await download.path(), 'utf8')).toBe(shown);

  await page.getByTestId('tab-limits').click();
  await expect(page.getByTestId('install-path')).toHaveText('/etc/security/limits.d/90-tcplab.conf');
  await expect(page.getByTestId('file-limits')).toContainText('nofile');
  await page.getByTestId('tab-commands').click();
  await expect(page.getByTestId('file-commands')).toContainText('sysctl --system');
  await expect(page.getByTestId('file-commands')).toContainText('nstat');

  // A fresh page from the permalink shows the same inputs and the same file.
  const again = await context.newPage();
  await again.goto(permalink);
  await expect(again.getByTestId('field-peak_connections')).toHaveValue('100000');
  await expect(again.getByTestId('field-rtt_ms')).toHaveValue('50');
  await expect(again.getByTestId('field-workload')).toHaveValue('short');
  await expect(again.getByTestId('file-sysctl')).toHaveText(shown!);
  await again.close();
});

test('bad values are named beside their field and the output keeps the last good one', async ({ page }) => {
  await open(page);
  const before = await page.getByTestId('file-sysctl').textContent();
  const peak = page.getByTestId('field-peak_connections');
  await peak.fill('12abc');
  await expect(peak).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('hint-peak_connections')).toHaveText('Enter a whole number.');
  await expect(page.getByTestId('file-sysctl')).toHaveText(before!);

  await peak.fill('0');
  await expect(peak).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('hint-peak_connections')).toHaveText('Allowed: 1–10000000');
  await expect(page.locator('[data-testid=warning][data-field=peak_connections]')).toBeVisible();

  await peak.fill('20000');
  await expect(peak).toHaveAttribute('aria-invalid', 'false');

  // Warnings for inputs that do not fit together: more outbound connections than ports allow.
  await page.getByTestId('preset-client').click();
  await page.getByTestId('field-new_connections_per_sec').fill('5000');
  await expect(page.locator('[data-testid=warning].warning, [data-testid=warning].error').first()).toBeVisible();
});

test('a mangled permalink opens with the good fields and names the bad ones', async ({ page }) => {
  await open(page, '/config?v=1&w=proxy&conn=lots&rtt=80');
  await expect(page.getByTestId('link-problem')).toContainText('peak_connections');
  await expect(page.getByTestId('field-workload')).toHaveValue('proxy');
  await expect(page.getByTestId('field-rtt_ms')).toHaveValue('80');
});

test('the linter reads a pasted file line by line and refuses junk', async ({ page }) => {
  await open(page);
  const input = page.getByTestId('lint-input');
  await input.fill('# from a blog post\nnet.ipv4.tcp_tw_recycle = 1\nnet.ipv4.tcp_max_tw_buckets = 5000\n');
  await expect(page.locator('[data-testid=finding][data-code=removed_key]')).toHaveAttribute('data-line', '2');
  await expect(page.locator('[data-testid=finding][data-code=lowers_default]')).toHaveAttribute('data-line', '3');
  await expect(page.getByTestId('lint-summary')).toContainText('2');

  await input.fill('Dear reader, this is a letter.');
  await expect(page.getByTestId('lint-error')).toBeVisible();
  await input.fill('net.core.somaxconn = 4096\n');
  await expect(page.getByTestId('lint-error')).toHaveCount(0);
});

test('the generator speaks Chinese', async ({ page }) => {
  await open(page);
  await page.getByTestId('lang-zh-CN').click();
  await expect(page.getByTestId('tab-sysctl')).toHaveText('sysctl 配置片段');
  await expect(page.getByTestId('setting-reason').first()).toHaveText(/[\u4e00-\u9fff]/);
  await expect(page.getByTestId('file-sysctl')).toHaveText(/[\u4e00-\u9fff]/);
});

test('the generator is a chunk of its own: the tutorial does not download it', async ({ page }) => {
  const wasm: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('.wasm')) wasm.push(new URL(r.url()).pathname);
  });
  await page.goto('/');
  await expect(page.getByTestId('page-tutorial')).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(wasm.length).toBeGreaterThan(0);
  expect(wasm.every((p) => p.endsWith('/tcplab_bg.wasm')), `first visit fetched ${wasm.join(', ')}`).toBe(true);

  await page.getByTestId('nav-config').click();
  await expect(page.getByTestId('settings').getByTestId('setting').first()).toBeVisible();
  expect(wasm.some((p) => !p.endsWith('/tcplab_bg.wasm')), `opening /config fetched ${wasm.join(', ')}`).toBe(true);
});
