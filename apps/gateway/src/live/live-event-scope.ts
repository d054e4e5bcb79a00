// Where a committed event belongs, for the live feed's scope filter: its polling area and commune.
// Most events name their area in `data`; an anomaly names it in `data.subject`; the later events of
// an incident or an anomaly name neither, so the feed remembers each stream's scope from its first
// event, and asks the read models for a stream it has not seen (the gateway restarted meanwhile).
import { Inject, Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@hpe/domain';
import type { PrismaClient } from '@hpe/read-models';
import { LRUCache } from 'lru-cache';
import { PollingAreaCommunes } from '../reference/polling-area-communes.js';
import { PRISMA } from '../tokens.js';

export interface EventScope {
  readonly pollingAreaId?: string;
  readonly communeId?: string;
}

/** Streams remembered at once: the incidents and anomalies of a busy day, with room to spare. */
const rememberedStreams = 200_000;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function subjectOf(data: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const subject = data['subject'];
  return typeof subject === 'object' && subject !== null && !Array.isArray(subject)
    ? (subject as Record<string, unknown>)
    : {};
}

@Injectable()
export class LiveEventScope {
  private readonly streams = new LRUCache<string, EventScope>({ max: rememberedStreams });

  constructor(
    @Inject(PollingAreaCommunes) private readonly communes: PollingAreaCommunes,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
  ) {}

  async of(event: RecordedEvent): Promise<EventScope> {
    const subject = subjectOf(event.data);
    let pollingAreaId = text(event.data['pollingAreaId']) ?? text(subject['pollingAreaId']);
    let communeId = text(event.data['communeId']) ?? text(subject['communeId']);
    if (pollingAreaId === undefined && communeId === undefined) {
      const known = this.streams.get(event.streamId) ?? (await this.fromReadModels(event.streamId));
      pollingAreaId = known.pollingAreaId;
      communeId = known.communeId;
    }
    if (communeId === undefined && pollingAreaId !== undefined) {
      communeId = await this.communes.communeOf(pollingAreaId).catch(() => undefined);
    }
    const scope: EventScope = {
      ...(pollingAreaId === undefined ? {} : { pollingAreaId }),
      ...(communeId === undefined ? {} : { communeId }),
    };
    if (pollingAreaId !== undefined || communeId !== undefined) {
      this.streams.set(event.streamId, scope);
    }
    return scope;
  }

  /** An incident's or anomaly's scope as the projector recorded it; none for other streams. */
  private async fromReadModels(streamId: string): Promise<EventScope> {
    const dash = streamId.indexOf('-');
    const [category, id] = [streamId.slice(0, dash), streamId.slice(dash + 1)];
    let row: { pollingAreaId: string | null; communeId: string | null } | null = null;
    try {
      if (category === 'incident') {
        row = await this.prisma.incident.findUnique({
          where: { incidentId: id },
          select: { pollingAreaId: true, communeId: true },
        });
      } else if (category === 'anomaly') {
        row = await this.prisma.anomaly.findUnique({
          where: { anomalyId: id },
          select: { pollingAreaId: true, communeId: true },
        });
      }
    } catch {
      // The read models are away: the event goes to the city-wide roles only, as unscoped.
      return {};
    }
    const pollingAreaId = row?.pollingAreaId ?? undefined;
    const communeId = row?.communeId ?? undefined;
    return {
      ...(pollingAreaId === undefined ? {} : { pollingAreaId }),
      ...(communeId === undefined ? {} : { communeId }),
    };
  }
}
