// The anomalies service's Nest module: acknowledge and dismiss over the kit's runner and transport.
// The detector and the schedule run beside it in the same process (see service.ts).
import { Module, type DynamicModule } from '@nestjs/common';
import { commandServiceProviders, type CommandServiceDeps } from '@hpe/service-kit';
import { AcknowledgeAnomalyHandler } from './acknowledge-anomaly/acknowledge-anomaly.handler.js';
import { AcknowledgeAnomalyNatsController } from './acknowledge-anomaly/acknowledge-anomaly.nats-controller.js';
import { DismissAnomalyHandler } from './dismiss-anomaly/dismiss-anomaly.handler.js';
import { DismissAnomalyNatsController } from './dismiss-anomaly/dismiss-anomaly.nats-controller.js';
import { AnomalyCommands } from './shared/anomaly-commands.js';
import { ANOMALY_CLOCK, ANOMALY_COMMANDS } from './shared/tokens.js';

@Module({})
export class AnomaliesModule {
  static register(deps: CommandServiceDeps): DynamicModule {
    return {
      module: AnomaliesModule,
      controllers: [AcknowledgeAnomalyNatsController, DismissAnomalyNatsController],
      providers: [
        ...commandServiceProviders(deps),
        { provide: ANOMALY_COMMANDS, useValue: new AnomalyCommands(deps.runner) },
        { provide: ANOMALY_CLOCK, useValue: deps.clock },
        AcknowledgeAnomalyHandler,
        DismissAnomalyHandler,
      ],
    };
  }
}
