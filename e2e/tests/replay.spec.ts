// Replaying a capture: the test records a real connection to the server with tcpdump, opens the
// file in the page (parsed in the browser, nothing uploaded) and checks the real sequence numbers.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test, expect } from '../fixtures';

const BIN = resolve(process.env.TCPLAB_BIN ?? '../target/debug/tcplab');

async function recordHealthCheck(baseURL: string, file: string) {
  const port = new URL(baseURL).port;
  const tcpdump = spawn('tcpdump', ['-i', 'lo', '--immediate-mode', '-U', '-n', '-w', file, `tcp port ${port}`]);
  await new Promise<void>((ready, fail) => {
    tcpdump.stderr.on('data', (d) => String(d).includes('listening on') && ready());
    tcpdump.on('exit', (code) => fail(new Error(`tcpdump exited with ${code} (it needs root)`)));
  });
  // One real connection: connect, ask, read the answer, close.
  const res = await fetch(`${baseURL}/healthz`, { headers: { connection: 'close' } });
  await res.text();
  await new Promise((r) => setTimeout(r, 500));
  tcpdump.kill('SIGINT');
  await new Promise((r) => tcpdump.on('close', r));
}

test('a capture recorded on loopback plays with its real sequence numbers', async ({ page, baseURL }) => {
  const dir = mkdtempSync(join(tmpdir(), 'tcplab-replay-'));
  const file = join(dir, 'healthz.pcap');
  await recordHealthCheck(baseURL!, file);
  // What the server-side reader makes of the same file, to compare with what the page shows.
  const [conversation] = JSON.parse(execFileSync(BIN, ['capture', file, '--json']).toString());
  const syn = conversation.steps[0];
  expect(syn.flags).toBe('SYN');

  await page.goto('/replay');
  await page.getByTestId('capture-file').setInputFiles(file);
  await expect(page.getByTestId('replay-summary')).toContainText('1');
  const player = page.locator('[data-testid=player][data-scenario=capture]');
  await expect(player.getByTestId('client-state')).toHaveText('CLOSED → SYN-SENT');
  await player.getByTestId('numbering').click();
  await expect(player.getByTestId('field-seq')).toHaveText(String(syn.seq));
  await player.getByTestId('step-forward').click();
  await expect(player.getByTestId('field-ack')).toHaveText(String(conversation.steps[1].ack));
  await expect(player.getByTestId('field-ack')).toHaveText(String((syn.seq + 1) % 2 ** 32));
  await player.getByTestId('player-controls').focus();
  await page.keyboard.press('End');
  const last = conversation.steps[conversation.steps.length - 1];
  await expect(player.getByTestId('field-seq')).toHaveText(String(last.seq));
  await expect(player.getByTestId('server-state')).toContainText(last.server);
  await page.screenshot({ path: 'screenshots/replay.png', fullPage: true });
});

test('a corrupt or foreign file gets a clear message in the page', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'tcplab-replay-'));
  const junk = join(dir, 'notes.pcap');
  writeFileSync(junk, 'these are not packets');
  const cut = join(dir, 'cut.pcap');
  // A pcap header that promises a 1000-byte packet and stops after 4 bytes of it.
  const header = Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex');
  const record = Buffer.alloc(20);
  record.writeUInt32LE(1000, 8);
  record.writeUInt32LE(1000, 12);
  writeFileSync(cut, Buffer.concat([header, record]));
  await page.goto('/replay');
  await page.getByTestId('capture-file').setInputFiles(junk);
  await expect(page.getByTestId('replay-error')).toContainText('not a pcap or pcapng capture');
  await page.getByTestId('capture-file').setInputFiles(cut);
  await expect(page.getByTestId('replay-error')).toContainText('damaged or cut short at packet 1');
  await expect(page.getByTestId('player')).toHaveCount(0);
  // In Chinese, the same message in Chinese (the bytes and the packet number stay).
  await page.getByTestId('lang-zh-CN').click();
  await expect(page.getByTestId('replay-error')).toContainText('第 1 个数据包处损坏或被截断');
  await page.getByTestId('capture-file').setInputFiles(junk);
  await expect(page.getByTestId('replay-error')).toContainText('这不是 pcap 或 pcapng 抓包文件（开头是 74 68 65 73）');
});

/** The records of a classic little-endian pcap file: [start offset, end offset] of each. */
function records(file: Buffer): [number, number][] {
  const out: [number, number][] = [];
  for (let at = 24; at + 16 <= file.length; ) {
    const end = at + 16 + file.readUInt32LE(at + 8);
    out.push([at, end]);
    at = end;
  }
  return out;
}

test('captures as others write them: a cut tail, a link type not decoded, a start mid-connection', async ({ page, baseURL }) => {
  const dir = mkdtempSync(join(tmpdir(), 'tcplab-replay-'));
  const file = join(dir, 'healthz.pcap');
  await recordHealthCheck(baseURL!, file);
  const whole = readFileSync(file);
  const recs = records(whole);
  // Cut inside the last packet: every complete packet is shown, with a warning saying where.
  const cut = join(dir, 'cut.pcap');
  const [lastStart] = recs[recs.length - 1];
  writeFileSync(cut, whole.subarray(0, lastStart + 20));
  // The same packets under link type 127 (802.11 radiotap), which the reader does not decode.
  const radiotap = join(dir, 'radiotap.pcap');
  const foreign = Buffer.from(whole);
  foreign.writeUInt32LE(127, 20);
  writeFileSync(radiotap, foreign);
  // Without the handshake: which end is the client is a guess, and the page says so.
  const middle = join(dir, 'middle.pcap');
  writeFileSync(middle, Buffer.concat([whole.subarray(0, 24), whole.subarray(recs[3][0])]));

  await page.goto('/replay');
  await page.getByTestId('capture-file').setInputFiles(cut);
  await expect(page.getByTestId('replay-summary')).toContainText(String(recs.length - 1));
  await expect(page.getByTestId('replay-warning')).toContainText(`ends inside a packet at byte ${lastStart}`);
  await expect(page.getByTestId('player')).toHaveCount(1);
  await page.getByTestId('capture-file').setInputFiles(radiotap);
  await expect(page.getByTestId('replay-error')).toContainText('link type 127 (IEEE 802.11 with radiotap)');
  await page.getByTestId('capture-file').setInputFiles(middle);
  await expect(page.getByTestId('replay-guessed')).toBeVisible();
  await expect(page.getByTestId('conversation').locator('option').first()).toContainText(`:${new URL(baseURL!).port}`);
  await page.getByTestId('lang-zh-CN').click();
  await expect(page.getByTestId('replay-guessed')).toContainText('抓包中没有这个连接的 SYN');
  await page.getByTestId('capture-file').setInputFiles(radiotap);
  await expect(page.getByTestId('replay-error')).toContainText('本工具不解析链路类型 127 (IEEE 802.11 with radiotap)');
  await page.getByTestId('capture-file').setInputFiles(cut);
  await expect(page.getByTestId('replay-warning')).toContainText(`文件在第 ${lastStart} 字节处`);
});
