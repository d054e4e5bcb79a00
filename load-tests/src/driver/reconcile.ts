// The reconciliation at the end of a run, as a pure function: what the API accepted (201s per
// scenario and polling area) against the events in the ledger and the read models' totals.
import type { ScenarioName } from '../scenarios/definitions.ts';

/** The event each accepted command of a scenario must leave in the ledger (one per 201). */
export const ledgerEventOf: Readonly<Partial<Record<ScenarioName, string>>> = {
  checkIns: 'VoterCheckedIn',
  turnoutReports: 'TurnoutReported',
  minutes: 'CountingMinuteSubmitted',
  incidents: 'IncidentReported',
};

/** count[key][pollingAreaId] */
export type CountsByArea = Record<string, Record<string, number>>;

export interface ReadModelFigures {
  /** GET /overview deltas over the run (after - before). */
  readonly overviewDelta?: {
    readonly checkIns?: number;
    readonly minutesReceived?: number;
    readonly incidentsOpen?: number;
  };
  /** GET /polling-areas: the turnout figure each area shows after the run. */
  readonly areaVotersVoted?: Readonly<Record<string, number>>;
}

export interface ReconciliationInput {
  /** 201s by scenario and area. */
  readonly accepted: CountsByArea;
  /** Events since the run's first position, by type and area. */
  readonly ledger: CountsByArea;
  /** The highest turnout figure accepted per area (to compare with the read model). */
  readonly lastTurnout: Readonly<Record<string, number>>;
  /** Absent when the read models do not answer yet. */
  readonly readModels?: ReadModelFigures;
}

export interface Mismatch {
  readonly check: string;
  readonly pollingAreaId?: string;
  readonly expected: number;
  readonly actual: number;
}

export interface ReconciliationResult {
  readonly ok: boolean;
  readonly mismatches: readonly Mismatch[];
  /** Totals for the report: accepted and in the ledger, per scenario. */
  readonly totals: readonly {
    scenario: string;
    eventType: string;
    accepted: number;
    ledger: number;
  }[];
}

function sum(counts: Readonly<Record<string, number>> | undefined): number {
  return Object.values(counts ?? {}).reduce((a, b) => a + b, 0);
}

export function reconcile(input: ReconciliationInput): ReconciliationResult {
  const mismatches: Mismatch[] = [];
  const totals: { scenario: string; eventType: string; accepted: number; ledger: number }[] = [];
  for (const [scenario, eventType] of Object.entries(ledgerEventOf)) {
    const accepted = input.accepted[scenario] ?? {};
    const ledger = input.ledger[eventType] ?? {};
    totals.push({ scenario, eventType, accepted: sum(accepted), ledger: sum(ledger) });
    const areas = new Set([...Object.keys(accepted), ...Object.keys(ledger)]);
    for (const pollingAreaId of [...areas].sort()) {
      const expected = accepted[pollingAreaId] ?? 0;
      const actual = ledger[pollingAreaId] ?? 0;
      if (expected !== actual) {
        mismatches.push({
          check: `${scenario} 201s = ${eventType} events`,
          pollingAreaId,
          expected,
          actual,
        });
      }
    }
  }
  const rm = input.readModels;
  if (rm?.overviewDelta !== undefined) {
    const pairs: [string, number, number | undefined][] = [
      [
        'overview.checkIns grew by the accepted check-ins',
        sum(input.accepted.checkIns),
        rm.overviewDelta.checkIns,
      ],
      [
        'overview.minutes.received grew by the accepted minutes',
        sum(input.accepted.minutes),
        rm.overviewDelta.minutesReceived,
      ],
      [
        'overview.incidentsOpen grew by the accepted incidents',
        sum(input.accepted.incidents),
        rm.overviewDelta.incidentsOpen,
      ],
    ];
    for (const [check, expected, actual] of pairs) {
      if (actual !== undefined && actual !== expected) mismatches.push({ check, expected, actual });
    }
  }
  if (rm?.areaVotersVoted !== undefined) {
    for (const [pollingAreaId, expected] of Object.entries(input.lastTurnout).sort()) {
      const actual = rm.areaVotersVoted[pollingAreaId];
      if (actual !== expected) {
        mismatches.push({
          check: 'polling-areas votersVoted = last accepted turnout figure',
          pollingAreaId,
          expected,
          actual: actual ?? -1,
        });
      }
    }
  }
  return { ok: mismatches.length === 0, mismatches, totals };
}
