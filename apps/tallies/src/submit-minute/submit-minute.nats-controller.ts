// NATS adapter of the counting minute: `tallies.submit-minute`, in the `tallies` queue group.
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
import { SubmitMinutePayload, toSubmitRequest } from './submit-minute.command.js';
import { SubmitMinuteHandler } from './submit-minute.handler.js';

@Controller()
export class SubmitMinuteNatsController {
  constructor(
    @Inject(COMMAND_TRANSPORT) private readonly transport: CommandTransport,
    @Inject(SubmitMinuteHandler) private readonly handler: SubmitMinuteHandler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @MessagePattern(tallySubjects.submitMinute)
  submit(@Payload() payload: unknown, @Ctx() context: NatsContext): Promise<CommandReply> {
    // The minute carries no time of its own: it is recorded when the service takes it.
    const at = this.clock().toISOString();
    return this.transport.handle({
      subject: tallySubjects.submitMinute,
      payload,
      context,
      schema: SubmitMinutePayload,
      occurredAt: () => at,
      execute: (p, metadata) => this.handler.execute(toSubmitRequest(p, at), metadata),
    });
  }
}
