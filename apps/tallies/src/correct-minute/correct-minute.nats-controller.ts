// NATS adapter of a minute's correction: `tallies.correct-minute`, in the `tallies` queue group.
import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import {
  COMMAND_TRANSPORT,
  tallySubjects,
  type Clock,
  type CommandReply,
  type CommandTransport,
} from '@hpe/service-kit';
import { CLOCK } from '../shared/tokens.js';
import { CorrectMinutePayload, toCorrectRequest } from './correct-minute.command.js';
import { CorrectMinuteHandler } from './correct-minute.handler.js';

@Controller()
export class CorrectMinuteNatsController {
  constructor(
    @Inject(COMMAND_TRANSPORT) private readonly transport: CommandTransport,
    @Inject(CorrectMinuteHandler) private readonly handler: CorrectMinuteHandler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @MessagePattern(tallySubjects.correctMinute)
  correct(@Payload() payload: unknown, @Ctx() context: NatsContext): Promise<CommandReply> {
    const at = this.clock().toISOString();
    return this.transport.handle({
      subject: tallySubjects.correctMinute,
      payload,
      context,
      schema: CorrectMinutePayload,
      occurredAt: () => at,
      execute: (p, metadata) => this.handler.execute(toCorrectRequest(p, at), metadata),
    });
  }
}
