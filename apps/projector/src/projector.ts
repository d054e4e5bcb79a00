// The live projector: a durable JetStream pull consumer on EVENTS feeding the projections in
// batches. Each batch is one transaction that first moves the checkpoints by compare-and-set, then
// writes the changed rows; messages are acknowledged after commit, and events at or below the
// checkpoint are acknowledged and skipped, so every event takes effect exactly once.
import { RecordedEvent } from '@hpe/domain';
import { LedgerClient } from '@hpe/ledger-client';
import {
  closeNats,
  connectNats,
  ensureEventsStream,
  eventsStreamName,
  ledgerPositionHeader,
} from '@hpe/messaging';
import {
  allProjections,
  commitBatch,
  ensureCheckpoints,
  liveSchema,
  loadReferenceModel,
  loadRows,
  ProjectionEngine,
  readCheckpoints,
  rebuildLive,
  type Checkpoint,
  type DirtyRows,
  type Projection,
  type ReferenceModel,
} from '@hpe/read-models';
import { createLogger, startTelemetry, type Logger } from '@hpe/telemetry';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { startHealthServer } from './health-server.js';
import { ledgerPages, ledgerRange } from './ledger-pages.js';
import type { ProjectorSettings } from './settings.js';

export interface ProjectorStatus {
  readonly position: number;
  readonly consuming: boolean;
  /** Events committed to JetStream that this projector has not applied yet. */
  readonly lagPositions: number;
  /** Age of the last applied event (recordedAt) while behind; 0 when caught up. */
  readonly lagSeconds: number;
  readonly eventsApplied: number;
  readonly batches: number;
  readonly gapsHealed: number;
  readonly resyncs: number;
  /** Events per second over the last status interval. */
  readonly eventsPerSecond: number;
}

/** Test hooks: decide to die at a point of a batch, as a killed process would. */
export interface ProjectorFaults {
  /** Called after the batch's rows are written, before COMMIT; true → die (nothing committed). */
  readonly dieBeforeCommit?: (events: readonly RecordedEvent[]) => boolean;
  /** Called after COMMIT, before the ack; true → die (committed, never acknowledged). */
  readonly dieBeforeAck?: (events: readonly RecordedEvent[]) => boolean;
}

export interface ProjectorOptions {
  readonly projections?: readonly Projection[];
  readonly faults?: ProjectorFaults;
  /** How long to wait for the reference data to be loaded; 60 s by default. */
  readonly referenceWaitMs?: number;
}

export interface RunningProjector {
  readonly healthUrl: string;
  readonly logger: Logger;
  status(): ProjectorStatus;
  /** Resolves once the projector has applied (and committed) `position`. */
  waitFor(position: number, timeoutMs?: number): Promise<void>;
  /** Resolves when the projector died by a fault hook (tests). */
  readonly died: Promise<void>;
  close(): Promise<void>;
}

class Died extends Error {
  constructor() {
    super('the projector died (fault hook)');
  }
}

const consumerDefaults = {
  ack_policy: AckPolicy.All,
  deliver_policy: DeliverPolicy.All,
  // After a crash, the unacknowledged messages come back once this passes; the gap check and the
  // catch-up from the ledger at start mean nothing waits for them.
  ack_wait: nanos(30_000),
  // Room for a crashed batch's unacknowledged messages and the next ones.
  max_ack_pending: 50_000,
  max_deliver: -1,
};

async function ensureConsumer(jsm: JetStreamManager, durable: string): Promise<void> {
  try {
    await jsm.consumers.info(eventsStreamName, durable);
    return;
  } catch (error) {
    if (!(
      error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound
    )) {
      throw error;
    }
  }
  await jsm.consumers.add(eventsStreamName, { durable_name: durable, ...consumerDefaults });
}

