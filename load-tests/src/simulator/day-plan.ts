// The simulated election day as data, before anything is sent: per polling area when it opens, who
// votes when (card check-ins at the areas that scan cards), the turnout reports before each
// reporting round, the close, the counting minutes and their corrections, the incidents and how the
// police handle them, and the injected anomalies. Pure and deterministic for a seed.
import { defaultAnomalyThresholds, ScheduleConfig, type CountingMinute } from '@hpe/domain';
import type { ReferenceDataset } from '@hpe/reference-data';
import { turnoutCurve, turnoutShare } from '../scenarios/definitions.ts';
import { SimRandom } from './sim-random.ts';

export type Level = 'na' | 'city' | 'commune';
export const levels: readonly Level[] = ['na', 'city', 'commune'];

/** The anomalies of design/domain.md a run can plant, one area each. */
export const injections = [
  'ballot-stuffing',
  'decreasing-report',
  'missed-round',
  'arithmetic-error',
  'reused-card',
  'late-minutes',
  'checkin-mismatch',
] as const;
export type Injection = (typeof injections)[number];

export function isInjection(value: string): value is Injection {
  return (injections as readonly string[]).includes(value);
}

/** The anomaly kinds each injection must raise at its area (what a CI run asserts). */
export const expectedKinds: Readonly<Record<Injection, readonly string[]>> = {
  'ballot-stuffing': ['turnout_early_high', 'dominant_candidate'],
  'decreasing-report': ['turnout_decreased'],
  'missed-round': ['reporting_round_missed'],
  'arithmetic-error': ['minute_inconsistent'],
  'reused-card': ['card_reused'],
  'late-minutes': ['minutes_missing'],
  'checkin-mismatch': ['turnout_checkin_mismatch'],
};

export interface PlanOptions {
  readonly seed: string;
  /** Share of the city's voters who check in with their cards (whole areas are chosen). */
  readonly scale: number;
  readonly inject: ReadonlySet<Injection>;
  /** Chance that an area has an incident during the day. */
  readonly incidentsPerArea: number;
  /** Chance that a counting minute is corrected later. */
  readonly correctionShare: number;
}

export interface AreaRef {
  readonly pollingAreaId: string;
  readonly communeId: string;
  readonly communeName: string;
  readonly votersOnList: number;
  readonly electionDate: string;
  readonly units: Readonly<Record<Level, string>>;
  readonly cardDistribution: { readonly from: string; readonly to: string };
}

/** An answer other than 201 that the plan expects (an injected anomaly's refusal). */
export type ExpectedRefusal =
  'TURNOUT.DECREASED' | 'MINUTE.VALID_PLUS_INVALID_MISMATCH' | 'CARD.ALREADY_USED';

/** Minutes into the area's election day (local time), fractional. */
export type DayMinute = number;

export type FieldAction =
  | { readonly kind: 'open'; readonly at: DayMinute }
  | {
      readonly kind: 'report';
      readonly at: DayMinute;
      readonly votersVoted: number;
      readonly expect?: ExpectedRefusal;
    }
  | { readonly kind: 'close'; readonly at: DayMinute; readonly votersVoted: number }
  | {
      readonly kind: 'minute';
      readonly at: DayMinute;
      readonly level: Level;
      readonly minute: CountingMinute;
      readonly expect?: ExpectedRefusal;
    }
  | {
      readonly kind: 'correction';
      readonly at: DayMinute;
      readonly level: Level;
      readonly minute: CountingMinute;
      readonly reason: string;
    };

export type TriageStep =
  | { readonly kind: 'acknowledge'; readonly at: DayMinute }
  | { readonly kind: 'assign'; readonly at: DayMinute; readonly unit: string }
  | { readonly kind: 'note'; readonly at: DayMinute; readonly text: string }
  | { readonly kind: 'resolve'; readonly at: DayMinute; readonly resolution: string }
  | { readonly kind: 'reopen'; readonly at: DayMinute; readonly reason: string };

