// The pure part of the communes page: who is behind this round, filtering and sorting, so the
// rules are tested without rendering.
import type { CommuneSummary } from '../api/types.js';

/** Areas of the commune that have not reported in the round now running (0 before round one). */
export function missingThisRound(c: CommuneSummary): number {
  return c.round === undefined ? 0 : Math.max(0, c.pollingAreas.total - c.round.reported);
}

export const sortKeys = ['round', 'name', 'turnout', 'reported', 'incidents'] as const;
export type SortKey = (typeof sortKeys)[number];
export type StatusFilter = 'all' | 'behind' | 'upToDate';

export interface CommuneQuery {
  readonly text: string;
  readonly status: StatusFilter;
  readonly sort: SortKey;
  readonly descending: boolean;
}

function compare(a: CommuneSummary, b: CommuneSummary, key: SortKey): number {
  switch (key) {
    case 'round':
      return missingThisRound(b) - missingThisRound(a);
    case 'name':
      return a.name.localeCompare(b.name, 'vi');
    case 'turnout':
      return a.turnoutPct - b.turnoutPct;
    case 'reported':
      return (
        a.pollingAreas.reported / (a.pollingAreas.total || 1) -
        b.pollingAreas.reported / (b.pollingAreas.total || 1)
      );
    case 'incidents':
      return a.incidentsOpen - b.incidentsOpen;
    default: {
      const unknown: never = key;
      throw new Error(`unknown sort ${String(unknown)}`);
    }
  }
}

/** Filtered and sorted; communes behind this round come first unless another sort is chosen, and
 * ties always fall back to the name so the order is stable across refreshes. */
export function viewCommunes(
  communes: readonly CommuneSummary[],
  query: CommuneQuery,
): CommuneSummary[] {
  const text = query.text.trim().toLocaleLowerCase('vi');
  return communes
    .filter((c) => text === '' || c.name.toLocaleLowerCase('vi').includes(text))
    .filter((c) =>
      query.status === 'all'
        ? true
        : query.status === 'behind'
          ? missingThisRound(c) > 0
          : missingThisRound(c) === 0,
    )
    .sort((a, b) => {
      const primary = compare(a, b, query.sort) * (query.descending ? -1 : 1);
      return primary !== 0 ? primary : a.name.localeCompare(b.name, 'vi');
    });
}

/** A turnout band for the tile colour; the tile also prints the figure, colour is never alone. */
export function turnoutBand(pct: number): 0 | 1 | 2 | 3 | 4 {
  if (pct >= 90) return 4;
  if (pct >= 70) return 3;
  if (pct >= 40) return 2;
  if (pct > 0) return 1;
  return 0;
}
