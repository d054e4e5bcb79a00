// GET /api/v1/overview: the running totals the operations centre watches — for the city, or for a
// commune account its commune, or for a reporter its own polling area — "as of" a log position.
import { Controller, Get, Inject, Query } from '@nestjs/common';
import type { PrismaClient } from '@hpe/read-models';
import { z } from 'zod';
import { rolesFor } from '../auth/access-policy.js';
import { CurrentPrincipal, Roles } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { parseBody } from '../commands/command-executor.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { PRISMA } from '../tokens.js';
import { minPositionParam, pct } from './query-params.js';
import { ReadPosition } from './read-position.js';

export const OverviewQuery = z.strictObject({ ...minPositionParam });

export interface OverviewAnswer {
  readonly asOfPosition: number;
  readonly scope: { readonly kind: 'city' | 'commune' | 'pollingArea'; readonly id?: string };
  readonly votersOnList: number;
  readonly votersVoted: number;
  readonly checkIns: number;
  readonly turnoutPct: number;
  readonly pollingAreas: {
    readonly total: number;
    readonly opened: number;
    readonly reported: number;
    readonly closed: number;
  };
  readonly minutes: { readonly expected: number; readonly received: number };
  readonly anomaliesOpen: number;
  readonly incidentsOpen: number;
}

interface Totals {
  votersOnList: number;
  votersVoted: number;
  checkIns: number;
  total: number;
  opened: number;
  reported: number;
  closed: number;
  minutesExpected: number;
  minutesReceived: number;
}

const openIncident = { not: 'resolved' };
const openAnomaly = { in: ['open', 'acknowledged'] };

@Controller('api/v1/overview')
@Roles(...rolesFor('results.read'))
export class OverviewController {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(ReadPosition) private readonly position: ReadPosition,
  ) {}

  @Get()
  @ApiDoc({ tag: 'queries', summary: 'Running totals of the day', query: OverviewQuery })
  async overview(
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OverviewAnswer> {
    const { minPosition } = parseBody(OverviewQuery, query);
    const asOfPosition = await this.position.atLeast(minPosition);
    const { communeId, pollingAreaId } = principal.scope;
    let scope: OverviewAnswer['scope'];
    let totals: Totals;
    let where: { communeId?: string; pollingAreaId?: string } = {};
    if (principal.role === 'reporter' && pollingAreaId !== undefined) {
      scope = { kind: 'pollingArea', id: pollingAreaId };
      totals = await this.areaTotals(pollingAreaId);
      where = { pollingAreaId };
    } else if (principal.role === 'commune' && communeId !== undefined) {
      scope = { kind: 'commune', id: communeId };
      totals = await this.communeTotals(communeId);
      where = { communeId };
    } else {
      scope = { kind: 'city' };
      totals = await this.cityTotals();
    }
    const [anomaliesOpen, incidentsOpen] = await Promise.all([
      this.prisma.anomaly.count({ where: { ...where, status: openAnomaly } }),
      this.prisma.incident.count({ where: { ...where, status: openIncident } }),
    ]);
    return {
      asOfPosition,
      scope,
      votersOnList: totals.votersOnList,
      votersVoted: totals.votersVoted,
      checkIns: totals.checkIns,
      turnoutPct: pct(totals.votersVoted, totals.votersOnList),
      pollingAreas: {
        total: totals.total,
        opened: totals.opened,
        reported: totals.reported,
        closed: totals.closed,
      },
      minutes: { expected: totals.minutesExpected, received: totals.minutesReceived },
      anomaliesOpen,
      incidentsOpen,
    };
  }

  /** Before the first event the city row does not exist: the reference figures, nothing yet. */
  private async cityTotals(): Promise<Totals> {
    const row = await this.prisma.cityOverview.findFirst();
    if (row !== null) return fromProgress(row);
    const areas = await this.prisma.pollingArea.aggregate({
      _count: { _all: true },
      _sum: { votersOnList: true },
    });
    return emptyTotals(areas._count._all, areas._sum.votersOnList ?? 0);
  }

  private async communeTotals(communeId: string): Promise<Totals> {
    const row = await this.prisma.communeProgress.findUnique({ where: { communeId } });
    if (row !== null) return fromProgress(row);
    const areas = await this.prisma.pollingArea.aggregate({
      where: { communeId },
      _count: { _all: true },
      _sum: { votersOnList: true },
    });
    return emptyTotals(areas._count._all, areas._sum.votersOnList ?? 0);
  }

  private async areaTotals(pollingAreaId: string): Promise<Totals> {
    const [area, status] = await Promise.all([
      this.prisma.pollingArea.findUnique({ where: { pollingAreaId } }),
      this.prisma.pollingAreaStatus.findUnique({ where: { pollingAreaId } }),
    ]);
    const votersOnList = status?.votersOnList ?? area?.votersOnList ?? 0;
    if (status === null) return emptyTotals(area === null ? 0 : 1, votersOnList);
    const minutes = [
      status.minuteVersionNa,
      status.minuteVersionCity,
      status.minuteVersionCommune,
    ].filter((v) => v > 0).length;
    return {
      votersOnList,
      votersVoted: status.votersVoted,
      checkIns: status.checkIns,
      total: 1,
      opened: status.status === 'not_opened' ? 0 : 1,
      reported: status.turnoutReports > 0 ? 1 : 0,
      closed: status.status === 'closed' ? 1 : 0,
      minutesExpected: 3,
      minutesReceived: minutes,
    };
  }
}

function emptyTotals(areas: number, votersOnList: number): Totals {
  return {
    votersOnList,
    votersVoted: 0,
    checkIns: 0,
    total: areas,
    opened: 0,
    reported: 0,
    closed: 0,
    minutesExpected: areas * 3,
    minutesReceived: 0,
  };
}

function fromProgress(row: {
  votersOnList: number;
  votersVoted: number;
  checkIns: number;
  pollingAreasTotal: number;
  pollingAreasOpened: number;
  pollingAreasReported: number;
  pollingAreasClosed: number;
  minutesExpected: number;
  minutesReceived: number;
}): Totals {
  return {
    votersOnList: row.votersOnList,
    votersVoted: row.votersVoted,
    checkIns: row.checkIns,
    total: row.pollingAreasTotal,
    opened: row.pollingAreasOpened,
    reported: row.pollingAreasReported,
    closed: row.pollingAreasClosed,
    minutesExpected: row.minutesExpected,
    minutesReceived: row.minutesReceived,
  };
}