export interface IncidentPlan {
  readonly key: string;
  readonly at: DayMinute;
  readonly category: string;
  readonly severity: string;
  readonly description: string;
  /** `pa-<area>` (the election team) or `police`. */
  readonly reportedBy: string;
  readonly triage: readonly TriageStep[];
}

export interface AreaPlan {
  readonly area: AreaRef;
  /** Voters check in with their cards here (their voters are imported first). */
  readonly scanning: boolean;
  /** Voters who vote at this area. */
  readonly voters: number;
  /** Sorted check-in times, one per voter who votes (scanning areas only). */
  readonly arrivals: Float64Array;
  /** Indices (into the area's list, in generateVoters order) of the voters who vote, by arrival. */
  readonly voterIndices: Uint32Array;
  /** Open, reports, close, minutes, corrections, in time order. */
  readonly actions: readonly FieldAction[];
  readonly incidents: readonly IncidentPlan[];
  /** A card presented a second time (reused-card). */
  readonly reusedCard?: { readonly voterIndex: number; readonly at: DayMinute };
}

export interface InjectionTarget {
  readonly injection: Injection;
  readonly pollingAreaId: string;
  readonly communeId: string;
}

export interface DayPlan {
  readonly seed: string;
  readonly areas: readonly AreaPlan[];
  readonly injected: readonly InjectionTarget[];
  /** Injections asked for that no area could take (e.g. reused-card with no scanning area). */
  readonly skipped: readonly Injection[];
  readonly rounds: readonly DayMinute[];
  readonly minutesDeadline: DayMinute;
}

const schedule = ScheduleConfig.parse({});
const hhmm = (time: string): DayMinute => {
  const [h, m] = time.split(':');
  return Number(h) * 60 + Number(m);
};
const rounds = schedule.reportingRounds.map(hhmm);
const closeMinute = 19 * 60;
const votingStart = 7 * 60;

// The day's turnout curve (design/domain.md): the share of the list that has voted by a minute,
// piecewise linear, from 0 at 07:00 to about 99 % at 19:00. A voter's arrival is the minute at
// which the curve, normalised to 1 at the close, reaches a uniform draw: the inverse of each piece.
const curveEnd = turnoutShare(closeMinute);

function arrivalMinute(u: number): DayMinute {
  const target = u * curveEnd;
  let previous = turnoutCurve[0] ?? [votingStart, 0];
  for (const point of turnoutCurve) {
    if (point[1] >= target && point[1] > previous[1]) {
      const t = (target - previous[1]) / (point[1] - previous[1]);
      return previous[0] + t * (point[0] - previous[0]);
    }
    previous = point;
  }
  return closeMinute;
}

/** How many of `arrivals` are at or before `minute`. */
export function votedBy(arrivals: Float64Array, minute: DayMinute): number {
  let lo = 0;
  let hi = arrivals.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arrivals[mid] ?? Infinity) <= minute) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface UnitRef {
  readonly seats: number;
  readonly candidateIds: readonly string[];
}

/** Each candidate's share of the valid ballots across a unit (the same at every area of it). */
function unitPopularity(random: SimRandom, unit: UnitRef): number[] {
  const raw = unit.candidateIds.map(() => random.between(0.4, 1));
  const sum = raw.reduce((a, b) => a + b, 0);
  // A ballot keeps at most `seats` names; most voters keep exactly that many.
  const target = unit.seats * random.between(0.9, 0.97);
  return raw.map((r) => Math.min(0.9, (r / sum) * target));
}

