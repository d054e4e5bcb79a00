// NATS adapter of the close command: `turnout.close`, in the `turnout` queue group.
import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import {
  COMMAND_TRANSPORT,
  turnoutSubjects,
  type CommandReply,
  type CommandTransport,
} from '@hpe/service-kit';
import { ClosePollingAreaPayload, toClosePollingArea } from './close-polling-area.command.js';
import { ClosePollingAreaHandler } from './close-polling-area.handler.js';

@Controller()
export class ClosePollingAreaNatsController {
  constructor(
    @Inject(COMMAND_TRANSPORT) private readonly transport: CommandTransport,
    @Inject(ClosePollingAreaHandler) private readonly handler: ClosePollingAreaHandler,
  ) {}

  @MessagePattern(turnoutSubjects.close)
  close(@Payload() payload: unknown, @Ctx() context: NatsContext): Promise<CommandReply> {
    return this.transport.handle({
      subject: turnoutSubjects.close,
      payload,
      context,
      schema: ClosePollingAreaPayload,
      occurredAt: (p) => p.at,
      execute: (p, metadata) => this.handler.execute(toClosePollingArea(p), metadata),
    });
  }
}
