// Runs DismissAnomaly through the anomaly decider on the anomaly's stream.
import { Inject, Injectable } from '@nestjs/common';
import type { DismissAnomaly } from '@hpe/domain';
import type { CommandMetadata, CommandReply } from '@hpe/service-kit';
import type { AnomalyCommands } from '../shared/anomaly-commands.js';
import { ANOMALY_COMMANDS } from '../shared/tokens.js';

@Injectable()
export class DismissAnomalyHandler {
  constructor(@Inject(ANOMALY_COMMANDS) private readonly commands: AnomalyCommands) {}

  execute(command: DismissAnomaly, metadata: CommandMetadata): Promise<CommandReply> {
    return this.commands.run(command, metadata);
  }
}