/** A counting minute consistent with `votersVoted` voters (every rule of domain.md holds). */
export function consistentMinute(
  random: SimRandom,
  votersOnList: number,
  votersVoted: number,
  unit: UnitRef,
  popularity: readonly number[],
): CountingMinute {
  const ballotsIssued = votersVoted;
  // Now and then a voter leaves without putting the ballot in the box.
  const ballotsReceived = Math.max(0, ballotsIssued - (random.chance(0.1) ? 1 : 0));
  const invalidBallots = Math.round(ballotsReceived * random.between(0.012, 0.028));
  const validBallots = ballotsReceived - invalidBallots;
  const votes: Record<string, number> = {};
  let sum = 0;
  unit.candidateIds.forEach((candidateId, i) => {
    const share = Math.max(0, Math.min(0.92, (popularity[i] ?? 0.5) + random.between(-0.04, 0.04)));
    const n = Math.min(validBallots, Math.round(validBallots * share));
    votes[candidateId] = n;
    sum += n;
  });
  // Rounding must never push the names above what the ballots can carry.
  const cap = validBallots * unit.seats;
  for (const id of unit.candidateIds) {
    if (sum <= cap) break;
    const cut = Math.min(votes[id] ?? 0, sum - cap);
    votes[id] = (votes[id] ?? 0) - cut;
    sum -= cut;
  }
  const received = random.chance(0.05) ? random.int(1, 2) : 0;
  const resolved = received === 0 ? 0 : random.int(0, received);
  return {
    votersOnList,
    votersVoted,
    ballotsIssued,
    ballotsReceived,
    validBallots,
    invalidBallots,
    votes,
    complaints: { received, resolved, forwarded: received - resolved },
  };
}

const incidentKinds: readonly (readonly [readonly [string, string], number])[] = [
  [
    [
      'equipment',
      'Máy quét thẻ cử tri không đọc được mã QR / the card scanner cannot read QR codes',
    ],
    18,
  ],
  [['power_or_network', 'Mất điện tại khu vực bỏ phiếu / power cut at the polling area'], 14],
  [['public_order', 'Đông người chen lấn trước cửa phòng bỏ phiếu / crowding at the entrance'], 12],
  [['voter_list', 'Cử tri không có tên trong danh sách / a voter missing from the list'], 14],
  [['medical', 'Cử tri cao tuổi bị mệt cần hỗ trợ y tế / an elderly voter needs medical help'], 10],
  [['weather', 'Mưa lớn, mái che bị dột / heavy rain, the shelter leaks'], 8],
  [['complaint', 'Cử tri khiếu nại về việc bỏ phiếu hộ / complaint about proxy voting'], 10],
  [
    [
      'ballot_irregularity',
      'Phát hiện phiếu bầu bị rách trong hòm phiếu phụ / torn ballots in the mobile box',
    ],
    6,
  ],
  [
    [
      'security',
      'Người lạ quay phim tại khu vực bỏ phiếu / a stranger filming at the polling area',
    ],
    5,
  ],
  [['other', 'Thiếu bút và con dấu "Đã bỏ phiếu" / pens and the "has voted" stamp ran short'], 3],
];
const severities: readonly (readonly [string, number])[] = [
  ['low', 50],
  ['medium', 35],
  ['high', 12],
  ['critical', 3],
];

function planIncident(random: SimRandom, area: AreaRef, key: string): IncidentPlan {
  const [category, description] = random.weighted(incidentKinds);
  const severity = random.weighted(severities);
  const at = random.between(6 * 60 + 30, 21 * 60);
  const triage: TriageStep[] = [];
  let t = at;
  if (random.chance(0.92)) {
    t += random.between(3, 20);
    triage.push({ kind: 'acknowledge', at: t });
    if (random.chance(0.85)) {
      t += random.between(2, 15);
      triage.push({ kind: 'assign', at: t, unit: `Công an ${area.communeName}` });
      if (random.chance(0.5)) {
        t += random.between(5, 30);
        triage.push({
          kind: 'note',
          at: t,
          text: 'Tổ công tác đã đến hiện trường / the team is on site',
        });
      }
      if (random.chance(0.85)) {
        t += random.between(20, 150);
        triage.push({ kind: 'resolve', at: t, resolution: 'Đã xử lý xong / handled on site' });
        if (random.chance(0.05)) {
          t += random.between(10, 60);
          triage.push({ kind: 'reopen', at: t, reason: 'Sự việc tái diễn / it happened again' });
          // A reopened incident is acknowledged again before it can be resolved.
          t += random.between(2, 10);
          triage.push({ kind: 'acknowledge', at: t });
          t += random.between(10, 60);
          triage.push({ kind: 'resolve', at: t, resolution: 'Đã xử lý lần hai / handled again' });
        }
      }
    }
  }
  return {
    key,
    at,
    category,
    severity,
    description,
    reportedBy: random.chance(0.8) ? `pa-${area.pollingAreaId}` : 'police',
    triage,
  };
}

