// Rate limits and the console's static files on a real gateway: past the limit a 429 problem+json
// with Retry-After; health never limited; the console's routes get its index.html, the API its 404.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {} from '@hpe/test-kit/global-setup';
import { freePort } from '@hpe/embedded';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startGateway, type RunningGateway } from '../gateway.js';
import { loadGatewaySettings } from '../settings.js';

let gateway: RunningGateway;
let consoleDir: string;

beforeAll(async () => {
  consoleDir = mkdtempSync(join(tmpdir(), 'hpe-console-'));
  writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>Bảng điều hành</title>');
  mkdirSync(join(consoleDir, 'assets'));
  writeFileSync(join(consoleDir, 'assets', 'app-1234.js'), 'console.log(1)');
  gateway = await startGateway(
    loadGatewaySettings({
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      DATABASE_URL: inject('postgresUrl'),
      NATS_URL: inject('natsUrl'),
      RATE_LIMIT_PER_MINUTE: '5',
      CONSOLE_DIR: consoleDir,
    }),
  );
});
afterAll(async () => {
  await gateway.close();
  rmSync(consoleDir, { recursive: true, force: true });
});

describe('rate limits', () => {
  it('answers a caller past its limit with 429 RATE_LIMITED, problem+json and Retry-After', async () => {
    const token = { authorization: 'Bearer rate-limit-test-token' };
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      statuses.push((await fetch(`${gateway.url}/api/v1/auth/me`, { headers: token })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const limited = await fetch(`${gateway.url}/api/v1/auth/me`, { headers: token });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    // Another caller (another token) has its own allowance; health is never limited.
    const other = await fetch(`${gateway.url}/api/v1/auth/me`, {
      headers: { authorization: 'Bearer another-token' },
    });
    expect(other.status).toBe(401);
    for (let i = 0; i < 8; i += 1) {
      expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
    }
  });
});

describe('the console', () => {
  it('serves index.html at / and for its own routes, assets as files, API 404s as problems', async () => {
    const home = await fetch(`${gateway.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Bảng điều hành');
    const route = await fetch(`${gateway.url}/communes/10507`, {
      headers: { accept: 'text/html' },
    });
    expect(route.status).toBe(200);
    expect(route.headers.get('content-type')).toContain('text/html');
    const asset = await fetch(`${gateway.url}/assets/app-1234.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const api = await fetch(`${gateway.url}/api/v1/no-such-thing`, {
      headers: { accept: 'text/html' },
    });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    const script = await fetch(`${gateway.url}/no-such-file.js`);
    expect(script.status).toBe(404);
  });
});
