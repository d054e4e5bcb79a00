// GET /api/v1/results/{level} and /results/{level}/{unitId}: each electoral unit's result as the
// domain's result function computes it from the minutes in (votes, share of valid, elected, the
// outcome, areas reporting, declared). A commune or reporter account sees the units it votes in.
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
import { minPositionParam } from './query-params.js';
import { ReadPosition } from './read-position.js';
import { readScopeOf, type ReadScope } from './read-scope.js';

export const ResultsQuery = z.strictObject({ ...minPositionParam });

interface StoredCandidate {
  candidateId: string;
  votes: number;
  pctOfValid: number;
  elected: boolean;
}

function storedCandidates(value: unknown): StoredCandidate[] {
  return Array.isArray(value) ? (value as StoredCandidate[]) : [];
}

function levelOf(level: string): Level {
  const parsed = Level.safeParse(level);
  if (!parsed.success) throw new ProblemException(404, 'NOT_FOUND', `No level ${level}.`);
  return parsed.data;
}

@Controller('api/v1/results')
@Roles(...rolesFor('results.read'))
export class ResultsController {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(ReadPosition) private readonly position: ReadPosition,
  ) {}

  @Get(':level')
  @ApiDoc({ tag: 'queries', summary: 'Results of every unit of a level', query: ResultsQuery })
  async list(
    @Param('level') level: string,
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    const lvl = levelOf(level);
    const { minPosition } = parseBody(ResultsQuery, query);
    const scope = readScopeOf(principal);
    const asOfPosition = await this.position.atLeast(minPosition);
    const unitIds = await this.unitsInScope(lvl, scope);
    return { asOfPosition, level: lvl, units: await this.results(lvl, unitIds) };
  }

  @Get(':level/:unitId')
  @ApiDoc({ tag: 'queries', summary: 'Result of one electoral unit', query: ResultsQuery })
  async one(
    @Param('level') level: string,
    @Param('unitId') unitId: string,
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    const lvl = levelOf(level);
    const { minPosition } = parseBody(ResultsQuery, query);
    const unit = await this.prisma.electoralUnit.findUnique({ where: { unitId } });
    if (unit === null || unit.level !== lvl) {
      throw new ProblemException(404, 'NOT_FOUND', `No ${lvl} electoral unit ${unitId}.`);
    }
    const inScope = await this.unitsInScope(lvl, readScopeOf(principal));
    if (inScope !== undefined && !inScope.includes(unitId)) {
      throw forbiddenScope(`Electoral unit ${unitId} is outside your scope.`);
    }
    const asOfPosition = await this.position.atLeast(minPosition);
    const [result] = await this.results(lvl, [unitId]);
    return { asOfPosition, ...result };
  }

  /** The units a scoped caller votes in; undefined for the city-wide roles (all of them). */
  private async unitsInScope(level: Level, scope: ReadScope): Promise<string[] | undefined> {
    if (scope.kind === 'city') return undefined;
    const column = { na: 'naUnitId', city: 'cityUnitId', commune: 'communeUnitId' } as const;
    const areas = await this.prisma.pollingArea.findMany({
      where:
        scope.kind === 'area'
          ? { pollingAreaId: scope.pollingAreaId }
          : { communeId: scope.communeId },
      select: { naUnitId: true, cityUnitId: true, communeUnitId: true },
    });
    return [...new Set(areas.map((a) => a[column[level]]))];
  }

  private async results(level: Level, unitIds: readonly string[] | undefined) {
    const where = { level, ...(unitIds === undefined ? {} : { unitId: { in: [...unitIds] } }) };
    const [units, rows, areaCounts] = await Promise.all([
      this.prisma.electoralUnit.findMany({
        where,
        include: { candidates: true },
        orderBy: { unitId: 'asc' },
      }),
      this.prisma.unitResult.findMany({ where }),
      this.areaCounts(level),
    ]);
    const byId = new Map(rows.map((r) => [r.unitId, r]));
    return units.map((u) => {
      const r = byId.get(u.unitId);
      const stored = new Map(storedCandidates(r?.candidates).map((c) => [c.candidateId, c]));
      const candidates = u.candidates
        .map((c) => {
          const s = stored.get(c.candidateId);
          return {
            candidateId: c.candidateId,
            name: c.fullName,
            birthDate: c.birthDate,
            votes: s?.votes ?? 0,
            pctOfValid: s?.pctOfValid ?? 0,
            elected: s?.elected ?? false,
          };
        })
        .sort((a, b) => b.votes - a.votes || a.candidateId.localeCompare(b.candidateId));
      return {
        unitId: u.unitId,
        level,
        name: u.name,
        seats: u.seats,
        votersOnList: r?.votersOnList ?? areaCounts.get(u.unitId)?.voters ?? 0,
        votersVoted: r?.votersVoted ?? 0,
        validBallots: r?.validBallots ?? 0,
        invalidBallots: r?.invalidBallots ?? 0,
        areasReporting: r?.areasReporting ?? 0,
        areasTotal: r?.areasTotal ?? areaCounts.get(u.unitId)?.areas ?? 0,
        candidates,
        tiedAtLastSeat: Array.isArray(r?.tiedAtLastSeat) ? r.tiedAtLastSeat : [],
        outcome: r?.outcome ?? 'counting',
        declared: r?.declared ?? false,
        declaredAt: r?.declaredAt?.toISOString() ?? null,
        position: Number(r?.position ?? 0n),
      };
    });
  }

  /** Areas and listed voters per unit of a level, from the reference tables. */
  private async areaCounts(level: Level): Promise<Map<string, { areas: number; voters: number }>> {
    const column = { na: 'naUnitId', city: 'cityUnitId', commune: 'communeUnitId' } as const;
    const groups = await this.prisma.pollingArea.groupBy({
      by: [column[level]],
      _count: { _all: true },
      _sum: { votersOnList: true },
    });
    return new Map(
      groups.map((g) => [
        String((g as Record<string, unknown>)[column[level]]),
        { areas: g._count._all, voters: g._sum.votersOnList ?? 0 },
      ]),
    );
  }
}
