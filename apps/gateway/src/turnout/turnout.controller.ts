// POST /api/v1/polling-areas/:pollingAreaId/{open,turnout-reports,close}: role checked by the guard,
// scope by the area's commune, the body by the domain's schema, then one NATS request to turnout.
import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { turnoutSubjects } from '@hpe/service-kit';
import type { z } from 'zod';
import { rolesFor } from '../auth/access-policy.js';
import { CurrentPrincipal, Roles } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { CommandExecutor } from '../commands/command-executor.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import type { CommandAccepted } from '../commands/command-reply-mapping.js';
import { PollingAreaScope } from '../reference/polling-area-scope.js';
import {
  ClosePollingAreaBody,
  OpenPollingAreaBody,
  ReportTurnoutBody,
} from './turnout-request-bodies.js';

@Controller('api/v1/polling-areas')
@Roles(...rolesFor('polling.record'))
export class TurnoutController {
  constructor(
    @Inject(CommandExecutor) private readonly commands: CommandExecutor,
    @Inject(PollingAreaScope) private readonly scope: PollingAreaScope,
  ) {}

  @Post(':pollingAreaId/open')
  @ApiDoc({
    tag: 'turnout',
    summary: 'Open the polling area (not before 05:00, not at or after 19:00)',
    body: OpenPollingAreaBody,
  })
  @HttpCode(201)
  open(
    @Param('pollingAreaId') pollingAreaId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    return this.command(turnoutSubjects.open, OpenPollingAreaBody, pollingAreaId, {
      body,
      principal,
      request,
    });
  }

  @Post(':pollingAreaId/turnout-reports')
  @ApiDoc({
    tag: 'turnout',
    summary: 'Report the turnout of the area so far (never decreasing, never above the list)',
    body: ReportTurnoutBody,
  })
  @HttpCode(201)
  report(
    @Param('pollingAreaId') pollingAreaId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    return this.command(turnoutSubjects.report, ReportTurnoutBody, pollingAreaId, {
      body,
      principal,
      request,
    });
  }

  @Post(':pollingAreaId/close')
  @ApiDoc({
    tag: 'turnout',
    summary: 'Close the polling area (19:00–21:00, never early)',
    body: ClosePollingAreaBody,
  })
  @HttpCode(201)
  close(
    @Param('pollingAreaId') pollingAreaId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    return this.command(turnoutSubjects.close, ClosePollingAreaBody, pollingAreaId, {
      body,
      principal,
      request,
    });
  }

  private command<T extends Record<string, unknown>>(
    subject: string,
    schema: z.ZodType<T>,
    pollingAreaId: string,
    http: { body: unknown; principal: Principal; request: FastifyRequest },
  ): Promise<CommandAccepted> {
    this.scope.assertWellFormed(pollingAreaId);
    return this.commands.execute({
      subject,
      resource: pollingAreaId,
      schema,
      ...http,
      authorize: () => this.scope.assertMayAct(http.principal, pollingAreaId),
      payload: (data) => ({ pollingAreaId, ...data }),
      spanAttributes: { 'hpe.polling_area_id': pollingAreaId },
    });
  }
}
