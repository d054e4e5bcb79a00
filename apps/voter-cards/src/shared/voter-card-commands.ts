// The card and voter commands other than the import: find the voter's stream (by card number
// through the card index, or by voterKey), decide there, and keep the index in step after a
// transfer has committed.
import {
  codedError,
  err,
  type CheckInVoter,
  type DeliverVoterCard,
  type MarkVoterUnreachable,
  type StrikeVoter,
  type TransferVoter,
} from '@hpe/domain';
import type { CommandMetadata, CommandReply } from '@hpe/service-kit';
import type { AreaDirectory } from './area-directory.js';
import type { CardIndex } from './card-index.js';
import { replyOf, unknownCard, unknownVoter, type VoterStreams } from './voter-streams.js';

export type CardCommand = CheckInVoter | DeliverVoterCard | MarkVoterUnreachable;

export class VoterCardCommands {
  constructor(
    private readonly streams: VoterStreams,
    private readonly index: CardIndex,
    private readonly areas: AreaDirectory,
  ) {}

  /** Check-in, delivery, unreachable: the card number leads to the voter's stream. */
  async byCard(command: CardCommand, metadata: CommandMetadata): Promise<CommandReply> {
    const { cardNumber } = command.data;
    const entry = await this.index.byCard(cardNumber);
    if (entry === undefined) return unknownCard(cardNumber);
    const decided = await this.streams.decide(entry.voterKey, command, metadata);
    return decided.ok ? replyOf(decided.value) : decided;
  }

  async strike(
    voterKey: string,
    command: StrikeVoter,
    metadata: CommandMetadata,
  ): Promise<CommandReply> {
    if ((await this.index.byVoter(voterKey)) === undefined) return unknownVoter();
    const decided = await this.streams.decide(voterKey, command, metadata);
    return decided.ok ? replyOf(decided.value) : decided;
  }

  /** Vote elsewhere: struck from the home list, added to the destination's (na + city ballots). */
  async voteElsewhere(
    voterKey: string,
    command: TransferVoter,
    metadata: CommandMetadata,
  ): Promise<CommandReply> {
    const { toPollingAreaId } = command.data;
    if ((await this.areas.find(toPollingAreaId)) === undefined)
      return err(
        codedError(
          'POLLING.UNKNOWN_AREA',
          `the reference data has no polling area ${toPollingAreaId}`,
          {
            pollingAreaId: toPollingAreaId,
          },
        ),
      );
    if ((await this.index.byVoter(voterKey)) === undefined) return unknownVoter();
    const decided = await this.streams.decide(voterKey, command, metadata);
    if (!decided.ok) return decided;
    const transferred = decided.value.events.find((e) => e.type === 'VoterTransferred');
    if (transferred !== undefined)
      await this.index.moveListing(voterKey, toPollingAreaId, decided.value.position);
    return replyOf(decided.value);
  }
}
