// NATS adapter of the import: `voters.import-batch`, in the `voter-cards` queue group. The rows'
// citizen IDs are hashed and dropped in the handler; a refused payload names paths, never values.
import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import { ok } from '@hpe/domain';
import {
  COMMAND_TRANSPORT,
  voterCardSubjects,
  type Clock,
  type CommandReply,
  type CommandTransport,
} from '@hpe/service-kit';
import { CLOCK, IMPORT_VOTERS } from '../shared/tokens.js';
import { ImportVotersBatchPayload } from './import-voters.command.js';
import type { ImportVotersHandler } from './import-voters.handler.js';

@Controller()
export class ImportVotersNatsController {
  constructor(
    @Inject(COMMAND_TRANSPORT) private readonly transport: CommandTransport,
    @Inject(IMPORT_VOTERS) private readonly handler: ImportVotersHandler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @MessagePattern(voterCardSubjects.importBatch)
  importBatch(@Payload() payload: unknown, @Ctx() context: NatsContext): Promise<CommandReply> {
    return this.transport.handle({
      subject: voterCardSubjects.importBatch,
      payload,
      context,
      schema: ImportVotersBatchPayload,
      occurredAt: () => this.clock().toISOString(),
      execute: async (p, metadata) => ok(await this.handler.execute(p.rows, metadata)),
    });
  }
}
