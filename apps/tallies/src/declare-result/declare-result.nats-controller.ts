// NATS adapter of a unit's result declaration: `tallies.declare-result`, in the `tallies` queue group.
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
import { DeclareResultPayload, toDeclareRequest } from './declare-result.command.js';
import { DeclareResultHandler } from './declare-result.handler.js';

@Controller()
export class DeclareResultNatsController {
  constructor(
    @Inject(COMMAND_TRANSPORT) private readonly transport: CommandTransport,
    @Inject(DeclareResultHandler) private readonly handler: DeclareResultHandler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @MessagePattern(tallySubjects.declareResult)
  declare(@Payload() payload: unknown, @Ctx() context: NatsContext): Promise<CommandReply> {
    const at = this.clock().toISOString();
    return this.transport.handle({
      subject: tallySubjects.declareResult,
      payload,
      context,
      schema: DeclareResultPayload,
      occurredAt: () => at,
      execute: (p, metadata) => this.handler.execute(toDeclareRequest(p, at), metadata),
    });
  }
}
