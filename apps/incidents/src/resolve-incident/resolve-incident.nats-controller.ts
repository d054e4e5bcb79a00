// NATS adapter of `incidents.resolve`, in the `incidents` queue group.
import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import {
  COMMAND_TRANSPORT,
  incidentSubjects,
  type Clock,
  type CommandReply,
  type CommandTransport,
} from '@hpe/service-kit';
import { CLOCK } from '../shared/tokens.js';
import { ResolveIncidentPayload, toResolveIncident } from './resolve-incident.command.js';
import { ResolveIncidentHandler } from './resolve-incident.handler.js';

@Controller()
export class ResolveIncidentNatsController {
  constructor(
    @Inject(COMMAND_TRANSPORT) private readonly transport: CommandTransport,
    @Inject(ResolveIncidentHandler) private readonly handler: ResolveIncidentHandler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @MessagePattern(incidentSubjects.resolve)
  resolve(@Payload() payload: unknown, @Ctx() context: NatsContext): Promise<CommandReply> {
    return this.transport.handle({
      subject: incidentSubjects.resolve,
      payload,
      context,
      schema: ResolveIncidentPayload,
      // Triage carries no field time: the command happens when the service takes it.
      occurredAt: () => this.clock().toISOString(),
      execute: (p, metadata) => this.handler.execute(toResolveIncident(p), metadata),
    });
  }
}
