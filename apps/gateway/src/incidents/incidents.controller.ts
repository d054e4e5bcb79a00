// POST /api/v1/incidents and the triage of one incident (acknowledge, assign, notes, resolve,
// reopen), plus the board's bulk acknowledge: role checked by the guard, scope by the incident's
// area (report) or its filer (notes), the body by the domain's schema, then NATS to `incidents`.
import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { IncidentId } from '@hpe/domain';
import { incidentSubjects } from '@hpe/service-kit';
import { withSpan } from '@hpe/telemetry';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { isAllowed, rolesFor } from '../auth/access-policy.js';
import { forbiddenScope } from '../auth/auth-errors.js';
import { CurrentPrincipal, Roles } from '../auth/decorators.js';
import type { Principal, Role } from '../auth/principal.js';
import { CommandExecutor, idempotencyKeyOf, parseBody } from '../commands/command-executor.js';
import type { CommandAccepted } from '../commands/command-reply-mapping.js';
import { IdempotencyKeyReused, IdempotencyStore } from '../commands/idempotency-store.js';
import { ServiceCommandsClient } from '../commands/service-commands-client.js';
import { ProblemException } from '../problem.filter.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { PollingAreaScope } from '../reference/polling-area-scope.js';
import { IncidentFilers } from './incident-filers.js';
import { newIncidentId } from './incident-id.js';
import {
  AcknowledgeIncidentBody,
  AddIncidentNoteBody,
  AssignIncidentBody,
  BulkAcknowledgeAnswerSchema,
  BulkAcknowledgeBody,
  ReopenIncidentBody,
  ReportIncidentAnswer,
  ReportIncidentBody,
  ResolveIncidentBody,
} from './incident-request-bodies.js';

/**
 * Notes: the triage roles on any incident, and whoever filed the incident on their own one (the
 * field team adds what it learns after reporting). Other reporting accounts, and auditors, may not.
 */
export const noteRoles: readonly Role[] = [
  ...new Set([...rolesFor('incident.triage'), ...rolesFor('incident.report')]),
];

/** How many acknowledgements of one bulk request are in flight at once. */
const bulkConcurrency = 8;

export type BulkAcknowledgeOutcome =
  | ({ readonly incidentId: string; readonly status: 201 } & CommandAccepted)
  | {
      readonly incidentId: string;
      readonly status: number;
      readonly code: string;
      readonly detail: string;
      readonly details?: Readonly<Record<string, unknown>>;
    };

export interface BulkAcknowledgeAnswer {
  readonly acknowledged: number;
  readonly refused: number;
  readonly results: readonly BulkAcknowledgeOutcome[];
}

interface Http {
  readonly body: unknown;
  readonly principal: Principal;
  readonly request: FastifyRequest;
}

function noSuchIncident(incidentId: string): ProblemException {
  return new ProblemException(404, 'NOT_FOUND', `No incident ${incidentId}.`);
}

@Controller('api/v1/incidents')
export class IncidentsController {
  constructor(
    @Inject(CommandExecutor) private readonly commands: CommandExecutor,
    @Inject(PollingAreaScope) private readonly scope: PollingAreaScope,
    @Inject(IncidentFilers) private readonly filers: IncidentFilers,
    @Inject(ServiceCommandsClient) private readonly client: ServiceCommandsClient,
    @Inject(IdempotencyStore) private readonly idempotency: IdempotencyStore,
  ) {}

