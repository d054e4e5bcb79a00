// GET /api/v1/anomalies?status=&kind=&severity=&communeId=: what the detector raised, newest first,
// each with its evidence (the ids of the events behind it); a commune account sees its commune's.
import { Controller, Get, Inject, Query } from '@nestjs/common';
import type { PrismaClient } from '@hpe/read-models';
import { z } from 'zod';
import { rolesFor } from '../auth/access-policy.js';
import { CurrentPrincipal, Roles } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { parseBody } from '../commands/command-executor.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { PRISMA } from '../tokens.js';
import { minPositionParam } from './query-params.js';
import { ReadPosition } from './read-position.js';
import { communeFilter, readScopeOf } from './read-scope.js';

const word = z.string().regex(/^[a-z_]{1,60}$/);

export const AnomaliesQuery = z.strictObject({
  ...minPositionParam,
  status: word.optional(),
  kind: word.optional(),
  severity: word.optional(),
  communeId: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(500),
});

@Controller('api/v1/anomalies')
@Roles(...rolesFor('incidents.read'))
export class AnomaliesQueryController {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(ReadPosition) private readonly position: ReadPosition,
  ) {}

  @Get()
  @ApiDoc({ tag: 'anomalies', summary: 'Anomalies, newest first', query: AnomaliesQuery })
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseBody(AnomaliesQuery, query);
    const communeId = communeFilter(readScopeOf(principal), q.communeId);
    const asOfPosition = await this.position.atLeast(q.minPosition);
    const rows = await this.prisma.anomaly.findMany({
      where: {
        ...(communeId === undefined ? {} : { communeId }),
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(q.kind === undefined ? {} : { kind: q.kind }),
        ...(q.severity === undefined ? {} : { severity: q.severity }),
      },
      orderBy: { detectedAt: 'desc' },
      take: q.limit,
    });
    return {
      asOfPosition,
      anomalies: rows.map((a) => ({
        anomalyId: a.anomalyId,
        kind: a.kind,
        severity: a.severity,
        status: a.status,
        pollingAreaId: a.pollingAreaId,
        communeId: a.communeId,
        summary: a.summary,
        subject: a.subject,
        facts: a.facts,
        evidence: a.evidence,
        atPosition: Number(a.atPosition),
        detectedAt: a.detectedAt.toISOString(),
        updatedAt: a.updatedAt.toISOString(),
        note: a.note,
        position: Number(a.position),
      })),
    };
  }
}
