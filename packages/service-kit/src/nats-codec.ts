// How commands look on the wire. Two kinds of caller are served on the same subjects:
// a Nest ClientProxy (`{pattern, data, id}` in, Nest's response packet out) and a plain NATS
// request whose body is the command itself (the reply is then the bare `{ok, …}` object, as the
// ledger answers). A body that is not JSON still gets an answer (VALIDATION_FAILED), never silence.
import type { Deserializer, Serializer } from '@nestjs/microservices';
import type { Msg } from '@nats-io/transport-node';
import { v7 as uuidv7 } from 'uuid';
import { codedError, err } from '@hpe/domain';
import { serviceErrorCodes } from './command-reply.js';

/** Stands in for a body that could not be read as JSON; the handler answers VALIDATION_FAILED. */
export class MalformedPayload {
  constructor(readonly reason: string) {}
}

/** Packet ids given to plain requests, so the serializer knows to answer with the bare reply. */
const plainRequestPrefix = 'plain:';

interface IncomingPacket {
  readonly pattern: string;
  readonly data: unknown;
  readonly id?: string;
}

const decoder = new TextDecoder();

function isNestPacket(value: unknown): value is IncomingPacket & { id: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'pattern' in value &&
    'data' in value &&
    'id' in value &&
    typeof value.pattern === 'string' &&
    typeof value.id === 'string'
  );
}

export class CommandRequestDeserializer implements Deserializer<Msg, IncomingPacket> {
  deserialize(msg: Msg, options?: Record<string, unknown>): IncomingPacket {
    const channel = typeof options?.['channel'] === 'string' ? options['channel'] : msg.subject;
    // Without a reply subject nobody waits for an answer: no id makes it an event, which no
    // handler takes, so a stray publish never runs a command.
    const id = msg.reply ? `${plainRequestPrefix}${uuidv7()}` : undefined;
    let value: unknown;
    try {
      value = JSON.parse(decoder.decode(msg.data));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { pattern: channel, data: new MalformedPayload(reason), ...(id ? { id } : {}) };
    }
    if (isNestPacket(value)) return value;
    return { pattern: channel, data: value, ...(id ? { id } : {}) };
  }
}

interface OutgoingPacket {
  readonly id?: string;
  readonly response?: unknown;
  readonly err?: unknown;
  readonly isDisposed?: boolean;
}

export class CommandReplySerializer implements Serializer<OutgoingPacket, { data: string }> {
  serialize(packet: OutgoingPacket): { data: string } {
    if (packet.id?.startsWith(plainRequestPrefix))
      return { data: JSON.stringify(plainBody(packet)) };
    return { data: JSON.stringify(packet) };
  }
}

/**
 * The bare reply of a plain request. Handlers always return a reply, so an `err` means Nest failed
 * the request itself; a lone "disposed" packet follows a reply already sent and is ignored there.
 */
function plainBody(packet: OutgoingPacket): unknown {
  if (packet.response !== undefined) return packet.response;
  if (packet.err === undefined) return null;
  return err(
    codedError(
      serviceErrorCodes.internal,
      typeof packet.err === 'string' ? packet.err : 'the request could not be handled',
    ),
  );
}
