// Sends commands to the services as plain NATS requests (each service serves its subjects in its
// queue group), with the caller's trace context in the headers and the span's traceparent in the body.
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { injectTraceContext, natsHeadersCarrier, traceparentForMetadata } from '@hpe/telemetry';
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

export class ServiceCommandsClient {
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly nc: NatsConnection,
    private readonly logger: Logger,
    private readonly timeoutMs = 5_000,
  ) {}

  /** The accepted command, or throws the ProblemException to answer with. */
  async send(
    subject: string,
    data: Readonly<Record<string, unknown>>,
    sender: CommandSender,
  ): Promise<CommandAccepted> {
    const traceparent = traceparentForMetadata();
    const body = { ...data, ...sender, ...(traceparent === undefined ? {} : { traceparent }) };
    const h = natsHeaders();
    injectTraceContext(natsHeadersCarrier(h));
    let reply: unknown;
    try {
      const msg = await this.nc.request(subject, this.encoder.encode(JSON.stringify(body)), {
        timeout: this.timeoutMs,
        headers: h,
      });
      reply = JSON.parse(msg.string());
    } catch (error) {
      if (error instanceof SyntaxError) reply = undefined;
      else return mapRequestFailure(error, this.logger, subject);
    }
    return mapCommandReply(reply, this.logger, subject);
  }
}
