import type {} from '@hpe/test-kit/global-setup';
import {
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { headers, nanos, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { closeNats, connectNats } from './connect-nats.js';
import { eventSubject } from './event-subject.js';
import {
  ensureEventsStream,
  eventsStreamConfig,
  eventsStreamName,
  StreamConfigConflictError,
} from './events-stream.js';
import { ledgerPositionHeader, natsMsgIdHeader } from './relay-headers.js';

let nc: NatsConnection;
let jsm: JetStreamManager;
let js: JetStreamClient;

beforeAll(async () => {
  nc = await connectNats({ servers: [inject('natsUrl')], name: 'messaging-events-stream-test' });
  jsm = await jetstreamManager(nc);
  js = jetstream(nc);
});
afterAll(() => closeNats(nc));

// Every test starts with no EVENTS stream (deny_delete guards messages, not the stream itself).
beforeEach(async () => {
  const names: string[] = [];
  for await (const name of jsm.streams.names()) names.push(name);
  if (names.includes(eventsStreamName)) await jsm.streams.delete(eventsStreamName);
});

/** Publishes one event the way the ledger relay does. */
function publishEvent(eventId: string, position: number, streamId = 'turnout-HP-0001') {
  const h = headers();
  h.set(natsMsgIdHeader, eventId);
  h.set(ledgerPositionHeader, String(position));
  return js.publish(eventSubject('turnout', streamId), JSON.stringify({ eventId, position }), {
    headers: h,
  });
}

async function messageCount(): Promise<number> {
  return (await jsm.streams.info(eventsStreamName)).state.messages;
}

describe('ensureEventsStream', () => {
  it('creates EVENTS as declared, then reports it unchanged', async () => {
    expect(await ensureEventsStream(jsm)).toBe('created');
    expect(await ensureEventsStream(jsm)).toBe('unchanged');

    const { config } = await jsm.streams.info(eventsStreamName);
    expect(config.subjects).toEqual(['events.>']);
    expect(config).toMatchObject({
      storage: 'file',
      retention: 'limits',
      discard: 'old',
      duplicate_window: nanos(120_000),
      deny_delete: true,
      deny_purge: true,
      allow_rollup_hdrs: false,
      max_msg_size: 1024 * 1024,
      max_age: 0,
      max_msgs: -1,
      max_bytes: -1,
      num_replicas: 1,
    });
  });

  it('updates a stream that drifted from the declaration, keeping its events', async () => {
    await jsm.streams.add({
      name: eventsStreamName,
      subjects: ['events.turnout.>'],
      storage: 'file',
      duplicate_window: nanos(10_000),
      max_msg_size: 2048,
      deny_delete: false,
      deny_purge: false,
    });
    await publishEvent('e-1', 1);

    const log: { fields: object; message: string | undefined }[] = [];
    const record = (fields: object, message?: string) => log.push({ fields, message });
    const sink = { debug: record, info: record, warn: record, error: record };
    expect(await ensureEventsStream(jsm, { log: sink })).toBe('updated');
    expect(await ensureEventsStream(jsm)).toBe('unchanged');

    const info = await jsm.streams.info(eventsStreamName);
    expect(info.config.subjects).toEqual(['events.>']);
    expect(info.config.duplicate_window).toBe(nanos(120_000));
    expect(info.config.deny_delete).toBe(true);
    expect(info.config.deny_purge).toBe(true);
    expect(info.state.messages).toBe(1);
    expect(log).toContainEqual({
      message: 'stream updated to its declaration',
      fields: expect.objectContaining({
        fields: expect.arrayContaining(['subjects', 'duplicate_window', 'deny_delete']),
      }),
    });
  });

  it('refuses, naming the field, when the storage differs (fixed at creation)', async () => {
    await jsm.streams.add({ ...eventsStreamConfig, subjects: ['events.>'], storage: 'memory' });
    const attempt = ensureEventsStream(jsm);
    await expect(attempt).rejects.toBeInstanceOf(StreamConfigConflictError);
    await expect(attempt).rejects.toThrow(
      /cannot change storage: storage is "memory", declared "file"/,
    );
    expect((await jsm.streams.info(eventsStreamName)).config.storage).toBe('memory');
  });

  it('refuses, naming the field, when the retention differs', async () => {
    await jsm.streams.add({ ...eventsStreamConfig, subjects: ['events.>'], retention: 'interest' });
    await expect(ensureEventsStream(jsm)).rejects.toThrow(/cannot change retention/);
  });

  it('two services starting at once both succeed and make one stream', async () => {
    const other = await connectNats({ servers: [inject('natsUrl')], name: 'second-service' });
    try {
      const outcomes = await Promise.all([
        ensureEventsStream(jsm),
        ensureEventsStream(await jetstreamManager(other)),
      ]);
      for (const outcome of outcomes) expect(['created', 'unchanged']).toContain(outcome);
      expect(await ensureEventsStream(jsm)).toBe('unchanged');
    } finally {
      await closeNats(other);
    }
  });

  it('explains that a standalone server cannot hold 3 replicas', async () => {
    await expect(ensureEventsStream(jsm, { replicas: 3 })).rejects.toThrow(
      /create refused.*replicas > 1 not supported in non-clustered mode/,
    );
  });
});

describe('the EVENTS stream on the server', () => {
  beforeEach(async () => {
    await ensureEventsStream(jsm);
  });

  it('stores one message when the same Nats-Msg-Id is published twice in the window', async () => {
    const first = await publishEvent('0193a7c0-0000-7000-8000-000000000001', 1);
    const again = await publishEvent('0193a7c0-0000-7000-8000-000000000001', 1);
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.seq).toBe(first.seq);
    await publishEvent('0193a7c0-0000-7000-8000-000000000002', 2);
    expect(await messageCount()).toBe(2);

    const stored = await jsm.streams.getMessage(eventsStreamName, { seq: first.seq });
    expect(stored?.subject).toBe('events.turnout.turnout-HP-0001');
    expect(stored?.header.get(ledgerPositionHeader)).toBe('1');
    expect(stored?.header.get(natsMsgIdHeader)).toBe('0193a7c0-0000-7000-8000-000000000001');
  });

  it('refuses to delete a message or purge the stream', async () => {
    await publishEvent('e-1', 1);
    await publishEvent('e-2', 2, 'turnout-HP-0002');

    await expect(jsm.streams.deleteMessage(eventsStreamName, 1)).rejects.toThrow(
      /message delete not permitted/,
    );
    await expect(jsm.streams.deleteMessage(eventsStreamName, 1, false)).rejects.toBeInstanceOf(
      JetStreamApiError,
    );
    await expect(jsm.streams.purge(eventsStreamName)).rejects.toThrow(/purge not permitted/);
    await expect(
      jsm.streams.purge(eventsStreamName, { filter: 'events.turnout.turnout-HP-0002' }),
    ).rejects.toThrow(/purge not permitted/);
    await expect(jsm.streams.purge(eventsStreamName, { keep: 1 })).rejects.toThrow(
      /purge not permitted/,
    );
    expect(await messageCount()).toBe(2);
  });

  it('refuses a roll-up that would replace earlier events', async () => {
    await publishEvent('e-1', 1);
    const h = headers();
    h.set('Nats-Rollup', 'sub');
    await expect(
      js.publish(eventSubject('turnout', 'turnout-HP-0001'), 'x', { headers: h }),
    ).rejects.toThrow(/rollup/i);
    expect(await messageCount()).toBe(1);
  });

  it('captures events.> and nothing else', async () => {
    await publishEvent('e-1', 1);
    expect(await jsm.streams.find('events.incident.incident-42')).toBe(eventsStreamName);
    await expect(jsm.streams.find('ledger.append')).rejects.toThrow();
  });

  it('refuses a message larger than one event may be', async () => {
    const big = new Uint8Array(1024 * 1024 + 1);
    await expect(
      js.publish(eventSubject('turnout', 'turnout-HP-0001'), big, { msgID: 'too-big' }),
    ).rejects.toThrow(/maximum message size|message size exceeds/i);
    expect(await messageCount()).toBe(0);
  });
});
