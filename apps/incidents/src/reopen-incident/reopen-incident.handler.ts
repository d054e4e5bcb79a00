// Reopens an incident: loads its stream and decides (see shared/incident-commands.ts).
import { Inject, Injectable } from '@nestjs/common';
import type { ReopenIncident } from '@hpe/domain';
import type { CommandMetadata, CommandReply } from '@hpe/service-kit';
import type { IncidentCommands } from '../shared/incident-commands.js';
import { INCIDENT_COMMANDS } from '../shared/tokens.js';

@Injectable()
export class ReopenIncidentHandler {
  constructor(@Inject(INCIDENT_COMMANDS) private readonly commands: IncidentCommands) {}

  execute(command: ReopenIncident, metadata: CommandMetadata): Promise<CommandReply> {
    return this.commands.run(command, metadata);
  }
}
