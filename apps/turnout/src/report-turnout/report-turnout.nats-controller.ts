// NATS adapter of the turnout report: `turnout.report`, in the `turnout` queue group.
import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import {
  COMMAND_TRANSPORT,
  turnoutSubjects,
  type CommandReply,
  type CommandTransport,
} from '@hpe/service-kit';
import { ReportTurnoutPayload, toReportTurnout } from './report-turnout.command.js';
import { ReportTurnoutHandler } from './report-turnout.handler.js';

@Controller()
export class ReportTurnoutNatsController {
  constructor(
    @Inject(COMMAND_TRANSPORT) private readonly transport: CommandTransport,
    @Inject(ReportTurnoutHandler) private readonly handler: ReportTurnoutHandler,
  ) {}

  @MessagePattern(turnoutSubjects.report)
  report(@Payload() payload: unknown, @Ctx() context: NatsContext): Promise<CommandReply> {
    return this.transport.handle({
      subject: turnoutSubjects.report,
      payload,
      context,
      schema: ReportTurnoutPayload,
      occurredAt: (p) => p.asOf,
      execute: (p, metadata) => this.handler.execute(toReportTurnout(p), metadata),
    });
  }
}
