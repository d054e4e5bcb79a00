// The incidents service's Nest module: report and the five triage use cases over the kit's runner
// and transport, and the reference data a report takes its commune from.
import { Module, type DynamicModule } from '@nestjs/common';
import { commandServiceProviders, type CommandServiceDeps } from '@hpe/service-kit';
import { AcknowledgeIncidentHandler } from './acknowledge-incident/acknowledge-incident.handler.js';
import { AcknowledgeIncidentNatsController } from './acknowledge-incident/acknowledge-incident.nats-controller.js';
import { AddIncidentNoteHandler } from './add-incident-note/add-incident-note.handler.js';
import { AddIncidentNoteNatsController } from './add-incident-note/add-incident-note.nats-controller.js';
import { AssignIncidentHandler } from './assign-incident/assign-incident.handler.js';
import { AssignIncidentNatsController } from './assign-incident/assign-incident.nats-controller.js';
import { ReopenIncidentHandler } from './reopen-incident/reopen-incident.handler.js';
import { ReopenIncidentNatsController } from './reopen-incident/reopen-incident.nats-controller.js';
import { ReportIncidentHandler } from './report-incident/report-incident.handler.js';
import { ReportIncidentNatsController } from './report-incident/report-incident.nats-controller.js';
import { ResolveIncidentHandler } from './resolve-incident/resolve-incident.handler.js';
import { ResolveIncidentNatsController } from './resolve-incident/resolve-incident.nats-controller.js';
import { IncidentCommands } from './shared/incident-commands.js';
import { PrismaPollingAreaCommunes } from './shared/polling-area-communes.js';
import { CLOCK, INCIDENT_COMMANDS, POLLING_AREA_COMMUNES } from './shared/tokens.js';

@Module({})
export class IncidentsModule {
  static register(deps: CommandServiceDeps): DynamicModule {
    return {
      module: IncidentsModule,
      controllers: [
        ReportIncidentNatsController,
        AcknowledgeIncidentNatsController,
        AssignIncidentNatsController,
        AddIncidentNoteNatsController,
        ResolveIncidentNatsController,
        ReopenIncidentNatsController,
      ],
      providers: [
        ...commandServiceProviders(deps),
        { provide: CLOCK, useValue: deps.clock },
        { provide: INCIDENT_COMMANDS, useValue: new IncidentCommands(deps.runner) },
        { provide: POLLING_AREA_COMMUNES, useValue: new PrismaPollingAreaCommunes(deps.prisma) },
        ReportIncidentHandler,
        AcknowledgeIncidentHandler,
        AssignIncidentHandler,
        AddIncidentNoteHandler,
        ResolveIncidentHandler,
        ReopenIncidentHandler,
      ],
    };
  }
}
