// Publishes to JetStream with many acks outstanding on one reply subscription. The client's own
// js.publish makes a request (two Error objects for stack traces, a timer) per message, which
// cost the relay half the ledger's throughput in profiles; acks matched by token cost almost nothing.
import {
  createInbox,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';

export interface PublishAck {
  readonly seq: number;
  readonly duplicate: boolean;
}

interface Pending {
  readonly sentAt: number;
  readonly resolve: (ack: PublishAck) => void;
  readonly reject: (error: Error) => void;
}

/** JetStream's answer to a publish: a PubAck, or an API error. */
interface AckBody {
  readonly stream?: string;
  readonly seq?: number;
  readonly duplicate?: boolean;
  readonly error?: {
    readonly code?: number;
    readonly err_code?: number;
    readonly description?: string;
  };
}

export class PipelinedPublisher {
  private readonly prefix = createInbox();
  private readonly pending = new Map<string, Pending>();
  private next = 0;
  private sub: Subscription | undefined;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs: number,
  ) {}

  open(): void {
    if (this.sub !== undefined) return;
    this.sub = this.nc.subscribe(`${this.prefix}.*`, {
      callback: (_e, msg) => {
        const token = msg.subject.slice(this.prefix.length + 1);
        const waiting = this.pending.get(token);
        if (waiting === undefined) return; // timed out already
        this.pending.delete(token);
        if (msg.data.length === 0) {
          // A status message (503: no JetStream stream took the subject).
          waiting.reject(
            new Error(`JetStream did not take the message (status ${msg.headers?.code ?? 'none'})`),
          );
          return;
        }
        let body: AckBody;
        try {
          body = msg.json<AckBody>();
        } catch {
          waiting.reject(new Error('JetStream answered with something that is not JSON'));
          return;
        }
        if (body.error !== undefined || typeof body.seq !== 'number') {
          const e = body.error;
          waiting.reject(
            new Error(
              `JetStream refused the message: ${e?.description ?? 'no sequence in the ack'} (${e?.err_code ?? e?.code ?? '?'})`,
            ),
          );
          return;
        }
        waiting.resolve({ seq: body.seq, duplicate: body.duplicate === true });
      },
    });
    // One timer for all outstanding acks instead of one per message.
    this.sweeper = setInterval(() => this.expire(), Math.max(50, Math.floor(this.timeoutMs / 4)));
  }

  publish(subject: string, data: Uint8Array, headers: MsgHdrs): Promise<PublishAck> {
    if (this.sub === undefined) return Promise.reject(new Error('the publisher is not open'));
    const token = (this.next++).toString(36);
    return new Promise<PublishAck>((resolve, reject) => {
      this.pending.set(token, { sentAt: Date.now(), resolve, reject });
      try {
        this.nc.publish(subject, data, { headers, reply: `${this.prefix}.${token}` });
      } catch (error) {
        this.pending.delete(token);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Stops listening; whatever is still waiting fails (the relay then asks EVENTS where it is). */
  close(): void {
    this.sub?.unsubscribe();
    this.sub = undefined;
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    const failure = new Error('the publisher was closed');
    for (const waiting of this.pending.values()) waiting.reject(failure);
    this.pending.clear();
  }

  private expire(): void {
    const cutoff = Date.now() - this.timeoutMs;
    for (const [token, waiting] of this.pending) {
      // Map order is insertion order: the first young entry ends the sweep.
      if (waiting.sentAt > cutoff) break;
      this.pending.delete(token);
      waiting.reject(new Error(`no JetStream ack within ${this.timeoutMs} ms`));
    }
  }
}
