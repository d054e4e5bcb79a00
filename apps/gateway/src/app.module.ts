// The gateway's module. Connections are made in main.ts and handed in, so the module holds no
// hidden start-up I/O and tests can build it around real servers of their own.
import type { KeyObject } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import type { NatsConnection } from '@nats-io/transport-node';
import { LedgerClient } from '@hpe/ledger-client';
import type { PrismaClient } from '@hpe/read-models';
import type pg from 'pg';
import type { Logger } from 'pino';
import { AuthController } from './auth/auth.controller.js';
import { AuthGuard } from './auth/auth.guard.js';
import { LoginRateLimiter } from './auth/login-rate-limiter.js';
import { LoginService } from './auth/login-service.js';
import { TokenService } from './auth/token-service.js';
import { UserStore } from './auth/user-store.js';
import { HealthController } from './health/health.controller.js';
import { OpenApiController } from './openapi/openapi.controller.js';
import { EventsController } from './ledger/events.controller.js';
import { LedgerVerifier } from './ledger/ledger-verifier.js';
import { LedgerVerifyController } from './ledger/ledger-verify.controller.js';
import { ElectoralUnitsController } from './reference/electoral-units.controller.js';
import { LiveController } from './live/live.controller.js';
import { LiveEventScope } from './live/live-event-scope.js';
import { LiveFeed } from './live/live-feed.js';
import { AnomaliesQueryController } from './queries/anomalies-query.controller.js';
import { CommunesController } from './queries/communes.controller.js';
import { IncidentsQueryController } from './queries/incidents-query.controller.js';
import { OverviewController } from './queries/overview.controller.js';
import { PollingAreasController } from './queries/polling-areas.controller.js';
import { ReadPosition } from './queries/read-position.js';
import { ResultsController } from './queries/results.controller.js';
import { TurnoutTimelineController } from './queries/turnout-timeline.controller.js';
import { CommandExecutor } from './commands/command-executor.js';
import { IdempotencyStore } from './commands/idempotency-store.js';
import { ServiceCommandsClient } from './commands/service-commands-client.js';
import { PollingAreaCommunes } from './reference/polling-area-communes.js';
import { PollingAreaScope } from './reference/polling-area-scope.js';
import { TurnoutController } from './turnout/turnout.controller.js';
import { AnomaliesController } from './anomalies/anomalies.controller.js';
import { IncidentFilers } from './incidents/incident-filers.js';
import { IncidentsController } from './incidents/incidents.controller.js';
import { TalliesController } from './tallies/tallies.controller.js';
import { NdjsonBodyParser } from './voters/ndjson-body-parser.js';
import { VoterImport } from './voters/voter-import.js';
import { VoterImportController } from './voters/voter-import.controller.js';
import { VoterScope } from './voters/voter-scope.js';
import { VotersController } from './voters/voters.controller.js';
import type { GatewaySettings } from './settings.js';
import { LOGGER, NATS, PG_POOL, PRISMA, SETTINGS } from './tokens.js';

export interface GatewayDependencies {
  readonly settings: GatewaySettings;
  readonly pool: pg.Pool;
  /** The read models' Prisma client (on its own connections). */
  readonly prisma: PrismaClient;
  readonly nats: NatsConnection;
  readonly logger: Logger;
  /** The ledger over NATS; readiness asks it for its head. */
  readonly ledger: LedgerClient;
  /** The ledger's checkpoint public keys (LEDGER_PUBLIC_KEY_FILE); none: chain-only verification. */
  readonly ledgerPublicKeys: readonly KeyObject[];
}

@Module({})
export class AppModule {
  static register(deps: GatewayDependencies): DynamicModule {
    const tokens = new TokenService(
      deps.settings.AUTH_JWT_SECRET,
      deps.settings.AUTH_TOKEN_TTL_SECONDS,
    );
    const login = new LoginService(
      new UserStore(deps.pool),
      tokens,
      new LoginRateLimiter(deps.settings.AUTH_LOGIN_ATTEMPTS_PER_MINUTE),
    );
    return {
      module: AppModule,
      imports: [DiscoveryModule],
      controllers: [
        HealthController,
        AuthController,
        OpenApiController,
        EventsController,
        LedgerVerifyController,
        ElectoralUnitsController,
        OverviewController,
        CommunesController,
        PollingAreasController,
        TurnoutTimelineController,
        ResultsController,
        IncidentsQueryController,
        AnomaliesQueryController,
        LiveController,
        TurnoutController,
        IncidentsController,
        TalliesController,
        VotersController,
        VoterImportController,
        AnomaliesController,
      ],
      providers: [
        { provide: SETTINGS, useValue: deps.settings },
        { provide: PG_POOL, useValue: deps.pool },
        { provide: PRISMA, useValue: deps.prisma },
        ReadPosition,
        LiveEventScope,
        LiveFeed,
        { provide: NATS, useValue: deps.nats },
        { provide: LOGGER, useValue: deps.logger },
        // The class is its own token: it exists at run time, unlike an interface.
        { provide: LedgerClient, useValue: deps.ledger },
        {
          provide: LedgerVerifier,
          useValue: new LedgerVerifier(
            deps.settings.LEDGER_DATABASE_URL ?? deps.settings.DATABASE_URL,
            deps.ledgerPublicKeys,
          ),
        },
        { provide: TokenService, useValue: tokens },
        { provide: LoginService, useValue: login },
        {
          provide: ServiceCommandsClient,
          useValue: new ServiceCommandsClient(deps.nats, deps.logger),
        },
        { provide: PollingAreaCommunes, useValue: new PollingAreaCommunes(deps.pool) },
        { provide: IdempotencyStore, useValue: new IdempotencyStore() },
        CommandExecutor,
        PollingAreaScope,
        IncidentFilers,
        VoterScope,
        VoterImport,
        NdjsonBodyParser,
        // Every route needs a token unless it says @Public().
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }
}
