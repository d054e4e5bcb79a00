// The gateway's module. Connections are made in main.ts and handed in, so the module holds no
// hidden start-up I/O and tests can build it around real servers of their own.
import { Module, type DynamicModule } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { LedgerClient } from '@hpe/ledger-client';
import type pg from 'pg';
import type { Logger } from 'pino';
import { HealthController } from './health/health.controller.js';
import type { GatewaySettings } from './settings.js';
import { LOGGER, NATS, PG_POOL, SETTINGS } from './tokens.js';

export interface GatewayDependencies {
  readonly settings: GatewaySettings;
  readonly pool: pg.Pool;
  readonly nats: NatsConnection;
  readonly logger: Logger;
  /** The ledger over NATS; readiness asks it for its head. */
  readonly ledger: LedgerClient;
}

@Module({})
export class AppModule {
  static register(deps: GatewayDependencies): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController],
      providers: [
        { provide: SETTINGS, useValue: deps.settings },
        { provide: PG_POOL, useValue: deps.pool },
        { provide: NATS, useValue: deps.nats },
        { provide: LOGGER, useValue: deps.logger },
        // The class is its own token: it exists at run time, unlike an interface.
        { provide: LedgerClient, useValue: deps.ledger },
      ],
    };
  }
}
