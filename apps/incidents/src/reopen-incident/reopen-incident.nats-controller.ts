// NATS adapter of `incidents.reopen`, in the `incidents` queue group.
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
import { ReopenIncidentPayload, toReopenIncident } from './reopen-incident.command.js';
import { ReopenIncidentHandler } from './reopen-incident.handler.js';

@Controller()
export class ReopenIncidentNatsController {
  constructor(
    @Inject(COMMAND_TRANSPORT) private readonly transport: CommandTransport,
    @Inject(ReopenIncidentHandler) private readonly handler: ReopenIncidentHandler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @MessagePattern(incidentSubjects.reopen)
  reopen(@Payload() payload: unknown, @Ctx() context: NatsContext): Promise<CommandReply> {
    return this.transport.handle({
      subject: incidentSubjects.reopen,
      payload,
      context,
      schema: ReopenIncidentPayload,
      // Triage carries no field time: the command happens when the service takes it.
      occurredAt: () => this.clock().toISOString(),
      execute: (p, metadata) => this.handler.execute(toReopenIncident(p), metadata),
    });
  }
}
