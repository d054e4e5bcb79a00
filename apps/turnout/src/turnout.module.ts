// The turnout service's Nest module: the three use cases over the kit's runner and transport, and
// the reference data they register areas from.
import { Module, type DynamicModule } from '@nestjs/common';
import { commandServiceProviders, type CommandServiceDeps } from '@hpe/service-kit';
import { ClosePollingAreaHandler } from './close-polling-area/close-polling-area.handler.js';
import { ClosePollingAreaNatsController } from './close-polling-area/close-polling-area.nats-controller.js';
import { OpenPollingAreaHandler } from './open-polling-area/open-polling-area.handler.js';
import { OpenPollingAreaNatsController } from './open-polling-area/open-polling-area.nats-controller.js';
import { ReportTurnoutHandler } from './report-turnout/report-turnout.handler.js';
import { ReportTurnoutNatsController } from './report-turnout/report-turnout.nats-controller.js';
import { PrismaPollingAreaDirectory } from './shared/polling-area-directory.js';
import { TURNOUT_COMMANDS } from './shared/tokens.js';
import { TurnoutCommands } from './shared/turnout-commands.js';

@Module({})
export class TurnoutModule {
  static register(deps: CommandServiceDeps): DynamicModule {
    return {
      module: TurnoutModule,
      controllers: [
        OpenPollingAreaNatsController,
        ReportTurnoutNatsController,
        ClosePollingAreaNatsController,
      ],
      providers: [
        ...commandServiceProviders(deps),
        {
          provide: TURNOUT_COMMANDS,
          useValue: new TurnoutCommands(deps.runner, new PrismaPollingAreaDirectory(deps.prisma)),
        },
        OpenPollingAreaHandler,
        ReportTurnoutHandler,
        ClosePollingAreaHandler,
      ],
    };
  }
}
