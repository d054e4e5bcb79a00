// NATS adapter: `voters.vote-elsewhere`, in the `voter-cards` queue group.
import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import {
  COMMAND_TRANSPORT,
  voterCardSubjects,
  type Clock,
  type CommandReply,
  type CommandTransport,
} from '@hpe/service-kit';
import { CLOCK, VOTER_CARD_COMMANDS } from '../shared/tokens.js';
import type { VoterCardCommands } from '../shared/voter-card-commands.js';
import { VoteElsewherePayload, toVoteElsewhere } from './vote-elsewhere.command.js';

@Controller()
export class VoteElsewhereNatsController {
  constructor(
    @Inject(COMMAND_TRANSPORT) private readonly transport: CommandTransport,
    @Inject(VOTER_CARD_COMMANDS) private readonly commands: VoterCardCommands,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @MessagePattern(voterCardSubjects.voteElsewhere)
  handle(@Payload() payload: unknown, @Ctx() context: NatsContext): Promise<CommandReply> {
    return this.transport.handle({
      subject: voterCardSubjects.voteElsewhere,
      payload,
      context,
      schema: VoteElsewherePayload,
      occurredAt: () => this.clock().toISOString(),
      execute: (p, metadata) =>
        this.commands.voteElsewhere(p.voterKey, toVoteElsewhere(p), metadata),
    });
  }
}
