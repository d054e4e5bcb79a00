// Hải Phòng's official figures for 15 March 2026 (design/domain.md, from TBTCO, 6 March 2026) and
// the voting calendar. The generator aims at them and verifyHaiPhongFigures insists on them.

export const haiPhong2026 = {
  electionId: 'hai-phong-2026',
  electionDate: '2026-03-15',
  communes: 114,
  pollingAreas: 2_577,
  residentialPollingAreas: 2_537,
  separatePollingAreas: 40,
  votersOnList: 3_189_339,
  electoralUnits: {
    na: { units: 7, seats: 19, candidates: 33 },
    city: { units: 18, seats: 85, candidates: 139 },
    commune: { units: 718, seats: 2_375, candidates: 3_952 },
  },
  /** How many units elect how many seats: 5 × 3 + 2 × 2 and 13 × 5 + 5 × 4. */
  unitSizes: {
    na: { 3: 5, 2: 2 },
    city: { 5: 13, 4: 5 },
  },
  /** Voter cards go out from 10 to 3 days before a commune votes (5–12 March for 15 March). */
  cardDistributionDaysBefore: { from: 10, to: 3 },
} as const;

/** Đặc khu Bạch Long Vĩ, an island 110 km out at sea, votes one day early (14 March). */
export const bachLongVi = {
  communeId: '11948',
  electionDate: '2026-03-14',
  cardDistribution: { from: '2026-03-04', to: '2026-03-11' },
} as const;
