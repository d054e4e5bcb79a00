// The ledger's NATS API against real servers: a round trip of each request, hostile input refused
// with clear codes and the log unchanged, codes kept across the wire, and the relay's output.
import type {} from '@hpe/test-kit/global-setup';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import { LedgerClient, ledgerSubjects, readWholeStream } from '@hpe/ledger-client';
import { closeNats, connectNats, eventSubject } from '@hpe/messaging';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { startLedgerService, type LedgerService } from '../service.js';
import {
  ledgerSettings,
  readEventsStream,
  startTestNats,
  type TestNats,
} from '../service.test-support.js';
import {
  newTestEvent,
  newTestEvents,
  uniqueStreamId,
} from '../storage/test-events.test-support.js';

let nats: TestNats;
let db: TestDatabase;
let service: LedgerService;
let nc: NatsConnection;
let client: LedgerClient;

beforeAll(async () => {
  nats = await startTestNats();
  db = await createTestDatabase(inject('postgresAdminUrl'), 'ledger_api');
  service = await startLedgerService(
    await ledgerSettings(db.url, nats.url, {
      LEDGER_MAX_EVENT_BYTES: '2048',
      LEDGER_MAX_EVENTS_PER_APPEND: '10',
    }),
  );
  nc = await connectNats({ servers: [nats.url], name: 'ledger-api-test' });
  client = new LedgerClient(nc, { timeoutMs: 5_000, retryNotLeaderForMs: 0 });
});

afterAll(async () => {
  await closeNats(nc);
  await service.close();
  await db.drop();
  await nats.stop();
});

async function raw(subject: string, body: string | Uint8Array): Promise<unknown> {
  const msg = await nc.request(subject, body, { timeout: 5_000 });
  return msg.json();
}

describe('ledger API round trip', () => {
  it('appends with every kind of expected revision and reads it back by stream, log and head', async () => {
    const streamId = uniqueStreamId();
    const first = await client.append({
      streamId,
      expectedRevision: 'no_stream',
      events: newTestEvents(streamId, 2),
    });
    expect(first).toMatchObject({ ok: true, value: { nextRevision: 1 } });
    const exact = await client.append({
      streamId,
      expectedRevision: 1,
      events: [newTestEvent(streamId)],
    });
    expect(exact).toMatchObject({ ok: true, value: { nextRevision: 2 } });
    const exists = await client.append({
      streamId,
      expectedRevision: 'stream_exists',
      events: [newTestEvent(streamId)],
    });
    expect(exists).toMatchObject({ ok: true, value: { nextRevision: 3 } });
    const any = await client.append({
      streamId,
      expectedRevision: 'any',
      events: [newTestEvent(streamId)],
    });
    expect(any.ok).toBe(true);
    if (!any.ok) return;

    const stream = await client.readStream(streamId);
    expect(stream.ok && stream.value.events.map((e) => e.streamRevision)).toEqual([0, 1, 2, 3, 4]);
    const page = await client.readStream(streamId, { fromRevision: 3, limit: 1 });
    expect(page).toMatchObject({ ok: true, value: { nextFrom: 4 } });
    expect(page.ok && page.value.events.map((e) => e.streamRevision)).toEqual([3]);

    const all = await client.readAll({ fromPosition: 1 });
    expect(all.ok).toBe(true);
    if (!all.ok) return;
    const last = all.value.events.at(-1);
    expect(last?.position).toBe(any.value.positions[1]);
    expect(all.value.nextFrom).toBeUndefined();

    const head = await client.head();
    expect(head).toEqual({ ok: true, value: { position: last?.position, hash: last?.hash } });
  });

  it('answers a retried append as a duplicate and writes nothing', async () => {
    const streamId = uniqueStreamId();
    const request = {
      streamId,
      expectedRevision: 'no_stream' as const,
      events: [newTestEvent(streamId)],
    };
    const once = await client.append(request);
    const again = await client.append(request);
    expect(once.ok && again.ok).toBe(true);
    if (!once.ok || !again.ok) return;
    expect(again.value).toEqual({ ...once.value, duplicate: true });
  });

  it('keeps STALE_REVISION with expected and actual across the wire', async () => {
    const streamId = uniqueStreamId();
    await client.append({
      streamId,
      expectedRevision: 'no_stream',
      events: [newTestEvent(streamId)],
    });
    const stale = await client.append({
      streamId,
      expectedRevision: 5,
      events: [newTestEvent(streamId)],
    });
    expect(stale).toMatchObject({
      ok: false,
      error: { code: 'STALE_REVISION', details: { expected: 5, actual: 0, streamId } },
    });
    const noStream = await client.append({
      streamId,
      expectedRevision: 'no_stream',
      events: [newTestEvent(streamId)],
    });
    expect(noStream).toMatchObject({
      ok: false,
      error: { code: 'STALE_REVISION', details: { expected: 'no_stream', actual: 0 } },
    });
  });

  it('relays every event to EVENTS in position order, with msg id and position', async () => {
    const head = await client.head();
    if (!head.ok) throw new Error(head.error.message);
    await vi.waitFor(
      () => expect(service.relayStatus().relayedPosition).toBe(head.value.position),
      {
        timeout: 10_000,
      },
    );
    const messages = await readEventsStream(nc);
    const all = await client.readAll();
    if (!all.ok) throw new Error(all.error.message);
    expect(messages.map((m) => m.position)).toEqual(all.value.events.map((e) => e.position));
    for (const [i, event] of all.value.events.entries()) {
      const message = messages[i];
      expect(message?.msgId).toBe(event.eventId);
      expect(message?.eventId).toBe(event.eventId);
      expect(message?.subject).toBe(eventSubject('incident', event.streamId));
    }
    const ready = (await (await fetch(`${service.healthUrl}/health/ready`)).json()) as {
      role: string;
      relay: { lag: number; relayedPosition: number };
    };
    expect(ready).toMatchObject({
      role: 'leader',
      relay: { lag: 0, relayedPosition: head.value.position },
    });
  });
});