/** Areas whose voters check in, chosen so that their voters make up `scale` of the city. */
function chooseScanning(dataset: ReferenceDataset, random: SimRandom, scale: number): Set<string> {
  const scanning = new Set<string>();
  if (scale <= 0) return scanning;
  const total = dataset.pollingAreas.reduce((sum, a) => sum + a.votersOnList, 0);
  const order = dataset.pollingAreas
    .map((a) => ({ a, key: random.float() }))
    .sort((x, y) => x.key - y.key);
  let voters = 0;
  for (const { a } of order) {
    if (voters >= total * scale) break;
    scanning.add(a.pollingAreaId);
    voters += a.votersOnList;
  }
  return scanning;
}

export function areaRefs(dataset: ReferenceDataset): AreaRef[] {
  const communes = new Map(dataset.communes.map((c) => [c.communeId, c]));
  return dataset.pollingAreas.map((a) => {
    const commune = communes.get(a.communeId);
    if (commune === undefined) throw new Error(`${a.pollingAreaId}: unknown commune`);
    return {
      pollingAreaId: a.pollingAreaId,
      communeId: a.communeId,
      communeName: commune.name,
      votersOnList: a.votersOnList,
      electionDate: commune.electionDate,
      units: a.units,
      cardDistribution: commune.cardDistribution,
    };
  });
}

function unitRefs(dataset: ReferenceDataset): Map<string, UnitRef> {
  const candidates = new Map<string, string[]>();
  for (const c of dataset.candidates) {
    const list = candidates.get(c.unitId) ?? [];
    list.push(c.candidateId);
    candidates.set(c.unitId, list);
  }
  return new Map(
    dataset.electoralUnits.map((u) => [
      u.unitId,
      { seats: u.seats, candidateIds: [...(candidates.get(u.unitId) ?? [])].sort() },
    ]),
  );
}

export function planDay(dataset: ReferenceDataset, options: PlanOptions): DayPlan {
  const root = new SimRandom(options.seed);
  const refs = areaRefs(dataset);
  const units = unitRefs(dataset);
  const popularity = new Map<string, number[]>();
  for (const [unitId, unit] of units)
    popularity.set(unitId, unitPopularity(root.fork(`unit/${unitId}`), unit));
  const scanning = chooseScanning(dataset, root.fork('scanning'), options.scale);

  // Injection targets: ordinary areas of the main day, large enough for the rate and share rules.
  const pickRandom = root.fork('injections');
  const eligible = refs.filter(
    (a) => a.electionDate === dataset.electionDate && a.votersOnList >= 400,
  );
  const targets = new Map<string, Injection>();
  const injected: InjectionTarget[] = [];
  const skipped: Injection[] = [];
  for (const injection of injections) {
    if (!options.inject.has(injection)) continue;
    const needsScanning = injection === 'reused-card' || injection === 'checkin-mismatch';
    const pool = eligible.filter(
      (a) => !targets.has(a.pollingAreaId) && scanning.has(a.pollingAreaId) === needsScanning,
    );
    if (pool.length === 0) {
      skipped.push(injection);
      continue;
    }
    const area = pickRandom.pick(pool);
    targets.set(area.pollingAreaId, injection);
    injected.push({ injection, pollingAreaId: area.pollingAreaId, communeId: area.communeId });
  }

  const areas = refs.map((area) =>
    planArea(area, {
      random: root.fork(`area/${area.pollingAreaId}`),
      scanning: scanning.has(area.pollingAreaId),
      injection: targets.get(area.pollingAreaId),
      units,
      popularity,
      options,
    }),
  );
  return {
    seed: options.seed,
    areas,
    injected,
    skipped,
    rounds,
    minutesDeadline: hhmm(schedule.minutesDeadline),
  };
}

