// Copies every committed event to the JetStream stream EVENTS in position order. It resumes from
// what EVENTS already holds (the Ledger-Position of its last message), so nothing is missed or doubled.
import type { RecordedEvent } from '@hpe/domain';
import {
  eventsStreamName,
  eventSubject,
  ledgerPositionHeader,
  natsMsgIdHeader,
} from '@hpe/messaging';
import type { LogSink } from '@hpe/telemetry';
import { PubHeaders, type JetStreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { PipelinedPublisher, type PublishAck } from './pipelined-publisher.js';
import type { CommitListener } from '../storage/postgres-event-store.js';
import type { LogHead, ReadAllOptions } from '../storage/event-store.js';

/** What the relay needs of the store: commit notifications, reads by position, the head. */
export interface RelaySource {
  onCommitted(listener: CommitListener): () => void;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  head(): Promise<LogHead>;
}

export interface EventRelayOptions {
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  readonly source: RelaySource;
  readonly log: LogSink;
  /** Events read from the ledger per round trip while catching up; 500 by default. */
  readonly pageSize?: number;
  /** Publishes awaiting their ack at once; 256 by default. */
  readonly window?: number;
  /** Committed events held in memory before the relay falls back to reading the table. */
  readonly maxBufferedEvents?: number;
  /** First and longest pause between attempts after a failure; 100 ms and 5 s by default. */
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
}

export interface RelayStatus {
  readonly running: boolean;
  /** Last position EVENTS is known to hold. */
  readonly relayedPosition: number;
  /** Last position the ledger committed, as far as the relay knows. */
  readonly committedPosition: number;
  readonly lag: number;
}

const encoder = new TextEncoder();

export class EventRelay {
  private readonly pageSize: number;
  private readonly window: number;
  private readonly maxBuffered: number;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;
  /** Committed events not yet published, contiguous, in position order. */
  private buffer: RecordedEvent[] = [];
  private relayed = 0;
  /** EVENTS' sequence of the message holding `relayed`; each publish expects it as the last. */
  private streamSeq = 0;
  private committed = 0;
  private needsSync = true;
  private catchUp = true;
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Cuts a retry pause short when stop() is called (commits must not: they would hammer). */
  private interruptPause: (() => void) | undefined;
  private unlisten: (() => void) | undefined;
  private progressWaiters: (() => void)[] = [];
  private readonly publisher: PipelinedPublisher;

  constructor(private readonly options: EventRelayOptions) {
    this.pageSize = options.pageSize ?? 500;
    this.window = options.window ?? 256;
    this.maxBuffered = options.maxBufferedEvents ?? 50_000;
    this.retryMinMs = options.retryMinMs ?? 100;
    this.retryMaxMs = options.retryMaxMs ?? 5_000;
    this.publisher = new PipelinedPublisher(options.nc, 10_000);
  }

  get status(): RelayStatus {
    return {
      running: !this.stopped,
      relayedPosition: this.relayed,
      committedPosition: this.committed,
      lag: Math.max(0, this.committed - this.relayed),
    };
  }

  /** Listens for commits first, then catches up from the table: no commit falls between. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.needsSync = true;
    this.catchUp = true;
    this.unlisten = this.options.source.onCommitted((events) => this.onCommitted(events));
    this.publisher.open();
    this.loop = this.run();
  }

  /**
   * Stops after publishing what was committed so far, or after `flushTimeoutMs` (what is left is
   * published by the next leader's relay, which resumes from EVENTS).
   */
  async stop(flushTimeoutMs = 5_000): Promise<void> {
    if (this.stopped) return;
    if (flushTimeoutMs > 0) {
      const deadline = Date.now() + flushTimeoutMs;
      while (this.relayed < this.committed && Date.now() < deadline) {
        await this.progress(deadline - Date.now());
      }
    }
    this.stopped = true;
    this.unlisten?.();
    this.unlisten = undefined;
    this.wake?.();
    this.interruptPause?.();
    await this.loop;
    this.loop = undefined;
    this.publisher.close();
  }

  /** Resolves once EVENTS holds `position` (or after `timeoutMs`); false on timeout. */
  async waitForRelayed(position: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.relayed < position) {
      if (Date.now() >= deadline) return false;
      await this.progress(deadline - Date.now());
    }
    return true;
  }

  private progress(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(1, timeoutMs));
      this.progressWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private advanced(): void {
    const waiters = this.progressWaiters;
    this.progressWaiters = [];
    for (const w of waiters) w();
  }

  private onCommitted(events: readonly RecordedEvent[]): void {
    const last = events.at(-1);
    if (last === undefined) return;
    this.committed = Math.max(this.committed, last.position);
    if (this.buffer.length + events.length > this.maxBuffered) {
      // Far behind (JetStream slow or away): stop holding events, read them back from the table.
      this.buffer = [];
      this.catchUp = true;
    } else {
      for (const event of events) this.buffer.push(event);
    }
    this.wake?.();
  }

  private async run(): Promise<void> {
    let pause = this.retryMinMs;
    while (!this.stopped) {
      try {
        if (this.needsSync) {
          await this.sync();
          this.needsSync = false;
        }
        const ready = this.takeContiguous();
        if (ready.length > 0) {
          await this.publishAll(ready);
        } else if (this.catchUp) {
          const page = await this.options.source.readAll({
            fromPosition: this.relayed + 1,
            limit: this.pageSize,
          });
          if (page.length === 0) this.catchUp = false;
          else await this.publishAll(page);
        } else {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
          this.wake = undefined;
        }
        pause = this.retryMinMs;
      } catch (error) {
        // Nothing is skipped: after any failure the relay asks EVENTS again where it stands and
        // goes on from there, reading from the table what it no longer holds in memory.
        this.options.log.warn(
          { err: error, relayedPosition: this.relayed, retryInMs: pause },
          'relay to JetStream failed; retrying',
        );
        this.needsSync = true;
        this.catchUp = true;
        this.buffer = [];
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pause);
          this.interruptPause = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.interruptPause = undefined;
        pause = Math.min(pause * 2, this.retryMaxMs);
      }
    }
  }

  /** The buffered events that continue right after `relayed`; a gap means reading the table. */
  private takeContiguous(): RecordedEvent[] {
    const first = this.buffer.findIndex((e) => e.position > this.relayed);
    if (first < 0) {
      this.buffer = [];
      return [];
    }
    const head = this.buffer[first];
    if (head === undefined || head.position !== this.relayed + 1) {
      if (head !== undefined) this.catchUp = true;
      this.buffer = first > 0 ? this.buffer.slice(first) : this.buffer;
      return [];
    }
    const ready = this.buffer.slice(first);
    this.buffer = [];
    return ready;
  }

  /** Reads where EVENTS stands: its last message's Ledger-Position (0 when empty). */
  private async sync(): Promise<void> {
    const { jsm, source } = this.options;
    const info = await jsm.streams.info(eventsStreamName);
    const lastSeq = info.state.last_seq;
    let position = 0;
    if (lastSeq > 0) {
      const last = await jsm.streams.getMessage(eventsStreamName, { seq: lastSeq });
      const header = last?.header.get(ledgerPositionHeader) ?? '';
      position = Number(header);
      if (header === '' || !Number.isSafeInteger(position) || position < 1) {
        throw new Error(
          `the last message of ${eventsStreamName} (sequence ${lastSeq}) has no valid ${ledgerPositionHeader} header`,
        );
      }
    }
    const head = await source.head();
    if (position > head.position) {
      // EVENTS is ahead of the log: another ledger's events, or a restored database. Publishing
      // on would mix two histories; an operator has to look.
      throw new Error(
        `${eventsStreamName} holds position ${position} but the ledger's head is ${head.position}`,
      );
    }
    this.relayed = position;
    this.streamSeq = lastSeq;
    this.committed = Math.max(this.committed, head.position);
    this.options.log.info(
      { relayedPosition: position, committedPosition: head.position },
      'relay resumes from JetStream',
    );
  }

  /**
   * Publishes in order with up to `window` acks outstanding. Each message expects the stream's
   * last sequence to be its predecessor's, so if one fails none after it can land out of order.
   */
  private async publishAll(events: readonly RecordedEvent[]): Promise<void> {
    const inFlight: { event: RecordedEvent; ack: Promise<PublishAck> }[] = [];
    let expectedSeq = this.streamSeq;
    const settle = async (): Promise<void> => {
      const next = inFlight.shift();
      if (next === undefined) return;
      const ack = await next.ack;
      this.relayed = next.event.position;
      this.streamSeq = ack.seq;
      this.advanced();
    };
    try {
      for (const event of events) {
        if (this.stopped) break;
        const h = natsHeaders();
        h.set(natsMsgIdHeader, event.eventId);
        h.set(ledgerPositionHeader, String(event.position));
        // Zero would be "no expectation" on the wire: the first message of an empty stream.
        if (expectedSeq > 0) h.set(PubHeaders.ExpectedLastSeqHdr, String(expectedSeq));
        const ack = this.publisher.publish(
          eventSubject(event.streamId.slice(0, event.streamId.indexOf('-')), event.streamId),
          encoder.encode(JSON.stringify(event)),
          h,
        );
        // Rejections are awaited in order by settle(); this only keeps them from being unhandled.
        ack.catch(() => undefined);
        inFlight.push({ event, ack });
        expectedSeq += 1;
        if (inFlight.length >= this.window) await settle();
      }
      while (inFlight.length > 0) await settle();
    } finally {
      await Promise.allSettled(inFlight.map((f) => f.ack));
    }
  }
}
