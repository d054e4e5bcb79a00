// The real stack for the console's browser tests and its load-time measurements: the built stack
// CLI (`tools/stack/dist/cli.js up`) in a throw-away data folder on free ports, a client for the
// gateway's HTTP API, and headless Chromium (/usr/bin/chromium through playwright-core) with a
// fresh profile.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@hpe/embedded';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const cli = join(root, 'tools/stack/dist/cli.js');

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

export interface RunningStack {
  readonly gateway: string;
  /** Stops one app of the stack as a crash would (SIGKILL), and waits until it is gone. */
  kill(app: string): Promise<void>;
  /** `stack up` again: starts whatever is not running (the stack skips what is). */
  up(): Promise<void>;
  down(): Promise<void>;
}

function runCli(command: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cli, command],
      { env: { ...process.env, ...env }, timeout: 240_000 },
      (error, stdout, stderr) => {
        if (error !== null) reject(new Error(`stack ${command} failed: ${stdout}${stderr}`));
        else resolve(`${stdout}${stderr}`);
      },
    );
  });
}

/** `stack up` with every port free and its data in a temporary folder; `down` removes it all. */
export async function startStack(): Promise<RunningStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hpe-console-'));
  // The stack runs PostgreSQL as an unprivileged user when started as root; it must enter.
  chmodSync(dataDir, 0o755);
  const env: Record<string, string> = { HPE_DATA_DIR: dataDir };
  const ports = [
    'POSTGRES',
    'NATS',
    'NATS_MONITOR',
    'GATEWAY',
    'LEDGER_HTTP',
    'TURNOUT_HTTP',
    'PROJECTOR_HTTP',
    'VOTER_CARDS_HTTP',
    'TALLIES_HTTP',
    'INCIDENTS_HTTP',
    'ANOMALIES_HTTP',
  ];
  for (const name of ports) env[`HPE_${name}_PORT`] = String(await freePort());
  const gateway = `http://127.0.0.1:${env.HPE_GATEWAY_PORT ?? ''}`;
  try {
    await runCli('up', env);
  } catch (error) {
    await runCli('down', env).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    gateway,
    kill: async (app) => {
      const pid = Number(readFileSync(join(dataDir, 'run', `${app}.pid`), 'utf8').trim());
      process.kill(pid, 'SIGKILL');
      for (let alive = true; alive;) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        try {
          process.kill(pid, 0);
        } catch {
          alive = false;
        }
      }
    },
    up: async () => {
      await runCli('up', env);
    },
    down: async () => {
      await runCli('down', env);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

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
