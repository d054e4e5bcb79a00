// POST /api/v1/anomalies/:anomalyId/{acknowledge,dismiss}: the operations centre's roles checked by
// the guard (anomalies are city-wide: no scope), the body by the domain's schema, then NATS to
// `anomalies`, whose decider answers 404 for an unknown anomaly and 422 for an illegal step.
import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AnomalyId } from '@hpe/domain';
import { anomalySubjects } from '@hpe/service-kit';
import type { z } from 'zod';
import { rolesFor } from '../auth/access-policy.js';
import { CurrentPrincipal, Roles } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { CommandExecutor } from '../commands/command-executor.js';
import type { CommandAccepted } from '../commands/command-reply-mapping.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { ProblemException } from '../problem.filter.js';
import { AcknowledgeAnomalyBody, DismissAnomalyBody } from './anomaly-request-bodies.js';

interface Http {
  readonly body: unknown;
  readonly principal: Principal;
  readonly request: FastifyRequest;
}

@Controller('api/v1/anomalies')
@Roles(...rolesFor('anomaly.handle'))
export class AnomaliesController {
  constructor(@Inject(CommandExecutor) private readonly commands: CommandExecutor) {}

  @Post(':anomalyId/acknowledge')
  @ApiDoc({
    tag: 'anomalies',
    summary: 'Acknowledge an open anomaly with a note (someone is on it)',
    body: AcknowledgeAnomalyBody,
  })
  @HttpCode(201)
  acknowledge(
    @Param('anomalyId') anomalyId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    return this.command(anomalySubjects.acknowledge, AcknowledgeAnomalyBody, anomalyId, {
      body,
      principal,
      request,
    });
  }

  @Post(':anomalyId/dismiss')
  @ApiDoc({
    tag: 'anomalies',
    summary: 'Dismiss an open or acknowledged anomaly with a reason (final)',
    body: DismissAnomalyBody,
  })
  @HttpCode(201)
  dismiss(
    @Param('anomalyId') anomalyId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    return this.command(anomalySubjects.dismiss, DismissAnomalyBody, anomalyId, {
      body,
      principal,
      request,
    });
  }

  private command<T extends Record<string, unknown>>(
    subject: string,
    schema: z.ZodType<T>,
    anomalyId: string,
    http: Http,
  ): Promise<CommandAccepted> {
    // Anomaly ids are UUIDv7-shaped: any other path segment names no anomaly.
    if (!AnomalyId.safeParse(anomalyId).success)
      throw new ProblemException(404, 'NOT_FOUND', 'There is no such anomaly.');
    return this.commands.execute({
      subject,
      resource: anomalyId,
      schema,
      ...http,
      payload: (data) => ({ anomalyId, ...data }),
      spanAttributes: { 'hpe.anomaly_id': anomalyId },
    });
  }
}
