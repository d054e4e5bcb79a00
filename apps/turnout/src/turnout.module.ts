// The turnout service's Nest module: the three use cases, their shared runner and transport, and
// the outside world (ledger, reference data, clock, ids, log) given in by whoever starts it.
import { Module, type DynamicModule } from '@nestjs/common';
import type { LogSink } from '@hpe/telemetry';
import { ClosePollingAreaHandler } from './close-polling-area/close-polling-area.handler.js';
import { ClosePollingAreaNatsController } from './close-polling-area/close-polling-area.nats-controller.js';
import { OpenPollingAreaHandler } from './open-polling-area/open-polling-area.handler.js';
import { OpenPollingAreaNatsController } from './open-polling-area/open-polling-area.nats-controller.js';
import { ReportTurnoutHandler } from './report-turnout/report-turnout.handler.js';
import { ReportTurnoutNatsController } from './report-turnout/report-turnout.nats-controller.js';
import {
  TurnoutCommandRunner,
  type CommandRunnerOptions,
  type LedgerPort,
} from './shared/command-runner.js';
import { CommandTransport } from './shared/command-transport.js';
import type { PollingAreaDirectory } from './shared/polling-area-directory.js';
import {
  CLOCK,
  LEDGER,
  LOGGER,
  NEW_EVENT_ID,
  POLLING_AREA_DIRECTORY,
  RUNNER_OPTIONS,
  type Clock,
  type NewEventId,
} from './shared/tokens.js';

export interface TurnoutModuleOptions {
  readonly ledger: LedgerPort;
  readonly directory: PollingAreaDirectory;
  readonly clock: Clock;
  readonly newEventId: NewEventId;
  readonly runner: CommandRunnerOptions;
  readonly log: LogSink;
}

@Module({})
export class TurnoutModule {
  static register(options: TurnoutModuleOptions): DynamicModule {
    return {
      module: TurnoutModule,
      controllers: [
        OpenPollingAreaNatsController,
        ReportTurnoutNatsController,
        ClosePollingAreaNatsController,
      ],
      providers: [
        { provide: LEDGER, useValue: options.ledger },
        { provide: POLLING_AREA_DIRECTORY, useValue: options.directory },
        { provide: CLOCK, useValue: options.clock },
        { provide: NEW_EVENT_ID, useValue: options.newEventId },
        { provide: RUNNER_OPTIONS, useValue: options.runner },
        { provide: LOGGER, useValue: options.log },
        TurnoutCommandRunner,
        CommandTransport,
        OpenPollingAreaHandler,
        ReportTurnoutHandler,
        ClosePollingAreaHandler,
      ],
    };
  }
}
