// The voter-cards service's Nest module: the import and the five card / voter commands over the
// voter streams, the card index and the reference areas.
import { Module, type DynamicModule } from '@nestjs/common';
import { commandServiceProviders, type CommandServiceDeps } from '@hpe/service-kit';
import type pg from 'pg';
import { CheckInNatsController } from './check-in/check-in.nats-controller.js';
import { DeliverCardNatsController } from './deliver-card/deliver-card.nats-controller.js';
import { ImportVotersHandler } from './import-voters/import-voters.handler.js';
import { ImportVotersNatsController } from './import-voters/import-voters.nats-controller.js';
import { MarkUnreachableNatsController } from './mark-unreachable/mark-unreachable.nats-controller.js';
import { AreaDirectory } from './shared/area-directory.js';
import { CardIndex } from './shared/card-index.js';
import { CLOCK, IMPORT_VOTERS, VOTER_CARD_COMMANDS } from './shared/tokens.js';
import { VoterCardCommands } from './shared/voter-card-commands.js';
import { voterKeyHasher } from './shared/voter-key.js';
import { VoterStreams } from './shared/voter-streams.js';
import { StrikeVoterNatsController } from './strike-voter/strike-voter.nats-controller.js';
import { VoteElsewhereNatsController } from './vote-elsewhere/vote-elsewhere.nats-controller.js';

export interface VoterCardsModuleOptions {
  /** The read models' database: reference areas and the card index. */
  readonly pool: pg.Pool;
  readonly voterKeySecret: string;
  readonly importConcurrency: number;
  readonly staleRetries: number;
}

@Module({})
export class VoterCardsModule {
  static register(deps: CommandServiceDeps, options: VoterCardsModuleOptions): DynamicModule {
    const streams = new VoterStreams({
      ledger: deps.ledger,
      clock: deps.clock,
      newEventId: deps.newEventId,
      staleRetries: options.staleRetries,
      log: deps.log,
    });
    const index = new CardIndex(options.pool);
    const areas = new AreaDirectory(options.pool);
    return {
      module: VoterCardsModule,
      controllers: [
        ImportVotersNatsController,
        CheckInNatsController,
        DeliverCardNatsController,
        MarkUnreachableNatsController,
        StrikeVoterNatsController,
        VoteElsewhereNatsController,
      ],
      providers: [
        ...commandServiceProviders(deps),
        { provide: CLOCK, useValue: deps.clock },
        { provide: VOTER_CARD_COMMANDS, useValue: new VoterCardCommands(streams, index, areas) },
        {
          provide: IMPORT_VOTERS,
          useValue: new ImportVotersHandler({
            ledger: deps.ledger,
            streams,
            index,
            areas,
            voterKeyOf: voterKeyHasher(options.voterKeySecret),
            concurrency: options.importConcurrency,
          }),
        },
      ],
    };
  }
}
