// The live feed behind GET /api/v1/live: every committed event as the ledger's relay publishes it
// on `events.>` (a plain NATS subscription: live, no consumer state), kept in a ring so a client
// that reconnects with Last-Event-ID misses nothing recent, and a `projected` tick whenever the
// read models move on, which tells the console its queries now see newer data.
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { RecordedEvent } from '@hpe/domain';
import { eventsSubjectPrefix } from '@hpe/messaging';
import type { Logger } from 'pino';
import { PollingAreaCommunes } from '../reference/polling-area-communes.js';
import { ReadPosition } from '../queries/read-position.js';
import { LOGGER, NATS } from '../tokens.js';

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
  | { readonly kind: 'projected'; readonly position: number };

export type LiveListener = (message: LiveMessage) => void;

const ringSize = 10_000;
const projectedPollMs = 250;

@Injectable()
export class LiveFeed implements OnModuleDestroy {
  private readonly ring: LiveEvent[] = [];
  private readonly listeners = new Set<LiveListener>();
  private subscription: Subscription | undefined;
  private lastPosition = 0;
  private projected = -1;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(NATS) private readonly nats: NatsConnection,
    @Inject(PollingAreaCommunes) private readonly communes: PollingAreaCommunes,
    @Inject(ReadPosition) private readonly readPosition: ReadPosition,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Adds a listener, first replaying what the ring holds after `afterPosition`. */
  listen(listener: LiveListener, afterPosition?: number): () => void {
    this.start();
    if (afterPosition !== undefined) {
      for (const event of this.ring) {
        if (event.position > afterPosition) listener({ kind: 'committed', event });
      }
    }
    this.listeners.add(listener);
    if (this.projected >= 0) listener({ kind: 'projected', position: this.projected });
    return () => {
      this.listeners.delete(listener);
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
        if (parsed.success) void this.accept(parsed.data);
      },
    });
    this.timer = setInterval(() => void this.tick(), projectedPollMs);
    this.timer.unref();
  }

  private async accept(event: RecordedEvent): Promise<void> {
    // The relay may publish again after a restart; the feed keeps position order, once each.
    if (event.position <= this.lastPosition) return;
    this.lastPosition = event.position;
    const pollingAreaId =
      typeof event.data['pollingAreaId'] === 'string' ? event.data['pollingAreaId'] : undefined;
    const communeId =
      typeof event.data['communeId'] === 'string'
        ? event.data['communeId']
        : pollingAreaId === undefined
          ? undefined
          : await this.communes.communeOf(pollingAreaId).catch(() => undefined);
    const live: LiveEvent = {
      position: event.position,
      eventId: event.eventId,
      type: event.type,
      streamId: event.streamId,
      occurredAt: event.metadata.occurredAt,
      recordedAt: event.recordedAt,
      ...(pollingAreaId === undefined ? {} : { pollingAreaId }),
      ...(communeId === undefined ? {} : { communeId }),
      data: event.data,
    };
    this.ring.push(live);
    if (this.ring.length > ringSize) this.ring.splice(0, this.ring.length - ringSize);
    this.emit({ kind: 'committed', event: live });
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
