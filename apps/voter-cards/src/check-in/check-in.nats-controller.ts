// NATS adapter: `voters.check-in`, in the `voter-cards` queue group.
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
import { CheckInPayload, toCheckIn } from './check-in.command.js';

@Controller()
export class CheckInNatsController {
  constructor(
    @Inject(COMMAND_TRANSPORT) private readonly transport: CommandTransport,
    @Inject(VOTER_CARD_COMMANDS) private readonly commands: VoterCardCommands,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @MessagePattern(voterCardSubjects.checkIn)
  handle(@Payload() payload: unknown, @Ctx() context: NatsContext): Promise<CommandReply> {
    return this.transport.handle({
      subject: voterCardSubjects.checkIn,
      payload,
      context,
      schema: CheckInPayload,
      occurredAt: (p) => p.at,
      execute: (p, metadata) => this.commands.byCard(toCheckIn(p), metadata),
    });
  }
}
