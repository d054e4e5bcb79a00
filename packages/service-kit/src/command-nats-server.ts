// Nest's NATS transport on the service's own connection (the one the ledger client shares, made by
// @hpe/messaging: reconnects for ever), with a shutdown that loses no command in flight: stop
// taking messages, let the commands under way finish and reply, then drain the connection.
import { ServerNats } from '@nestjs/microservices';
import { closeNats } from '@hpe/messaging';
import type { LogSink } from '@hpe/telemetry';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { CommandReplySerializer, CommandRequestDeserializer } from './nats-codec.js';

export interface CommandNatsServerOptions {
  readonly connection: NatsConnection;
  /** The queue group every instance of the service subscribes in: each command reaches one. */
  readonly queue: string;
  readonly log: LogSink;
  /** The longest a shutdown waits for commands under way before draining anyway; 10 s by default. */
  readonly drainTimeoutMs?: number;
}

export class CommandNatsServer extends ServerNats {
  private readonly connection: NatsConnection;
  private readonly log: LogSink;
  private readonly drainTimeoutMs: number;
  private readonly queue: string;
  private readonly subs: Subscription[] = [];
  private inFlight = 0;
  private idle: (() => void) | undefined;

  constructor(options: CommandNatsServerOptions) {
    super({
      queue: options.queue,
      serializer: new CommandReplySerializer(),
      deserializer: new CommandRequestDeserializer(),
    });
    this.connection = options.connection;
    this.log = options.log;
    this.drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
    this.queue = options.queue;
  }

  /** Whether the connection is up (not closed, not reconnecting): part of readiness. */
  isConnected(): boolean {
    return !this.connection.isClosed() && !this.connection.isDraining();
  }

  override async createNatsClient(): Promise<NatsConnection> {
    return Promise.resolve(this.connection);
  }

  /** As Nest's, but keeps the subscriptions so a shutdown can stop them before draining. */
  override bindEvents(client: NatsConnection): void {
    for (const [channel, handler] of this.messageHandlers) {
      const queue: unknown = handler.extras?.['queue'];
      this.subs.push(
        client.subscribe(channel, {
          queue: typeof queue === 'string' ? queue : this.queue,
          callback: this.getMessageHandler(channel).bind(this),
        }),
      );
    }
  }

  override async handleMessage(channel: string, msg: Msg): Promise<unknown> {
    this.inFlight += 1;
    try {
      return await super.handleMessage(channel, msg);
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.idle?.();
    }
  }

  override async close(): Promise<void> {
    for (const sub of this.subs.splice(0)) sub.unsubscribe();
    if (this.inFlight > 0) {
      this.log.info({ inFlight: this.inFlight }, 'waiting for commands under way');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (this.idle = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, this.drainTimeoutMs))),
      ]);
      clearTimeout(timer);
    }
    // Replies are published on the next tick after a handler returns: let them go out first.
    await new Promise((resolve) => setImmediate(resolve));
    await closeNats(this.connection, { log: this.log });
  }
}
