// The one way apps connect to NATS: reconnect for ever (a NATS restart must not kill a service on
// election day), say so in the log, and drain on shutdown so in-flight messages are not lost.
import { connect, type NatsConnection, type Status } from '@nats-io/transport-node';
import type { LogSink } from '@hpe/telemetry';

export interface ConnectNatsOptions {
  /** One URL or a cluster's URLs, e.g. the `NATS_URL` setting from @hpe/config. */
  readonly servers: readonly string[];
  /** Shown by the server's monitoring pages (`/connz`): the app's name. */
  readonly name: string;
  readonly log?: LogSink;
  /** Pause between reconnect attempts to a server; 1 s by default. */
  readonly reconnectTimeWaitMs?: number;
  /**
   * Keep trying when no server answers at start, instead of failing. Off by default: an app that
   * cannot reach NATS at start is misconfigured more often than early.
   */
  readonly waitOnFirstConnect?: boolean;
}

const defaultReconnectTimeWaitMs = 1_000;
const defaultDrainTimeoutMs = 10_000;

export async function connectNats(options: ConnectNatsOptions): Promise<NatsConnection> {
  const timeWait = options.reconnectTimeWaitMs ?? defaultReconnectTimeWaitMs;
  const nc = await connect({
    servers: [...options.servers],
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: timeWait,
    // Spread reconnects so a cluster node coming back is not hit by every client at once.
    reconnectJitter: Math.round(timeWait / 2),
    waitOnFirstConnect: options.waitOnFirstConnect ?? false,
    // Notice a silently dead server in 30 to 45 s instead of the 4 to 6 minutes of the defaults.
    pingInterval: 15_000,
    maxPingOut: 2,
    // Otherwise every request builds two Error objects up front (stack traces for a timeout that
    // rarely comes): a few percent of a service's CPU at thousands of requests per second.
    noAsyncTraces: true,
  });
  const log = options.log;
  if (log !== undefined) {
    log.info({ server: nc.getServer(), name: options.name }, 'NATS connected');
    void watchStatus(nc, log);
    void nc.closed().then((error) => {
      if (error instanceof Error) log.error({ err: error }, 'NATS connection closed by an error');
      else log.info({ name: options.name }, 'NATS connection closed');
    });
  }
  return nc;
}

async function watchStatus(nc: NatsConnection, log: LogSink): Promise<void> {
  for await (const status of nc.status()) logStatus(log, status);
}

function logStatus(log: LogSink, status: Status): void {
  switch (status.type) {
    case 'disconnect':
      log.warn({ server: status.server }, 'NATS disconnected; reconnecting');
      return;
    case 'reconnect':
      log.info({ server: status.server }, 'NATS reconnected');
      return;
    case 'reconnecting':
    case 'ping':
    case 'close':
      log.debug({ status: status.type }, 'NATS status');
      return;
    case 'update':
      log.info(
        { added: status.added ?? [], deleted: status.deleted ?? [] },
        'NATS cluster changed',
      );
      return;
    case 'ldm':
      log.warn({ server: status.server }, 'NATS server entering lame-duck mode');
      return;
    case 'error':
      log.error({ err: status.error }, 'NATS server error');
      return;
    case 'staleConnection':
      log.warn({}, 'NATS connection stale; reconnecting');
      return;
    case 'forceReconnect':
      log.info({}, 'NATS reconnect forced');
      return;
    case 'slowConsumer':
      log.warn(
        { subject: status.sub.getSubject(), pending: status.pending },
        'NATS slow consumer: messages are being dropped',
      );
      return;
    default: {
      // Compile-time exhaustiveness; at run time a newer client's status is logged, not fatal.
      const unhandled: never = status;
      log.debug({ status: unhandled }, 'NATS status');
    }
  }
}

export interface CloseNatsOptions {
  /**
   * How long draining may take before the connection is closed hard; 10 s by default. Draining
   * flushes through the server, so it would wait for ever while the server is unreachable.
   */
  readonly timeoutMs?: number;
  readonly log?: LogSink;
}

/**
 * Drains (stops subscriptions after their pending messages are handled, flushes what was
 * published) and closes. Safe to call twice and on a connection that is already closed.
 */
export async function closeNats(nc: NatsConnection, options: CloseNatsOptions = {}): Promise<void> {
  if (nc.isClosed()) return;
  if (!nc.isDraining()) {
    const timeoutMs = options.timeoutMs ?? defaultDrainTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([nc.drain().then(() => 'drained' as const), timedOut]);
      if (outcome === 'timeout') {
        options.log?.warn({ timeoutMs }, 'NATS drain timed out; closing');
        await nc.close();
      }
    } catch (error) {
      // Closed or already draining under our feet: the connection is on its way out anyway.
      options.log?.debug({ err: error }, 'NATS drain interrupted; closing');
      if (!nc.isClosed()) await nc.close();
    } finally {
      clearTimeout(timer);
    }
  }
  await nc.closed();
}

/**
 * Owns an app's connection. In NestJS, provide the instance (from `NatsLifecycle.start` in a
 * factory): Nest calls `onApplicationShutdown` on `app.close()` and, with `enableShutdownHooks()`,
 * on SIGTERM/SIGINT, so the connection is drained without signal handling here.
 */
export class NatsLifecycle {
  private constructor(
    readonly connection: NatsConnection,
    private readonly closeOptions: CloseNatsOptions,
  ) {}

  static async start(
    options: ConnectNatsOptions & { readonly drainTimeoutMs?: number },
  ): Promise<NatsLifecycle> {
    const nc = await connectNats(options);
    return new NatsLifecycle(nc, {
      ...(options.drainTimeoutMs === undefined ? {} : { timeoutMs: options.drainTimeoutMs }),
      ...(options.log === undefined ? {} : { log: options.log }),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await closeNats(this.connection, this.closeOptions);
  }
}