interface AreaContext {
  readonly random: SimRandom;
  readonly scanning: boolean;
  readonly injection: Injection | undefined;
  readonly units: ReadonlyMap<string, UnitRef>;
  readonly popularity: ReadonlyMap<string, readonly number[]>;
  readonly options: PlanOptions;
}

function planArea(area: AreaRef, ctx: AreaContext): AreaPlan {
  const { random, injection } = ctx;
  const list = area.votersOnList;
  // Vietnamese turnout: about 99 %, a little lower here and there.
  // (The check-in mismatch target is a quieter area, so its inflated figure fits under the list.)
  const share = injection === 'checkin-mismatch' ? 0.85 : random.between(0.975, 1);
  const voters = Math.min(list, Math.round(list * share));
  const arrivals = new Float64Array(voters);
  for (let i = 0; i < voters; i += 1) arrivals[i] = arrivalMinute(random.float());
  arrivals.sort();
  // Which of the listed voters vote, in arrival order (a partial Fisher–Yates shuffle).
  const order = Uint32Array.from({ length: list }, (_, i) => i);
  for (let i = 0; i < voters; i += 1) {
    const j = i + Math.floor(random.float() * (list - i));
    const swap = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = swap;
  }
  const voterIndices = order.slice(0, voters);

  // The figure the team reports at a minute: the cards scanned by then, or its own tally.
  const stuffedAt = 8 * 60 + 5;
  const stuffed = Math.round(list * 0.82);
  let inflatedFrom: number | undefined;
  const inflation = Math.min(list - voters, Math.max(30, Math.round(list * 0.12)));
  const figure = (minute: DayMinute): number => {
    let n = votedBy(arrivals, minute);
    if (injection === 'ballot-stuffing' && minute >= stuffedAt) n = Math.max(n, stuffed);
    if (inflatedFrom !== undefined && minute >= inflatedFrom) n = Math.min(list, n + inflation);
    return n;
  };

  const actions: FieldAction[] = [];
  const openAt = random.between(6 * 60 + 30, 6 * 60 + 58);
  actions.push({ kind: 'open', at: openAt });
  if (injection === 'ballot-stuffing')
    actions.push({ kind: 'report', at: stuffedAt, votersVoted: stuffed });
  let previousRound = openAt;
  for (const round of rounds) {
    const at = Math.max(previousRound + 10, round - random.between(5, 40));
    if (injection === 'checkin-mismatch' && round === 16 * 60) inflatedFrom = at;
    // An extra report between rounds now and then: snapshots come at uneven times.
    if (random.chance(0.25)) {
      const extra = random.between(previousRound + 5, at - 5);
      if (extra > previousRound + 4 && !(injection === 'missed-round' && round === 11 * 60))
        actions.push({ kind: 'report', at: extra, votersVoted: figure(extra) });
    }
    if (injection === 'missed-round' && round === 11 * 60) {
      previousRound = round;
      continue;
    }
    if (injection === 'decreasing-report' && round === 14 * 60) {
      // A figure typed wrong before the right one: lower than the 11:00 report, refused.
      const last = actions.filter((a) => a.kind === 'report').at(-1);
      const lastFigure = last?.kind === 'report' ? last.votersVoted : 0;
      actions.push({
        kind: 'report',
        at: at - 8,
        votersVoted: Math.max(0, lastFigure - Math.max(10, Math.round(list * 0.03))),
        expect: 'TURNOUT.DECREASED',
      });
    }
    actions.push({ kind: 'report', at, votersVoted: figure(at) });
    previousRound = round;
  }
  const closeAt = closeMinute + random.between(0.5, 20);
  const finalFigure = figure(closeAt);
  actions.push({ kind: 'close', at: closeAt, votersVoted: finalFigure });

  for (const level of levels) {
    if (injection === 'late-minutes' && level === 'commune') continue;
    const unitId = area.units[level];
    const unit = ctx.units.get(unitId);
    if (unit === undefined)
      throw new Error(`${area.pollingAreaId}: unknown ${level} unit ${unitId}`);
    const minute = consistentMinute(
      random,
      list,
      finalFigure,
      unit,
      ctx.popularity.get(unitId) ?? [],
    );
    if (injection === 'ballot-stuffing' && level === 'na') {
      const top = unit.candidateIds[0];
      if (top !== undefined) minute.votes[top] = Math.round(minute.validBallots * 0.97);
      // Keep the rest of the form consistent so only the share stands out.
      const cap = minute.validBallots * unit.seats;
      let sum = Object.values(minute.votes).reduce((a, b) => a + b, 0);
      for (const id of unit.candidateIds.slice(1)) {
        if (sum <= cap) break;
        const cut = Math.min(minute.votes[id] ?? 0, sum - cap);
        minute.votes[id] = (minute.votes[id] ?? 0) - cut;
        sum -= cut;
      }
    }
    const at = closeAt + random.between(40, 200);
    if (injection === 'arithmetic-error' && level === 'city') {
      actions.push({
        kind: 'minute',
        at,
        level,
        minute: { ...minute, invalidBallots: minute.invalidBallots + 3 },
        expect: 'MINUTE.VALID_PLUS_INVALID_MISMATCH',
      });
      actions.push({ kind: 'minute', at: at + 15, level, minute });
    } else {
      actions.push({ kind: 'minute', at, level, minute });
    }
    if (random.chance(ctx.options.correctionShare) && minute.validBallots > 0) {
      // A ballot counted valid was invalid: it leaves the valid pile with the names it carried (up
      // to one per seat), so every rule still holds after the correction.
      const carried = unit.candidateIds
        .filter((id) => (minute.votes[id] ?? 0) > 0)
        .slice(0, unit.seats);
      const votes = { ...minute.votes };
      for (const id of carried) votes[id] = (votes[id] ?? 0) - 1;
      actions.push({
        kind: 'correction',
        at: at + random.between(20, 60),
        level,
        minute: {
          ...minute,
          validBallots: minute.validBallots - 1,
          invalidBallots: minute.invalidBallots + 1,
          votes,
        },
        reason:
          'Kiểm lại: một phiếu bị tính nhầm là hợp lệ / recount: one ballot was counted valid in error',
      });
    }
  }
  actions.sort((a, b) => a.at - b.at);

  const incidents: IncidentPlan[] = [];
  if (random.chance(ctx.options.incidentsPerArea))
    incidents.push(planIncident(random, area, `${area.pollingAreaId}/1`));
  if (random.chance(ctx.options.incidentsPerArea / 10))
    incidents.push(planIncident(random, area, `${area.pollingAreaId}/2`));

  let reusedCard: AreaPlan['reusedCard'];
  if (injection === 'reused-card' && voters > 0) {
    const first = Math.floor(voters / 4);
    const voterIndex = voterIndices[first] ?? 0;
    reusedCard = { voterIndex, at: Math.min(18 * 60 + 30, (arrivals[first] ?? 9 * 60) + 60) };
  }

  return {
    area,
    scanning: ctx.scanning,
    voters,
    arrivals: ctx.scanning ? arrivals : new Float64Array(0),
    voterIndices: ctx.scanning ? voterIndices : new Uint32Array(0),
    actions,
    incidents,
    ...(reusedCard === undefined ? {} : { reusedCard }),
  };
}

/** The detector's thresholds the plan stays inside on a clean day (documented, and checked in tests). */
export const plannedAgainst = defaultAnomalyThresholds;
