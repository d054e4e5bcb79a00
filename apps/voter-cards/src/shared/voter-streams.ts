// Load → decide → append on one voter's stream (voter-<voterKey>), as the kit's runner does, plus
// what voters need beyond it: a decision with no events (a card delivered twice, a row imported
// again) appends nothing and answers with the stream's last position, and a recorded refusal
// (CheckInRefused, DuplicateRegistrationRefused) is appended and then answered with its code.
import {
  codedError,
  err,
  foldEvents,
  ok,
  rejectionOf,
  voterDecider,
  VoterEvent,
  type CodedError,
  type NewEvent,
  type RecordedEvent,
  type Result,
  type VoterCommand,
} from '@hpe/domain';
import {
  eventReader,
  type Clock,
  type CommandMetadata,
  type CommandReply,
  type LedgerPort,
  type NewEventId,
} from '@hpe/service-kit';
import { readWholeStream } from '@hpe/ledger-client';
import type { LogSink } from '@hpe/telemetry';
import { voterStreamId } from './voter-key.js';

const toVoterEvent = eventReader(VoterEvent, 'voter');

export interface VoterDecision {
  /** The events appended (none when the decision changed nothing). */
  readonly events: readonly VoterEvent[];
  readonly eventIds: readonly string[];
  /** The last appended event's position, or the stream's last when nothing was appended. */
  readonly position: number;
}

export interface VoterStreamsDeps {
  readonly ledger: LedgerPort;
  readonly clock: Clock;
  readonly newEventId: NewEventId;
  readonly staleRetries: number;
  readonly log: LogSink;
}

export class VoterStreams {
  constructor(private readonly deps: VoterStreamsDeps) {}

  /** The envelope of one voter event, with the command's metadata. */
  envelope(voterKey: string, event: VoterEvent, metadata: CommandMetadata): NewEvent {
    return {
      eventId: this.deps.newEventId(),
      type: event.type,
      schemaVersion: 1,
      streamId: voterStreamId(voterKey),
      data: { ...event.data },
      metadata,
    };
  }

  /** Decides `command` on the voter's stream and appends the events, again after a stale revision. */
  async decide(
    voterKey: string,
    command: VoterCommand,
    metadata: CommandMetadata,
  ): Promise<Result<VoterDecision, CodedError>> {
    const streamId = voterStreamId(voterKey);
    for (let attempt = 0; ; attempt += 1) {
      const loaded = await this.load(streamId);
      if (!loaded.ok) return loaded;
      const { history, last } = loaded.value;
      const decision = voterDecider.decide(command, foldEvents(voterDecider, history), {
        now: this.deps.clock(),
      });
      if (!decision.ok) return decision;
      const events = decision.value;
      if (events.length === 0) {
        return ok({ events, eventIds: [], position: last?.position ?? 0 });
      }
      const appended = await this.deps.ledger.append({
        streamId,
        expectedRevision: last === undefined ? 'no_stream' : last.streamRevision,
        events: events.map((e) => this.envelope(voterKey, e, metadata)),
      });
      if (appended.ok) {
        return ok({
          events,
          eventIds: appended.value.eventIds,
          position: appended.value.positions[1],
        });
      }
      if (appended.error.code !== 'STALE_REVISION' || attempt >= this.deps.staleRetries) {
        if (appended.error.code === 'STALE_REVISION')
          this.deps.log.warn({ streamId, attempts: attempt + 1 }, 'voter command gave up');
        return appended;
      }
    }
  }

  private async load(
    streamId: string,
  ): Promise<Result<{ history: VoterEvent[]; last: RecordedEvent | undefined }, CodedError>> {
    const read = await readWholeStream(this.deps.ledger, streamId);
    if (!read.ok) return read;
    const recorded = read.value;
    return ok({ history: recorded.map(toVoterEvent), last: recorded.at(-1) });
  }
}

/**
 * The reply to a decided command: accepted, or — when the events are a recorded refusal — the
 * refusal's code with where it was recorded, so police and auditors can find the attempt.
 */
export function replyOf(decision: VoterDecision): CommandReply {
  const { eventIds, position } = decision;
  const rejection = rejectionOf(decision.events);
  if (rejection === undefined) return ok({ eventIds, position });
  return err(
    codedError(rejection.code, rejection.message, {
      ...rejection.details,
      eventIds,
      position,
    }),
  );
}

/** A card number no voter holds (by the index): a 404 at the gateway. */
export function unknownCard(cardNumber: string): CommandReply {
  return err(codedError('CARD.UNKNOWN', `no voter holds card ${cardNumber}`, { cardNumber }));
}

/** A voterKey with no registration in the index. */
export function unknownVoter(): CommandReply {
  return err(codedError('VOTER.UNKNOWN', 'no voter is registered under this key'));
}
