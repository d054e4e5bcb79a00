// Starts one ledger instance: schema, event store, NATS API, leader election, JetStream relay and
// health endpoints; close() stops them in the order that loses no acknowledged append.
import { assertNever } from '@hpe/domain';
import { closeNats, connectNats, ensureEventsStream } from '@hpe/messaging';
import { createLogger, startTelemetry, type Logger } from '@hpe/telemetry';
import { jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { LedgerApi } from './api/ledger-api.js';
import { createCheckpointer, type Checkpointer } from './checkpoints/checkpointer.js';
import { loadOrCreateSigningKey, type SigningKey } from './checkpoints/signing-key.js';
import { startHealthServer, timedCheck, type ReadinessReport } from './health/health-server.js';
import { LeaderElection, type LeaderState } from './leader/leader-election.js';
import { EventRelay, type RelayStatus } from './relay/event-relay.js';
import {
  ledgerStoreChoice,
  ledgerWriterRole,
  type LedgerSettings,
  type LedgerStoreChoice,
} from './settings.js';
import type { EventStore } from './storage/event-store.js';
import { KurrentDbEventStore } from './storage/kurrentdb-event-store.js';
import { PostgresEventStore } from './storage/postgres-event-store.js';
import { installLedgerSchema } from './storage/schema.js';

export interface LedgerServiceOptions {
  /**
   * Called when the leader's lock session fails. The service has already stopped taking appends
   * and relaying; main.ts exits the process (non-zero) so its supervisor starts a fresh instance.
   */
  readonly onLeadershipLost?: (error: Error) => void;
  /** Pause between a standby's attempts at the lock; 500 ms by default. */
  readonly leaderRetryMs?: number;
}

/** What the service needs of its store: the contract plus the commit feed relay and checkpoints follow. */
export type LedgerStore = EventStore & Pick<PostgresEventStore, 'onCommitted'>;

export interface LedgerService {
  readonly healthUrl: string;
  readonly logger: Logger;
  readonly store: LedgerStore;
  /** Which store LEDGER_STORE chose. */
  readonly storeKind: LedgerStoreChoice['kind'];
  role(): LeaderState;
  relayStatus(): RelayStatus;
  /** Requests this instance answered, per operation. */
  served(): LedgerApi['served'];
  close(): Promise<void>;
}

/** A second lock key, held only while installing, so two instances starting together take turns. */
const installLockKey = 0x4850454c494e5354n;

async function installSchema(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, application_name: 'ledger-install' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [installLockKey.toString()]);
    await installLedgerSchema(client, { ledgerRole: ledgerWriterRole });
  } finally {
    await client.end();
  }
}

