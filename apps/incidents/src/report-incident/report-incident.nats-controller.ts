// NATS adapter of the incident report: `incidents.report`, in the `incidents` queue group.
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
import { ReportIncidentPayload } from './report-incident.command.js';
import { ReportIncidentHandler } from './report-incident.handler.js';

@Controller()
export class ReportIncidentNatsController {
  constructor(
    @Inject(COMMAND_TRANSPORT) private readonly transport: CommandTransport,
    @Inject(ReportIncidentHandler) private readonly handler: ReportIncidentHandler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @MessagePattern(incidentSubjects.report)
  report(@Payload() payload: unknown, @Ctx() context: NatsContext): Promise<CommandReply> {
    return this.transport.handle({
      subject: incidentSubjects.report,
      payload,
      context,
      schema: ReportIncidentPayload,
      // The report is made now; when the incident itself happened is its `occurredAt` field.
      occurredAt: () => this.clock().toISOString(),
      execute: (p, metadata) => this.handler.execute(p, metadata),
    });
  }
}