async function waitForReference(
  pool: pg.Pool,
  log: Logger,
  timeoutMs: number,
): Promise<ReferenceModel> {
  const deadline = Date.now() + timeoutMs;
  let said = false;
  for (;;) {
    const { rows } = await pool.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM public.reference_dataset',
    );
    if (rows[0]?.n !== '0') return loadReferenceModel(pool);
    if (Date.now() > deadline) {
      throw new Error('no reference dataset in the read-model database: seed it first');
    }
    if (!said) log.warn({}, 'waiting for the reference data to be loaded');
    said = true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export async function startProjector(
  settings: ProjectorSettings,
  options: ProjectorOptions = {},
): Promise<RunningProjector> {
  const telemetry = startTelemetry({
    serviceName: settings.OTEL_SERVICE_NAME ?? 'projector',
    ...(settings.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { otlpEndpoint: settings.OTEL_EXPORTER_OTLP_ENDPOINT }
      : {}),
  });
  const logger = createLogger({
    name: 'projector',
    level: settings.LOG_LEVEL,
    ...(settings.LOG_FILE ? { destination: settings.LOG_FILE } : {}),
  });
  const projections = options.projections ?? allProjections;
  const names = projections.map((p) => p.name);
  const pool = new pg.Pool({ connectionString: settings.DATABASE_URL, max: 3 });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection failed'));
  let nc: NatsConnection | undefined;
  try {
    nc = await connectNats({ servers: settings.NATS_URL, name: 'projector', log: logger });
    const jsm = await jetstreamManager(nc);
    await ensureEventsStream(jsm, { log: logger });
    await ensureConsumer(jsm, settings.PROJECTOR_DURABLE);
    const reference = await waitForReference(pool, logger, options.referenceWaitMs ?? 60_000);
    const ledger = new LedgerClient(nc, { timeoutMs: settings.LEDGER_TIMEOUT_MS });
    const projector = new Projector({
      settings,
      logger,
      pool,
      nc,
      jsm,
      ledger,
      engine: new ProjectionEngine(projections, reference),
      names,
      faults: options.faults ?? {},
    });
    await projector.start();
    const meter = telemetry.meter;
    meter
      .createObservableGauge('projector.lag.positions', {
        description: 'Events in EVENTS not yet applied to the read models',
      })
      .addCallback((r) => r.observe(projector.status().lagPositions));
    meter
      .createObservableGauge('projector.lag.seconds', {
        description: 'Age of the last applied event while the projector is behind',
        unit: 's',
      })
      .addCallback((r) => r.observe(projector.status().lagSeconds));
    meter
      .createObservableCounter('projector.events.applied', {
        description: 'Events applied to the read models (rate = events/s)',
      })
      .addCallback((r) => r.observe(projector.status().eventsApplied));
    meter
      .createObservableGauge('projector.position', { description: 'Last applied log position' })
      .addCallback((r) => r.observe(projector.status().position));

    const health = await startHealthServer({
      host: settings.HTTP_HOST,
      port: settings.HTTP_PORT,
      status: () => ({ ...projector.status() }),
      readiness: async () => {
        const checks: Record<string, string> = {};
        try {
          await pool.query('SELECT 1');
          checks['database'] = 'ok';
        } catch (error) {
          checks['database'] = error instanceof Error ? error.message : String(error);
        }
        checks['nats'] = nc?.isClosed() === false ? 'ok' : 'closed';
        const status = projector.status();
        checks['consuming'] = status.consuming ? 'ok' : 'stopped';
        return {
          ready: Object.values(checks).every((c) => c === 'ok'),
          body: { checks, position: status.position, lagPositions: status.lagPositions },
        };
      },
    });
    logger.info(
      { health: health.url, position: projector.status().position, projections: names },
      'projector started',
    );
    let closing: Promise<void> | undefined;
    return {
      healthUrl: health.url,
      logger,
      status: () => projector.status(),
      waitFor: (position, timeoutMs) => projector.waitFor(position, timeoutMs),
      died: projector.died,
      close: () => {
        closing ??= (async () => {
          await health.close();
          await projector.stop();
          if (nc !== undefined) await closeNats(nc, { log: logger });
          await pool.end();
          await telemetry.shutdown();
          logger.info('projector stopped');
          logger.flush();
        })();
        return closing;
      },
    };
  } catch (error) {
    if (nc !== undefined) await closeNats(nc).catch(() => undefined);
    await pool.end().catch(() => undefined);
    await telemetry.shutdown();
    throw error;
  }
}

interface ProjectorDeps {
  readonly settings: ProjectorSettings;
  readonly logger: Logger;
  readonly pool: pg.Pool;
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  readonly ledger: LedgerClient;
  readonly engine: ProjectionEngine;
  readonly names: readonly string[];
  readonly faults: ProjectorFaults;
}

class Projector {
  private expected = new Map<string, Checkpoint>();
  private messages: ConsumerMessages | undefined;
  private buffer: JsMsg[] = [];
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private drained: (() => void) | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private waiters: { position: number; resolve: () => void }[] = [];
  private lastRecordedAt = 0;
  private pending = 0;
  private highestSeen = 0;
  private counts = { eventsApplied: 0, batches: 0, gapsHealed: 0, resyncs: 0 };
  private rate = { at: Date.now(), events: 0, perSecond: 0 };
  private dieResolve: () => void = () => undefined;
  readonly died = new Promise<void>((resolve) => {
    this.dieResolve = resolve;
  });

  constructor(private readonly deps: ProjectorDeps) {}

  get position(): number {
    return this.deps.engine.position;
  }

  async start(): Promise<void> {
    await this.sync();
    try {
      await this.catchUpFromLedger();
    } catch (error) {
      // JetStream redelivers, and a gap is read from the ledger again once it answers.
      this.deps.logger.warn(
        { err: error },
        'catch-up from the ledger failed; going on with JetStream',
      );
      await this.resyncUntilDone();
    }
    const js = jetstream(this.deps.nc);
    const consumer = await js.consumers.get(eventsStreamName, this.deps.settings.PROJECTOR_DURABLE);
    this.messages = await consumer.consume({
      max_messages: this.deps.settings.PROJECTOR_BATCH_MAX,
    });
    void this.readMessages(this.messages);
    this.loop = this.processLoop();
    this.statsTimer = setInterval(() => void this.refreshStats(consumer), 1_000);
    this.statsTimer.unref();
  }

  status(): ProjectorStatus {
    // Delivered but not applied yet, plus not delivered yet (as of the last consumer info).
    const lagPositions = Math.max(0, this.highestSeen - this.position) + this.pending;
    return {
      position: this.position,
      consuming: !this.stopped && this.messages !== undefined,
      lagPositions,
      lagSeconds:
        lagPositions === 0 || this.lastRecordedAt === 0
          ? 0
          : Math.max(0, (Date.now() - this.lastRecordedAt) / 1000),
      ...this.counts,
      eventsPerSecond: this.rate.perSecond,
    };
  }

  waitFor(position: number, timeoutMs = 10_000): Promise<void> {
    if (this.position >= position) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `position ${position} not applied within ${timeoutMs} ms (at ${this.position})`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.statsTimer);
    clearTimeout(this.timer);
    this.wake?.();
    this.drained?.();
    await this.messages?.close().catch(() => undefined);
    await this.loop;
  }

  /** Reads checkpoints and rows from the database: at start, and after a compare-and-set lost. */
  private async sync(): Promise<void> {
    const { pool, engine, names, ledger, logger } = this.deps;
    const client = await pool.connect();
    try {
      await ensureCheckpoints(client, liveSchema, names);
      let checkpoints = await readCheckpoints(client, liveSchema, names);
      const furthest = Math.max(0, ...[...checkpoints.values()].map((c) => c.position));
      const behind = engine.projections.filter(
        (p) => (checkpoints.get(p.name)?.position ?? 0) < furthest,
      );
      if (behind.length > 0) {
        // A projection added since (or reset): bring it to where the others are before going on.
        logger.info(
          { projections: behind.map((p) => p.name), to: furthest },
          'catching up projections',
        );
        await rebuildLive({
          db: client,
          projections: behind,
          reference: engine.reference,
          pages: (from, to) => ledgerPages(ledger, from, to),
        });
        checkpoints = await readCheckpoints(client, liveSchema, names);
      }
      const position = Math.max(0, ...[...checkpoints.values()].map((c) => c.position));
      if (position === 0) {
        // Nothing applied yet: write the position-0 rows (every area, commune, unit) now, so the
        // gateway shows the whole city before the first event.
        engine.seed();
        const ok = await commitBatch(client, liveSchema, checkpoints, 0, engine.takeDirty());
        if (!ok) throw new Error('another projector is seeding the read models');
      } else {
        const rows: Record<string, unknown[]> = {};
        for (const table of engine.tables) rows[table] = await loadRows(client, liveSchema, table);
        engine.load(position, rows as DirtyRows);
      }
      this.expected = new Map(
        [...checkpoints].map(([name, c]) => [name, { position, generation: c.generation }]),
      );
    } finally {
      client.release();
    }
  }

  /** Applies what the ledger holds beyond the checkpoint, so a restart does not wait for JetStream. */
  private async catchUpFromLedger(): Promise<void> {
    const head = await this.deps.ledger.head();
    if (!head.ok) {
      this.deps.logger.warn(
        { code: head.error.code },
        'ledger head unavailable; JetStream will catch up',
      );
      return;
    }
    const to = head.value.position;
    const max = this.deps.settings.PROJECTOR_BATCH_MAX;
    while (this.position < to) {
      this.deps.logger.info({ from: this.position + 1, to }, 'catching up from the ledger');
      let lost = false;
      for await (const page of ledgerPages(this.deps.ledger, this.position + 1, to)) {
        for (let i = 0; i < page.length && !lost; i += max) {
          lost = !(await this.applyAndCommit(page.slice(i, i + max)));
        }
        // Another writer moved the checkpoint: read again from where it stands now.
        if (lost) break;
      }
    }
  }

  private async readMessages(messages: ConsumerMessages): Promise<void> {
    const { PROJECTOR_BATCH_MAX: max, PROJECTOR_BATCH_WAIT_MS: waitMs } = this.deps.settings;
    try {
      for await (const m of messages) {
        if (this.stopped) break;
        this.buffer.push(m);
        const position = Number(m.headers?.get(ledgerPositionHeader));
        if (position > this.highestSeen) this.highestSeen = position;
        if (this.buffer.length >= max) this.wake?.();
        else if (this.timer === undefined) {
          // The batch's first message: it waits at most waitMs for others to join it.
          this.timer = setTimeout(() => {
            this.timer = undefined;
            this.wake?.();
          }, waitMs);
        }
        // Back-pressure: stop pulling while a few batches wait for the database.
        if (this.buffer.length >= max * 4) {
          await new Promise<void>((resolve) => {
            this.drained = resolve;
          });
        }
      }
    } catch (error) {
      if (!this.stopped) this.deps.logger.error({ err: error }, 'JetStream consumer failed');
    }
  }

  /** A batch is due when it is full, or when its first message has waited long enough. */
  private batchDue(): boolean {
    const { length } = this.buffer;
    return (
      length >= this.deps.settings.PROJECTOR_BATCH_MAX || (length > 0 && this.timer === undefined)
    );
  }

  private async processLoop(): Promise<void> {
    while (!this.stopped) {
      while (!this.stopped && !this.batchDue()) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
      }
      if (this.stopped) break;
      clearTimeout(this.timer);
      this.timer = undefined;
      // Whatever is left over has waited already: it goes in the next batch at once.
      const batch = this.buffer.splice(0, this.deps.settings.PROJECTOR_BATCH_MAX);
      this.drained?.();
      this.drained = undefined;
      try {
        await this.processBatch(batch);
      } catch (error) {
        if (error instanceof Died) {
          this.die();
          return;
        }
        if (this.stopped) return;
        this.deps.logger.error({ err: error }, 'batch failed; re-syncing and retrying');
        for (const m of batch) m.nak(1_000);
        await this.resyncUntilDone();
      }
    }
  }

  private async processBatch(batch: readonly JsMsg[]): Promise<void> {
    // Lost compare-and-set: the state was reloaded, so the same messages are sorted again
    // against the new checkpoint (applied or skipped) before anything is acknowledged.
    for (let attempt = 1; ; attempt++) {
      const events = await this.eventsAfterCheckpoint(batch);
      if (events.length === 0 || (await this.applyAndCommit(events))) {
        if (this.deps.faults.dieBeforeAck?.(events) === true) throw new Died();
        break;
      }
      if (attempt >= 5) throw new Error('the checkpoint keeps moving under this projector');
    }
    // AckPolicy.All: acknowledging the last message acknowledges the batch.
    batch.at(-1)?.ack();
  }

  /** The batch's events beyond the checkpoint, in order, with any gap filled from the ledger. */
  private async eventsAfterCheckpoint(batch: readonly JsMsg[]): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let next = this.position + 1;
    for (const m of batch) {
      const position = Number(m.headers?.get(ledgerPositionHeader) ?? '');
      if (!Number.isSafeInteger(position) || position < 1) {
        throw new Error(
          `message ${m.seq} of ${eventsStreamName} has no valid ${ledgerPositionHeader}`,
        );
      }
      if (position > this.highestSeen) this.highestSeen = position;
      // Already applied (a redelivery after a crash, or another projector's work): skip.
      if (position < next) continue;
      if (position > next) {
        // Positions are gap-free, so JetStream skipped something: the ledger has it.
        this.deps.logger.warn(
          { from: next, to: position - 1 },
          'gap in EVENTS; reading it from the ledger',
        );
        events.push(...(await ledgerRange(this.deps.ledger, next, position - 1)));
        this.counts.gapsHealed += 1;
      }
      const event = RecordedEvent.parse(m.json());
      if (event.position !== position) {
        throw new Error(
          `message ${m.seq}: header position ${position}, event position ${event.position}`,
        );
      }
      events.push(event);
      next = position + 1;
    }
    return events;
  }

  /** False when the compare-and-set lost (the state is re-synced from the database then). */
  private async applyAndCommit(events: readonly RecordedEvent[]): Promise<boolean> {
    const { engine, pool, faults } = this.deps;
    engine.apply(events);
    const to = engine.position;
    const client = await pool.connect();
    let ok: boolean;
    try {
      ok = await commitBatch(
        client,
        liveSchema,
        this.expected,
        to,
        engine.takeDirty(),
        async () => {
          if (faults.dieBeforeCommit?.(events) === true) throw new Died();
        },
      );
    } finally {
      client.release();
    }
    if (!ok) {
      this.deps.logger.warn({ position: to }, 'checkpoint moved by another writer; re-syncing');
      await this.resync();
      return false;
    }
    this.expected = new Map([...this.expected].map(([n, c]) => [n, { ...c, position: to }]));
    this.counts.eventsApplied += events.length;
    this.counts.batches += 1;
    const last = events.at(-1);
    if (last !== undefined) this.lastRecordedAt = Date.parse(last.recordedAt);
    const ready = this.waiters.filter((w) => w.position <= to);
    this.waiters = this.waiters.filter((w) => w.position > to);
    for (const w of ready) w.resolve();
    return true;
  }

  private async resync(): Promise<void> {
    this.counts.resyncs += 1;
    await this.sync();
  }

  /** After a failure the in-memory rows may be ahead of the database: reload, retrying while it is away. */
  private async resyncUntilDone(): Promise<void> {
    while (!this.stopped) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      try {
        await this.resync();
        return;
      } catch (error) {
        this.deps.logger.error({ err: error }, 're-sync failed; retrying');
      }
    }
  }

  private die(): void {
    this.stopped = true;
    clearInterval(this.statsTimer);
    // As a killed process: nothing acknowledged, the connection gone without draining.
    void this.deps.nc.close();
    this.dieResolve();
  }

  private async refreshStats(consumer: {
    info(cached?: boolean): Promise<{ num_pending: number; num_ack_pending: number }>;
  }): Promise<void> {
    const now = Date.now();
    const events = this.counts.eventsApplied;
    this.rate = {
      at: now,
      events,
      perSecond: Math.round(((events - this.rate.events) * 1000) / Math.max(1, now - this.rate.at)),
    };
    try {
      const info = await consumer.info();
      this.pending = info.num_pending;
    } catch {
      // NATS away for a moment: keep the last figure.
    }
  }
}
