// GET /api/v1/polling-areas?communeId=&level=&unitId= and /polling-areas/{id}: each area with its
// units, status and turnout; one area in full (times, check-ins against reported turnout, the
// minutes per level, its open incidents and anomalies). Scope: the caller's own.
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { Level } from '@hpe/domain';
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
import { communeFilter, mayReadArea, readScopeOf } from './read-scope.js';

export const PollingAreasQuery = z
  .strictObject({
    ...minPositionParam,
    communeId: z.string().min(1).max(64).optional(),
    level: Level.optional(),
    unitId: z.string().min(1).max(64).optional(),
  })
  .refine((q) => q.unitId === undefined || q.level !== undefined, {
    message: 'unitId needs its level',
    path: ['unitId'],
  });
export const PollingAreaQuery = z.strictObject({ ...minPositionParam });

const unitColumn = { na: 'naUnitId', city: 'cityUnitId', commune: 'communeUnitId' } as const;

@Controller('api/v1/polling-areas')
@Roles(...rolesFor('results.read'))
export class PollingAreasController {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(ReadPosition) private readonly position: ReadPosition,
  ) {}

  @Get()
  @ApiDoc({
    tag: 'queries',
    summary: 'Polling areas with status and turnout',
    query: PollingAreasQuery,
  })
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseBody(PollingAreasQuery, query);
    const scope = readScopeOf(principal);
    const communeId = communeFilter(scope, q.communeId);
    const asOfPosition = await this.position.atLeast(q.minPosition);
    const areas = await this.prisma.pollingArea.findMany({
      where: {
        ...(communeId === undefined ? {} : { communeId }),
        ...(scope.kind === 'area' ? { pollingAreaId: scope.pollingAreaId } : {}),
        ...(q.level !== undefined && q.unitId !== undefined
          ? { [unitColumn[q.level]]: q.unitId }
          : {}),
      },
      orderBy: { pollingAreaId: 'asc' },
    });
    const statuses = await this.prisma.pollingAreaStatus.findMany({
      where: { pollingAreaId: { in: areas.map((a) => a.pollingAreaId) } },
    });
    const byId = new Map(statuses.map((s) => [s.pollingAreaId, s]));
    return {
      asOfPosition,
      pollingAreas: areas.map((a) => {
        const s = byId.get(a.pollingAreaId);
        const votersOnList = s?.votersOnList ?? a.votersOnList;
        const votersVoted = s?.votersVoted ?? 0;
        return {
          pollingAreaId: a.pollingAreaId,
          communeId: a.communeId,
          name: a.name,
          votersOnList,
          units: { na: a.naUnitId, city: a.cityUnitId, commune: a.communeUnitId },
          status: s?.status ?? 'not_opened',
          reported: (s?.turnoutReports ?? 0) > 0,
          lastReportAsOf: s?.lastReportAsOf?.toISOString() ?? null,
          votersVoted,
          turnoutPct: pct(votersVoted, votersOnList),
          checkIns: s?.checkIns ?? 0,
          minutesReceived: [
            s?.minuteVersionNa,
            s?.minuteVersionCity,
            s?.minuteVersionCommune,
          ].filter((v) => (v ?? 0) > 0).length,
        };
      }),
    };
  }

  @Get(':pollingAreaId')
  @ApiDoc({ tag: 'queries', summary: 'One polling area in full', query: PollingAreaQuery })
  async one(
    @Param('pollingAreaId') pollingAreaId: string,
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    const { minPosition } = parseBody(PollingAreaQuery, query);
    const area = await this.prisma.pollingArea.findUnique({ where: { pollingAreaId } });
    if (area === null)
      throw new ProblemException(404, 'NOT_FOUND', `No polling area ${pollingAreaId}.`);
    if (!mayReadArea(readScopeOf(principal), pollingAreaId, area.communeId)) {
      throw forbiddenScope(`Polling area ${pollingAreaId} is outside your scope.`);
    }
    const asOfPosition = await this.position.atLeast(minPosition);
    const [s, minutes, incidents, anomalies] = await Promise.all([
      this.prisma.pollingAreaStatus.findUnique({ where: { pollingAreaId } }),
      this.prisma.tallyMinute.findMany({ where: { pollingAreaId }, orderBy: { level: 'asc' } }),
      this.prisma.incident.findMany({
        where: { pollingAreaId },
        orderBy: { reportedAt: 'desc' },
        take: 50,
      }),
      this.prisma.anomaly.findMany({
        where: { pollingAreaId },
        orderBy: { detectedAt: 'desc' },
        take: 50,
      }),
    ]);
    const votersOnList = s?.votersOnList ?? area.votersOnList;
    return {
      asOfPosition,
      pollingAreaId,
      communeId: area.communeId,
      name: area.name,
      kind: area.kind,
      units: { na: area.naUnitId, city: area.cityUnitId, commune: area.communeUnitId },
      votersOnList,
      status: s?.status ?? 'not_opened',
      openedAt: s?.openedAt?.toISOString() ?? null,
      closedAt: s?.closedAt?.toISOString() ?? null,
      lastReportAsOf: s?.lastReportAsOf?.toISOString() ?? null,
      turnoutReports: s?.turnoutReports ?? 0,
      votersVoted: s?.votersVoted ?? 0,
      turnoutPct: pct(s?.votersVoted ?? 0, votersOnList),
      checkIns: s?.checkIns ?? 0,
      checkInsRefused: s?.checkInsRefused ?? 0,
      minutes: minutes.map((m) => ({
        level: m.level,
        unitId: m.unitId,
        version: m.version,
        votersVoted: m.votersVoted,
        ballotsReceived: m.ballotsReceived,
        validBallots: m.validBallots,
        invalidBallots: m.invalidBallots,
        votes: m.votes,
        submittedAt: m.submittedAt.toISOString(),
        correctedAt: m.correctedAt?.toISOString() ?? null,
        correctionReason: m.correctionReason,
      })),
      incidents: incidents.map((i) => ({
        incidentId: i.incidentId,
        category: i.category,
        severity: i.severity,
        status: i.status,
        occurredAt: i.occurredAt.toISOString(),
      })),
      anomalies: anomalies.map((a) => ({
        anomalyId: a.anomalyId,
        kind: a.kind,
        severity: a.severity,
        status: a.status,
        summary: a.summary,
      })),
      position: Number(s?.position ?? 0n),
    };
  }
}
