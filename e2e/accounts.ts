// Accounts for the tests, made the way an operator makes them: `tcplab admin create-user` against
// the running server's SQLite file, with the password on standard input.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

export const PASSWORD = 'correct horse battery';

export function createUser(username: string, role: 'learner' | 'instructor' | 'admin'): void {
  const bin = resolve(process.env.TCPLAB_BIN ?? '../target/debug/tcplab');
  const db = `sqlite://${process.env.TCPLAB_DATA_DIR}/e2e.db`;
  execFileSync(bin, ['admin', 'create-user', '--username', username, '--role', role, '--database-url', db], { input: `${PASSWORD}\n` });
}

/** A name no other test (or earlier run against the same database) has used. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
}

/** Logs in through the account box the page shows to visitors. */
export async function logIn(page: Page, username: string): Promise<void> {
  await page.getByTestId('account-username').fill(username);
  await page.getByTestId('account-password').fill(PASSWORD);
  await page.getByTestId('login').click();
  await expect(page.getByTestId('account-username')).toHaveCount(0);
}

/** Registers a new learner through the account box. */
export async function register(page: Page, username: string): Promise<void> {
  await page.getByTestId('account-username').fill(username);
  await page.getByTestId('account-password').fill(PASSWORD);
  await page.getByTestId('register').click();
  await expect(page.getByTestId('account-username')).toHaveCount(0);
}
