// Runs a simulated election day against a stack, in compressed time: imports the voters of the
// areas that scan cards, hands out their cards (4–12 March), runs Bạch Long Vĩ's day (14 March) and
// the city's (15 March), and publishes the drill clock on NATS so the services and the schedule
// follow the simulated time. At each reporting round and at the minutes deadline it waits until
// the stack has recorded the schedule event, so "missed a round" means what it says.
import { generateVoters, type ReferenceDataset } from '@hpe/reference-data';
import type { NatsConnection } from '@nats-io/transport-node';
import { publishDrillTime } from '@hpe/messaging';
import type { ApiClient } from '../driver/api-client.ts';
import type { AreaPlan, DayPlan } from './day-plan.ts';
import { Dispatcher } from './dispatcher.ts';
import {
  areaRequests,
  checkInRequest,
  deliveryRequest,
  epochOf,
  type FieldRequest,
} from './field-requests.ts';
import { SimRandom } from './sim-random.ts';

export interface RunDayOptions {
  readonly client: ApiClient;
  /** Publishes the drill clock; without it the stack's schedule runs on its own clock. */
  readonly nats?: NatsConnection;
  /** How many times faster than real time the city's day runs. */
  readonly speed: number;
  readonly concurrency: number;
  /** Record card delivery for the imported voters (4–12 March) before the day. */
  readonly cardDelivery: boolean;
  readonly log: (line: string) => void;
  /** Seconds of real time for the card-delivery week and for Bạch Long Vĩ's day. */
  readonly deliverySeconds?: number;
  readonly earlyDaySeconds?: number;
}

export interface RunDayResult {
  readonly dispatcher: Dispatcher;
  /** The ledger's head before the run's first request. */
  readonly startPosition: number;
  readonly seconds: number;
  readonly importSeconds: number;
  readonly votersImported: number;
  /** Card numbers of the imported voters, per area (list order). */
  readonly cards: ReadonlyMap<string, readonly string[]>;
}

/** The day from 05:30 (before the earliest opening) to 23:30 (past the minutes deadline). */
const dayFrom = 5 * 60 + 30;
const dayTo = 23 * 60 + 30;
const sliceMinutes = 1;

const clockTime = (ms: number): string =>
  new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

class Progress {
  private last = 0;
  private lastSent = 0;
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly log: (line: string) => void,
  ) {}

  maybe(label: string, simMs: number, force = false): void {
    const now = Date.now();
    if (!force && now - this.last < 5_000) return;
    const s = this.dispatcher.stats;
    const rate = this.last === 0 ? 0 : ((s.sent - this.lastSent) * 1_000) / (now - this.last);
    this.last = now;
    this.lastSent = s.sent;
    this.log(
      `[${label} ${clockTime(simMs)}] sent ${s.sent.toLocaleString('en-US')} (${rate.toFixed(0)}/s) · ` +
        `accepted ${s.accepted.toLocaleString('en-US')} · refused as planned ${s.refusedAsPlanned} · ` +
        `failed ${s.failed} · in flight ${this.dispatcher.pending} · p99 ${s.latency.percentile(0.99).toFixed(0)} ms`,
    );
  }
}

async function ledgerHead(client: ApiClient): Promise<number> {
  const res = await client.get('/api/v1/events?limit=1', 'auditor');
  const head = (res.body as { asOfPosition?: unknown } | undefined)?.asOfPosition;
  if (res.status !== 200 || typeof head !== 'number')
    throw new Error(`GET /events answered ${res.status} ${res.code ?? ''}: cannot read the head`);
  return head;
}

