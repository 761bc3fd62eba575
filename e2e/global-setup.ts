// Starts the real tcplab binary once for the whole run, on a free port of 127.0.0.1, with a fresh
// SQLite file, and stops it with SIGTERM at the end. Tests find it through TCPLAB_URL.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const bin = resolve(process.env.TCPLAB_BIN ?? '../target/debug/tcplab');
  const dist = resolve(process.env.TCPLAB_DIST ?? '../dist');
  const content = resolve(process.env.TCPLAB_CONTENT ?? '../content');
  const dataDir = mkdtempSync(join(tmpdir(), 'tcplab-e2e-'));
  const server = spawn(
    bin,
    ['--bind', '127.0.0.1:0', '--database-url', `sqlite://${dataDir}/e2e.db`, '--static-dir', dist, '--content-dir', content, '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );

  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('tcplab did not start within 20 s')), 20_000);
    let out = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/listening on (http:\/\/[\d.:]+)/);
      if (match) {
        clearTimeout(timer);
        ok(match[1]);
      }
    });
    server.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`tcplab exited with ${code} before listening: is ${bin} built?`));
    });
  });
  process.env.TCPLAB_URL = url;
  process.env.TCPLAB_DATA_DIR = dataDir;

  return async () => {
    const exited = new Promise((ok) => server.once('exit', ok));
    server.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
}
