// The relay against real servers: it resumes from what EVENTS holds after a restart, publishing
// events committed but never relayed, skipping those already there: nothing missing, nothing twice.
import type { RecordedEvent } from '@hpe/domain';
import type {} from '@hpe/test-kit/global-setup';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import { LedgerClient } from '@hpe/ledger-client';
import { closeNats, connectNats, eventSubject, ledgerPositionHeader } from '@hpe/messaging';
import { jetstream } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { startLedgerService } from '../service.js';
import {
  ledgerSettings,
  readEventsStream,
  startTestNats,
  type TestNats,
} from '../service.test-support.js';
import { ledgerDatabaseUrl } from '../settings.js';
import { PostgresEventStore } from '../storage/postgres-event-store.js';
import { newTestEvents, uniqueStreamId } from '../storage/test-events.test-support.js';

let nats: TestNats;
let db: TestDatabase;
let nc: NatsConnection;

beforeEach(async () => {
  nats = await startTestNats();
  db = await createTestDatabase(inject('postgresAdminUrl'), 'ledger_relay');
  nc = await connectNats({ servers: [nats.url], name: 'relay-test' });
});
afterEach(async () => {
  await closeNats(nc);
  await db.drop();
  await nats.stop();
});

async function logEventIds(): Promise<string[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ event_id: string }>(
      'SELECT event_id FROM ledger.events ORDER BY position',
    );
    return rows.map((r) => r.event_id);
  } finally {
    await client.end();
  }
}

describe('JetStream relay', () => {
  it('resumes after a restart without gaps or duplicates', async () => {
    const settings = await ledgerSettings(db.url, nats.url);
    const first = await startLedgerService(settings);
    const client = new LedgerClient(nc);
    for (let i = 0; i < 6; i++) {
      const streamId = uniqueStreamId(i % 2 === 0 ? 'incident' : 'turnout');
      const r = await client.append({
        streamId,
        expectedRevision: 'no_stream',
        events: newTestEvents(streamId, 5),
      });
      expect(r.ok).toBe(true);
    }
    await vi.waitFor(() => expect(first.relayStatus().relayedPosition).toBe(30));
    await first.close();

    // Committed while no relay ran (a crash between commit and publish): positions 31..50.
    const store = new PostgresEventStore({ connectionString: ledgerDatabaseUrl(settings) });
    const streamId = uniqueStreamId();
    expect(
      (
        await store.appendToStream({
          streamId,
          expectedRevision: 'no_stream',
          events: newTestEvents(streamId, 20),
        })
      ).ok,
    ).toBe(true);
    // …of which 31..35 reached EVENTS before the crash, published as the relay does.
    const js = jetstream(nc);
    for (const event of await store.readAll({ fromPosition: 31, limit: 5 })) {
      const h = headers();
      h.set(ledgerPositionHeader, String(event.position));
      await js.publish(eventSubject('incident', event.streamId), JSON.stringify(event), {
        msgID: event.eventId,
        headers: h,
      });
    }
    await store.close();

    const second = await startLedgerService(await ledgerSettings(db.url, nats.url));
    try {
      await vi.waitFor(() => expect(second.relayStatus().relayedPosition).toBe(50), {
        timeout: 10_000,
      });
      const messages = await readEventsStream(nc);
      const ids = await logEventIds();
      expect(messages.map((m) => m.position)).toEqual(ids.map((_, i) => i + 1));
      expect(messages.map((m) => m.msgId)).toEqual(ids);
      expect(messages.map((m) => m.eventId)).toEqual(ids);
      expect(messages.map((m) => m.seq)).toEqual(ids.map((_, i) => i + 1));
      expect(messages.filter((m) => m.subject.startsWith('events.turnout.'))).toHaveLength(15);
    } finally {
      await second.close();
    }
  });

  it('follows commits as they happen and reports its lag as zero once caught up', async () => {
    const service = await startLedgerService(await ledgerSettings(db.url, nats.url));
    try {
      const client = new LedgerClient(nc);
      const results = await Promise.all(
        Array.from({ length: 40 }, async () => {
          const streamId = uniqueStreamId();
          return client.append({
            streamId,
            expectedRevision: 'no_stream',
            events: newTestEvents(streamId, 3),
          });
        }),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      await vi.waitFor(
        () => expect(service.relayStatus()).toMatchObject({ relayedPosition: 120, lag: 0 }),
        {
          timeout: 10_000,
        },
      );
      const messages = await readEventsStream(nc);
      expect(messages.map((m) => m.msgId)).toEqual(await logEventIds());
    } finally {
      await service.close();
    }
  });
});

describe('PostgresEventStore.onCommitted', () => {
  it('hands each committed batch over in position order, as the table holds it', async () => {
    const settings = await ledgerSettings(db.url, nats.url);
    // The service installs the schema; its store is the one whose commits are watched.
    const service = await startLedgerService(settings);
    try {
      const seen: RecordedEvent[][] = [];
      const stop = service.store.onCommitted((events) => seen.push([...events]));
      const streams = Array.from({ length: 25 }, () => uniqueStreamId());
      // Issued together, so they share batches; a stale one commits nothing and is not reported.
      const results = await Promise.all([
        ...streams.map((streamId) =>
          service.store.appendToStream({
            streamId,
            expectedRevision: 'no_stream',
            events: newTestEvents(streamId, 2),
          }),
        ),
        service.store.appendToStream({
          streamId: uniqueStreamId(),
          expectedRevision: 3,
          events: newTestEvents(uniqueStreamId(), 1),
        }),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(25);
      stop();
      const flat = seen.flat();
      expect(flat).toEqual(await service.store.readAll({ fromPosition: 1 }));
      expect(flat.map((e) => e.position)).toEqual(flat.map((_, i) => i + 1));
      expect(seen.length).toBeLessThan(25);
    } finally {
      await service.close();
    }
  });
});

describe('JetStream relay when NATS goes away', () => {
  it('retries what it could not publish and loses nothing, doubles nothing', async () => {
    const service = await startLedgerService(await ledgerSettings(db.url, nats.url));
    try {
      const client = new LedgerClient(nc);
      const streamId = uniqueStreamId();
      expect(
        (
          await client.append({
            streamId,
            expectedRevision: 'no_stream',
            events: newTestEvents(streamId, 10),
          })
        ).ok,
      ).toBe(true);
      await vi.waitFor(() => expect(service.relayStatus().relayedPosition).toBe(10));

      await nats.pause();
      // Commits go on while NATS is away (written straight to the store: the API is on NATS).
      for (let i = 0; i < 6; i++) {
        const id = uniqueStreamId();
        const r = await service.store.appendToStream({
          streamId: id,
          expectedRevision: 'no_stream',
          events: newTestEvents(id, 5),
        });
        expect(r.ok).toBe(true);
      }
      expect(service.relayStatus().committedPosition).toBe(40);
      await nats.restart();

      await vi.waitFor(
        () => expect(service.relayStatus()).toMatchObject({ relayedPosition: 40, lag: 0 }),
        {
          timeout: 30_000,
          interval: 100,
        },
      );
      const messages = await readEventsStream(nc);
      expect(messages.map((m) => m.msgId)).toEqual(await logEventIds());
      expect(messages.map((m) => m.position)).toEqual(messages.map((_, i) => i + 1));
    } finally {
      await service.close();
    }
  });
});
