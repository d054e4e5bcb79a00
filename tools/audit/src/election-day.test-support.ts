// An election day as the ledger records it, for the replay's tests and benchmark: every event valid
// against its domain schema and in an order the services would produce. Areas registered and
// opened, check-ins (the bulk of the day) between four reporting rounds, a few refused check-ins,
// incidents with their triage, areas closed, a counting minute per area and level, a correction,
// and one unit's result declared. Appends come out lazily, one stream each, in time order.
import {
  CheckInRefused,
  CountingMinuteCorrected,
  CountingMinuteSubmitted,
  IncidentAcknowledged,
  IncidentAssigned,
  IncidentNoteAdded,
  IncidentReported,
  IncidentResolved,
  Level,
  PollingAreaClosed,
  PollingAreaOpened,
  PollingAreaRegistered,
  TurnoutReported,
  UnitResultDeclared,
  VoterCheckedIn,
  decideUnitResult,
  resultStreamId,
  tallyStreamId,
  type CountingMinute,
} from '@hpe/domain';
import type { ReferenceArea, ReferenceModel } from '@hpe/read-models';
import type { z } from 'zod';

export interface DayEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/** One append: events to one stream, with the field time they happened at. */
export interface DayAppend {
  readonly streamId: string;
  readonly events: readonly DayEvent[];
  /** When it happened in the field (Vietnam time): the events' metadata.occurredAt. */
  readonly at: string;
}

export interface ElectionDayOptions {
  /** The polling areas that vote (ids from the reference model). */
  readonly areaIds: readonly string[];
  /** Share of each area's list that checks in, 0–1. */
  readonly turnout: number;
  /** Incidents reported over the day; each gets its triage. */
  readonly incidents: number;
  /** Declares the result of this unit once its minutes are in (its areas must all vote). */
  readonly declareUnitId?: string;
  /** One check-in in this many is followed by a second try with the same card; 2,000 by default. */
  readonly reusedCardEvery?: number;
}

/** `2026-03-15T<hh:mm:ss>+07:00` from minutes after midnight (fractions become seconds). */
export function vnTime(minutes: number): string {
  const totalSeconds = Math.round(minutes * 60);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `2026-03-15T${two(h)}:${two(m)}:${two(s)}+07:00`;
}

/** Checked against its schema here, so a generator mistake fails at once, not in a projection. */
function event<S extends z.ZodType<{ type: string; data: Record<string, unknown> }>>(
  schema: S,
  value: z.input<S>,
): DayEvent {
  const parsed = schema.parse(value);
  return { type: parsed.type, data: parsed.data };
}

/** A 64-hex voter stream id, as the voter-cards service derives one (here from the card). */
export function voterStreamId(cardNumber: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < cardNumber.length; i++) {
    const c = cardNumber.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x811c9dc5) >>> 0;
  }
  const hex = (n: number): string => n.toString(16).padStart(8, '0');
  return `voter-${hex(h1)}${hex(h2)}${cardNumber.replace(/\D/g, '').padStart(48, '0').slice(-48)}`;
}

const rounds = [9 * 60, 11 * 60, 14 * 60, 17 * 60];
const opening = 7 * 60;
const closing = 19 * 60;
const categories = [
  'equipment',
  'public_order',
  'voter_list',
  'power_or_network',
  'medical',
] as const;
const severities = ['low', 'medium', 'high', 'critical'] as const;

/** A consistent minute: every ballot counted, votes spread over the candidates by rank. */
function minuteFor(
  area: ReferenceArea,
  voted: number,
  unit: { seats: number; candidates: readonly { candidateId: string }[] },
  variant = 0,
): CountingMinute {
  const invalid = Math.floor(voted / 100) + variant;
  const valid = Math.max(0, voted - invalid);
  const n = unit.candidates.length;
  const weights = unit.candidates.map((_, i) => n - i);
  const sum = weights.reduce((a, b) => a + b, 0);
  const votes: Record<string, number> = {};
  unit.candidates.forEach((c, i) => {
    const share = Math.floor((valid * unit.seats * (weights[i] ?? 0)) / Math.max(1, sum));
    votes[c.candidateId] = Math.min(valid, share);
  });
  return {
    votersOnList: area.votersOnList,
    votersVoted: voted,
    ballotsIssued: voted,
    ballotsReceived: voted,
    validBallots: valid,
    invalidBallots: voted - valid,
    votes,
    complaints: { received: 0, resolved: 0, forwarded: 0 },
  };
}

