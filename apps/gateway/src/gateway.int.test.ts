// The gateway against real servers: readiness follows PostgreSQL, NATS and the ledger's head,
// errors are problem+json.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {} from '@hpe/test-kit/global-setup';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, startNats, type RunningNats } from '@hpe/embedded';
import { LogHead, ledgerQueues, ledgerSubjects } from '@hpe/ledger-client';
import { closeNats, connectNats } from '@hpe/messaging';
import { startGateway, type RunningGateway } from './gateway.js';
import { loadGatewaySettings } from './settings.js';

async function gatewayWith(env: Record<string, string>): Promise<RunningGateway> {
  return startGateway(
    loadGatewaySettings({ HTTP_PORT: String(await freePort()), LOG_LEVEL: 'silent', ...env }),
  );
}

/**
 * Answers `ledger.head` the way the ledger does (the reply checked against the shared wire schema),
 * so these tests need no ledger process; the stack's end-to-end test runs the real one.
 */
async function ledgerHeadResponder(url: string): Promise<{ close(): Promise<void> }> {
  const nc = await connectNats({
    servers: [url],
    name: 'ledger-head-responder',
    reconnectTimeWaitMs: 50,
  });
  const value = LogHead.parse({ position: 0, hash: '0'.repeat(64) });
  nc.subscribe(ledgerSubjects.head, {
    queue: ledgerQueues.readers,
    callback: (_e, msg) => {
      msg.respond(JSON.stringify({ ok: true, value }));
    },
  });
  await nc.flush();
  return { close: () => closeNats(nc) };
}

describe('gateway health', () => {
  let gateway: RunningGateway;
  let ledger: { close(): Promise<void> } | undefined;
  beforeAll(async () => {
    ledger = await ledgerHeadResponder(inject('natsUrl'));
    gateway = await gatewayWith({
      DATABASE_URL: inject('postgresUrl'),
      NATS_URL: inject('natsUrl'),
    });
  });
  afterAll(async () => {
    await gateway.close();
    await ledger?.close();
  });

  it('is live and ready when PostgreSQL, NATS and the ledger answer', async () => {
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
    const res = await fetch(`${gateway.url}/health/ready`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      checks: Record<string, { ok: boolean; latencyMs: number }>;
    };
    expect(body.status).toBe('ok');
    expect(body.checks.postgres?.ok).toBe(true);
    expect(body.checks.nats?.ok).toBe(true);
    expect(body.checks.ledger?.ok).toBe(true);
    expect((await fetch(`${gateway.url}/api/v1/health/ready`)).status).toBe(200);
  });

  it('is not ready while no ledger answers ledger.head, and ready again when one does', async () => {
    await ledger?.close();
    ledger = undefined;
    const res = await fetch(`${gateway.url}/health/ready`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as {
      checks: { ledger: { ok: boolean; error?: string }; nats: { ok: boolean } };
    };
    expect(body.checks.ledger.ok).toBe(false);
    expect(body.checks.ledger.error).toContain('LEDGER_UNAVAILABLE');
    expect(body.checks.nats.ok).toBe(true);
    ledger = await ledgerHeadResponder(inject('natsUrl'));
    expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(200);
  });

  it.each([
    ['GET', '/api/v1/does-not-exist', undefined, 404, 'NOT_FOUND'],
    ['DELETE', '/api/v1/events', undefined, 404, 'NOT_FOUND'],
    ['POST', '/health/live', '{"a":', 400, 'VALIDATION_FAILED'],
    ['POST', '/api/v1/check-ins', 'x'.repeat(2 << 20), 413, 'PAYLOAD_TOO_LARGE'],
  ])('answers %s %s with problem+json %i', async (method, path, body, status, code) => {
    const res = await fetch(`${gateway.url}${path}`, {
      method,
      ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
    });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status, code });
  });
});

describe('gateway readiness when a dependency is away', () => {
  let ledger: { close(): Promise<void> };
  beforeAll(async () => {
    ledger = await ledgerHeadResponder(inject('natsUrl'));
  });
  afterAll(async () => {
    await ledger.close();
  });

  it('is not ready, and says why, while PostgreSQL does not answer', async () => {
    const closedPort = await freePort();
    const gateway = await gatewayWith({
      DATABASE_URL: `postgresql://postgres@127.0.0.1:${closedPort}/nowhere`,
      NATS_URL: inject('natsUrl'),
    });
    try {
      expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
      const res = await fetch(`${gateway.url}/health/ready`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as {
        checks: { postgres: { ok: boolean; error?: string }; nats: { ok: boolean } };
      };
      expect(body.checks.postgres.ok).toBe(false);
      expect(body.checks.postgres.error).toMatch(/ECONNREFUSED|connect/);
      expect(body.checks.nats.ok).toBe(true);
    } finally {
      await gateway.close();
    }
  });

  it('is not ready while NATS is down, and ready again when it is back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-nats-'));
    const [port, monitorPort] = [await freePort(), await freePort()];
    const natsOptions = {
      storeDir: join(dir, 'js'),
      port,
      monitorPort,
      logFile: join(dir, 'nats.log'),
      pidFile: join(dir, 'nats.pid'),
      detached: false,
    };
    let nats: RunningNats = await startNats(natsOptions);
    // Everything started after the server is inside try, so a failed start cannot leak it.
    let gateway: RunningGateway | undefined;
    let ownLedger: Awaited<ReturnType<typeof ledgerHeadResponder>> | undefined;
    try {
      gateway = await gatewayWith({ DATABASE_URL: inject('postgresUrl'), NATS_URL: nats.url });
      ownLedger = await ledgerHeadResponder(nats.url);
      expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(200);
      await nats.stop();
      const down = await fetch(`${gateway.url}/health/ready`);
      expect(down.status).toBe(503);
      expect(((await down.json()) as { checks: { nats: { ok: boolean } } }).checks.nats.ok).toBe(
        false,
      );
      nats = await startNats(natsOptions);
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        status = (await fetch(`${gateway.url}/health/ready`)).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
    } finally {
      await gateway?.close();
      await ownLedger?.close();
      await nats.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
