// The servers every in-process service test stands on: a nats-server of the file's own, a ledger
// in-process on a test database, and the reference data seeded into another; plus a NATS connection
// and ledger client for the test, and the settings a service started beside them runs with.
import type {} from '@hpe/test-kit/global-setup';
import type { RecordedEvent } from '@hpe/domain';
import { freePort } from '@hpe/embedded';
import { LedgerClient } from '@hpe/ledger-client';
import { closeNats, connectNats } from '@hpe/messaging';
import { applyMigrations, seedReferenceData } from '@hpe/read-models';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import { expect, inject } from 'vitest';
import { startLedgerService, type LedgerService } from './service.js';
import { ledgerSettings, startTestNats, type TestNats } from './service.test-support.js';

export interface LedgerStackOptions {
  /** More settings of the ledger (a signing key, checkpoint intervals). */
  readonly ledgerEnv?: Record<string, string>;
  /** Seeds the reference data (haiphong-2026) after the migrations; true by default. */
  readonly referenceSeed?: boolean;
}

export interface NatsRequestOptions {
  /** Send the body as it is (a string), not as JSON. */
  readonly raw?: boolean;
  /** 10 s by default. */
  readonly timeoutMs?: number;
}

export interface LedgerStack {
  readonly nats: TestNats;
  /** The test's own connection (named `<name>-test`). */
  readonly nc: NatsConnection;
  readonly ledger: LedgerClient;
  readonly ledgerDatabaseUrl: string;
  readonly referenceDatabaseUrl: string;
  /**
   * The settings of a service started in-process on this stack: a free health port, silent logs
   * and the ledger's telemetry handle (telemetry is one per process), then `extra`.
   */
  serviceEnv(extra?: Record<string, string>): Promise<Record<string, string>>;
  /** A plain NATS request with a JSON (or raw) body; the parsed reply. */
  request(subject: string, body: unknown, options?: NatsRequestOptions): Promise<unknown>;
  /** The ledger's head position. */
  head(): Promise<number>;
  /** The events of one stream of the ledger, from its first. */
  readStream(streamId: string): Promise<RecordedEvent[]>;
  /** Runs `act` and checks that the ledger's head did not move: a refusal wrote nothing. */
  appendsNothing(act: () => Promise<void>): Promise<void>;
  /** Closes the test's connection and the ledger, stops nats-server and drops both databases. */
  stop(): Promise<void>;
}

/** A command service's test harness: the stack's handles and the service, beside its own. */
export interface ServiceOnStack<S> extends Pick<
  LedgerStack,
  'nc' | 'ledger' | 'head' | 'readStream' | 'appendsNothing' | 'request'
> {
  readonly service: S;
  /** Closes the service, then the stack. */
  stop(): Promise<void>;
}

/**
 * The stack's handles with `service` on it; stop() closes the service, then `alsoClose` (what the
 * harness opened besides), then the stack. NATS requests wait `timeoutMs` (10 s by default).
 */
export function serviceOnStack<S extends { close(): Promise<void> }>(
  stack: LedgerStack,
  service: S,
  options: { readonly timeoutMs?: number; readonly alsoClose?: () => Promise<void> } = {},
): ServiceOnStack<S> {
  const { timeoutMs, alsoClose } = options;
  return {
    nc: stack.nc,
    ledger: stack.ledger,
    service,
    request: (subject, body, requestOptions) =>
      stack.request(subject, body, {
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        ...requestOptions,
      }),
    head: stack.head,
    readStream: stack.readStream,
    appendsNothing: stack.appendsNothing,
    stop: async () => {
      await service.close();
      await alsoClose?.();
      await stack.stop();
    },
  };
}

/** Starts the stack; `name` prefixes its databases (`<name>_ledger`, `<name>_reference`). */
export async function startLedgerStack(
  name: string,
  options: LedgerStackOptions = {},
): Promise<LedgerStack> {
  const adminUrl = inject('postgresAdminUrl');
  const nats: TestNats = await startTestNats();
  const ledgerDb: TestDatabase = await createTestDatabase(adminUrl, `${name}_ledger`);
  const referenceDb: TestDatabase = await createTestDatabase(adminUrl, `${name}_reference`);
  await applyMigrations(referenceDb.url);
  if (options.referenceSeed !== false)
    await seedReferenceData(referenceDb.url, { seed: 'haiphong-2026' });
  const ledgerService: LedgerService = await startLedgerService(
    await ledgerSettings(ledgerDb.url, nats.url, options.ledgerEnv),
  );
  const nc = await connectNats({ servers: [nats.url], name: `${name}-test` });
  const ledger = new LedgerClient(nc);
  const encoder = new TextEncoder();
  const head = async (): Promise<number> => {
    const position = await ledger.head();
    if (!position.ok) throw new Error(position.error.code);
    return position.value.position;
  };
  return {
    nats,
    nc,
    ledger,
    ledgerDatabaseUrl: ledgerDb.url,
    referenceDatabaseUrl: referenceDb.url,
    serviceEnv: async (extra = {}) => ({
      DATABASE_URL: referenceDb.url,
      NATS_URL: nats.url,
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      OTEL_SERVICE_NAME: 'ledger',
      ...extra,
    }),
    request: async (subject, body, requestOptions = {}) => {
      const payload = encoder.encode(
        requestOptions.raw === true && typeof body === 'string' ? body : JSON.stringify(body),
      );
      const msg = await nc.request(subject, payload, {
        timeout: requestOptions.timeoutMs ?? 10_000,
      });
      return msg.json();
    },
    head,
    readStream: async (streamId) => {
      const page = await ledger.readStream(streamId, {});
      if (!page.ok) throw new Error(page.error.code);
      return page.value.events;
    },
    appendsNothing: async (act) => {
      const before = await head();
      await act();
      expect(await head()).toBe(before);
    },
    stop: async () => {
      await closeNats(nc);
      await ledgerService.close();
      await nats.stop();
      await Promise.all([ledgerDb.drop(), referenceDb.drop()]);
    },
  };
}
