// Nest's NATS transport on the service's own connection (the one the ledger client shares, made by
// @hpe/messaging: reconnects for ever), with a shutdown that loses no command in flight: stop
// taking messages, let the commands under way finish and reply, then drain the connection.
import { NatsContext, ServerNats } from '@nestjs/microservices';
import { codedError, err } from '@hpe/domain';
import { lastValueFrom } from 'rxjs';
import { closeNats } from '@hpe/messaging';
import type { LogSink } from '@hpe/telemetry';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { serviceErrorCodes, validationFailed } from './command-reply.js';
import { CommandReplySerializer, CommandRequestDeserializer } from './nats-codec.js';
import { commandBatchSubject, maxCommandsPerBatch } from './subjects.js';

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
      const group = typeof queue === 'string' ? queue : this.queue;
      this.subs.push(
        client.subscribe(channel, {
          queue: group,
          callback: this.getMessageHandler(channel).bind(this),
        }),
        client.subscribe(commandBatchSubject(channel), {
          queue: group,
          callback: (_e, msg) => void this.handleBatch(channel, msg),
        }),
      );
    }
  }

  /**
   * `{"commands": [...]}` on `<subject>.batch`: each command through the same handler (pipes,
   * validation, span, decider) as if it came alone, concurrently; the replies in order.
   */
  private async handleBatch(channel: string, msg: Msg): Promise<void> {
    this.inFlight += 1;
    try {
      const replies = await this.batchReplies(channel, msg);
      if (msg.reply) msg.respond(JSON.stringify(replies));
    } catch (error) {
      this.log.error({ err: error, subject: msg.subject }, 'command batch failed');
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.idle?.();
    }
  }

  private async batchReplies(channel: string, msg: Msg): Promise<unknown> {
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(msg.data));
    } catch {
      return validationFailed(`${msg.subject}: the body is not JSON`);
    }
    const commands =
      typeof body === 'object' && body !== null && 'commands' in body ? body.commands : undefined;
    if (!Array.isArray(commands) || commands.length === 0 || commands.length > maxCommandsPerBatch)
      return validationFailed(
        `${msg.subject}: the body must be {"commands": [...]} with 1 to ${maxCommandsPerBatch} commands`,
      );
    const handler = this.getHandlerByPattern(channel);
    if (handler === null) return validationFailed(`${msg.subject}: no handler`);
    const replies = await Promise.all(
      commands.map(async (command: unknown) => {
        try {
          const context = new NatsContext([channel, msg.headers]);
          return await lastValueFrom(this.transformToObservable(await handler(command, context)));
        } catch (error) {
          this.log.error({ err: error, subject: channel }, 'command failed in a batch');
          return err(
            codedError(serviceErrorCodes.internal, `${channel}: the command could not be handled`),
          );
        }
      }),
    );
    return { replies };
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
