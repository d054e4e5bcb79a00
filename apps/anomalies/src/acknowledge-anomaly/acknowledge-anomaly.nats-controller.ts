// NATS adapter of acknowledging an anomaly: `anomalies.acknowledge`, in the `anomalies` queue group.
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
import { AcknowledgeAnomalyPayload, toAcknowledgeAnomaly } from './acknowledge-anomaly.command.js';
import { AcknowledgeAnomalyHandler } from './acknowledge-anomaly.handler.js';

@Controller()
export class AcknowledgeAnomalyNatsController {
  constructor(
    @Inject(COMMAND_TRANSPORT) private readonly transport: CommandTransport,
    @Inject(AcknowledgeAnomalyHandler) private readonly handler: AcknowledgeAnomalyHandler,
    @Inject(ANOMALY_CLOCK) private readonly clock: Clock,
  ) {}

  @MessagePattern(anomalySubjects.acknowledge)
  acknowledge(@Payload() payload: unknown, @Ctx() context: NatsContext): Promise<CommandReply> {
    return this.transport.handle({
      subject: anomalySubjects.acknowledge,
      payload,
      context,
      schema: AcknowledgeAnomalyPayload,
      // The operator acts at the centre, now: the body carries no time of its own.
      occurredAt: () => this.clock().toISOString(),
      execute: (p, metadata) => this.handler.execute(toAcknowledgeAnomaly(p), metadata),
    });
  }
}
