// Voter lists and cards per commune: registrations, deliveries, unreachable voters, strikes,
// transfers in and out, check-ins and refused attempts. Counts events; the voter decider has
// already refused anything that may not happen twice.
import {
  CheckInRefused,
  DuplicateRegistrationRefused,
  VoterCardDelivered,
  VoterCheckedIn,
  VoterMarkedUnreachable,
  VoterRegistered,
  VoterStruckOff,
  VoterTransferred,
  assertNever,
  type RecordedEvent,
} from '@hpe/domain';
import { areaOfCard, change, eventData, type Projection, type RowChange } from './projection.js';
import type { ReferenceModel } from './reference-model.js';
import type { VoterCardDistributionRow } from './tables.js';

const handled = [
  'VoterRegistered',
  'VoterCardDelivered',
  'VoterMarkedUnreachable',
  'VoterStruckOff',
  'VoterTransferred',
  'VoterCheckedIn',
  'CheckInRefused',
  'DuplicateRegistrationRefused',
] as const;
type Handled = (typeof handled)[number];
const handledSet: ReadonlySet<string> = new Set(handled);
const isHandled = (type: string): type is Handled => handledSet.has(type);

type Counter = Exclude<keyof VoterCardDistributionRow, 'commune_id' | 'position'>;

const empty = (communeId: string): VoterCardDistributionRow => ({
  commune_id: communeId,
  registered: 0,
  delivered: 0,
  unreachable: 0,
  struck_off: 0,
  transferred_in: 0,
  transferred_out: 0,
  checked_in: 0,
  check_ins_refused: 0,
  duplicate_registrations: 0,
  position: 0,
});

/** Which polling area's commune gets which counter, for one event. */
function counts(type: Handled, event: RecordedEvent): [areaId: string, counter: Counter][] {
  switch (type) {
    case 'VoterRegistered':
      return [[eventData(VoterRegistered, event).pollingAreaId, 'registered']];
    case 'VoterCardDelivered':
      return [[areaOfCard(eventData(VoterCardDelivered, event).cardNumber), 'delivered']];
    case 'VoterMarkedUnreachable':
      return [[areaOfCard(eventData(VoterMarkedUnreachable, event).cardNumber), 'unreachable']];
    case 'VoterStruckOff':
      return [[eventData(VoterStruckOff, event).pollingAreaId, 'struck_off']];
    case 'VoterTransferred': {
      const d = eventData(VoterTransferred, event);
      return [
        [d.fromPollingAreaId, 'transferred_out'],
        [d.toPollingAreaId, 'transferred_in'],
      ];
    }
    case 'VoterCheckedIn':
      return [[eventData(VoterCheckedIn, event).pollingAreaId, 'checked_in']];
    case 'CheckInRefused':
      return [[eventData(CheckInRefused, event).pollingAreaId, 'check_ins_refused']];
    case 'DuplicateRegistrationRefused':
      return [
        [
          eventData(DuplicateRegistrationRefused, event).attemptedPollingAreaId,
          'duplicate_registrations',
        ],
      ];
    default:
      return assertNever(type, 'voter event');
  }
}

export const voterCardsProjection: Projection = {
  name: 'voter-cards',
  handles: handledSet,
  tables: ['voter_card_distribution'],
  seed: (reference: ReferenceModel) =>
    reference.communeIds.map((id) => change('voter_card_distribution', empty(id))),
  project(event, view, reference) {
    if (!isHandled(event.type)) return [];
    const changes: RowChange[] = [];
    for (const [areaId, counter] of counts(event.type, event)) {
      const communeId = reference.areas.get(areaId)?.communeId;
      // A list outside the reference data belongs to no commune; the services refuse one.
      if (communeId === undefined) continue;
      // A transfer within one commune counts out and in on the same row.
      const earlier = changes.find(
        (c) => c.table === 'voter_card_distribution' && c.row.commune_id === communeId,
      );
      const row =
        (earlier?.row as VoterCardDistributionRow | undefined) ??
        view.get('voter_card_distribution', communeId) ??
        empty(communeId);
      // A fresh copy, then one counter moved (a computed key in the literal is V8's slow path).
      const next: { -readonly [K in keyof VoterCardDistributionRow]: VoterCardDistributionRow[K] } =
        {
          ...row,
          position: event.position,
        };
      next[counter] += 1;
      if (earlier === undefined) changes.push(change('voter_card_distribution', next));
      else changes[changes.indexOf(earlier)] = change('voter_card_distribution', next);
    }
    return changes;
  },
};
