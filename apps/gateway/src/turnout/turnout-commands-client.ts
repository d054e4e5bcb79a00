// Sends turnout commands to the turnout service as plain NATS requests (queue group `turnout`),
// with the caller's trace context in the headers and the current span's traceparent in the body.
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { injectTraceContext, natsHeadersCarrier, traceparentForMetadata } from '@hpe/telemetry';
import type { Logger } from 'pino';
import type { Role } from '../auth/principal.js';
import {
  mapRequestFailure,
  mapTurnoutReply,
  type CommandAccepted,
} from './turnout-reply-mapping.js';

export const turnoutSubjects = {
  open: 'turnout.open',
  report: 'turnout.report',
  close: 'turnout.close',
} as const;
export type TurnoutSubject = (typeof turnoutSubjects)[keyof typeof turnoutSubjects];

export interface CommandSender {
  readonly actor: { readonly id: string; readonly role: Role };
  readonly correlationId: string;
}

export class TurnoutCommandsClient {
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly nc: NatsConnection,
    private readonly logger: Logger,
    private readonly timeoutMs = 5_000,
  ) {}

  /** The accepted command, or throws the ProblemException to answer with. */
  async send(
    subject: TurnoutSubject,
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
    return mapTurnoutReply(reply, this.logger, subject);
  }
}