describe('many appends and reads in one request', () => {
  it('answers each append of a batch alone: a stale one fails, the others commit together', async () => {
    const [a, b, c] = [uniqueStreamId(), uniqueStreamId(), uniqueStreamId()];
    await client.append({ streamId: b, expectedRevision: 'no_stream', events: [newTestEvent(b)] });
    const before = await client.head();
    if (!before.ok) throw new Error('head');
    const results = await client.appendMany([
      { streamId: a, expectedRevision: 'no_stream', events: newTestEvents(a, 2) },
      { streamId: b, expectedRevision: 'no_stream', events: [newTestEvent(b)] },
      { streamId: c, expectedRevision: 'any', events: [newTestEvent(c)] },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'ok',
      'STALE_REVISION',
      'ok',
    ]);
    expect(results[1]).toMatchObject({ error: { details: { expected: 'no_stream', actual: 0 } } });
    const after = await client.head();
    expect(after.ok && after.value.position).toBe(before.value.position + 3);
    const pages = await client.readStreams([a, b, c, uniqueStreamId()]);
    expect(pages.map((p) => (p.ok ? p.value.events.length : p.error.code))).toEqual([2, 1, 1, 0]);
  });

  it('gathers concurrent appends and first reads into batched requests without changing answers', async () => {
    const streams = Array.from({ length: 40 }, () => uniqueStreamId());
    const servedBefore = service.served();
    const appended = await Promise.all(
      streams.map((streamId) =>
        client.append({
          streamId,
          expectedRevision: 'no_stream',
          events: [newTestEvent(streamId)],
        }),
      ),
    );
    expect(appended.every((r) => r.ok && r.value.nextRevision === 0)).toBe(true);
    const read = await Promise.all(streams.map((streamId) => client.readStream(streamId)));
    expect(read.every((r) => r.ok && r.value.events.length === 1)).toBe(true);
    expect(read.map((r) => r.ok && r.value.events[0]?.streamId)).toEqual(streams);
    const served = service.served();
    expect(served.appendMany - servedBefore.appendMany).toBeGreaterThanOrEqual(1);
    expect(served.append - servedBefore.append).toBeLessThan(40);
    expect(served.readStreams - servedBefore.readStreams).toBeGreaterThanOrEqual(1);
    // A read from an explicit revision (reading on after a cut page) always goes alone.
    const onward = await Promise.all(
      streams.slice(0, 5).map((streamId) => client.readStream(streamId, { fromRevision: 0 })),
    );
    expect(onward.every((r) => r.ok && r.value.events.length === 1)).toBe(true);
    expect(service.served().readStreams).toBe(served.readStreams);
    expect(service.served().readStream - served.readStream).toBe(5);
  });

  it('refuses a hostile append inside a batch alone and commits the rest', async () => {
    const good = uniqueStreamId();
    const reply = (await raw(
      ledgerSubjects.appendMany,
      JSON.stringify({
        appends: [
          { streamId: good, expectedRevision: 'any', events: [newTestEvent(good)] },
          { streamId: 42, expectedRevision: 'any', events: [] },
          'not an append',
          { streamId: good, expectedRevision: 'latest', events: [newTestEvent(good)] },
        ],
      }),
    )) as { ok: true; value: { results: { ok: boolean; error?: { code: string } }[] } };
    expect(reply.ok).toBe(true);
    expect(reply.value.results.map((r) => (r.ok ? 'ok' : r.error?.code))).toEqual([
      'ok',
      'VALIDATION_FAILED',
      'VALIDATION_FAILED',
      'UNKNOWN_EXPECTED_REVISION',
    ]);
    const stream = await readWholeStream(client, good);
    expect(stream.ok && stream.value.length).toBe(1);
  });

  it('reads a stream longer than a page whole: the batched first page says where to go on', async () => {
    const long = uniqueStreamId();
    const small = uniqueStreamId();
    // 1,005 events (the read page is 1,000), ten per append.
    const appended = await client.appendMany(
      Array.from({ length: 100 }, (_, i) => ({
        streamId: long,
        expectedRevision: i === 0 ? ('no_stream' as const) : ('stream_exists' as const),
        events: newTestEvents(long, 10),
      })),
    );
    expect(appended.every((r) => r.ok)).toBe(true);
    await client.append({
      streamId: long,
      expectedRevision: 'any',
      events: newTestEvents(long, 5),
    });
    await client.append({
      streamId: small,
      expectedRevision: 'any',
      events: [newTestEvent(small)],
    });
    const [longPage, smallPage] = await client.readStreams([long, small]);
    expect(longPage?.ok && longPage.value.events.length).toBe(1_000);
    expect(longPage?.ok && longPage.value.nextFrom).toBe(1_000);
    expect(smallPage?.ok && smallPage.value).toMatchObject({ events: [{ streamId: small }] });
    const whole = await readWholeStream(client, long);
    expect(whole.ok && whole.value.map((e) => e.streamRevision)).toEqual(
      Array.from({ length: 1_005 }, (_, i) => i),
    );
  });
});

