// The simulator's CI run (issue #7): a short election day at about 1 % of the city on the real
// stack, every anomaly of design/domain.md injected. Asserts correctness, not speed: accepted
// requests = ledger events = read-model counts per polling area, every injected anomaly detected,
// nothing else raised, no request failed.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestStack, type TestStack } from '@hpe/stack/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { injections } from './day-plan.ts';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
let stack: TestStack | undefined;

beforeAll(async () => {
  stack = await startTestStack();
}, 300_000);
afterAll(async () => {
  await stack?.down();
}, 120_000);

function simulate(args: readonly string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', cli, ...args],
      { timeout: 1_500_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, out: `${stdout}${stderr}` });
      },
    );
  });
}

interface Summary {
  requests: { accepted: number; failed: number; refusedAsPlanned: number };
  reconciliation: {
    ok: boolean;
    mismatches: unknown[];
    totals: { eventType: string; accepted: number; ledger: number }[];
    anomalies: {
      detected: { injection: string; kind: string; found: boolean }[];
      unexpected: unknown[];
    };
  };
}

it('runs a 1 % day with every injected anomaly; the reconciliation is exact and each is detected', async () => {
  if (stack === undefined) throw new Error('no stack');
  const summaryPath = join(mkdtempSync(join(tmpdir(), 'hpe-sim-')), 'summary.json');
  const run = await simulate([
    '--base-url',
    stack.gateway,
    '--nats-url',
    stack.natsUrl,
    '--scale',
    '0.01',
    '--speed',
    '1500',
    '--inject',
    'all',
    '--no-card-delivery',
    '--summary',
    summaryPath,
  ]);
  expect(run.out).toContain('reconciliation: exact');
  expect(run.code).toBe(0);
  const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as Summary;
  expect(summary.requests.failed).toBe(0);
  // The decreasing report, the broken minute and the reused card: refused as planned, recorded.
  expect(summary.requests.refusedAsPlanned).toBe(3);
  expect(summary.reconciliation.mismatches).toEqual([]);
  const checkIns = summary.reconciliation.totals.find((t) => t.eventType === 'VoterCheckedIn');
  expect(checkIns?.accepted).toBeGreaterThan(30_000);
  expect(checkIns?.ledger).toBe(checkIns?.accepted);
  const kinds = summary.reconciliation.anomalies.detected;
  expect(new Set(kinds.map((k) => k.injection))).toEqual(new Set(injections));
  expect(kinds.filter((k) => !k.found)).toEqual([]);
  expect(summary.reconciliation.anomalies.unexpected).toEqual([]);
}, 1_800_000);
