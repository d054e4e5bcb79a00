// The anomaly detector as a fold over the global log: detect(state, recordedEvent, context) updates
// the state and returns the anomalies that event raises. Pure and deterministic: the same log gives
// the same anomalies with the same ids, so re-running it appends nothing new.
import type { NewEvent, RecordedEvent } from '../event-envelope.js';
import type { Level } from '../levels.js';
import { minutesIntoElectionDay } from '../turnout/polling-hours.js';
import {
  PollingAreaClosed,
  PollingAreaOpened,
  PollingAreaRegistered,
  TurnoutFigureRefused,
  TurnoutReported,
  VoterListAdjusted,
} from '../turnout/turnout-events.js';
import { minuteViolations } from '../tallies/counting-minute.js';
import type { CountingMinute } from '../tallies/counting-minute.js';
import {
  CountingMinuteCorrected,
  CountingMinuteRefused,
  CountingMinuteSubmitted,
} from '../tallies/tally.js';
import { CheckInRefused, VoterCheckedIn } from '../voters/voter-schemas.js';
import { anomalyStreamId, type AnomalyDetected } from './anomaly-events.js';
import type { AnomalyThresholds } from './anomaly-thresholds.js';
import type {
  AnomalyFacts,
  AnomalyKind,
  AnomalySeverity,
  AnomalySubject,
} from './anomaly-values.js';
import { deterministicUuidV7 } from './deterministic-id.js';
import { MinutesDeadlinePassed, ReportingRoundClosed } from './schedule.js';

/** What the reference data knows, when the detector's host has loaded it. */
export interface DetectionReference {
  /** The area's commune; by default read from the id (`PA-<communeId>-<nnn>`). */
  readonly communeOf?: (pollingAreaId: string) => string | undefined;
  /** A unit's seats and candidates, for the full minute arithmetic. */
  readonly unitOf?: (
    unitId: string,
  ) => { readonly seats: number; readonly candidateIds: readonly string[] } | undefined;
}

export interface DetectionContext {
  readonly thresholds: AnomalyThresholds;
  readonly reference?: DetectionReference;
}

interface Snapshot {
  readonly votersVoted: number;
  readonly asOf: string;
  readonly eventId: string;
}

/** What the fold remembers of one polling area. */
export interface AreaFold {
  readonly pollingAreaId: string;
  readonly communeId: string | undefined;
  electionDate: string | undefined;
  votersOnList: number | undefined;
  listEventId: string | undefined;
  openedEventId: string | undefined;
  closed: boolean;
  last: Snapshot | undefined;
  /** Position of the last turnout report or closing; 0 before any. */
  lastReportPosition: number;
  checkIns: number;
  lastCheckInEventId: string | undefined;
  /**
   * Conditions that hold on the area's latest figures and were raised already (above the list,
   * very high early, check-ins disagreeing): raised again only after a figure clears them, so one
   * lasting problem is one anomaly rather than one per report.
   */
  readonly standing: Set<AnomalyKind>;
  /** Level → id of the event holding the area's current minute. */
  readonly minutes: Map<Level, string>;
}

/**
 * The detector's fold. It is owned by one fold and updated in place (a copy per event would cost
 * O(areas) on each of millions of check-ins); `detect` returns the same object.
 */
export interface DetectorState {
  /** The last position folded: a redelivered event at or below it is skipped. */
  position: number;
  readonly areas: Map<string, AreaFold>;
  /** Election date → the last reporting round closed on it. */
  readonly rounds: Map<string, { readonly position: number; readonly round: string }>;
  /** `<communeId>|<level>` → area → its invalid-ballot share (%) and the minute's event id. */
  readonly invalidShares: Map<string, Map<string, { share: number; eventId: string }>>;
  /** Ids raised so far: an anomaly is raised once per fold. */
  readonly emitted: Set<string>;
}

export function initialDetectorState(): DetectorState {
  return {
    position: 0,
    areas: new Map(),
    rounds: new Map(),
    invalidShares: new Map(),
    emitted: new Set(),
  };
}

export interface Detection {
  readonly state: DetectorState;
  readonly anomalies: readonly AnomalyDetected[];
}

const areaIdPattern = /^PA-([A-Za-z0-9_]+)-\d+$/;

/** A unit elects at most 3 National Assembly deputies or 5 People's Council members (the law). */
const maxSeatsByLevel: Readonly<Record<Level, number>> = { na: 3, city: 5, commune: 5 };

