// GET /api/v1/events: the log as stored (hashes and all) for auditors and admins, filtered by stream,
// type and position; read through the ledger's API, so it works on either event store.
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { LedgerClient } from '@hpe/ledger-client';
import { StreamId, type RecordedEvent } from '@hpe/domain';
import { z } from 'zod';
import { rolesFor } from '../auth/access-policy.js';
import { Roles } from '../auth/decorators.js';
import { parseBody } from '../commands/command-executor.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { ProblemException } from '../problem.filter.js';

export const EventsQuery = z.strictObject({
  streamId: StreamId.optional(),
  type: z
    .string()
    .regex(/^[A-Z][A-Za-z0-9]+$/)
    .max(100)
    .optional(),
  fromPosition: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(1),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});

export interface EventsAnswer {
  readonly asOfPosition: number;
  readonly events: readonly RecordedEvent[];
  /** Where the next page starts; absent when the log (or the stream) has no more. */
  readonly nextPosition?: number;
}

/** A type filter scans at most this many events per request, then answers with where it stopped. */
const maxScanned = 20_000;

@Controller('api/v1/events')
@Roles(...rolesFor('ledger.read'))
export class EventsController {
  constructor(@Inject(LedgerClient) private readonly ledger: LedgerClient) {}

  @Get()
  @ApiDoc({
    tag: 'audit',
    summary: 'The event log as stored, with hashes (filter by stream, type, position)',
    query: EventsQuery,
  })
  async list(@Query() query: unknown): Promise<EventsAnswer> {
    const q = parseBody(EventsQuery, query);
    const head = await this.ledger.head();
    if (!head.ok) throw unavailable();
    const found: RecordedEvent[] = [];
    let scanned = 0;
    let next: number | undefined;
    if (q.streamId !== undefined) {
      let from: number | undefined = 0;
      while (from !== undefined && found.length < q.limit) {
        const page = await this.ledger.readStream(q.streamId, { fromRevision: from, limit: 1_000 });
        if (!page.ok) throw unavailable();
        for (const event of page.value.events) {
          if (found.length >= q.limit) {
            next = event.position;
            break;
          }
          if (event.position >= q.fromPosition && (q.type === undefined || event.type === q.type))
            found.push(event);
        }
        from = page.value.nextFrom;
        if (from !== undefined && found.length >= q.limit && next === undefined) {
          next = (found.at(-1)?.position ?? 0) + 1;
        }
      }
    } else {
      let from: number | undefined = q.fromPosition;
      while (from !== undefined && found.length < q.limit && scanned < maxScanned) {
        const page = await this.ledger.readAll({
          fromPosition: from,
          limit: q.type === undefined ? q.limit - found.length : 1_000,
        });
        if (!page.ok) throw unavailable();
        from = page.value.nextFrom;
        for (const event of page.value.events) {
          scanned += 1;
          if (found.length >= q.limit) {
            from = event.position;
            break;
          }
          if (q.type === undefined || event.type === q.type) found.push(event);
        }
      }
      next = from;
    }
    return {
      asOfPosition: head.value.position,
      events: found,
      ...(next === undefined ? {} : { nextPosition: next }),
    };
  }
}

function unavailable(): ProblemException {
  return new ProblemException(503, 'UNAVAILABLE', 'The ledger is not available; retry later.', {
    headers: { 'retry-after': '2' },
  });
}
