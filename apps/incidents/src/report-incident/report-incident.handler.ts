// Reports an incident: finds the commune of its polling area in the reference data (an unknown
// area is POLLING.UNKNOWN_AREA), then starts the incident's stream through the decider.
import { Inject, Injectable } from '@nestjs/common';
import { codedError, err } from '@hpe/domain';
import type { CommandMetadata, CommandReply } from '@hpe/service-kit';
import type { IncidentCommands } from '../shared/incident-commands.js';
import type { PollingAreaCommunes } from '../shared/polling-area-communes.js';
import { INCIDENT_COMMANDS, POLLING_AREA_COMMUNES } from '../shared/tokens.js';
import { toReportIncident, type ReportIncidentPayload } from './report-incident.command.js';

/** Code this service adds: the reference data has no such polling area (the gateway maps it 404). */
export const unknownAreaCode = 'POLLING.UNKNOWN_AREA';

@Injectable()
export class ReportIncidentHandler {
  constructor(
    @Inject(INCIDENT_COMMANDS) private readonly commands: IncidentCommands,
    @Inject(POLLING_AREA_COMMUNES) private readonly communes: PollingAreaCommunes,
  ) {}

  async execute(payload: ReportIncidentPayload, metadata: CommandMetadata): Promise<CommandReply> {
    const { pollingAreaId } = payload;
    const communeId = await this.communes.communeOf(pollingAreaId);
    if (communeId === null) {
      return err(
        codedError(unknownAreaCode, `the reference data has no polling area ${pollingAreaId}`, {
          pollingAreaId,
        }),
      );
    }
    return this.commands.run(toReportIncident(payload, communeId), metadata);
  }
}