export async function startLedgerService(
  settings: LedgerSettings,
  options: LedgerServiceOptions = {},
): Promise<LedgerService> {
  const telemetry = startTelemetry({
    serviceName: settings.OTEL_SERVICE_NAME ?? 'ledger',
    ...(settings.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { otlpEndpoint: settings.OTEL_EXPORTER_OTLP_ENDPOINT }
      : {}),
  });
  const logger = createLogger({
    name: 'ledger',
    level: settings.LOG_LEVEL,
    ...(settings.LOG_FILE ? { destination: settings.LOG_FILE } : {}),
  });

  const choice = ledgerStoreChoice(settings);
  const limits = {
    maxEventBytes: settings.LEDGER_MAX_EVENT_BYTES,
    maxEventsPerAppend: settings.LEDGER_MAX_EVENTS_PER_APPEND,
  };
  let store: LedgerStore;
  // Called when this instance becomes the leader, before it takes its first append.
  let takeOver: () => void = () => undefined;
  switch (choice.kind) {
    case 'postgres':
      await installSchema(settings.DATABASE_URL);
      // Its writer caches nothing before its first write, and re-reads after any failure.
      store = new PostgresEventStore({ connectionString: choice.connectionString, limits });
      break;
    case 'kurrentdb': {
      // PostgreSQL (DATABASE_URL) still holds the leader's advisory lock: ADR 0011.
      const kurrent = await KurrentDbEventStore.open({
        connectionString: choice.connectionString,
        streamPrefix: choice.streamPrefix,
        limits,
      });
      // open() read the log when this instance started; as a standby it has not followed the
      // leader's writes, so it re-reads the log before its first append as leader.
      takeOver = () => kurrent.invalidate();
      store = kurrent;
      break;
    }
    default:
      assertNever(choice);
  }
  const nc = await connectNats({ servers: settings.NATS_URL, name: 'ledger', log: logger });
  const jsm = await jetstreamManager(nc);
  await ensureEventsStream(jsm, { log: logger });

  const relay = new EventRelay({ nc, jsm, source: store, log: logger });

  // Signed checkpoints: only the leader writes them, after the commits it makes.
  const signer: SigningKey | undefined = settings.LEDGER_SIGNING_KEY_FILE
    ? loadOrCreateSigningKey(settings.LEDGER_SIGNING_KEY_FILE)
    : undefined;
  if (!signer)
    logger.warn('LEDGER_SIGNING_KEY_FILE is not set: no signed checkpoints will be written');
  const checkpointer: Checkpointer | undefined = signer
    ? createCheckpointer({
        store,
        signer,
        everyEvents: settings.LEDGER_CHECKPOINT_EVERY_EVENTS,
        everyMs: settings.LEDGER_CHECKPOINT_EVERY_MS,
        newEventId: () => uuidv7(),
        log: logger,
      })
    : undefined;
  let stopNoting: (() => void) | undefined;
  const api = new LedgerApi({
    nc,
    store,
    log: logger,
    maxReadLimit: 1_000,
    // Only consulted for appends, which are subscribed after `election` exists.
    isLeader: () => election.isLeader,
  });
  api.startReads();

  const election = new LeaderElection({
    connectionString: settings.DATABASE_URL,
    log: logger,
    ...(options.leaderRetryMs === undefined ? {} : { retryMs: options.leaderRetryMs }),
    onElected: () => {
      takeOver();
      // Relay first: it listens for commits before the first append can be taken.
      relay.start();
      if (checkpointer) {
        stopNoting = store.onCommitted((events) => {
          const last = events.at(-1);
          if (last) checkpointer.noteCommitted(last.position);
        });
        checkpointer.start();
      }
      api.startWrites();
    },
    onLost: (error) => {
      // Another instance may hold the lock already: not one more append from here. What was
      // committed but not relayed is published by the next leader, which resumes from EVENTS.
      api.stopWrites();
      stopNoting?.();
      void checkpointer?.stop();
      void relay.stop(0);
      options.onLeadershipLost?.(error);
    },
  });
  await election.start();

  const health = await startHealthServer({
    host: settings.HTTP_HOST,
    port: settings.HTTP_PORT,
    ...(signer
      ? {
          publicKey: {
            pem: signer.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
            fingerprint: signer.fingerprint,
          },
        }
      : {}),
    readiness: async (): Promise<ReadinessReport> => {
      const [postgres, nats] = await Promise.all([
        timedCheck(() => store.head(), 2_000),
        timedCheck(async () => {
          if (nc.isClosed()) throw new Error('connection closed');
          await nc.flush();
        }, 2_000),
      ]);
      const role = election.state;
      const roleKnown = role === 'leader' || role === 'standby';
      const ok = postgres.ok && nats.ok && roleKnown;
      return {
        status: ok ? 'ok' : 'unavailable',
        role,
        checks: { postgres, nats, role: { ok: roleKnown, latencyMs: 0 } },
        ...(role === 'leader' ? { relay: relay.status } : {}),
        checkpoints: signer
          ? { signed: true, keyFingerprint: signer.fingerprint }
          : { signed: false },
      };
    },
  });
  logger.info(
    {
      health: health.url,
      role: election.state,
      store: choice.kind,
      maxEventBytes: settings.LEDGER_MAX_EVENT_BYTES,
    },
    'ledger started',
  );

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await health.close();
      // Appends first: no new ones, the taken ones answered, the store's queue committed; then
      // the relay publishes what was committed; only then does the lock go to a standby.
      api.stopWrites();
      // Every append taken has its answer now, so the store's queue is empty; the relay may still
      // read the table to publish what it lacks, so the store closes after it.
      await api.settled();
      stopNoting?.();
      await checkpointer?.stop();
      await relay.stop();
      await store.close();
      await api.close();
      await election.stop();
      await closeNats(nc, { log: logger });
      await telemetry.shutdown();
      logger.info('ledger stopped');
      logger.flush();
    })();
    return closing;
  };

  return {
    healthUrl: health.url,
    logger,
    store,
    storeKind: choice.kind,
    role: () => election.state,
    relayStatus: () => relay.status,
    served: () => api.served,
    close,
  };
}
