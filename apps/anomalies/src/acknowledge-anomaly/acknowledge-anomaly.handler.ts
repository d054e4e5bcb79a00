// Runs AcknowledgeAnomaly through the anomaly decider on the anomaly's stream.
import { Inject, Injectable } from '@nestjs/common';
import type { AcknowledgeAnomaly } from '@hpe/domain';
import type { CommandMetadata, CommandReply } from '@hpe/service-kit';
import type { AnomalyCommands } from '../shared/anomaly-commands.js';
import { ANOMALY_COMMANDS } from '../shared/tokens.js';

@Injectable()
export class AcknowledgeAnomalyHandler {
  constructor(@Inject(ANOMALY_COMMANDS) private readonly commands: AnomalyCommands) {}

  execute(command: AcknowledgeAnomaly, metadata: CommandMetadata): Promise<CommandReply> {
    return this.commands.run(command, metadata);
  }
}
