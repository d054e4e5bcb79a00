import type {} from '@hpe/test-kit/global-setup';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startNats, type NatsOptions, type RunningNats } from '@hpe/embedded';
import type { LogSink } from '@hpe/telemetry';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { closeNats, connectNats, NatsLifecycle } from './connect-nats.js';

interface Entry {
  readonly level: keyof LogSink;
  readonly fields: Record<string, unknown>;
  readonly message: string | undefined;
}

function recordingLog(): LogSink & { entries: Entry[]; messages(): string[] } {
  const entries: Entry[] = [];
  const at =
    (level: keyof LogSink) =>
    (fields: object, message?: string): void => {
      entries.push({ level, fields: fields as Record<string, unknown>, message });
    };
  return {
    entries,
    messages: () => entries.map((e) => e.message ?? ''),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

describe('connectNats against the run’s nats-server', () => {
  it('connects under the app’s name and drains on close, handling what was in flight', async () => {
    const log = recordingLog();
    const name = `messaging-test-${process.pid}`;
    const nc = await connectNats({ servers: [inject('natsUrl')], name, log });
    expect(log.messages()).toContain('NATS connected');

    const connz = (await (await fetch(`${inject('natsMonitorUrl')}/connz`)).json()) as {
      connections: { name?: string }[];
    };
    expect(connz.connections.map((c) => c.name)).toContain(name);

    // Draining delivers every message already on its way to a subscription before closing (it
    // does not await async work a callback starts: that is the app's to finish).
    const handled: number[] = [];
    nc.subscribe('messaging.test.drain', {
      callback: (_err, msg) => {
        handled.push(msg.json<number>());
      },
    });
    await nc.flush();
    for (let i = 0; i < 500; i++) nc.publish('messaging.test.drain', JSON.stringify(i));

    await closeNats(nc);
    expect(nc.isClosed()).toBe(true);
    expect(handled).toEqual([...Array(500).keys()]);
    await closeNats(nc); // a second call is harmless
    await vi.waitFor(() => expect(log.messages()).toContain('NATS connection closed'));
  });

  it('logs a disconnect and the reconnect that follows', async () => {
    const log = recordingLog();
    const nc = await connectNats({
      servers: [inject('natsUrl')],
      name: 'messaging-test-reconnect',
      reconnectTimeWaitMs: 50,
      log,
    });
    await nc.reconnect();
    await vi.waitFor(() => expect(log.messages()).toContain('NATS reconnected'));
    expect(log.entries.find((e) => e.message === 'NATS disconnected; reconnecting')?.level).toBe(
      'warn',
    );
    await expect(nc.request('$JS.API.INFO', undefined, { timeout: 2_000 })).resolves.toBeDefined();
    await closeNats(nc);
  });

  it('fails fast when no server answers at start', async () => {
    const port = await freePort();
    await expect(
      connectNats({ servers: [`nats://127.0.0.1:${port}`], name: 'nobody-home' }),
    ).rejects.toThrow();
  });

  it('gives NestJS an onApplicationShutdown that drains', async () => {
    const lifecycle = await NatsLifecycle.start({
      servers: [inject('natsUrl')],
      name: 'messaging-test-lifecycle',
    });
    expect(lifecycle.connection.isClosed()).toBe(false);
    await lifecycle.onApplicationShutdown();
    expect(lifecycle.connection.isClosed()).toBe(true);
  });
});

describe('connectNats when its own server goes away', () => {
  let dir: string;
  let options: NatsOptions;
  let server: RunningNats | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hpe-messaging-'));
    options = {
      storeDir: join(dir, 'store'),
      port: await freePort(),
      monitorPort: await freePort(),
      logFile: join(dir, 'nats.log'),
      pidFile: join(dir, 'nats.pid'),
      detached: false,
    };
    server = await startNats(options);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps reconnecting past the client’s default 10 attempts, then resumes', async () => {
    const log = recordingLog();
    const nc = await connectNats({
      servers: [`nats://127.0.0.1:${options.port}`],
      name: 'messaging-test-outage',
      reconnectTimeWaitMs: 20,
      log,
    });
    await server?.stop();
    server = undefined;
    await vi.waitFor(
      () => {
        const attempts = log.entries.filter((e) => e.fields.status === 'reconnecting').length;
        expect(attempts).toBeGreaterThan(12);
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(nc.isClosed()).toBe(false);

    server = await startNats(options);
    await vi.waitFor(() => expect(log.messages()).toContain('NATS reconnected'), {
      timeout: 15_000,
      interval: 50,
    });
    await expect(nc.flush()).resolves.toBeUndefined();
    await closeNats(nc);
  });

  it('closes within its timeout when the server is gone and draining cannot finish', async () => {
    if (server === undefined) server = await startNats(options);
    const log = recordingLog();
    const nc = await connectNats({
      servers: [`nats://127.0.0.1:${options.port}`],
      name: 'messaging-test-stranded',
      reconnectTimeWaitMs: 20,
      log,
    });
    nc.subscribe('messaging.test.stranded', { callback: () => undefined });
    await nc.flush();
    await server.stop();
    server = undefined;
    await vi.waitFor(() => expect(log.messages()).toContain('NATS disconnected; reconnecting'));

    const started = performance.now();
    await closeNats(nc, { timeoutMs: 300, log });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(nc.isClosed()).toBe(true);
  });
});
