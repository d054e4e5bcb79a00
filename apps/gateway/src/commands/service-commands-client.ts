// Sends commands to the services as plain NATS requests (each service serves its subjects in its
// queue group), with the caller's trace context in the headers and the span's traceparent in the
// body. Commands to the same subject sent while one turn of the event loop runs go together as one
// `<subject>.batch` request (ADR 0014); each still gets its own reply, mapped as a lone one would be.
import { headers as natsHeaders, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { commandBatchSubject, maxCommandsPerBatch } from '@hpe/service-kit';
import { groupBySize, joinJsonArray } from '@hpe/messaging';
import { injectTraceContext, natsHeadersCarrier, traceparentForMetadata } from '@hpe/telemetry';
import DataLoader from 'dataloader';
import type { Logger } from 'pino';
import type { Role } from '../auth/principal.js';
import {
  mapCommandReply,
  mapRequestFailure,
  type CommandAccepted,
} from './command-reply-mapping.js';

export interface CommandSender {
  readonly actor: { readonly id: string; readonly role: Role };
  readonly correlationId: string;
}

interface Outgoing {
  readonly payload: Uint8Array;
  readonly headers: MsgHdrs;
}

/** The service's answer (undefined when it was not JSON), or why the request failed. */
type Sent = { readonly reply: unknown } | { readonly failure: unknown };

/** A command larger than this goes alone (voter imports); batching saves nothing on it. */
const batchableBytes = 64 * 1024;
const maxBatchBytes = 1024 * 1024;

export class ServiceCommandsClient {
  private readonly encoder = new TextEncoder();
  private readonly batches = new Map<string, DataLoader<Outgoing, Sent>>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly logger: Logger,
    private readonly timeoutMs = 5_000,
    private readonly batch = true,
  ) {}

  /** The accepted command, or throws the ProblemException to answer with. */
  async send(
    subject: string,
    data: Readonly<Record<string, unknown>>,
    sender: CommandSender,
  ): Promise<CommandAccepted> {
    const traceparent = traceparentForMetadata();
    const body = { ...data, ...sender, ...(traceparent === undefined ? {} : { traceparent }) };
    const headers = natsHeaders();
    injectTraceContext(natsHeadersCarrier(headers));
    const outgoing = { payload: this.encoder.encode(JSON.stringify(body)), headers };
    const sent =
      this.batch && outgoing.payload.byteLength <= batchableBytes
        ? await this.loader(subject).load(outgoing)
        : await this.sendAlone(subject, outgoing);
    if ('failure' in sent) return mapRequestFailure(sent.failure, this.logger, subject);
    return mapCommandReply(sent.reply, this.logger, subject);
  }

  private loader(subject: string): DataLoader<Outgoing, Sent> {
    let loader = this.batches.get(subject);
    if (loader === undefined) {
      loader = new DataLoader((items) => this.sendMany(subject, items), {
        cache: false,
        maxBatchSize: maxCommandsPerBatch,
        // HTTP requests arrive one socket callback each: gather those of one loop turn.
        batchScheduleFn: (run) => setImmediate(run),
      });
      this.batches.set(subject, loader);
    }
    return loader;
  }

  private async sendAlone(subject: string, outgoing: Outgoing): Promise<Sent> {
    try {
      const msg = await this.nc.request(subject, outgoing.payload, {
        timeout: this.timeoutMs,
        headers: outgoing.headers,
      });
      return { reply: parseJson(msg.string()) };
    } catch (error) {
      return { failure: error };
    }
  }

  private async sendMany(subject: string, items: readonly Outgoing[]): Promise<Sent[]> {
    if (items.length === 1 && items[0] !== undefined)
      return [await this.sendAlone(subject, items[0])];
    const groups = groupBySize(
      items,
      (i) => i.payload.byteLength,
      maxBatchBytes,
      maxCommandsPerBatch,
    );
    const answered = await Promise.all(
      groups.map(async (group): Promise<Sent[]> => {
        let replies: unknown;
        try {
          // Each command carries its own traceparent in the body; the batch has no one parent.
          const msg = await this.nc.request(
            commandBatchSubject(subject),
            joinJsonArray(
              'commands',
              group.map((i) => i.payload),
            ),
            { timeout: this.timeoutMs },
          );
          replies = parseJson(msg.string());
        } catch (error) {
          return group.map(() => ({ failure: error }));
        }
        const list =
          typeof replies === 'object' && replies !== null && 'replies' in replies
            ? replies.replies
            : undefined;
        if (!Array.isArray(list) || list.length !== group.length) {
          this.logger.error({ subject, sent: group.length }, 'a batch reply does not match');
          return group.map(() => ({ reply: undefined }));
        }
        return list.map((reply: unknown) => ({ reply }));
      }),
    );
    return answered.flat();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
