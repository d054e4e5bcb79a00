// Reads what the stack holds after a run: events in the ledger (GET /events as auditor, paged by
// fromPosition) and the read models (GET /overview, GET /polling-areas), for the reconciliation.
import type { ApiClient } from './api-client.ts';
import type { CountsByArea, ReadModelFigures } from './reconcile.ts';

interface EventsPage {
  readonly asOfPosition?: number;
  readonly events?: readonly {
    type?: string;
    position?: number;
    data?: { pollingAreaId?: unknown };
  }[];
  readonly nextPosition?: number;
}

/**
 * The ledger's head position now (the run's events start after it), or undefined when the gateway
 * has no GET /events yet: the run still goes ahead, but it cannot be reconciled with the ledger.
 */
export async function ledgerHead(client: ApiClient): Promise<number | undefined> {
  const res = await client.get('/api/v1/events?limit=1', 'auditor');
  if (res.endpointMissing) return undefined;
  const head = (res.body as EventsPage | undefined)?.asOfPosition;
  if (res.status !== 200 || typeof head !== 'number') {
    throw new Error(
      `GET /events answered ${res.status} ${res.code ?? ''}: cannot read the ledger head`,
    );
  }
  return head;
}

export interface LedgerCounts {
  readonly counts: CountsByArea;
  readonly scanned: number;
  /** Counted types at areas outside the fixture (someone else writing to the stack). */
  readonly outsideFixture: number;
}

export async function countLedgerEvents(
  client: ApiClient,
  fromPosition: number,
  types: ReadonlySet<string>,
  areas: ReadonlySet<string>,
): Promise<LedgerCounts> {
  const counts: CountsByArea = {};
  let scanned = 0;
  let outsideFixture = 0;
  for (let from: number | undefined = fromPosition; from !== undefined;) {
    const res = await client.get(`/api/v1/events?fromPosition=${from}&limit=1000`, 'auditor');
    if (res.status !== 200) throw new Error(`GET /events answered ${res.status} ${res.code ?? ''}`);
    const page = res.body as EventsPage;
    for (const event of page.events ?? []) {
      scanned += 1;
      const area = event.data?.pollingAreaId;
      if (event.type === undefined || !types.has(event.type) || typeof area !== 'string') continue;
      if (!areas.has(area)) {
        outsideFixture += 1;
        continue;
      }
      const byArea = (counts[event.type] ??= {});
      byArea[area] = (byArea[area] ?? 0) + 1;
    }
    from =
      page.nextPosition !== undefined && page.nextPosition > from ? page.nextPosition : undefined;
  }
  return { counts, scanned, outsideFixture };
}

export interface OverviewFigures {
  readonly checkIns?: number;
  readonly minutesReceived?: number;
  readonly incidentsOpen?: number;
}

export type ReadModelAnswer<T> = { available: true; value: T } | { available: false; why: string };

/** GET with read-your-writes: waits up to 5 s per try for `minPosition`, retries a 503 a few times. */
async function readQuery(
  client: ApiClient,
  path: string,
  minPosition: number,
): Promise<ReadModelAnswer<unknown>> {
  const sep = path.includes('?') ? '&' : '?';
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const res = await client.get(
      `${path}${minPosition > 0 ? `${sep}minPosition=${minPosition}` : ''}`,
      'ops',
    );
    if (res.status === 200) return { available: true, value: res.body };
    if (res.status === 404 || res.status === 501) {
      return {
        available: false,
        why: `${path} answers ${res.status} (${res.code ?? 'no code'}): endpoint missing`,
      };
    }
    if (res.status !== 503)
      return { available: false, why: `${path} answers ${res.status} ${res.code ?? ''}` };
  }
  return { available: false, why: `${path} did not reach position ${minPosition} in 20 s` };
}

export async function readOverview(
  client: ApiClient,
  minPosition: number,
): Promise<ReadModelAnswer<OverviewFigures>> {
  const answer = await readQuery(client, '/api/v1/overview', minPosition);
  if (!answer.available) return answer;
  const o = answer.value as {
    checkIns?: unknown;
    minutes?: { received?: unknown };
    incidentsOpen?: unknown;
  };
  const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
  const figures: { checkIns?: number; minutesReceived?: number; incidentsOpen?: number } = {};
  const checkIns = num(o.checkIns);
  const minutesReceived = num(o.minutes?.received);
  const incidentsOpen = num(o.incidentsOpen);
  if (checkIns !== undefined) figures.checkIns = checkIns;
  if (minutesReceived !== undefined) figures.minutesReceived = minutesReceived;
  if (incidentsOpen !== undefined) figures.incidentsOpen = incidentsOpen;
  return { available: true, value: figures };
}

/** votersVoted per area from GET /polling-areas (an array, or an object holding one). */
export async function readAreaTurnout(
  client: ApiClient,
  minPosition: number,
): Promise<ReadModelAnswer<Record<string, number>>> {
  const answer = await readQuery(client, '/api/v1/polling-areas', minPosition);
  if (!answer.available) return answer;
  const body = answer.value as unknown;
  const list = Array.isArray(body)
    ? body
    : Object.values((body ?? {}) as Record<string, unknown>).find((v) => Array.isArray(v));
  if (!Array.isArray(list))
    return { available: false, why: 'GET /polling-areas: no list of areas in the answer' };
  const out: Record<string, number> = {};
  for (const item of list as { pollingAreaId?: unknown; votersVoted?: unknown }[]) {
    if (typeof item.pollingAreaId === 'string' && typeof item.votersVoted === 'number') {
      out[item.pollingAreaId] = item.votersVoted;
    }
  }
  return { available: true, value: out };
}

export function overviewDelta(
  before: OverviewFigures,
  after: OverviewFigures,
): NonNullable<ReadModelFigures['overviewDelta']> {
  const d = (a: number | undefined, b: number | undefined): number | undefined =>
    a === undefined || b === undefined ? undefined : b - a;
  const out: { checkIns?: number; minutesReceived?: number; incidentsOpen?: number } = {};
  const checkIns = d(before.checkIns, after.checkIns);
  const minutesReceived = d(before.minutesReceived, after.minutesReceived);
  const incidentsOpen = d(before.incidentsOpen, after.incidentsOpen);
  if (checkIns !== undefined) out.checkIns = checkIns;
  if (minutesReceived !== undefined) out.minutesReceived = minutesReceived;
  if (incidentsOpen !== undefined) out.incidentsOpen = incidentsOpen;
  return out;
}