  @Post()
  @ApiDoc({
    tag: 'incidents',
    summary: 'Report an incident at a polling area',
    description:
      'The gateway mints incidentId (UUIDv7); a replayed Idempotency-Key answers the same id. ' +
      'The commune is taken from the reference data. occurredAt may be at most 5 minutes ahead ' +
      'of now (422 INCIDENT.TIME_IN_FUTURE).',
    body: ReportIncidentBody,
    response: ReportIncidentAnswer,
  })
  @HttpCode(201)
  @Roles(...rolesFor('incident.report'))
  report(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted & { incidentId: string }> {
    // Minted before the request runs: a replay of the same Idempotency-Key answers the first id.
    const incidentId = newIncidentId();
    return this.commands.execute({
      subject: incidentSubjects.report,
      resource: 'incidents',
      schema: ReportIncidentBody,
      body,
      principal,
      request,
      authorize: (data) => this.scope.assertMayAct(principal, data.pollingAreaId),
      payload: (data) => ({ incidentId, ...data }),
      answer: () => ({ incidentId }),
      spanAttributes: { 'hpe.incident_id': incidentId },
    });
  }

  /** Bulk acknowledge (extension, issue #6): answered per id, never all-or-nothing. */
  @Post('acknowledge')
  @ApiDoc({
    tag: 'incidents',
    summary: 'Acknowledge up to 100 incidents at once (extension for the incidents board)',
    description:
      'Each id is acknowledged on its own; the answer (200) gives per id the status and code the ' +
      'single command would have had.',
    body: BulkAcknowledgeBody,
    response: BulkAcknowledgeAnswerSchema,
    status: 200,
  })
  @HttpCode(200)
  @Roles(...rolesFor('incident.triage'))
  async acknowledgeMany(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<BulkAcknowledgeAnswer> {
    const key = idempotencyKeyOf(request);
    const data = parseBody(BulkAcknowledgeBody, body);
    const run = (): Promise<BulkAcknowledgeAnswer> =>
      withSpan(`POST ${incidentSubjects.acknowledge} (bulk)`, {}, () =>
        this.acknowledgeEach(data.incidentIds, principal, key ?? randomUUID()),
      );
    if (key === undefined) return run();
    try {
      const outcome = await this.idempotency.once(
        `${principal.username}\u0000${incidentSubjects.acknowledge}\u0000bulk\u0000${key}`,
        JSON.stringify(data),
        run,
        (result) => result.ok,
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

  @Post(':incidentId/acknowledge')
  @ApiDoc({
    tag: 'incidents',
    summary: 'Acknowledge an incident (from reported or reopened)',
    body: AcknowledgeIncidentBody,
  })
  @HttpCode(201)
  @Roles(...rolesFor('incident.triage'))
  acknowledge(
    @Param('incidentId') incidentId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    return this.triage(incidentSubjects.acknowledge, AcknowledgeIncidentBody, incidentId, {
      body,
      principal,
      request,
    });
  }

  @Post(':incidentId/assign')
  @ApiDoc({
    tag: 'incidents',
    summary: 'Assign an incident to a unit, or hand it to another',
    body: AssignIncidentBody,
  })
  @HttpCode(201)
  @Roles(...rolesFor('incident.triage'))
  assign(
    @Param('incidentId') incidentId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    return this.triage(incidentSubjects.assign, AssignIncidentBody, incidentId, {
      body,
      principal,
      request,
    });
  }

  @Post(':incidentId/notes')
  @ApiDoc({
    tag: 'incidents',
    summary: 'Add a note to an incident, in any status',
    description:
      'admin and police on any incident; the other reporting roles only on an incident they ' +
      'reported (403 FORBIDDEN_SCOPE otherwise).',
    body: AddIncidentNoteBody,
  })
  @HttpCode(201)
  @Roles(...noteRoles)
  note(
    @Param('incidentId') incidentId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    return this.triage(
      incidentSubjects.note,
      AddIncidentNoteBody,
      incidentId,
      { body, principal, request },
      async () => {
        if (isAllowed(principal.role, 'incident.triage')) return;
        const filer = await this.filers.filerOf(incidentId);
        if (filer === undefined) throw noSuchIncident(incidentId);
        if (filer !== principal.username) {
          throw forbiddenScope(
            `${principal.username} may add notes only to incidents it reported.`,
          );
        }
      },
    );
  }

  @Post(':incidentId/resolve')
  @ApiDoc({
    tag: 'incidents',
    summary: 'Resolve an acknowledged or assigned incident',
    body: ResolveIncidentBody,
  })
  @HttpCode(201)
  @Roles(...rolesFor('incident.triage'))
  resolve(
    @Param('incidentId') incidentId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    return this.triage(incidentSubjects.resolve, ResolveIncidentBody, incidentId, {
      body,
      principal,
      request,
    });
  }

  @Post(':incidentId/reopen')
  @ApiDoc({
    tag: 'incidents',
    summary: 'Reopen a resolved incident, with a reason',
    body: ReopenIncidentBody,
  })
  @HttpCode(201)
  @Roles(...rolesFor('incident.triage'))
  reopen(
    @Param('incidentId') incidentId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<CommandAccepted> {
    return this.triage(incidentSubjects.reopen, ReopenIncidentBody, incidentId, {
      body,
      principal,
      request,
    });
  }

  private triage<T extends Record<string, unknown>>(
    subject: string,
    schema: z.ZodType<T>,
    incidentId: string,
    http: Http,
    authorize?: () => Promise<void>,
  ): Promise<CommandAccepted> {
    // A path id that cannot be an incident's is a 404 before anything else is looked at.
    if (!IncidentId.safeParse(incidentId).success) throw noSuchIncident(incidentId);
    return this.commands.execute({
      subject,
      resource: incidentId,
      schema,
      ...http,
      ...(authorize === undefined ? {} : { authorize }),
      payload: (data) => ({ incidentId, ...data }),
      spanAttributes: { 'hpe.incident_id': incidentId },
    });
  }

  private async acknowledgeEach(
    incidentIds: readonly string[],
    principal: Principal,
    correlationId: string,
  ): Promise<BulkAcknowledgeAnswer> {
    const results: BulkAcknowledgeOutcome[] = new Array<BulkAcknowledgeOutcome>(incidentIds.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < incidentIds.length; i = next++) {
        const incidentId = incidentIds[i] ?? '';
        results[i] = await this.acknowledgeOne(incidentId, principal, correlationId);
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(bulkConcurrency, incidentIds.length) }, worker),
    );
    const acknowledged = results.filter((r) => r.status === 201).length;
    return { acknowledged, refused: results.length - acknowledged, results };
  }

  private async acknowledgeOne(
    incidentId: string,
    principal: Principal,
    correlationId: string,
  ): Promise<BulkAcknowledgeOutcome> {
    try {
      const accepted = await this.client.send(
        incidentSubjects.acknowledge,
        { incidentId },
        { actor: { id: principal.username, role: principal.role }, correlationId },
      );
      return { incidentId, status: 201, ...accepted };
    } catch (error) {
      if (!(error instanceof ProblemException)) throw error;
      const { details } = error.extra;
      return {
        incidentId,
        status: error.getStatus(),
        code: error.code,
        detail: error.detail,
        ...(details === undefined ? {} : { details }),
      };
    }
  }
}
