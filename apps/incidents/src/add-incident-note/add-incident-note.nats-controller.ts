// NATS adapter of `incidents.note`, in the `incidents` queue group.
import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import {
  COMMAND_TRANSPORT,
  incidentSubjects,
  type Clock,
  type CommandReply,
  type CommandTransport,
} from '@hpe/service-kit';
import { CLOCK } from '../shared/tokens.js';
import { AddIncidentNotePayload, toAddIncidentNote } from './add-incident-note.command.js';
import { AddIncidentNoteHandler } from './add-incident-note.handler.js';

@Controller()
export class AddIncidentNoteNatsController {
  constructor(
    @Inject(COMMAND_TRANSPORT) private readonly transport: CommandTransport,
    @Inject(AddIncidentNoteHandler) private readonly handler: AddIncidentNoteHandler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @MessagePattern(incidentSubjects.note)
  note(@Payload() payload: unknown, @Ctx() context: NatsContext): Promise<CommandReply> {
    return this.transport.handle({
      subject: incidentSubjects.note,
      payload,
      context,
      schema: AddIncidentNotePayload,
      // Triage carries no field time: the command happens when the service takes it.
      occurredAt: () => this.clock().toISOString(),
      execute: (p, metadata) => this.handler.execute(toAddIncidentNote(p), metadata),
    });
  }
}
