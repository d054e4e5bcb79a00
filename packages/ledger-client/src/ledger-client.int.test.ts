// The client against a real nats-server and responders that answer as a ledger would (or would
// not): codes and details survive the wire, NOT_LEADER is retried, broken replies are named.
import type {} from '@hpe/test-kit/global-setup';
import { connect, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { startTelemetry, withSpan } from '@hpe/telemetry';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { LedgerClient } from './ledger-client.js';
import { ledgerQueues, ledgerSubjects, type AppendRequest } from './wire.js';

let nc: NatsConnection;
const subs: Subscription[] = [];

beforeAll(async () => {
  nc = await connect({ servers: [inject('natsUrl')], name: 'ledger-client-test' });
});
afterEach(async () => {
  for (const s of subs.splice(0)) s.unsubscribe();
  await nc.flush();
});
afterAll(async () => {
  await nc.drain();
});

async function respond(subject: string, answer: (msg: Msg) => string | undefined): Promise<void> {
  subs.push(
    nc.subscribe(subject, {
      queue: ledgerQueues.writers,
      callback: (_e, msg) => {
        const body = answer(msg);
        if (body !== undefined) msg.respond(body);
      },
    }),
  );
  await nc.flush();
}

const streamId = 'incident-client-test';
const request: AppendRequest = { streamId, expectedRevision: 3, events: [] };

describe('LedgerClient', () => {
  it('keeps an error code and its details across the wire', async () => {
    await respond(ledgerSubjects.append, () =>
      JSON.stringify({
        ok: false,
        error: {
          code: 'STALE_REVISION',
          message: 'stream is at revision 7',
          details: { streamId, expected: 3, actual: 7 },
        },
      }),
    );
    const result = await new LedgerClient(nc).append(request);
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'STALE_REVISION',
        message: 'stream is at revision 7',
        details: { streamId, expected: 3, actual: 7 },
      },
    });
  });

  it('sends the request as JSON and returns the parsed success', async () => {
    let seen: unknown;
    await respond(ledgerSubjects.append, (msg) => {
      seen = msg.json();
      return JSON.stringify({
        ok: true,
        value: { positions: [4, 4], nextRevision: 4, eventIds: ['x'] },
      });
    });
    const result = await new LedgerClient(nc).append(request);
    expect(result).toEqual({
      ok: true,
      value: { positions: [4, 4], nextRevision: 4, eventIds: ['x'] },
    });
    expect(seen).toEqual(request);
  });

  it('carries the caller’s W3C trace context in the request headers', async () => {
    const telemetry = startTelemetry({ serviceName: 'ledger-client-test' });
    try {
      let traceparent = '';
      await respond(ledgerSubjects.head, (msg) => {
        traceparent = msg.headers?.get('traceparent') ?? '';
        return JSON.stringify({ ok: true, value: { position: 0, hash: '0'.repeat(64) } });
      });
      const traceId = await withSpan('caller', {}, async (span) => {
        expect((await new LedgerClient(nc).head()).ok).toBe(true);
        return span.spanContext().traceId;
      });
      expect(traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
    } finally {
      await telemetry.shutdown();
    }
  });

  it('retries NOT_LEADER until the time allowed, then gives the last answer', async () => {
    let calls = 0;
    await respond(ledgerSubjects.append, () => {
      calls += 1;
      return JSON.stringify({ ok: false, error: { code: 'NOT_LEADER', message: 'standby' } });
    });
    const once = await new LedgerClient(nc, { retryNotLeaderForMs: 0 }).append(request);
    expect(once).toMatchObject({ ok: false, error: { code: 'NOT_LEADER' } });
    expect(calls).toBe(1);
    const patient = await new LedgerClient(nc, { retryNotLeaderForMs: 500 }).append(request);
    expect(patient).toMatchObject({ ok: false, error: { code: 'NOT_LEADER' } });
    expect(calls).toBeGreaterThan(2);
  });

  it('says LEDGER_UNAVAILABLE when nobody listens or nobody answers in time', async () => {
    const none = await new LedgerClient(nc, { retryNotLeaderForMs: 0 }).head();
    expect(none).toMatchObject({
      ok: false,
      error: { code: 'LEDGER_UNAVAILABLE', details: { noResponders: true } },
    });
    await respond(ledgerSubjects.head, () => undefined);
    const silent = await new LedgerClient(nc, { timeoutMs: 200 }).head();
    expect(silent).toMatchObject({
      ok: false,
      error: { code: 'LEDGER_UNAVAILABLE', details: { timeout: true } },
    });
  });

  it.each([
    ['not JSON', 'oops'],
    ['an unknown code', JSON.stringify({ ok: false, error: { code: 'NOPE', message: 'x' } })],
    ['a wrong value', JSON.stringify({ ok: true, value: { position: -1, hash: 'abc' } })],
    ['no ok field', JSON.stringify({ value: { position: 0 } })],
  ])('calls a reply with %s a PROTOCOL_ERROR', async (_name, body) => {
    await respond(ledgerSubjects.head, () => body);
    const result = await new LedgerClient(nc).head();
    expect(result).toMatchObject({ ok: false, error: { code: 'PROTOCOL_ERROR' } });
  });

  it('refuses an append larger than NATS carries before sending it', async () => {
    let calls = 0;
    await respond(ledgerSubjects.append, () => {
      calls += 1;
      return undefined;
    });
    const huge = await new LedgerClient(nc).append({
      ...request,
      events: [
        {
          eventId: '01890a5d-ac96-774b-bcce-b302099a8057',
          type: 'IncidentReported',
          schemaVersion: 1,
          streamId,
          data: { blob: 'x'.repeat(9 * 1024 * 1024) },
          metadata: {
            occurredAt: '2026-03-15T09:30:00+07:00',
            actor: { id: 'reporter-1', role: 'reporter' },
            correlationId: 'c-1',
          },
        },
      ],
    });
    expect(huge).toMatchObject({ ok: false, error: { code: 'APPEND_TOO_LARGE' } });
    expect(calls).toBe(0);
  });
});
