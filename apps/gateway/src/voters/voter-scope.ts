// Scope checks for card and voter commands: a card number names its polling area (its prefix), a
// voterKey is looked up in the voter-cards service's card index (voter_card_index) for the list the
// voter is on now. Unknown card or voter → 404 with CARD.UNKNOWN / VOTER.UNKNOWN.
import { Inject, Injectable } from '@nestjs/common';
import { VoterCardNumber, VoterKey } from '@hpe/domain';
import type pg from 'pg';
import type { Principal } from '../auth/principal.js';
import { ProblemException } from '../problem.filter.js';
import { PollingAreaScope } from '../reference/polling-area-scope.js';
import { PG_POOL } from '../tokens.js';

export function unknownCard(cardNumber: string): ProblemException {
  return new ProblemException(404, 'CARD.UNKNOWN', `No voter holds card ${cardNumber}.`);
}

function unknownVoter(): ProblemException {
  return new ProblemException(404, 'VOTER.UNKNOWN', 'No voter is registered under this key.');
}

@Injectable()
export class VoterScope {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(PollingAreaScope) private readonly areas: PollingAreaScope,
  ) {}

  /** The polling area a card was issued in: the card number is `<pollingAreaId>-<nnnn>`. */
  cardAreaOf(cardNumber: string): string {
    if (!VoterCardNumber.safeParse(cardNumber).success) throw unknownCard(cardNumber);
    return cardNumber.slice(0, cardNumber.lastIndexOf('-'));
  }

  /** Delivery and unreachable: the commune of the area that issued the card. */
  async assertMayActForCard(principal: Principal, cardNumber: string): Promise<void> {
    const area = this.cardAreaOf(cardNumber);
    try {
      await this.areas.communeOf(area);
    } catch {
      throw unknownCard(cardNumber);
    }
    await this.areas.assertMayAct(principal, area);
  }

  /** Strike and vote elsewhere: the commune of the list the voter is on now. */
  async assertMayActForVoter(principal: Principal, voterKey: string): Promise<void> {
    if (!VoterKey.safeParse(voterKey).success) throw unknownVoter();
    const { rows } = await this.pool.query<{ listed_polling_area_id: string }>(
      'select listed_polling_area_id from voter_card_index where voter_key = $1',
      [voterKey],
    );
    const listed = rows[0]?.listed_polling_area_id;
    if (listed === undefined) throw unknownVoter();
    await this.areas.assertMayAct(principal, listed);
  }
}