describe('hostile input over NATS', () => {
  const streamId = uniqueStreamId();
  const valid = (overrides: Record<string, unknown> = {}): string =>
    JSON.stringify({
      streamId,
      expectedRevision: 'any',
      events: [newTestEvent(streamId)],
      ...overrides,
    });
  const cases: [string, string, string | Uint8Array, string][] = [
    ['malformed JSON', ledgerSubjects.append, '{"streamId": ', 'VALIDATION_FAILED'],
    [
      'binary garbage',
      ledgerSubjects.append,
      new Uint8Array([0xff, 0xfe, 0, 1, 2]),
      'VALIDATION_FAILED',
    ],
    ['an empty body', ledgerSubjects.append, '', 'VALIDATION_FAILED'],
    ['a JSON array', ledgerSubjects.append, '[1,2]', 'VALIDATION_FAILED'],
    ['a number streamId', ledgerSubjects.append, valid({ streamId: 42 }), 'VALIDATION_FAILED'],
    ['events as an object', ledgerSubjects.append, valid({ events: {} }), 'VALIDATION_FAILED'],
    [
      'an event with a string schemaVersion',
      ledgerSubjects.append,
      valid({ events: [{ ...newTestEvent(streamId), schemaVersion: '1' }] }),
      'VALIDATION_FAILED',
    ],
    ['an extra field', ledgerSubjects.append, valid({ force: true }), 'VALIDATION_FAILED'],
    ['an empty append', ledgerSubjects.append, valid({ events: [] }), 'EMPTY_APPEND'],
    [
      'eleven events (limit 10)',
      ledgerSubjects.append,
      valid({ events: newTestEvents(streamId, 11) }),
      'TOO_MANY_EVENTS',
    ],
    [
      'an oversized event (limit 2048 bytes)',
      ledgerSubjects.append,
      valid({ events: [newTestEvent(streamId, { blob: 'x'.repeat(3_000) })] }),
      'EVENT_TOO_LARGE',
    ],
    [
      'expectedRevision "latest"',
      ledgerSubjects.append,
      valid({ expectedRevision: 'latest' }),
      'UNKNOWN_EXPECTED_REVISION',
    ],
    [
      'expectedRevision -1',
      ledgerSubjects.append,
      valid({ expectedRevision: -1 }),
      'UNKNOWN_EXPECTED_REVISION',
    ],
    [
      'expectedRevision 1.5',
      ledgerSubjects.append,
      valid({ expectedRevision: 1.5 }),
      'UNKNOWN_EXPECTED_REVISION',
    ],
    [
      'a stream id too long for a subject',
      ledgerSubjects.append,
      JSON.stringify({
        streamId: `incident-${'a'.repeat(150)}`,
        expectedRevision: 'any',
        events: [newTestEvent(`incident-${'a'.repeat(150)}`)],
      }),
      'VALIDATION_FAILED',
    ],
    ['read.stream without a streamId', ledgerSubjects.readStream, '{}', 'VALIDATION_FAILED'],
    [
      'read.stream with a bad streamId',
      ledgerSubjects.readStream,
      '{"streamId":"../etc"}',
      'VALIDATION_FAILED',
    ],
    ['read.stream garbage', ledgerSubjects.readStream, 'garbage', 'VALIDATION_FAILED'],
    [
      'read.all with a negative position',
      ledgerSubjects.readAll,
      '{"fromPosition":-4}',
      'VALIDATION_FAILED',
    ],
    ['read.all with a string limit', ledgerSubjects.readAll, '{"limit":"10"}', 'VALIDATION_FAILED'],
    [
      'read.all beyond the page size',
      ledgerSubjects.readAll,
      '{"limit":5000}',
      'VALIDATION_FAILED',
    ],
    ['head with a body', ledgerSubjects.head, '[1]', 'VALIDATION_FAILED'],
    ['append.many garbage', ledgerSubjects.appendMany, '{"appends": [', 'VALIDATION_FAILED'],
    ['append.many as an array', ledgerSubjects.appendMany, `[${valid()}]`, 'VALIDATION_FAILED'],
    [
      'append.many with no appends',
      ledgerSubjects.appendMany,
      '{"appends":[]}',
      'VALIDATION_FAILED',
    ],
    [
      'append.many appends as an object',
      ledgerSubjects.appendMany,
      '{"appends":{}}',
      'VALIDATION_FAILED',
    ],
    [
      'append.many with an extra field',
      ledgerSubjects.appendMany,
      `{"appends":[${valid()}],"force":true}`,
      'VALIDATION_FAILED',
    ],
    [
      'append.many with 1,001 appends',
      ledgerSubjects.appendMany,
      `{"appends":[${Array.from({ length: 1_001 }, () => valid()).join(',')}]}`,
      'VALIDATION_FAILED',
    ],
    ['read.streams with no reads', ledgerSubjects.readStreams, '{"reads":[]}', 'VALIDATION_FAILED'],
    [
      'read.streams with a bad streamId',
      ledgerSubjects.readStreams,
      '{"reads":[{"streamId":"../etc"}]}',
      'VALIDATION_FAILED',
    ],
    ['read.streams garbage', ledgerSubjects.readStreams, '[', 'VALIDATION_FAILED'],
  ];

  it.each(cases)(
    'refuses %s with a coded error and leaves the log unchanged',
    async (_name, subject, body, code) => {
      const before = await client.head();
      const reply = (await raw(subject, body)) as {
        ok: boolean;
        error?: { code: string; message: string };
      };
      expect(reply.ok).toBe(false);
      expect(reply.error?.code).toBe(code);
      expect(reply.error?.message.length).toBeGreaterThan(0);
      expect(await client.head()).toEqual(before);
    },
  );

  it('refuses through the client too, keeping the codes', async () => {
    const tooBig = await client.append({
      streamId,
      expectedRevision: 'any',
      events: [newTestEvent(streamId, { blob: 'x'.repeat(3_000) })],
    });
    expect(tooBig).toMatchObject({
      ok: false,
      error: { code: 'EVENT_TOO_LARGE', details: { limit: 2048 } },
    });
    // More than NATS carries at all: refused before it is sent.
    const huge = await client.append({
      streamId,
      expectedRevision: 'any',
      events: [newTestEvent(streamId, { blob: 'x'.repeat(9 * 1024 * 1024) })],
    });
    expect(huge).toMatchObject({ ok: false, error: { code: 'APPEND_TOO_LARGE' } });
    const badRead = await client.readAll({ limit: 5_000 });
    expect(badRead).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('keeps serving after all of that', async () => {
    const ok = await client.append({
      streamId,
      expectedRevision: 'any',
      events: [newTestEvent(streamId)],
    });
    expect(ok.ok).toBe(true);
  });
});