/** How many events `electionDay` yields for these options (to size a benchmark). */
export function electionDaySize(reference: ReferenceModel, options: ElectionDayOptions): number {
  let n = 0;
  for (const id of options.areaIds) {
    const area = reference.areas.get(id);
    if (area === undefined) continue;
    n += Math.floor(area.votersOnList * options.turnout);
  }
  const areas = options.areaIds.length;
  // Registered, opened, 4 reports, closed, 3 minutes; refusals; incidents × 5; 1 correction.
  const refusals = Math.floor(n / (options.reusedCardEvery ?? 2_000));
  return n + areas * 9 + refusals + options.incidents * 5 + 1 + (options.declareUnitId ? 1 : 0);
}

export function* electionDay(
  reference: ReferenceModel,
  options: ElectionDayOptions,
): Generator<DayAppend> {
  const areas = options.areaIds.map((id) => {
    const area = reference.areas.get(id);
    if (area === undefined) throw new Error(`no polling area ${id} in the reference data`);
    return area;
  });
  if (areas.length === 0) throw new Error('an election day needs at least one polling area');
  const voted = new Map<string, number>(areas.map((a) => [a.pollingAreaId, 0]));
  const reusedCardEvery = options.reusedCardEvery ?? 2_000;
  const turnout = (areaId: string): string => `turnout-${areaId}`;

  for (const a of areas) {
    yield {
      streamId: turnout(a.pollingAreaId),
      // The lists are fixed the day before.
      at: '2026-03-14T08:00:00+07:00',
      events: [
        event(PollingAreaRegistered, {
          type: 'PollingAreaRegistered',
          data: {
            pollingAreaId: a.pollingAreaId,
            votersOnList: a.votersOnList,
            electionDate: '2026-03-15',
          },
        }),
      ],
    };
  }
  for (const [i, a] of areas.entries()) {
    const at = vnTime(opening - 10 + (i % 10));
    yield {
      streamId: turnout(a.pollingAreaId),
      at,
      events: [
        event(PollingAreaOpened, {
          type: 'PollingAreaOpened',
          data: { pollingAreaId: a.pollingAreaId, at },
        }),
      ],
    };
  }

  // Check-ins per area, spread over five periods (before each round and after the last).
  const quota = areas.map((a) => Math.floor(a.votersOnList * options.turnout));
  const total = quota.reduce((x, y) => x + y, 0);
  const periods = [opening, ...rounds, closing];
  let incidentsLeft = options.incidents;
  let incidentSerial = 0;
  const openIncidents: { id: string; step: number }[] = [];
  let done = 0;
  const cursor = areas.map(() => 0);
  for (let p = 0; p + 1 < periods.length; p++) {
    const start = periods[p] ?? opening;
    const end = periods[p + 1] ?? closing;
    // The share of the day's check-ins this period takes: busy mornings, a lull at noon.
    const share = [0.3, 0.25, 0.2, 0.2, 0.05][p] ?? 0;
    const target = p === periods.length - 2 ? total : Math.floor(done + total * share);
    const inPeriod = target - done;
    for (let k = 0; k < inPeriod; k++) {
      const minute = start + ((end - start) * k) / Math.max(1, inPeriod);
      // Round-robin over the areas that still have voters to come.
      let ai = (done + k) % areas.length;
      for (let tries = 0; tries < areas.length && (cursor[ai] ?? 0) >= (quota[ai] ?? 0); tries++) {
        ai = (ai + 1) % areas.length;
      }
      const area = areas[ai];
      if (area === undefined || (cursor[ai] ?? 0) >= (quota[ai] ?? 0)) break;
      const serial = cursor[ai] ?? 0;
      cursor[ai] = serial + 1;
      const cardNumber = `${area.pollingAreaId}-${String(serial).padStart(4, '0')}`;
      const at = vnTime(minute);
      voted.set(area.pollingAreaId, (voted.get(area.pollingAreaId) ?? 0) + 1);
      yield {
        streamId: voterStreamId(cardNumber),
        at,
        events: [
          event(VoterCheckedIn, {
            type: 'VoterCheckedIn',
            data: {
              cardNumber,
              pollingAreaId: area.pollingAreaId,
              at,
              ballots: ['na', 'city', 'commune'],
            },
          }),
        ],
      };
      // One card in 2,000 is tried a second time: refused, and recorded.
      if ((done + k + 1) % reusedCardEvery === 0) {
        yield {
          streamId: voterStreamId(cardNumber),
          at,
          events: [
            event(CheckInRefused, {
              type: 'CheckInRefused',
              data: {
                cardNumber,
                reason: 'CARD_ALREADY_USED',
                pollingAreaId: area.pollingAreaId,
                attemptedAt: at,
                listedPollingAreaId: area.pollingAreaId,
                firstCheckInAt: at,
                firstCheckInPollingAreaId: area.pollingAreaId,
              },
            }),
          ],
        };
      }
      // Incidents arrive spread over the day; each moves one triage step per later arrival.
      const due = Math.floor(((done + k + 1) * options.incidents) / Math.max(1, total));
      while (options.incidents - incidentsLeft < due && incidentsLeft > 0) {
        incidentsLeft -= 1;
        const a = areas[incidentSerial % areas.length] ?? area;
        const id = `inc-${a.pollingAreaId}-${String(incidentSerial).padStart(4, '0')}`;
        yield {
          streamId: `incident-${id}`,
          at,
          events: [
            event(IncidentReported, {
              type: 'IncidentReported',
              data: {
                incidentId: id,
                pollingAreaId: a.pollingAreaId,
                communeId: a.communeId,
                category: categories[incidentSerial % categories.length] ?? 'other',
                severity: severities[incidentSerial % severities.length] ?? 'low',
                description: `Sự cố ${incidentSerial} tại khu vực bỏ phiếu ${a.pollingAreaId}`,
                occurredAt: vnTime(minute - 3),
              },
            }),
          ],
        };
        incidentSerial += 1;
        for (const open of openIncidents) yield triage(open, at);
        openIncidents.push({ id, step: 0 });
        while ((openIncidents[0]?.step ?? 0) >= 4) openIncidents.shift();
      }
    }
    done = target;
    const roundAt = periods[p + 1];
    if (roundAt !== undefined && rounds.includes(roundAt)) {
      for (const a of areas) {
        yield {
          streamId: turnout(a.pollingAreaId),
          at: vnTime(roundAt),
          events: [
            event(TurnoutReported, {
              type: 'TurnoutReported',
              data: {
                pollingAreaId: a.pollingAreaId,
                asOf: vnTime(roundAt),
                votersVoted: voted.get(a.pollingAreaId) ?? 0,
              },
            }),
          ],
        };
      }
    }
  }
  // Whatever triage is left is finished before the close.
  while (openIncidents.length > 0) {
    for (const open of openIncidents) yield triage(open, vnTime(closing - 5));
    while ((openIncidents[0]?.step ?? 0) >= 4) openIncidents.shift();
  }
  for (const a of areas) {
    yield {
      streamId: turnout(a.pollingAreaId),
      at: vnTime(closing),
      events: [
        event(PollingAreaClosed, {
          type: 'PollingAreaClosed',
          data: {
            pollingAreaId: a.pollingAreaId,
            at: vnTime(closing),
            votersVoted: voted.get(a.pollingAreaId) ?? 0,
          },
        }),
      ],
    };
  }

  // Counting minutes, national level first, then city, then commune.
  const minutes = new Map<string, { pollingAreaId: string; minute: CountingMinute }[]>();
  for (const level of Level.options) {
    for (const [i, a] of areas.entries()) {
      const unitId =
        level === 'na' ? a.naUnitId : level === 'city' ? a.cityUnitId : a.communeUnitId;
      const unit = reference.units.get(unitId);
      if (unit === undefined || unit.candidates.length === 0) continue;
      const minute = minuteFor(a, voted.get(a.pollingAreaId) ?? 0, unit);
      const list = minutes.get(unitId) ?? [];
      list.push({ pollingAreaId: a.pollingAreaId, minute });
      minutes.set(unitId, list);
      const at = vnTime(closing + 90 + Level.options.indexOf(level) * 30 + (i % 30));
      yield {
        streamId: tallyStreamId(a.pollingAreaId, level),
        at,
        events: [
          event(CountingMinuteSubmitted, {
            type: 'CountingMinuteSubmitted',
            data: {
              pollingAreaId: a.pollingAreaId,
              level,
              unitId,
              minute,
              by: `to-bau-cu-${a.pollingAreaId}`,
              version: 1,
              submittedAt: at,
            },
          }),
        ],
      };
      // The first area's commune minute is corrected: two ballots were invalid after all.
      if (level === 'commune' && i === 0) {
        const corrected = minuteFor(a, voted.get(a.pollingAreaId) ?? 0, unit, 2);
        list[list.length - 1] = { pollingAreaId: a.pollingAreaId, minute: corrected };
        yield {
          streamId: tallyStreamId(a.pollingAreaId, level),
          at: vnTime(closing + 200),
          events: [
            event(CountingMinuteCorrected, {
              type: 'CountingMinuteCorrected',
              data: {
                pollingAreaId: a.pollingAreaId,
                level,
                unitId,
                minute: corrected,
                by: `uy-ban-${a.communeId}`,
                version: 2,
                supersedesVersion: 1,
                correctedAt: vnTime(closing + 200),
                reason: 'Kiểm lại: hai phiếu không hợp lệ',
              },
            }),
          ],
        };
      }
    }
  }

  const declared = options.declareUnitId;
  if (declared !== undefined) {
    const unit = reference.units.get(declared);
    if (unit === undefined) throw new Error(`no unit ${declared} in the reference data`);
    const level = Level.parse(unit.level);
    const result = decideUnitResult({
      unitId: unit.unitId,
      level,
      seats: unit.seats,
      votersOnList: unit.votersOnList,
      candidates: unit.candidates,
      minutes: (minutes.get(declared) ?? []).sort((x, y) =>
        x.pollingAreaId < y.pollingAreaId ? -1 : 1,
      ),
      areasTotal: Math.max(1, unit.areaIds.size),
    });
    const at = vnTime(closing + 240);
    yield {
      streamId: resultStreamId(level, declared),
      at,
      events: [
        event(UnitResultDeclared, {
          type: 'UnitResultDeclared',
          data: { level, unitId: declared, result, declaredAt: at, by: 'uy-ban-bau-cu' },
        }),
      ],
    };
  }
}

/** The next triage step of an open incident: acknowledged, assigned, a note, resolved. */
function triage(open: { id: string; step: number }, at: string): DayAppend {
  const incidentId = open.id;
  const step = open.step;
  open.step += 1;
  const streamId = `incident-${incidentId}`;
  switch (step) {
    case 0:
      return {
        streamId,
        at,
        events: [
          event(IncidentAcknowledged, { type: 'IncidentAcknowledged', data: { incidentId } }),
        ],
      };
    case 1:
      return {
        streamId,
        at,
        events: [
          event(IncidentAssigned, {
            type: 'IncidentAssigned',
            data: { incidentId, unit: 'Công an phường', previousUnit: null },
          }),
        ],
      };
    case 2:
      return {
        streamId,
        at,
        events: [
          event(IncidentNoteAdded, {
            type: 'IncidentNoteAdded',
            data: { incidentId, text: 'Đã có mặt tại hiện trường' },
          }),
        ],
      };
    default:
      return {
        streamId,
        at,
        events: [
          event(IncidentResolved, {
            type: 'IncidentResolved',
            data: { incidentId, resolution: 'Đã xử lý xong' },
          }),
        ],
      };
  }
}
