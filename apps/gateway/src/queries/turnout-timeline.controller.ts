// GET /api/v1/turnout/timeline?communeId=|pollingAreaId=: turnout over the day in 15-minute steps
// for the city, a commune or an area, each point with the share of the list and areas reporting.
import { Controller, Get, Inject, Query } from '@nestjs/common';
import type { PrismaClient } from '@hpe/read-models';
import { z } from 'zod';
import { rolesFor } from '../auth/access-policy.js';
import { forbiddenScope } from '../auth/auth-errors.js';
import { CurrentPrincipal, Roles } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { parseBody } from '../commands/command-executor.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { ProblemException } from '../problem.filter.js';
import { PRISMA } from '../tokens.js';
import { minPositionParam, pct } from './query-params.js';
import { ReadPosition } from './read-position.js';
import { mayReadArea, mayReadCommune, readScopeOf } from './read-scope.js';

export const TimelineQuery = z
  .strictObject({
    ...minPositionParam,
    communeId: z.string().min(1).max(64).optional(),
    pollingAreaId: z.string().min(1).max(64).optional(),
  })
  .refine((q) => q.communeId === undefined || q.pollingAreaId === undefined, {
    message: 'ask for a commune or an area, not both',
  });

@Controller('api/v1/turnout/timeline')
@Roles(...rolesFor('results.read'))
export class TurnoutTimelineController {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(ReadPosition) private readonly position: ReadPosition,
  ) {}

  @Get()
  @ApiDoc({ tag: 'queries', summary: 'Turnout over the day', query: TimelineQuery })
  async timeline(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseBody(TimelineQuery, query);
    const scope = readScopeOf(principal);
    let scopeKind: 'city' | 'commune' | 'area';
    let scopeId: string;
    let votersOnList: number;
    if (q.pollingAreaId !== undefined || scope.kind === 'area') {
      const id = q.pollingAreaId ?? (scope.kind === 'area' ? scope.pollingAreaId : '');
      const area = await this.prisma.pollingArea.findUnique({ where: { pollingAreaId: id } });
      if (area === null) throw new ProblemException(404, 'NOT_FOUND', `No polling area ${id}.`);
      if (!mayReadArea(scope, id, area.communeId)) {
        throw forbiddenScope(`Polling area ${id} is outside your scope.`);
      }
      [scopeKind, scopeId, votersOnList] = ['area', id, area.votersOnList];
    } else if (q.communeId !== undefined || scope.kind === 'commune') {
      const id = q.communeId ?? (scope.kind === 'commune' ? scope.communeId : '');
      const commune = await this.prisma.commune.findUnique({ where: { communeId: id } });
      if (commune === null) throw new ProblemException(404, 'NOT_FOUND', `No commune ${id}.`);
      if (!mayReadCommune(scope, id)) throw forbiddenScope(`Commune ${id} is outside your scope.`);
      [scopeKind, scopeId, votersOnList] = ['commune', id, commune.votersOnList];
    } else {
      const sum = await this.prisma.pollingArea.aggregate({ _sum: { votersOnList: true } });
      [scopeKind, scopeId, votersOnList] = ['city', 'city', sum._sum.votersOnList ?? 0];
    }
    const asOfPosition = await this.position.atLeast(q.minPosition);
    const points = await this.prisma.turnoutTimeline.findMany({
      where: { scopeKind, scopeId },
      orderBy: { at: 'asc' },
    });
    return {
      asOfPosition,
      scope: { kind: scopeKind, id: scopeId },
      votersOnList,
      points: points.map((p) => ({
        at: p.at.toISOString(),
        votersVoted: p.votersVoted,
        turnoutPct: pct(p.votersVoted, votersOnList),
        areasReporting: p.areasReporting,
      })),
    };
  }
}
