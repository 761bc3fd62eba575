// JSON requests from a page itself, with its cookies and origin, as the app makes them: for tests
// that set up classes and quizzes through the API and then check what the pages show.
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** The status and the parsed body of one request. */
export async function call(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const { status, text } = await page.evaluate(
    async ([method, path, body]) => {
      const response = await fetch(path as string, {
        method: method as string,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, text: await response.text() };
    },
    [method, path, body] as const,
  );
  return { status, json: JSON.parse(text) };
}

/** The body of a request that must succeed (200); the failure names the request and the answer. */
export async function api<T = any>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  const { status, json } = await call(page, method, path, body);
  expect(status, `${method} ${path}: ${JSON.stringify(json)}`).toBe(200);
  return json as T;
}
