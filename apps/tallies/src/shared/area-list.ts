// The area's voter list for one ballot level as it stands now: the registered list, moved by the
// transfers and strikes the turnout stream recorded. A voter transferred in votes the National
// Assembly and city ballots only, so the commune ballot's list leaves them out.
import {
  assertNever,
  foldEvents,
  ok,
  TurnoutEvent,
  turnoutStreamId,
  type Level,
  type Result,
} from '@hpe/domain';
import type { LedgerError } from '@hpe/ledger-client';
import { eventReader, type StreamCommandRunner } from '@hpe/service-kit';

const toTurnoutEvent = eventReader(TurnoutEvent, 'turnout');

interface ListState {
  /** The list after every adjustment; undefined until the area is registered. */
  readonly votersOnList?: number;
  readonly transferredIn: number;
}

const listFold = {
  initialState: (): ListState => ({ transferredIn: 0 }),
  evolve: (state: ListState, event: TurnoutEvent): ListState => {
    switch (event.type) {
      case 'PollingAreaRegistered':
        return { ...state, votersOnList: event.data.votersOnList };
      case 'VoterListAdjusted':
        return {
          votersOnList: event.data.votersOnList,
          transferredIn:
            state.transferredIn + (event.data.change === 'transferred_in' ? event.data.count : 0),
        };
      case 'PollingAreaOpened':
      case 'TurnoutReported':
      case 'PollingAreaClosed':
      case 'TurnoutFigureRefused':
        return state;
      default:
        return assertNever(event, 'turnout event');
    }
  },
};

/**
 * The list a minute at `level` must carry. An area the turnout service never registered has had no
 * transfer recorded, so its registered list from the reference data stands.
 */
export async function areaListAt(
  runner: Pick<StreamCommandRunner, 'load'>,
  area: { readonly pollingAreaId: string; readonly votersOnList: number },
  level: Level,
): Promise<Result<number, LedgerError>> {
  const loaded = await runner.load({
    streamId: turnoutStreamId(area.pollingAreaId),
    toEvent: toTurnoutEvent,
  });
  if (!loaded.ok) return loaded;
  const state = foldEvents(listFold, loaded.value.history);
  const list = state.votersOnList ?? area.votersOnList;
  return ok(level === 'commune' ? list - state.transferredIn : list);
}
