// POST /api/v1/polling-areas/:pollingAreaId/minutes/:level (and /corrections), and
// POST /api/v1/results/:level/:unitId/declare: role checked by the guard, the area's scope by its
// commune, the path's level and ids checked (404), the body by the domain's schema, then one NATS
// request to the tallies service, which answers after the ledger committed.
import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DeclareUnitResult, Level } from '@hpe/domain';
import { tallySubjects } from '@hpe/service-kit';
import { rolesFor } from '../auth/access-policy.js';
import { CurrentPrincipal, Roles } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { CommandExecutor } from '../commands/command-executor.js';
import type { CommandAccepted } from '../commands/command-reply-mapping.js';
import { ProblemException } from '../problem.filter.js';
import { PollingAreaScope } from '../reference/polling-area-scope.js';
import {
  CorrectMinuteBody,
  DeclareResultBody,
  SubmitMinuteBody,
} from './tallies-request-bodies.js';

/** A level the path names that is not one of the three ballots: no such resource. */
function levelOf(level: string): Level {
  const parsed = Level.safeParse(level);
  if (!parsed.success) {
    throw new ProblemException(
      404,
      'NOT_FOUND',
      `No ballot level ${level}; use na, city or commune.`,
    );
  }
  return parsed.data;
}

interface Http {
  readonly body: unknown;
  readonly principal: Principal;
  readonly request: FastifyRequest;
}

@Controller('api/v1')
export class TalliesController {
  constructor(
    @Inject(CommandExecutor) private readonly commands: CommandExecutor,
    @Inject(PollingAreaScope) private readonly scope: PollingAreaScope,
  ) {}

  @Post('polling-areas/:pollingAreaId/minutes/:level')
  @ApiDoc({
    tag: 'tallies',
    summary: 'Submit the counting minute of a polling area at a level (na, city, commune)',
    description:
      'Once per area and level; every consistency rule is checked, a refusal (422) has the first ' +
      'broken rule as its code and every violation in details.violations.',
    body: SubmitMinuteBody,
  })
  @HttpCode(201)
  @Roles(...rolesFor('polling.record'))
  submit(
    @Param('pollingAreaId') pollingAreaId: string,
    @Param('level') level: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    const ballot = this.areaAndLevel(pollingAreaId, level);
    return this.commands.execute({
      subject: tallySubjects.submitMinute,
      resource: `${pollingAreaId}/${ballot}`,
      schema: SubmitMinuteBody,
      body,
      principal,
      request,
      authorize: () => this.scope.assertMayAct(principal, pollingAreaId),
      payload: (minute) => ({ pollingAreaId, level: ballot, minute }),
      spanAttributes: { 'hpe.polling_area_id': pollingAreaId, 'hpe.level': ballot },
    });
  }

  @Post('polling-areas/:pollingAreaId/minutes/:level/corrections')
  @ApiDoc({
    tag: 'tallies',
    summary: 'Correct a counting minute with a reason: a new version supersedes, both are kept',
    body: CorrectMinuteBody,
  })
  @HttpCode(201)
  @Roles(...rolesFor('minute.correct'))
  correct(
    @Param('pollingAreaId') pollingAreaId: string,
    @Param('level') level: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    const ballot = this.areaAndLevel(pollingAreaId, level);
    return this.commands.execute({
      subject: tallySubjects.correctMinute,
      resource: `${pollingAreaId}/${ballot}`,
      schema: CorrectMinuteBody,
      body,
      principal,
      request,
      authorize: () => this.scope.assertMayAct(principal, pollingAreaId),
      payload: ({ reason, ...minute }) => ({ pollingAreaId, level: ballot, minute, reason }),
      spanAttributes: { 'hpe.polling_area_id': pollingAreaId, 'hpe.level': ballot },
    });
  }

  @Post('results/:level/:unitId/declare')
  @ApiDoc({
    tag: 'tallies',
    summary: "Declare an electoral unit's result, once every polling area has its minute",
    description: 'The result computed from the latest minutes is recorded with the declaration.',
    body: DeclareResultBody,
  })
  @HttpCode(201)
  @Roles(...rolesFor('result.declare'))
  declare(
    @Param('level') level: string,
    @Param('unitId') unitId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    const ballot = levelOf(level);
    if (!DeclareUnitResult.shape.data.shape.unitId.safeParse(unitId).success) {
      throw new ProblemException(404, 'NOT_FOUND', `No electoral unit ${unitId}.`);
    }
    const http: Http = { body, principal, request };
    return this.commands.execute({
      subject: tallySubjects.declareResult,
      resource: `${ballot}/${unitId}`,
      schema: DeclareResultBody,
      ...http,
      // The service answers RESULT.UNKNOWN_UNIT (404) for a unit the reference data lacks.
      payload: () => ({ level: ballot, unitId }),
      spanAttributes: { 'hpe.level': ballot, 'hpe.unit_id': unitId },
    });
  }

  private areaAndLevel(pollingAreaId: string, level: string): Level {
    this.scope.assertWellFormed(pollingAreaId);
    return levelOf(level);
  }
}
