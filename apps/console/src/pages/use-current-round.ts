// The reporting round a page measures "not reported this round" against: from the wall clock on
// the election day, else from the latest turnout figure of the scope (see reporting-rounds.ts).
import { useTimeline } from '../api/queries.js';
import { useNow } from '../components/use-now.js';
import { currentRound, type ReportingRound } from '../reporting-rounds.js';

export function useCurrentRound(communeId?: string): {
  readonly round: ReportingRound | null;
  /** False until the timeline has answered; queries that take the round wait for it. */
  readonly known: boolean;
} {
  const timeline = useTimeline(communeId === undefined ? {} : { communeId });
  const now = useNow(30_000);
  const points = timeline.data?.points ?? [];
  return {
    round: currentRound(now, points[points.length - 1]?.at),
    known: timeline.data !== undefined || timeline.error !== null,
  };
}
