// The live feed behind GET /api/v1/live: every committed event as the ledger's relay publishes it
// on `events.>` (a plain NATS subscription: live, no consumer state), taken one at a time so they
// leave in log order, and kept in a ring; a client reconnecting with Last-Event-ID gets what it
// missed from the ring, or from the ledger when the ring does not reach back that far. A
// `projected` tick tells the console its queries now see newer data.
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { RecordedEvent } from '@hpe/domain';
import { LedgerClient } from '@hpe/ledger-client';
import { eventsSubjectPrefix } from '@hpe/messaging';
import type { Logger } from 'pino';
import { ReadPosition } from '../queries/read-position.js';
import { LOGGER, NATS } from '../tokens.js';
import { LiveEventScope } from './live-event-scope.js';

/** What every client may see of an event; admins and auditors get `data` too. */
export interface LiveEvent {
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly streamId: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly pollingAreaId?: string;
  readonly communeId?: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export type LiveMessage =
  | { readonly kind: 'committed'; readonly event: LiveEvent }
  | { readonly kind: 'projected'; readonly position: number }
  /** Positions a reconnecting client missed that are not replayed: it should reload its queries. */
  | { readonly kind: 'gap'; readonly fromPosition: number; readonly toPosition: number };

export type LiveListener = (message: LiveMessage) => void;

const ringSize = 10_000;
/** The most events one reconnect replays (from the ring and the ledger); past that, a gap. */
export const maxReplay = 50_000;
const replayPage = 1_000;
const projectedPollMs = 250;

@Injectable()
export class LiveFeed implements OnModuleDestroy {
  private readonly ring: LiveEvent[] = [];
  private readonly listeners = new Set<LiveListener>();
  private subscription: Subscription | undefined;
  /** Events are scoped (which may read the database) one after another, so they stay in order. */
  private accepting: Promise<void> = Promise.resolve();
  private lastPosition = 0;
  private projected = -1;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(NATS) private readonly nats: NatsConnection,
    @Inject(LedgerClient) private readonly ledger: LedgerClient,
    @Inject(LiveEventScope) private readonly scope: LiveEventScope,
    @Inject(ReadPosition) private readonly readPosition: ReadPosition,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Adds a listener. With `afterPosition`, it first gets every event after that position (ring,
   * else ledger), then the live ones, each once and in order; live events that arrive meanwhile
   * are held until the replay is done.
   */
  listen(listener: LiveListener, afterPosition?: number): () => void {
    this.start();
    const state = { active: true, replaying: afterPosition !== undefined };
    const held: LiveMessage[] = [];
    const entry: LiveListener = (message) => {
      if (state.replaying) held.push(message);
      else listener(message);
    };
    this.listeners.add(entry);
    if (afterPosition !== undefined) {
      void this.replay(afterPosition, listener, state)
        .then((sent) => {
          // Synchronous from here to the switch: nothing can slip between the held and the live.
          for (const message of held) {
            if (message.kind !== 'committed' || message.event.position > sent) listener(message);
          }
        })
        .catch((error: unknown) => this.logger.warn({ err: error }, 'live feed replay failed'))
        .finally(() => {
          held.length = 0;
          state.replaying = false;
        });
    } else if (this.projected >= 0) {
      listener({ kind: 'projected', position: this.projected });
    }
    return () => {
      state.active = false;
      this.listeners.delete(entry);
    };
  }

  /** The position the read models had reached at the last tick (-1 before the first). */
  get projectedPosition(): number {
    return this.projected;
  }

  get clients(): number {
    return this.listeners.size;
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    clearInterval(this.timer);
    this.listeners.clear();
  }

  private start(): void {
    if (this.subscription !== undefined) return;
    this.subscription = this.nats.subscribe(`${eventsSubjectPrefix}.>`, {
      callback: (error, msg) => {
        if (error !== null) {
          this.logger.warn({ err: error }, 'live feed subscription error');
          return;
        }
        let parsed: ReturnType<typeof RecordedEvent.safeParse>;
        try {
          parsed = RecordedEvent.safeParse(msg.json());
        } catch {
          return;
        }
        if (!parsed.success) return;
        const event = parsed.data;
        this.accepting = this.accepting
          .then(() => this.accept(event))
          .catch((err: unknown) => {
            this.logger.warn({ err, position: event.position }, 'live feed dropped an event');
          });
      },
    });
    this.timer = setInterval(() => void this.tick(), projectedPollMs);
    this.timer.unref();
  }

  private async accept(event: RecordedEvent): Promise<void> {
    // The relay may publish again after a restart; the feed keeps position order, once each.
    if (event.position <= this.lastPosition) return;
    this.lastPosition = event.position;
    const live = await this.toLive(event);
    this.ring.push(live);
    if (this.ring.length > ringSize) this.ring.splice(0, this.ring.length - ringSize);
    this.emit({ kind: 'committed', event: live });
  }

  private async toLive(event: RecordedEvent): Promise<LiveEvent> {
    const scope = await this.scope.of(event);
    return {
      position: event.position,
      eventId: event.eventId,
      type: event.type,
      streamId: event.streamId,
      occurredAt: event.metadata.occurredAt,
      recordedAt: event.recordedAt,
      ...scope,
      data: event.data,
    };
  }

  /** Sends what follows `after`; resolves with the last position sent (or skipped as a gap). */
  private async replay(
    after: number,
    listener: LiveListener,
    state: { readonly active: boolean },
  ): Promise<number> {
    let sent = after;
    try {
      const head = await this.ledger.head();
      if (head.ok && head.value.position - sent > maxReplay) {
        const skipTo = head.value.position - maxReplay;
        listener({ kind: 'gap', fromPosition: sent + 1, toPosition: skipTo });
        sent = skipTo;
      }
      // The ring holds the recent past; what lies before its first event comes from the ledger.
      for (;;) {
        const ringStart = this.ring[0]?.position;
        if (!state.active || (ringStart !== undefined && ringStart <= sent + 1)) break;
        const page = await this.ledger.readAll({ fromPosition: sent + 1, limit: replayPage });
        if (!page.ok) {
          this.logger.warn({ code: page.error.code }, 'live feed could not replay from the ledger');
          const to = (this.ring[0]?.position ?? this.lastPosition + 1) - 1;
          if (to > sent) listener({ kind: 'gap', fromPosition: sent + 1, toPosition: to });
          sent = Math.max(sent, to);
          break;
        }
        const events = page.value.events;
        if (events.length === 0) break;
        for (const event of events) {
          // Past the ring's start the ring takes over (it may have started during this page).
          const start = this.ring[0]?.position;
          if (start !== undefined && event.position >= start) break;
          listener({ kind: 'committed', event: await this.toLive(event) });
          sent = event.position;
        }
        if (page.value.nextFrom === undefined) break;
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'live feed replay failed');
    }
    for (const event of this.ring) {
      if (event.position > sent) {
        listener({ kind: 'committed', event });
        sent = event.position;
      }
    }
    if (this.projected >= 0) listener({ kind: 'projected', position: this.projected });
    return sent;
  }

  private async tick(): Promise<void> {
    if (this.listeners.size === 0) return;
    try {
      const position = await this.readPosition.asOf();
      if (position !== this.projected) {
        this.projected = position;
        this.emit({ kind: 'projected', position });
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'live feed could not read the projection position');
    }
  }

  private emit(message: LiveMessage): void {
    for (const listener of this.listeners) listener(message);
  }
}
