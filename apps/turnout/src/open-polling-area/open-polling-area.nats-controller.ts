// NATS adapter of the open command: `turnout.open`, in the `turnout` queue group.
import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import {
  COMMAND_TRANSPORT,
  turnoutSubjects,
  type CommandReply,
  type CommandTransport,
} from '@hpe/service-kit';
import { OpenPollingAreaPayload, toOpenPollingArea } from './open-polling-area.command.js';
import { OpenPollingAreaHandler } from './open-polling-area.handler.js';

@Controller()
export class OpenPollingAreaNatsController {
  constructor(
    @Inject(COMMAND_TRANSPORT) private readonly transport: CommandTransport,
    @Inject(OpenPollingAreaHandler) private readonly handler: OpenPollingAreaHandler,
  ) {}

  @MessagePattern(turnoutSubjects.open)
  open(@Payload() payload: unknown, @Ctx() context: NatsContext): Promise<CommandReply> {
    return this.transport.handle({
      subject: turnoutSubjects.open,
      payload,
      context,
      schema: OpenPollingAreaPayload,
      occurredAt: (p) => p.at,
      execute: (p, metadata) => this.handler.execute(toOpenPollingArea(p), metadata),
    });
  }
}
