// NATS adapter of `incidents.acknowledge`, in the `incidents` queue group.
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
import {
  AcknowledgeIncidentPayload,
  toAcknowledgeIncident,
} from './acknowledge-incident.command.js';
import { AcknowledgeIncidentHandler } from './acknowledge-incident.handler.js';

@Controller()
export class AcknowledgeIncidentNatsController {
  constructor(
    @Inject(COMMAND_TRANSPORT) private readonly transport: CommandTransport,
    @Inject(AcknowledgeIncidentHandler) private readonly handler: AcknowledgeIncidentHandler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @MessagePattern(incidentSubjects.acknowledge)
  acknowledge(@Payload() payload: unknown, @Ctx() context: NatsContext): Promise<CommandReply> {
    return this.transport.handle({
      subject: incidentSubjects.acknowledge,
      payload,
      context,
      schema: AcknowledgeIncidentPayload,
      // Triage carries no field time: the command happens when the service takes it.
      occurredAt: () => this.clock().toISOString(),
      execute: (p, metadata) => this.handler.execute(toAcknowledgeIncident(p), metadata),
    });
  }
}