/** Imports the voters of the scanning areas as admin, in NDJSON chunks; their card numbers. */
async function importVoters(
  dataset: ReferenceDataset,
  plan: DayPlan,
  client: ApiClient,
  log: (line: string) => void,
): Promise<{ cards: Map<string, string[]>; imported: number }> {
  const scanning = plan.areas.filter((a) => a.scanning).map((a) => a.area.pollingAreaId);
  const cards = new Map<string, string[]>();
  if (scanning.length === 0) return { cards, imported: 0 };
  const total = plan.areas.filter((a) => a.scanning).reduce((n, a) => n + a.area.votersOnList, 0);
  let imported = 0;
  let lines: string[] = [];
  let sending: Promise<void> = Promise.resolve();
  let pending: Promise<void> = Promise.resolve();
  const started = Date.now();
  const flush = async (chunk: readonly string[]): Promise<void> => {
    if (chunk.length === 0) return;
    const body = `${chunk.join('\n')}\n`;
    const auth = await client.authorization('admin');
    const res = await fetch(`${client.baseUrl}/api/v1/voters/import`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/x-ndjson' },
      body,
      signal: AbortSignal.timeout(600_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`voter import answered ${res.status}: ${text.slice(0, 300)}`);
    const report = JSON.parse(text) as {
      imported?: number;
      unchanged?: number;
      rejectedTotal?: number;
    };
    if ((report.rejectedTotal ?? 0) > 0)
      throw new Error(`voter import rejected ${report.rejectedTotal} rows: ${text.slice(0, 300)}`);
    imported += (report.imported ?? 0) + (report.unchanged ?? 0);
    const seconds = (Date.now() - started) / 1_000;
    log(
      `imported ${imported.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} voters (${(imported / seconds).toFixed(0)}/s)`,
    );
  };
  for (const voter of generateVoters(dataset, { pollingAreaIds: scanning })) {
    let list = cards.get(voter.pollingAreaId);
    if (list === undefined) {
      list = [];
      cards.set(voter.pollingAreaId, list);
    }
    list.push(voter.cardNumber);
    lines.push(JSON.stringify(voter));
    if (lines.length >= 20_000) {
      // Two chunks in flight: the stack imports one while the gateway parses the next.
      await sending;
      const chunk = lines;
      lines = [];
      sending = pending;
      pending = flush(chunk);
      pending.catch(() => undefined); // awaited above or below; never left unobserved
    }
  }
  await sending;
  await pending;
  await flush(lines);
  return { cards, imported };
}

interface Segment {
  readonly label: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly speed: number;
  /** Field times at which the stack records a schedule event (rounds, minutes deadline). */
  readonly barriers: readonly {
    readonly atMs: number;
    readonly streamId: string;
    readonly key: string;
  }[];
  /** The segment's requests, slice by slice, each slice in time order. */
  readonly slices: () => Iterable<FieldRequest[]>;
}

/** A day's requests in one-minute slices: each area's own list merged with its check-ins. */
function* daySlices(
  areas: readonly AreaPlan[],
  date: string,
  cards: ReadonlyMap<string, readonly string[]>,
): Iterable<FieldRequest[]> {
  const own = areas.map((a) => areaRequests(a));
  const cursors = areas.map(() => 0);
  const arrivalCursors = areas.map(() => 0);
  for (let minute = dayFrom; minute < dayTo; minute += sliceMinutes) {
    const end = epochOf(date, minute + sliceMinutes);
    const slice: FieldRequest[] = [];
    areas.forEach((area, i) => {
      const list = own[i] ?? [];
      let c = cursors[i] ?? 0;
      while (c < list.length && (list[c]?.atMs ?? Infinity) < end) {
        const request = list[c];
        if (request !== undefined) slice.push(request);
        c += 1;
      }
      cursors[i] = c;
      const areaCards = cards.get(area.area.pollingAreaId);
      if (areaCards === undefined) return;
      let k = arrivalCursors[i] ?? 0;
      while (k < area.arrivals.length && epochOf(date, area.arrivals[k] ?? 0) < end) {
        const card = areaCards[area.voterIndices[k] ?? 0];
        if (card !== undefined) slice.push(checkInRequest(area, card, area.arrivals[k] ?? 0));
        k += 1;
      }
      arrivalCursors[i] = k;
      const reused = area.reusedCard;
      if (reused !== undefined) {
        const at = epochOf(date, reused.at);
        if (at >= end - sliceMinutes * 60_000 && at < end) {
          const card = areaCards[reused.voterIndex];
          if (card !== undefined)
            slice.push(checkInRequest(area, card, reused.at, 'CARD.ALREADY_USED'));
        }
      }
    });
    slice.sort((a, b) => a.atMs - b.atMs);
    yield slice;
  }
}

function deliverySlices(
  plan: DayPlan,
  cards: ReadonlyMap<string, readonly string[]>,
  seed: string,
): Iterable<FieldRequest[]> {
  const random = new SimRandom(`${seed}/cards`);
  const all: FieldRequest[] = [];
  for (const area of plan.areas) {
    const areaCards = cards.get(area.area.pollingAreaId);
    if (areaCards === undefined) continue;
    const from = Date.parse(`${area.area.cardDistribution.from}T07:30:00+07:00`);
    const to = Date.parse(`${area.area.cardDistribution.to}T17:30:00+07:00`);
    for (const card of areaCards) {
      const at = Math.round(random.between(from, to));
      all.push(deliveryRequest(area, card, at, random.chance(0.004)));
    }
  }
  all.sort((a, b) => a.atMs - b.atMs);
  const slices: FieldRequest[][] = [];
  for (let i = 0; i < all.length; i += 200) slices.push(all.slice(i, i + 200));
  return slices;
}

/** Waits until the stack has recorded a schedule event (the rule that needs it fires on it). */
async function waitForSchedule(
  client: ApiClient,
  streamId: string,
  key: string,
  log: (line: string) => void,
): Promise<boolean> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const res = await client.get(`/api/v1/events?streamId=${streamId}&limit=100`, 'auditor');
    const events = (res.body as { events?: { data?: Record<string, unknown> }[] } | undefined)
      ?.events;
    if (events?.some((e) => e.data?.['round'] === key || e.data?.['deadline'] === key)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  log(
    `warning: ${streamId} has no ${key} event after 20 s (is the anomalies service on the drill clock?)`,
  );
  return false;
}

async function runSegment(
  segment: Segment,
  dispatcher: Dispatcher,
  options: RunDayOptions,
  progress: Progress,
): Promise<void> {
  const realStart = Date.now();
  const simNow = (): number =>
    Math.min(segment.toMs, segment.fromMs + (Date.now() - realStart) * segment.speed);
  const barriers = [...segment.barriers];
  // The drill clock never passes a reporting round (or the minutes deadline) before the field has
  // finished what it sends before it: held 1 ms short of the next barrier until that is processed.
  let published = -Infinity;
  const publish = (atMs: number): void => {
    if (options.nats === undefined) return;
    const at = Math.min(atMs, (barriers[0]?.atMs ?? Infinity) - 1);
    if (at <= published) return;
    published = at;
    publishDrillTime(options.nats, new Date(at));
  };
  const ticker = setInterval(() => publish(simNow()), 100);
  const passBarrier = async (): Promise<void> => {
    const barrier = barriers[0];
    if (barrier === undefined) return;
    await dispatcher.drained();
    while (simNow() < barrier.atMs) await new Promise((resolve) => setTimeout(resolve, 20));
    barriers.shift();
    if (options.nats === undefined) return;
    publish(barrier.atMs);
    await waitForSchedule(options.client, barrier.streamId, barrier.key, options.log);
  };
  try {
    for (const slice of segment.slices()) {
      for (const request of slice) {
        while (barriers.length > 0 && (barriers[0]?.atMs ?? Infinity) <= request.atMs)
          await passBarrier();
        const wait = (request.atMs - simNow()) / segment.speed;
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        // The services decide at the drill time: it must have reached the request's own time.
        publish(request.atMs);
        await dispatcher.dispatch(request);
        progress.maybe(segment.label, simNow());
      }
    }
    await dispatcher.drained();
    while (barriers.length > 0) await passBarrier();
    while (simNow() < segment.toMs) await new Promise((resolve) => setTimeout(resolve, 20));
    publish(segment.toMs);
    progress.maybe(segment.label, segment.toMs, true);
  } finally {
    clearInterval(ticker);
  }
}

function scheduleBarriers(plan: DayPlan, date: string): Segment['barriers'] {
  const hhmm = (minute: number): string =>
    `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
  return [...plan.rounds, plan.minutesDeadline]
    .sort((a, b) => a - b)
    .map((minute) => ({
      atMs: epochOf(date, minute),
      streamId: `schedule-${date}`,
      key: hhmm(minute),
    }));
}

export async function runDay(
  dataset: ReferenceDataset,
  plan: DayPlan,
  options: RunDayOptions,
): Promise<RunDayResult> {
  const { client, log } = options;
  const started = Date.now();
  const startPosition = await ledgerHead(client);
  log(`ledger head before the run: ${startPosition}`);

  const importStarted = Date.now();
  const { cards, imported } = await importVoters(dataset, plan, client, log);
  const importSeconds = (Date.now() - importStarted) / 1_000;

  const users = new Set<string>(['admin', 'police', 'auditor', 'ops']);
  for (const area of plan.areas) {
    users.add(`pa-${area.area.pollingAreaId}`);
    users.add(`commune-${area.area.communeId}`);
  }
  log(`signing in ${users.size} accounts`);
  await client.signInAll([...users], 16);

  const dispatcher = new Dispatcher(client, options.concurrency);
  const progress = new Progress(dispatcher, log);
  const byDate = new Map<string, AreaPlan[]>();
  for (const area of plan.areas) {
    const list = byDate.get(area.area.electionDate) ?? [];
    list.push(area);
    byDate.set(area.area.electionDate, list);
  }
  const dates = [...byDate.keys()].sort();
  const segments: Segment[] = [];
  if (options.cardDelivery && cards.size > 0) {
    const deliveries = [...deliverySlices(plan, cards, plan.seed)];
    const first = deliveries[0]?.[0]?.atMs ?? 0;
    const last = deliveries.at(-1)?.at(-1)?.atMs ?? first;
    segments.push({
      label: 'cards',
      fromMs: first,
      toMs: last + 1,
      speed: Math.max(1, (last - first) / ((options.deliverySeconds ?? 30) * 1_000)),
      barriers: [],
      slices: () => deliveries,
    });
  }
  for (const [i, date] of dates.entries()) {
    const areas = byDate.get(date) ?? [];
    const main = i === dates.length - 1;
    const fromMs = epochOf(date, dayFrom);
    const toMs = epochOf(date, dayTo);
    segments.push({
      label: main ? `day ${date}` : `early day ${date}`,
      fromMs,
      toMs,
      // The early day (Bạch Long Vĩ's few areas) runs fast: little happens there.
      speed: main
        ? options.speed
        : Math.max(options.speed, (toMs - fromMs) / ((options.earlyDaySeconds ?? 20) * 1_000)),
      barriers: scheduleBarriers(plan, date),
      slices: () => daySlices(areas, date, cards),
    });
  }
  for (const segment of segments) {
    const minutes = (segment.toMs - segment.fromMs) / segment.speed / 60_000;
    log(
      `${segment.label}: ${clockTime(segment.fromMs)} → ${clockTime(segment.toMs)} at ${segment.speed.toFixed(0)}× (about ${minutes.toFixed(1)} min)`,
    );
    await runSegment(segment, dispatcher, options, progress);
  }
  await dispatcher.drained();
  return {
    dispatcher,
    startPosition,
    seconds: (Date.now() - started) / 1_000,
    importSeconds,
    votersImported: imported,
    cards,
  };
}
