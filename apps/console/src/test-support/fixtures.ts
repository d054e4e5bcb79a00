// Figures shaped like the gateway's answers (design/api.md) for the component tests.
import type {
  CommuneList,
  CommuneSummary,
  Incident,
  IncidentList,
  LevelResults,
  Overview,
  Timeline,
  UnitResult,
} from '../api/types.js';

export const emptyDay: Overview = {
  asOfPosition: 2_700,
  votersOnList: 3_189_339,
  votersVoted: 0,
  checkIns: 0,
  turnoutPct: 0,
  pollingAreas: { total: 2_577, opened: 0, reported: 0, closed: 0 },
  minutes: { expected: 7_731, received: 0 },
  anomaliesOpen: 0,
  incidentsOpen: 0,
};

export const everyAreaReported: Overview = {
  asOfPosition: 1_204_311,
  votersOnList: 3_189_339,
  votersVoted: 3_179_771,
  checkIns: 3_170_002,
  turnoutPct: 99.7,
  pollingAreas: { total: 2_577, opened: 2_577, reported: 2_577, closed: 2_577 },
  minutes: { expected: 7_731, received: 7_731 },
  anomaliesOpen: 3,
  incidentsOpen: 1,
};

export const emptyTimeline: Timeline = { asOfPosition: 2_700, points: [] };

/** A morning whose latest figure is as of 11:00: the 11:00 round is the one running. */
export const morningTimeline: Timeline = {
  asOfPosition: 50_000,
  points: [
    {
      at: '2026-03-15T09:00:00+07:00',
      votersVoted: 900_000,
      turnoutPct: 28.2,
      areasReporting: 2_400,
    },
    {
      at: '2026-03-15T11:00:00+07:00',
      votersVoted: 2_200_000,
      turnoutPct: 69,
      areasReporting: 2_500,
    },
  ],
};

export function commune(
  communeId: string,
  name: string,
  turnoutPct: number,
  total: number,
  reportedThisRound: number | null,
): CommuneSummary {
  return {
    communeId,
    name,
    electionDate: '2026-03-15',
    votersOnList: total * 1_000,
    votersVoted: Math.round(total * 10 * turnoutPct),
    checkIns: Math.round(total * 10 * turnoutPct),
    turnoutPct,
    pollingAreas: { total, opened: total, reported: reportedThisRound ?? 0, closed: 0 },
    ...(reportedThisRound === null
      ? {}
      : { round: { at: '2026-03-15T11:00:00+07:00', reported: reportedThisRound } }),
    minutes: { expected: total * 3, received: 0 },
    anomaliesOpen: 0,
    incidentsOpen: 0,
  };
}

export const communes: CommuneList = {
  asOfPosition: 50_000,
  communes: [
    commune('c-an-bien', 'Phường An Biên', 72.5, 20, 20),
    commune('c-bach-long-vi', 'Đặc khu Bạch Long Vĩ', 99.1, 2, 2),
    commune('c-kien-an', 'Phường Kiến An', 65.0, 30, 27),
    commune('c-tien-lang', 'Xã Tiên Lãng', 58.2, 25, 20),
    commune('c-cat-hai', 'Đặc khu Cát Hải', 80.0, 10, 10),
  ],
};

function unit(
  unitId: string,
  outcome: UnitResult['outcome'],
  candidates: [string, number, boolean][],
  extra: Partial<UnitResult> = {},
): UnitResult {
  const valid = 100_000;
  return {
    unitId,
    seats: 3,
    votersOnList: 120_000,
    votersVoted: 110_000,
    validBallots: valid,
    invalidBallots: 2_000,
    areasReporting: 40,
    areasTotal: 40,
    candidates: candidates.map(([name, votes, elected], i) => ({
      candidateId: `${unitId}-k${i}`,
      name,
      birthDate: '1975-01-01',
      votes,
      pctOfValid: (100 * votes) / valid,
      elected,
    })),
    outcome,
    declared: false,
    // One unit without a name: the card falls back to its id.
    ...(unitId === 'na-4' ? {} : { name: `Đơn vị số ${unitId.slice(3)}` }),
    ...extra,
  };
}

export const naResults: LevelResults = {
  asOfPosition: 900_000,
  units: [
    unit('na-1', 'elected', [
      ['Nguyễn Văn An', 81_000, true],
      ['Trần Thị Bình', 76_000, true],
      ['Lê Văn Cường', 64_000, true],
      ['Phạm Thị Dung', 30_000, false],
    ]),
    unit(
      'na-2',
      'revote_required',
      [
        ['Hoàng Văn Em', 20_000, false],
        ['Vũ Thị Giang', 19_000, false],
      ],
      { votersVoted: 50_000 },
    ),
    unit('na-3', 'additional_vote_required', [
      ['Đỗ Văn Hải', 60_000, true],
      ['Bùi Thị Lan', 40_000, false],
      ['Ngô Văn Minh', 35_000, false],
    ]),
    unit('na-4', 'counting', [['Đinh Văn Nam', 1_000, false]], { areasReporting: 3 }),
  ],
};

export function incident(
  incidentId: string,
  status: Incident['status'],
  extra: Partial<Incident> = {},
): Incident {
  return {
    incidentId,
    pollingAreaId: 'pa-0001',
    communeId: 'c-an-bien',
    category: 'equipment',
    severity: 'medium',
    status,
    description: `Incident ${incidentId}`,
    occurredAt: '2026-03-15T08:00:00+07:00',
    reportedAt: '2026-03-15T08:05:00+07:00',
    updatedAt: '2026-03-15T08:05:00+07:00',
    assignedUnit: status === 'assigned' ? 'Đội CSCĐ 1' : null,
    resolution: status === 'resolved' ? 'Đã thay loa' : null,
    notes: 0,
    ...extra,
  };
}

export const incidents: IncidentList = {
  asOfPosition: 77_000,
  incidents: [
    incident('i-rep', 'reported', { severity: 'critical', category: 'security' }),
    incident('i-ack', 'acknowledged'),
    incident('i-asg', 'assigned'),
    incident('i-res', 'resolved'),
    incident('i-reo', 'reopened'),
    incident('i-rep2', 'reported', { severity: 'low', category: 'weather' }),
  ],
};
