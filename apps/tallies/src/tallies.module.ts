// The tallies service's Nest module: submit and correct a counting minute, declare a unit's
// result, over the kit's runner and transport and the reference tables' units.
import { Module, type DynamicModule } from '@nestjs/common';
import { commandServiceProviders, type CommandServiceDeps } from '@hpe/service-kit';
import { CorrectMinuteHandler } from './correct-minute/correct-minute.handler.js';
import { CorrectMinuteNatsController } from './correct-minute/correct-minute.nats-controller.js';
import { DeclareResultHandler } from './declare-result/declare-result.handler.js';
import { DeclareResultNatsController } from './declare-result/declare-result.nats-controller.js';
import { ResultDeclarations } from './shared/result-declarations.js';
import { TallyCommands } from './shared/tally-commands.js';
import { CLOCK, RESULT_DECLARATIONS, TALLY_COMMANDS } from './shared/tokens.js';
import { PrismaUnitDirectory } from './shared/unit-directory.js';
import { SubmitMinuteHandler } from './submit-minute/submit-minute.handler.js';
import { SubmitMinuteNatsController } from './submit-minute/submit-minute.nats-controller.js';

@Module({})
export class TalliesModule {
  static register(deps: CommandServiceDeps): DynamicModule {
    const directory = new PrismaUnitDirectory(deps.prisma);
    return {
      module: TalliesModule,
      controllers: [
        SubmitMinuteNatsController,
        CorrectMinuteNatsController,
        DeclareResultNatsController,
      ],
      providers: [
        ...commandServiceProviders(deps),
        { provide: CLOCK, useValue: deps.clock },
        { provide: TALLY_COMMANDS, useValue: new TallyCommands(deps.runner, directory) },
        {
          provide: RESULT_DECLARATIONS,
          useValue: new ResultDeclarations(deps.runner, directory),
        },
        SubmitMinuteHandler,
        CorrectMinuteHandler,
        DeclareResultHandler,
      ],
    };
  }
}
