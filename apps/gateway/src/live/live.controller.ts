// GET /api/v1/live: Server-Sent Events — `committed` for each event the caller may see (scoped like
// the queries: a commune account its commune, a reporter its area; only admins and auditors get
// the events' data), `projected` when the read models move on, a heartbeat every 15 s. A client
// reconnecting with Last-Event-ID gets what it missed (up to 50,000 events; past that a `gap` frame
// names the positions skipped, and the client should reload its queries).
import { Controller, Get, Headers, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAllowed, rolesFor } from '../auth/access-policy.js';
import { AllowQueryToken, CurrentPrincipal, Roles } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { readScopeOf, type ReadScope } from '../queries/read-scope.js';
import { LiveFeed, type LiveEvent, type LiveMessage } from './live-feed.js';

const heartbeatMs = 15_000;

function visible(scope: ReadScope, event: LiveEvent): boolean {
  switch (scope.kind) {
    case 'city':
      return true;
    case 'commune':
      return event.communeId === scope.communeId;
    case 'area':
      return event.pollingAreaId === scope.pollingAreaId;
  }
}

function frame(message: LiveMessage, withData: boolean): string {
  switch (message.kind) {
    case 'projected':
      return `event: projected\ndata: ${JSON.stringify({ position: message.position })}\n\n`;
    case 'gap': {
      const { fromPosition, toPosition } = message;
      return `event: gap\ndata: ${JSON.stringify({ fromPosition, toPosition })}\n\n`;
    }
    case 'committed': {
      const { data: _data, ...summary } = message.event;
      const body = withData ? message.event : summary;
      return `id: ${message.event.position}\nevent: committed\ndata: ${JSON.stringify(body)}\n\n`;
    }
    default: {
      const unknown: never = message;
      throw new Error(`unknown live message ${JSON.stringify(unknown)}`);
    }
  }
}

@Controller('api/v1/live')
@Roles(...rolesFor('results.read'))
export class LiveController {
  constructor(@Inject(LiveFeed) private readonly feed: LiveFeed) {}

  @Get()
  @AllowQueryToken()
  @ApiDoc({
    tag: 'queries',
    summary:
      'Server-Sent Events: committed events and read-model progress (token may be ?access_token=)',
    status: 200,
  })
  live(
    @CurrentPrincipal() principal: Principal,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    const scope = readScopeOf(principal);
    const withData = isAllowed(principal.role, 'ledger.read');
    const after =
      lastEventId !== undefined && /^\d{1,15}$/.test(lastEventId) ? Number(lastEventId) : undefined;
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write(`retry: 2000\n: connected as ${principal.username}\n\n`);
    const stop = this.feed.listen((message) => {
      if (message.kind === 'committed' && !visible(scope, message.event)) return;
      raw.write(frame(message, withData));
    }, after);
    const heartbeat = setInterval(() => {
      const position = Math.max(0, this.feed.projectedPosition);
      raw.write(`event: heartbeat\ndata: ${JSON.stringify({ position })}\n\n`);
    }, heartbeatMs);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      stop();
    });
  }
}
