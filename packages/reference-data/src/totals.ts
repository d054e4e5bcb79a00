// The summary counts of a dataset, worked out from its rows: the generator writes them, the
// loader recomputes them to catch a summary that does not match the rows it sums up.
import type {
  Candidate,
  Commune,
  DatasetTotals,
  ElectoralLevel,
  ElectoralUnit,
  LevelTotals,
  PollingArea,
} from './schema.js';

export interface DatasetRows {
  readonly communes: readonly Commune[];
  readonly pollingAreas: readonly PollingArea[];
  readonly electoralUnits: readonly ElectoralUnit[];
  readonly candidates: readonly Candidate[];
}

export function computeTotals(rows: DatasetRows): DatasetTotals {
  const level = (l: ElectoralLevel): LevelTotals => {
    const units = rows.electoralUnits.filter((u) => u.level === l);
    return {
      units: units.length,
      seats: units.reduce((a, u) => a + u.seats, 0),
      candidates: rows.candidates.filter((c) => c.level === l).length,
    };
  };
  const separate = rows.pollingAreas.filter((a) => a.kind === 'separate').length;
  return {
    communes: rows.communes.length,
    pollingAreas: rows.pollingAreas.length,
    residentialPollingAreas: rows.pollingAreas.length - separate,
    separatePollingAreas: separate,
    votersOnList: rows.pollingAreas.reduce((a, p) => a + p.votersOnList, 0),
    electoralUnits: { na: level('na'), city: level('city'), commune: level('commune') },
  };
}

/** Each count as a dotted path and value, for comparing two summaries field by field. */
export function flattenTotals(totals: DatasetTotals): [string, number][] {
  const { electoralUnits, ...counts } = totals;
  return [
    ...Object.entries(counts),
    ...Object.entries(electoralUnits).flatMap(([l, t]) =>
      Object.entries(t).map(([k, v]): [string, number] => [`electoralUnits.${l}.${k}`, v]),
    ),
  ];
}
