// GET /api/v1/incidents?status=&severity=&communeId=&category= and /incidents/{id}: the incidents
// board's rows for the police and the operations centre; a commune account sees its commune's.
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
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
import { minPositionParam } from './query-params.js';
import { ReadPosition } from './read-position.js';
import { communeFilter, mayReadCommune, readScopeOf } from './read-scope.js';

const word = z.string().regex(/^[a-z_]{1,40}$/);

export const IncidentsQuery = z.strictObject({
  ...minPositionParam,
  status: word.optional(),
  severity: word.optional(),
  category: word.optional(),
  communeId: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(500),
});
export const IncidentQuery = z.strictObject({ ...minPositionParam });

interface IncidentRow {
  incidentId: string;
  pollingAreaId: string;
  communeId: string | null;
  category: string;
  severity: string;
  status: string;
  description: string;
  occurredAt: Date;
  reportedAt: Date;
  updatedAt: Date;
  assignedUnit: string | null;
  resolution: string | null;
  notes: number;
  historyCount: number;
  position: bigint;
}

function answer(i: IncidentRow) {
  return {
    incidentId: i.incidentId,
    pollingAreaId: i.pollingAreaId,
    communeId: i.communeId,
    category: i.category,
    severity: i.severity,
    status: i.status,
    description: i.description,
    occurredAt: i.occurredAt.toISOString(),
    reportedAt: i.reportedAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
    assignedUnit: i.assignedUnit,
    resolution: i.resolution,
    notes: i.notes,
    historyCount: i.historyCount,
    position: Number(i.position),
  };
}

@Controller('api/v1/incidents')
@Roles(...rolesFor('incidents.read'))
export class IncidentsQueryController {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(ReadPosition) private readonly position: ReadPosition,
  ) {}

  @Get()
  @ApiDoc({ tag: 'incidents', summary: 'Incidents, newest first', query: IncidentsQuery })
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseBody(IncidentsQuery, query);
    const communeId = communeFilter(readScopeOf(principal), q.communeId);
    const asOfPosition = await this.position.atLeast(q.minPosition);
    const rows = await this.prisma.incident.findMany({
      where: {
        ...(communeId === undefined ? {} : { communeId }),
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(q.severity === undefined ? {} : { severity: q.severity }),
        ...(q.category === undefined ? {} : { category: q.category }),
      },
      orderBy: { reportedAt: 'desc' },
      take: q.limit,
    });
    return { asOfPosition, incidents: rows.map(answer) };
  }

  @Get(':incidentId')
  @ApiDoc({ tag: 'incidents', summary: 'One incident', query: IncidentQuery })
  async one(
    @Param('incidentId') incidentId: string,
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    const { minPosition } = parseBody(IncidentQuery, query);
    const asOfPosition = await this.position.atLeast(minPosition);
    const row = await this.prisma.incident.findUnique({ where: { incidentId } });
    if (row === null) throw new ProblemException(404, 'NOT_FOUND', `No incident ${incidentId}.`);
    if (!mayReadCommune(readScopeOf(principal), row.communeId ?? '')) {
      throw forbiddenScope(`Incident ${incidentId} is outside your scope.`);
    }
    return { asOfPosition, ...answer(row) };
  }
}
