// GET /api/v1/communes and /communes/{communeId}: each commune's progress (turnout, areas opened /
// reported / closed, minutes in) with its name, and the cards distributed; a commune account sees
// its own, a reporter none (its scope is one area: /polling-areas/{id}).
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import type { PrismaClient } from '@hpe/read-models';
import { LocalTimeOfDay } from '@hpe/domain';
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
import { mayReadCommune, readScopeOf } from './read-scope.js';

export const CommunesQuery = z.strictObject({
  ...minPositionParam,
  /**
   * A reporting round (`HH:MM`, city time): each commune then says how many of its areas sent a
   * turnout figure as of that time or later on its election day, so the console can put the
   * communes behind in the round first.
   */
  round: LocalTimeOfDay.optional(),
});

export interface CommuneAnswer {
  readonly communeId: string;
  readonly name: string;
  readonly type: string;
  readonly electionDate: string;
  readonly votersOnList: number;
  readonly votersVoted: number;
  readonly checkIns: number;
  readonly turnoutPct: number;
  readonly pollingAreas: { total: number; opened: number; reported: number; closed: number };
  readonly minutes: { expected: number; received: number };
  readonly anomaliesOpen: number;
  readonly incidentsOpen: number;
  /** Only with `?round=`: the round's instant on the commune's election day and who reported. */
  readonly round?: { readonly at: string; readonly reported: number };
  readonly position: number;
}

/** The round's instant on an election day, Vietnam time (UTC+7 all year). */
const roundInstant = (electionDate: string, round: string): string =>
  `${electionDate}T${round}:00+07:00`;

@Controller('api/v1/communes')
@Roles(...rolesFor('results.read'))
export class CommunesController {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(ReadPosition) private readonly position: ReadPosition,
  ) {}

  @Get()
  @ApiDoc({ tag: 'queries', summary: 'Every commune with its progress', query: CommunesQuery })
  async list(
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ asOfPosition: number; communes: CommuneAnswer[] }> {
    const { minPosition, round } = parseBody(CommunesQuery, query);
    const scope = readScopeOf(principal);
    const asOfPosition = await this.position.atLeast(minPosition);
    // Filtered to the caller's scope like every list: a polling area account has no commune in it.
    const communes =
      scope.kind === 'area'
        ? []
        : await this.communes(scope.kind === 'commune' ? scope.communeId : undefined, round);
    return { asOfPosition, communes };
  }

  @Get(':communeId')
  @ApiDoc({
    tag: 'queries',
    summary: 'One commune: progress and card distribution',
    query: CommunesQuery,
  })
  async one(
    @Param('communeId') communeId: string,
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Record<string, unknown>> {
    const { minPosition, round } = parseBody(CommunesQuery, query);
    const scope = readScopeOf(principal);
    const [commune] = await this.communes(communeId, round);
    if (commune === undefined)
      throw new ProblemException(404, 'NOT_FOUND', `No commune ${communeId}.`);
    if (!mayReadCommune(scope, communeId)) {
      throw forbiddenScope(`Commune ${communeId} is outside your scope.`);
    }
    const asOfPosition = await this.position.atLeast(minPosition);
    const cards = await this.prisma.voterCardDistribution.findUnique({ where: { communeId } });
    return {
      asOfPosition,
      ...commune,
      cards: {
        registered: cards?.registered ?? 0,
        delivered: cards?.delivered ?? 0,
        unreachable: cards?.unreachable ?? 0,
        struckOff: cards?.struckOff ?? 0,
        transferredIn: cards?.transferredIn ?? 0,
        transferredOut: cards?.transferredOut ?? 0,
        checkedIn: cards?.checkedIn ?? 0,
        checkInsRefused: cards?.checkInsRefused ?? 0,
        duplicateRegistrations: cards?.duplicateRegistrations ?? 0,
      },
    };
  }

  private async communes(
    only: string | undefined,
    round: string | undefined,
  ): Promise<CommuneAnswer[]> {
    const where = only === undefined ? {} : { communeId: only };
    const [reference, progress, anomalies, incidents] = await Promise.all([
      this.prisma.commune.findMany({ where, orderBy: { communeId: 'asc' } }),
      this.prisma.communeProgress.findMany({ where }),
      this.prisma.anomaly.groupBy({
        by: ['communeId'],
        where: { ...where, status: { in: ['open', 'acknowledged'] } },
        _count: { _all: true },
      }),
      this.prisma.incident.groupBy({
        by: ['communeId'],
        where: { ...where, status: { not: 'resolved' } },
        _count: { _all: true },
      }),
    ]);
    const byId = new Map(progress.map((p) => [p.communeId, p]));
    const openAnomalies = new Map(anomalies.map((g) => [g.communeId, g._count._all]));
    const openIncidents = new Map(incidents.map((g) => [g.communeId, g._count._all]));
    const reportedInRound = await this.reportedInRound(reference, round);
    return reference.map((c) => {
      const p = byId.get(c.communeId);
      const votersOnList = p?.votersOnList ?? c.votersOnList;
      const votersVoted = p?.votersVoted ?? 0;
      return {
        communeId: c.communeId,
        name: c.name,
        type: c.type,
        electionDate: c.electionDate,
        votersOnList,
        votersVoted,
        checkIns: p?.checkIns ?? 0,
        turnoutPct: pct(votersVoted, votersOnList),
        pollingAreas: {
          total: p?.pollingAreasTotal ?? c.pollingAreaCount,
          opened: p?.pollingAreasOpened ?? 0,
          reported: p?.pollingAreasReported ?? 0,
          closed: p?.pollingAreasClosed ?? 0,
        },
        minutes: {
          expected: p?.minutesExpected ?? c.pollingAreaCount * 3,
          received: p?.minutesReceived ?? 0,
        },
        anomaliesOpen: openAnomalies.get(c.communeId) ?? 0,
        incidentsOpen: openIncidents.get(c.communeId) ?? 0,
        ...(round === undefined
          ? {}
          : {
              round: {
                at: roundInstant(c.electionDate, round),
                reported: reportedInRound.get(c.communeId) ?? 0,
              },
            }),
        position: Number(p?.position ?? 0n),
      };
    });
  }

  /** Per commune, the areas whose latest figure is as of the round's instant or later. */
  private async reportedInRound(
    communes: readonly { communeId: string; electionDate: string }[],
    round: string | undefined,
  ): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (round === undefined) return counts;
    // One count per election date (Bạch Long Vĩ votes a day before the rest of the city).
    const byDate = new Map<string, string[]>();
    for (const c of communes)
      byDate.set(c.electionDate, [...(byDate.get(c.electionDate) ?? []), c.communeId]);
    for (const [date, ids] of byDate) {
      const groups = await this.prisma.pollingAreaStatus.groupBy({
        by: ['communeId'],
        where: {
          communeId: { in: ids },
          lastReportAsOf: { gte: new Date(roundInstant(date, round)) },
        },
        _count: { _all: true },
      });
      for (const g of groups) if (g.communeId !== null) counts.set(g.communeId, g._count._all);
    }
    return counts;
  }
}
