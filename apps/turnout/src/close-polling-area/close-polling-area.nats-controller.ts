// NATS adapter of the close command: `turnout.close`, in the `turnout` queue group.
import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import { CommandTransport, turnoutSubjects } from '../shared/command-transport.js';
import type { TurnoutReply } from '../shared/turnout-reply.js';
import { ClosePollingAreaPayload, toClosePollingArea } from './close-polling-area.command.js';
import { ClosePollingAreaHandler } from './close-polling-area.handler.js';

@Controller()
export class ClosePollingAreaNatsController {
  constructor(
    @Inject(CommandTransport) private readonly transport: CommandTransport,
    @Inject(ClosePollingAreaHandler) private readonly handler: ClosePollingAreaHandler,
  ) {}

  @MessagePattern(turnoutSubjects.close)
  close(@Payload() payload: unknown, @Ctx() context: NatsContext): Promise<TurnoutReply> {
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
