// The real stack for the console's browser tests and its load-time measurements: the built stack
// CLI in a throw-away data folder on free ports (@hpe/stack/testing), a client for the gateway's
// HTTP API, and headless Chromium (/usr/bin/chromium through playwright-core) with a fresh profile.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Where the browser tests keep the pages' screenshots: docs/screenshots (docs/console.md shows
 * them) when HPE_UPDATE_SCREENSHOTS=1 (`npm run screenshots -w @hpe/console`), otherwise the
 * workspace's .reports folder, so an ordinary test run does not rewrite the documentation's images.
 */
export const screenshotsDir =
  process.env['HPE_UPDATE_SCREENSHOTS'] === '1'
    ? join(root, 'docs/screenshots')
    : join(root, 'apps/console/.reports/screenshots');

export const demoPassword = 'election-day-2026';

/** An instant of the main election day (15 March 2026), Vietnam time. */
export const onElectionDay = (time: string): string => `2026-03-15T${time}:00+07:00`;

/** The embedded stack on free ports in a temporary folder, as `@hpe/stack/testing` starts it. */
export { startTestStack as startStack, type TestStack as RunningStack } from '@hpe/stack/testing';

export interface CommandAnswer {
  readonly position: number;
  readonly eventIds: readonly string[];
  readonly incidentId?: string;
}

/** The gateway's API as one signed-in user. Failures throw with the problem's code. */
export interface ApiAs {
  readonly token: string;
  get<T>(path: string): Promise<T>;
  post(path: string, body: unknown): Promise<CommandAnswer>;
}

export async function apiAs(gateway: string, username: string): Promise<ApiAs> {
  const signIn = await fetch(`${gateway}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: demoPassword }),
  });
  if (!signIn.ok) throw new Error(`sign-in of ${username}: HTTP ${signIn.status}`);
  const { accessToken } = (await signIn.json()) as { accessToken: string };
  const headers = { authorization: `Bearer ${accessToken}` };
  return {
    token: accessToken,
    get: async <T>(path: string): Promise<T> => {
      const res = await fetch(`${gateway}/api/v1${path}`, { headers });
      if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    post: async (path: string, body: unknown): Promise<CommandAnswer> => {
      const res = await fetch(`${gateway}/api/v1${path}`, {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify(body),
      });
      if (res.status !== 201)
        throw new Error(`POST ${path}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as CommandAnswer;
    },
  };
}

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export const wallScreen = { width: 1440, height: 900 } as const;
export const phone = { width: 390, height: 844 } as const;

/** Headless Chromium on a fresh profile, one page open. */
export async function openBrowser(
  viewport: { readonly width: number; readonly height: number } = wallScreen,
): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'hpe-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport,
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in through the console's form, as a person would. */
export async function signIn(page: Page, gateway: string, username: string): Promise<void> {
  await page.goto(`${gateway}/`);
  await page.getByLabel(/Tên đăng nhập|Username/).fill(username);
  await page.getByLabel(/Mật khẩu|Password/).fill(demoPassword);
  await page.getByRole('button', { name: /^(Đăng nhập|Sign in)$/ }).click();
  await page.getByRole('button', { name: /^(Đăng xuất|Sign out)$/ }).waitFor();
}
