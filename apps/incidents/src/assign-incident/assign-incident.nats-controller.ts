// NATS adapter of `incidents.assign`, in the `incidents` queue group.
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
import { AssignIncidentPayload, toAssignIncident } from './assign-incident.command.js';
import { AssignIncidentHandler } from './assign-incident.handler.js';

@Controller()
export class AssignIncidentNatsController {
  constructor(
    @Inject(COMMAND_TRANSPORT) private readonly transport: CommandTransport,
    @Inject(AssignIncidentHandler) private readonly handler: AssignIncidentHandler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @MessagePattern(incidentSubjects.assign)
  assign(@Payload() payload: unknown, @Ctx() context: NatsContext): Promise<CommandReply> {
    return this.transport.handle({
      subject: incidentSubjects.assign,
      payload,
      context,
      schema: AssignIncidentPayload,
      // Triage carries no field time: the command happens when the service takes it.
      occurredAt: () => this.clock().toISOString(),
      execute: (p, metadata) => this.handler.execute(toAssignIncident(p), metadata),
    });
  }
}