const pct = (part: number, whole: number): number => (whole === 0 ? 0 : (part / whole) * 100);
const round2 = (value: number): number => Math.round(value * 100) / 100;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function localMinutes(time: string): number {
  const [hh, mm] = time.split(':');
  return Number(hh) * 60 + Number(mm);
}

/** The subject in a fixed key order, so its id part never depends on how it was built. */
function subjectKey(subject: AnomalySubject): string {
  return JSON.stringify(Object.entries(subject).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The deterministic id of an anomaly: rule + subject + triggering event. */
export function anomalyIdFor(
  kind: AnomalyKind,
  subject: AnomalySubject,
  triggerId: string,
): string {
  return deterministicUuidV7(['anomaly', kind, subjectKey(subject), triggerId]);
}

class Raised {
  readonly anomalies: AnomalyDetected[] = [];
  constructor(
    private readonly state: DetectorState,
    private readonly trigger: RecordedEvent,
  ) {}

  /** Raises an anomaly unless this fold raised it already; the trigger is the first evidence. */
  add(
    kind: AnomalyKind,
    severity: AnomalySeverity,
    subject: AnomalySubject,
    summary: string,
    facts: AnomalyFacts,
    otherEvidence: readonly (string | undefined)[] = [],
    idFrom: string = this.trigger.eventId,
  ): void {
    const anomalyId = anomalyIdFor(kind, subject, idFrom);
    if (this.state.emitted.has(anomalyId)) return;
    this.state.emitted.add(anomalyId);
    const evidence = [this.trigger.eventId];
    for (const id of otherEvidence)
      if (id !== undefined && !evidence.includes(id)) evidence.push(id);
    this.anomalies.push({
      type: 'AnomalyDetected',
      data: {
        anomalyId,
        kind,
        severity,
        subject,
        evidence: evidence.slice(0, 20),
        summary,
        facts,
        atPosition: this.trigger.position,
      },
    });
  }
}

function areaOf(state: DetectorState, pollingAreaId: string, context: DetectionContext): AreaFold {
  let area = state.areas.get(pollingAreaId);
  if (area === undefined) {
    const communeId =
      context.reference?.communeOf?.(pollingAreaId) ?? areaIdPattern.exec(pollingAreaId)?.[1];
    area = {
      pollingAreaId,
      communeId,
      electionDate: undefined,
      votersOnList: undefined,
      listEventId: undefined,
      openedEventId: undefined,
      closed: false,
      last: undefined,
      lastReportPosition: 0,
      checkIns: 0,
      lastCheckInEventId: undefined,
      standing: new Set(),
      minutes: new Map(),
    };
    state.areas.set(pollingAreaId, area);
  }
  return area;
}

/** True when a standing condition is newly raised; clears it when it no longer holds. */
function newlyHolds(area: AreaFold, kind: AnomalyKind, holds: boolean): boolean {
  if (!holds) {
    area.standing.delete(kind);
    return false;
  }
  if (area.standing.has(kind)) return false;
  area.standing.add(kind);
  return true;
}

function areaSubject(area: AreaFold): AnomalySubject {
  return area.communeId === undefined
    ? { pollingAreaId: area.pollingAreaId }
    : { pollingAreaId: area.pollingAreaId, communeId: area.communeId };
}

/** (b), (c), (d): every turnout figure an area sends (reports and the closing figure). */
function snapshotRules(
  raised: Raised,
  area: AreaFold,
  snapshot: Snapshot,
  t: AnomalyThresholds,
): void {
  const subject = areaSubject(area);
  const list = area.votersOnList;
  const { votersVoted, asOf } = snapshot;
  if (list !== undefined && newlyHolds(area, 'turnout_above_list', votersVoted > list))
    raised.add(
      'turnout_above_list',
      'high',
      subject,
      `${area.pollingAreaId} reports ${votersVoted} voters, above its list of ${list}`,
      { votersVoted, votersOnList: list, asOf },
      [area.listEventId],
    );
  const last = area.last;
  if (last !== undefined && votersVoted < last.votersVoted)
    raised.add(
      'turnout_decreased',
      'medium',
      subject,
      `${area.pollingAreaId} reports ${votersVoted} voters, fewer than the ${last.votersVoted} it reported at ${last.asOf}`,
      { votersVoted, asOf, previousVotersVoted: last.votersVoted, previousAsOf: last.asOf },
      [last.eventId],
    );
  if (list !== undefined && list >= t.minVotersOnListForRates) {
    if (last !== undefined && votersVoted > last.votersVoted) {
      const points = pct(votersVoted - last.votersVoted, list);
      const hours = (Date.parse(asOf) - Date.parse(last.asOf)) / 3_600_000;
      const perHour = hours > 0 ? points / hours : Number.POSITIVE_INFINITY;
      if (points >= t.minJumpPctPoints && perHour > t.maxPctPointsPerHour)
        raised.add(
          'turnout_jump',
          'medium',
          subject,
          `${area.pollingAreaId} turnout rose ${round2(points)} points of its list in ${round2(hours * 60)} minutes`,
          {
            fromVotersVoted: last.votersVoted,
            toVotersVoted: votersVoted,
            fromAsOf: last.asOf,
            toAsOf: asOf,
            pctPoints: round2(points),
            pctPointsPerHour: Number.isFinite(perHour) ? round2(perHour) : null,
            votersOnList: list,
          },
          [last.eventId],
        );
    }
    if (area.electionDate !== undefined) {
      const minute = minutesIntoElectionDay(asOf, area.electionDate);
      const applicable = t.earlyTurnoutCeilings.filter((c) => minute < localMinutes(c.before));
      const tightest = applicable.reduce<(typeof applicable)[number] | undefined>(
        (best, c) => (best === undefined || c.maxPct < best.maxPct ? c : best),
        undefined,
      );
      const turnoutPct = pct(votersVoted, list);
      const early = tightest !== undefined && turnoutPct > tightest.maxPct;
      if (newlyHolds(area, 'turnout_early_high', early) && tightest !== undefined)
        raised.add(
          'turnout_early_high',
          'medium',
          subject,
          `${area.pollingAreaId} reports ${round2(turnoutPct)}% at ${asOf}, above ${tightest.maxPct}% expected before ${tightest.before}`,
          {
            votersVoted,
            votersOnList: list,
            turnoutPct: round2(turnoutPct),
            asOf,
            ceilingBefore: tightest.before,
            ceilingPct: tightest.maxPct,
          },
          [area.openedEventId],
        );
    }
  }
  if (area.checkIns > 0) {
    const tolerance = Math.max(
      t.checkInToleranceVoters,
      list === undefined ? 0 : Math.ceil((list * t.checkInTolerancePct) / 100),
    );
    const difference = votersVoted - area.checkIns;
    if (newlyHolds(area, 'turnout_checkin_mismatch', Math.abs(difference) > tolerance))
      raised.add(
        'turnout_checkin_mismatch',
        'medium',
        subject,
        `${area.pollingAreaId} reports ${votersVoted} voters but ${area.checkIns} card check-ins are recorded there`,
        { votersVoted, checkIns: area.checkIns, difference, tolerance, asOf },
        [area.lastCheckInEventId],
      );
  }
}

function minuteContext(
  minute: CountingMinute,
  level: Level,
  unitId: string,
  context: DetectionContext,
): { seats: number; candidateIds: readonly string[] } {
  // Without reference data the unit-independent rules still run: the candidates are the minute's
  // own and the seats the law's maximum for the level.
  return (
    context.reference?.unitOf?.(unitId) ?? {
      seats: maxSeatsByLevel[level],
      candidateIds: Object.keys(minute.votes),
    }
  );
}

/** (a) and (g): a counting minute, submitted or corrected. */
function minuteRules(
  raised: Raised,
  state: DetectorState,
  area: AreaFold,
  event: RecordedEvent,
  data: { level: Level; unitId: string; minute: CountingMinute; version: number },
  context: DetectionContext,
): void {
  const t = context.thresholds;
  const { level, unitId, minute } = data;
  const subject: AnomalySubject = { ...areaSubject(area), level, unitId };
  const violations = minuteViolations(minute, minuteContext(minute, level, unitId, context));
  if (violations.length > 0)
    raised.add(
      'minute_inconsistent',
      'high',
      subject,
      `${area.pollingAreaId} ${level} minute v${data.version}: ${violations.map((v) => v.message).join('; ')}`.slice(
        0,
        500,
      ),
      {
        codes: violations.map((v) => v.code),
        version: data.version,
        votersOnList: minute.votersOnList,
        votersVoted: minute.votersVoted,
        ballotsIssued: minute.ballotsIssued,
        ballotsReceived: minute.ballotsReceived,
        validBallots: minute.validBallots,
        invalidBallots: minute.invalidBallots,
      },
    );

  if (minute.validBallots >= t.minBallotsForShares) {
    const [candidateId, votes] = Object.entries(minute.votes).reduce<
      [string, number] | [undefined, number]
    >((best, [id, n]) => (n > best[1] ? [id, n] : best), [undefined, -1]);
    const share = pct(votes, minute.validBallots);
    if (candidateId !== undefined && share > t.dominantCandidatePct)
      raised.add(
        'dominant_candidate',
        'medium',
        { ...subject, candidateId },
        `${candidateId} has ${round2(share)}% of the valid ballots at ${area.pollingAreaId} (${level})`,
        {
          votes,
          validBallots: minute.validBallots,
          sharePct: round2(share),
          thresholdPct: t.dominantCandidatePct,
          version: data.version,
        },
      );
  }

  if (area.communeId !== undefined) {
    const key = `${area.communeId}|${level}`;
    let group = state.invalidShares.get(key);
    if (group === undefined) {
      group = new Map();
      state.invalidShares.set(key, group);
    }
    if (minute.ballotsReceived >= t.minBallotsForShares)
      group.set(area.pollingAreaId, {
        share: pct(minute.invalidBallots, minute.ballotsReceived),
        eventId: event.eventId,
      });
    else group.delete(area.pollingAreaId);
    // Judged on the minutes that have arrived: the new one against the others' median; when the
    // commune first has enough minutes, every earlier one too, so early arrivals are not spared.
    const judged =
      group.size === t.invalidShareMinPeers + 1
        ? [...group.keys()]
        : group.has(area.pollingAreaId)
          ? [area.pollingAreaId]
          : [];
    if (group.size > t.invalidShareMinPeers)
      for (const areaId of judged) invalidShareRule(raised, state, group, areaId, level, t);
  }
  area.minutes.set(level, event.eventId);
}

function invalidShareRule(
  raised: Raised,
  state: DetectorState,
  group: Map<string, { share: number; eventId: string }>,
  pollingAreaId: string,
  level: Level,
  t: AnomalyThresholds,
): void {
  const own = group.get(pollingAreaId);
  if (own === undefined) return;
  const peers = [...group].filter(([id]) => id !== pollingAreaId).map(([, v]) => v.share);
  const peerMedian = median(peers);
  const deviation = own.share - peerMedian;
  if (Math.abs(deviation) < t.invalidShareDeviationPctPoints) return;
  const area = state.areas.get(pollingAreaId);
  const subject: AnomalySubject = {
    ...(area === undefined ? { pollingAreaId } : areaSubject(area)),
    level,
  };
  raised.add(
    'invalid_share_outlier',
    'medium',
    subject,
    `${pollingAreaId} (${level}) has ${round2(own.share)}% invalid ballots; the commune's median is ${round2(peerMedian)}%`,
    {
      invalidSharePct: round2(own.share),
      communeMedianPct: round2(peerMedian),
      deviationPctPoints: round2(deviation),
      peers: peers.length,
    },
    [own.eventId],
    // Keyed by the judged minute, so judging it again on a later arrival raises nothing new.
    own.eventId,
  );
}

/** (f) a reporting round closed: every opened, unclosed area with no report since the last round. */
function roundRule(
  raised: Raised,
  state: DetectorState,
  event: RecordedEvent,
  data: ReportingRoundClosed['data'],
): void {
  const previous = state.rounds.get(data.electionDate);
  const since = previous?.position ?? 0;
  for (const area of state.areas.values()) {
    if (area.electionDate !== data.electionDate || area.openedEventId === undefined) continue;
    if (area.closed || area.lastReportPosition > since) continue;
    raised.add(
      'reporting_round_missed',
      'low',
      { ...areaSubject(area), round: data.round },
      `${area.pollingAreaId} sent no turnout report for the ${data.round} round`,
      {
        round: data.round,
        previousRound: previous?.round ?? null,
        lastVotersVoted: area.last?.votersVoted ?? null,
        lastAsOf: area.last?.asOf ?? null,
      },
      [area.last?.eventId ?? area.openedEventId],
    );
  }
  state.rounds.set(data.electionDate, { position: event.position, round: data.round });
}

/** (f) the minutes deadline passed: every opened area still owing a level's minute. */
function minutesDeadlineRule(
  raised: Raised,
  state: DetectorState,
  data: MinutesDeadlinePassed['data'],
  t: AnomalyThresholds,
): void {
  for (const area of state.areas.values()) {
    if (area.electionDate !== data.electionDate || area.openedEventId === undefined) continue;
    const missing = t.expectedMinuteLevels.filter((level) => !area.minutes.has(level));
    if (missing.length === 0) continue;
    raised.add(
      'minutes_missing',
      'medium',
      areaSubject(area),
      `${area.pollingAreaId} has no ${missing.join(', ')} minute by ${data.deadline}`,
      { missingLevels: missing, deadline: data.deadline, closed: area.closed },
      [area.openedEventId],
    );
  }
}

/** Folds one recorded event; returns the anomalies it raises (in a stable order). */
export function detect(
  state: DetectorState,
  event: RecordedEvent,
  context: DetectionContext,
): Detection {
  if (event.position <= state.position) return { state, anomalies: [] };
  state.position = event.position;
  const raised = new Raised(state, event);
  const t = context.thresholds;
  const payload = { type: event.type, data: event.data };
  switch (event.type) {
    case 'PollingAreaRegistered': {
      const parsed = PollingAreaRegistered.safeParse(payload);
      if (!parsed.success) break;
      const area = areaOf(state, parsed.data.data.pollingAreaId, context);
      area.votersOnList = parsed.data.data.votersOnList;
      area.electionDate = parsed.data.data.electionDate;
      area.listEventId = event.eventId;
      break;
    }
    case 'VoterListAdjusted': {
      const parsed = VoterListAdjusted.safeParse(payload);
      if (!parsed.success) break;
      const area = areaOf(state, parsed.data.data.pollingAreaId, context);
      area.votersOnList = parsed.data.data.votersOnList;
      area.listEventId = event.eventId;
      const last = area.last;
      const above = last !== undefined && last.votersVoted > area.votersOnList;
      if (newlyHolds(area, 'turnout_above_list', above) && last !== undefined)
        raised.add(
          'turnout_above_list',
          'high',
          areaSubject(area),
          `${area.pollingAreaId}'s list fell to ${area.votersOnList}, below the ${last.votersVoted} voters it reported`,
          { votersVoted: last.votersVoted, votersOnList: area.votersOnList, asOf: last.asOf },
          [last.eventId],
        );
      break;
    }
    case 'PollingAreaOpened': {
      const parsed = PollingAreaOpened.safeParse(payload);
      if (!parsed.success) break;
      areaOf(state, parsed.data.data.pollingAreaId, context).openedEventId = event.eventId;
      break;
    }
    case 'TurnoutReported':
    case 'PollingAreaClosed': {
      const parsed =
        event.type === 'TurnoutReported'
          ? TurnoutReported.safeParse(payload)
          : PollingAreaClosed.safeParse(payload);
      if (!parsed.success) break;
      const data = parsed.data.data;
      const area = areaOf(state, data.pollingAreaId, context);
      const snapshot = {
        votersVoted: data.votersVoted,
        asOf: 'asOf' in data ? data.asOf : data.at,
        eventId: event.eventId,
      };
      snapshotRules(raised, area, snapshot, t);
      area.last = snapshot;
      area.lastReportPosition = event.position;
      if (event.type === 'PollingAreaClosed') area.closed = true;
      break;
    }
    case 'TurnoutFigureRefused': {
      // The service refused the figure and recorded the attempt: the area's team sent a count that
      // shrank or overflowed its list, which is the anomaly whether or not the figure was accepted.
      const parsed = TurnoutFigureRefused.safeParse(payload);
      if (!parsed.success) break;
      const data = parsed.data.data;
      const area = areaOf(state, data.pollingAreaId, context);
      const subject = areaSubject(area);
      const facts = {
        votersVoted: data.votersVoted,
        asOf: data.asOf,
        votersOnList: data.votersOnList,
        previousVotersVoted: data.previous?.votersVoted ?? null,
        previousAsOf: data.previous?.asOf ?? null,
        refused: true,
      };
      if (data.reason === 'DECREASED')
        raised.add(
          'turnout_decreased',
          'medium',
          subject,
          `${data.pollingAreaId} sent ${data.votersVoted} voters, fewer than the ${data.previous?.votersVoted ?? 0} it reported at ${data.previous?.asOf ?? '-'} (refused)`,
          facts,
          [area.last?.eventId],
        );
      else
        raised.add(
          'turnout_above_list',
          'high',
          subject,
          `${data.pollingAreaId} sent ${data.votersVoted} voters, above its list of ${data.votersOnList} (refused)`,
          facts,
          [area.listEventId],
        );
      break;
    }
    case 'VoterCheckedIn': {
      const parsed = VoterCheckedIn.safeParse(payload);
      if (!parsed.success) break;
      const area = areaOf(state, parsed.data.data.pollingAreaId, context);
      area.checkIns += 1;
      area.lastCheckInEventId = event.eventId;
      break;
    }
    case 'CheckInRefused': {
      const parsed = CheckInRefused.safeParse(payload);
      if (!parsed.success) break;
      const data = parsed.data.data;
      if (data.reason === 'WRONG_POLLING_AREA') break;
      const area = areaOf(state, data.pollingAreaId, context);
      const subject = { ...areaSubject(area), cardNumber: data.cardNumber };
      if (data.reason === 'CARD_ALREADY_USED')
        raised.add(
          'card_reused',
          'high',
          subject,
          `card ${data.cardNumber} presented again at ${data.pollingAreaId} at ${data.attemptedAt}` +
            (data.firstCheckInAt === undefined ? '' : `; first used at ${data.firstCheckInAt}`),
          {
            attemptedAt: data.attemptedAt,
            firstCheckInAt: data.firstCheckInAt ?? null,
            firstCheckInPollingAreaId: data.firstCheckInPollingAreaId ?? null,
            listedPollingAreaId: data.listedPollingAreaId,
          },
        );
      else
        raised.add(
          'struck_card_checkin',
          'high',
          subject,
          `struck-off card ${data.cardNumber} presented at ${data.pollingAreaId} at ${data.attemptedAt}`,
          { attemptedAt: data.attemptedAt, listedPollingAreaId: data.listedPollingAreaId },
        );
      break;
    }
    case 'CountingMinuteSubmitted':
    case 'CountingMinuteCorrected': {
      const parsed =
        event.type === 'CountingMinuteSubmitted'
          ? CountingMinuteSubmitted.safeParse(payload)
          : CountingMinuteCorrected.safeParse(payload);
      if (!parsed.success) break;
      const data = parsed.data.data;
      const area = areaOf(state, data.pollingAreaId, context);
      minuteRules(raised, state, area, event, data, context);
      break;
    }
    case 'CountingMinuteRefused': {
      // The tallies service refused the minute for its arithmetic and recorded it: the form the
      // team signed is inconsistent, whether or not a consistent one follows.
      const parsed = CountingMinuteRefused.safeParse(payload);
      if (!parsed.success) break;
      const data = parsed.data.data;
      const area = areaOf(state, data.pollingAreaId, context);
      const { minute } = data;
      raised.add(
        'minute_inconsistent',
        'high',
        { ...areaSubject(area), level: data.level, unitId: data.unitId },
        `${data.pollingAreaId} ${data.level} minute refused: ${data.violations.map((v) => v.message).join('; ')}`.slice(
          0,
          500,
        ),
        {
          codes: data.violations.map((v) => v.code),
          refused: true,
          votersOnList: minute.votersOnList,
          votersVoted: minute.votersVoted,
          ballotsIssued: minute.ballotsIssued,
          ballotsReceived: minute.ballotsReceived,
          validBallots: minute.validBallots,
          invalidBallots: minute.invalidBallots,
        },
      );
      break;
    }
    case 'ReportingRoundClosed': {
      const parsed = ReportingRoundClosed.safeParse(payload);
      if (parsed.success) roundRule(raised, state, event, parsed.data.data);
      break;
    }
    case 'MinutesDeadlinePassed': {
      const parsed = MinutesDeadlinePassed.safeParse(payload);
      if (parsed.success) minutesDeadlineRule(raised, state, parsed.data.data, t);
      break;
    }
    default:
      // Every other event (incidents, voter registrations, anomalies themselves…) raises nothing.
      break;
  }
  return { state, anomalies: raised.anomalies };
}

export const anomalyDetectorActor = { id: 'anomaly-detector', role: 'system' } as const;

/**
 * The envelope of a raised anomaly: every field derives from the anomaly and its trigger (no clock,
 * no random id), so the same append twice is one event in the ledger.
 */
export function anomalyEnvelope(anomaly: AnomalyDetected, trigger: RecordedEvent): NewEvent {
  return {
    eventId: anomaly.data.anomalyId,
    type: anomaly.type,
    schemaVersion: 1,
    streamId: anomalyStreamId(anomaly.data.anomalyId),
    data: { ...anomaly.data },
    metadata: {
      occurredAt: trigger.recordedAt,
      actor: { ...anomalyDetectorActor },
      correlationId: trigger.metadata.correlationId,
      causationId: trigger.eventId,
    },
  };
}
