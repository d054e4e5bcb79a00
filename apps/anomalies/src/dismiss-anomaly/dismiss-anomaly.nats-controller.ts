// NATS adapter of dismissing an anomaly: `anomalies.dismiss`, in the `anomalies` queue group.
import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import {
  anomalySubjects,
  COMMAND_TRANSPORT,
  type Clock,
  type CommandReply,
  type CommandTransport,
} from '@hpe/service-kit';
import { ANOMALY_CLOCK } from '../shared/tokens.js';
import { DismissAnomalyPayload, toDismissAnomaly } from './dismiss-anomaly.command.js';
import { DismissAnomalyHandler } from './dismiss-anomaly.handler.js';

@Controller()
export class DismissAnomalyNatsController {
  constructor(
    @Inject(COMMAND_TRANSPORT) private readonly transport: CommandTransport,
    @Inject(DismissAnomalyHandler) private readonly handler: DismissAnomalyHandler,
    @Inject(ANOMALY_CLOCK) private readonly clock: Clock,
  ) {}

  @MessagePattern(anomalySubjects.dismiss)
  dismiss(@Payload() payload: unknown, @Ctx() context: NatsContext): Promise<CommandReply> {
    return this.transport.handle({
      subject: anomalySubjects.dismiss,
      payload,
      context,
      schema: DismissAnomalyPayload,
      // The operator acts at the centre, now: the body carries no time of its own.
      occurredAt: () => this.clock().toISOString(),
      execute: (p, metadata) => this.handler.execute(toDismissAnomaly(p), metadata),
    });
  }
}
