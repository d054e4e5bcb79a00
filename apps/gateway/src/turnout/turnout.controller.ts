// POST /api/v1/polling-areas/:pollingAreaId/{open,turnout-reports,close}: role and scope checked
// here, the body against the domain's schema, then one NATS request to the turnout service.
import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { PollingAreaId } from '@hpe/domain';
import { withSpan } from '@hpe/telemetry';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { canActForPollingArea, rolesFor } from '../auth/access-policy.js';
import { forbiddenScope, validationFailed } from '../auth/auth-errors.js';
import { CurrentPrincipal, Roles } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { ProblemException } from '../problem.filter.js';
import { IdempotencyKeyReused, IdempotencyStore } from './idempotency-store.js';
import { PollingAreaCommunes } from './polling-area-communes.js';
import {
  TurnoutCommandsClient,
  turnoutSubjects,
  type TurnoutSubject,
} from './turnout-commands-client.js';
import {
  ClosePollingAreaBody,
  OpenPollingAreaBody,
  ReportTurnoutBody,
} from './turnout-request-bodies.js';
import type { CommandAccepted } from './turnout-reply-mapping.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues
    .slice(0, 10)
    .map((i) => ({ path: i.path.map((p) => String(p)).join('.'), message: i.message }));
}

function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !uuid.test(header)) {
    throw validationFailed([
      { path: 'Idempotency-Key', message: 'the Idempotency-Key header must be a UUID' },
    ]);
  }
  return header.toLowerCase();
}

@Controller('api/v1/polling-areas')
@Roles(...rolesFor('polling.record'))
export class TurnoutController {
  constructor(
    @Inject(TurnoutCommandsClient) private readonly client: TurnoutCommandsClient,
    @Inject(PollingAreaCommunes) private readonly communes: PollingAreaCommunes,
    @Inject(IdempotencyStore) private readonly idempotency: IdempotencyStore,
  ) {}

  @Post(':pollingAreaId/open')
  @HttpCode(201)
  open(
    @Param('pollingAreaId') pollingAreaId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    return this.command(
      turnoutSubjects.open,
      OpenPollingAreaBody,
      pollingAreaId,
      body,
      principal,
      request,
    );
  }

  @Post(':pollingAreaId/turnout-reports')
  @HttpCode(201)
  report(
    @Param('pollingAreaId') pollingAreaId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    return this.command(
      turnoutSubjects.report,
      ReportTurnoutBody,
      pollingAreaId,
      body,
      principal,
      request,
    );
  }

  @Post(':pollingAreaId/close')
  @HttpCode(201)
  close(
    @Param('pollingAreaId') pollingAreaId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    return this.command(
      turnoutSubjects.close,
      ClosePollingAreaBody,
      pollingAreaId,
      body,
      principal,
      request,
    );
  }

  private async command<T extends Record<string, unknown>>(
    subject: TurnoutSubject,
    schema: z.ZodType<T>,
    pollingAreaId: string,
    body: unknown,
    principal: Principal,
    request: FastifyRequest,
  ): Promise<CommandAccepted> {
    const key = idempotencyKeyOf(request);
    if (!PollingAreaId.safeParse(pollingAreaId).success) {
      throw new ProblemException(404, 'NOT_FOUND', `No polling area ${pollingAreaId}.`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw validationFailed(issuesOf(parsed.error));
    const data = parsed.data;
    const run = (): Promise<CommandAccepted> =>
      withSpan(`POST ${subject}`, { 'hpe.polling_area_id': pollingAreaId }, async () => {
        const communeId = await this.communes.communeOf(pollingAreaId);
        if (communeId === undefined) {
          throw new ProblemException(404, 'NOT_FOUND', `No polling area ${pollingAreaId}.`);
        }
        if (!canActForPollingArea(principal, pollingAreaId, communeId)) {
          throw forbiddenScope(
            `${principal.username} may not act for polling area ${pollingAreaId}.`,
          );
        }
        return this.client.send(
          subject,
          { pollingAreaId, ...data },
          {
            actor: { id: principal.username, role: principal.role },
            correlationId: key ?? randomUUID(),
          },
        );
      });
    if (key === undefined) return run();
    // Answers are kept per user, route and key; the body's fingerprint is its validated form,
    // whose keys come in the schema's order.
    const fingerprint = JSON.stringify(data);
    try {
      const outcome = await this.idempotency.once(
        `${principal.username}\u0000${subject}\u0000${pollingAreaId}\u0000${key}`,
        fingerprint,
        run,
        (result) =>
          result.ok || (result.error instanceof ProblemException && result.error.getStatus() < 500),
      );
      return outcome.value;
    } catch (error) {
      if (error instanceof IdempotencyKeyReused) {
        throw new ProblemException(
          409,
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was used with another request body.',
        );
      }
      throw error;
    }
  }
}
