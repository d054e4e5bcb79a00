// The end of a simulated day: proves nothing was lost or counted twice — every request the stack
// accepted (or refused as planned) is one event in the ledger and is counted in the read models,
// per polling area — and that every injected anomaly was detected, and nothing else.
import type { ApiClient } from '../driver/api-client.ts';
import { expectedKinds, type DayPlan } from './day-plan.ts';
import type { CountsByArea, DispatchStats } from './dispatcher.ts';

export interface Mismatch {
  readonly check: string;
  readonly subject: string;
  readonly expected: number | string;
  readonly actual: number | string;
}

export interface AnomalyRow {
  readonly kind: string;
  readonly pollingAreaId: string | null;
  readonly summary: string;
}

export interface DayReconciliation {
  readonly ok: boolean;
  readonly mismatches: readonly Mismatch[];
  /** Per event type: what the simulator saw accepted, and what the ledger holds since the start. */
  readonly totals: readonly { eventType: string; accepted: number; ledger: number }[];
  readonly ledgerEvents: number;
  readonly readModelPosition: number;
  readonly anomalies: {
    readonly detected: readonly {
      injection: string;
      kind: string;
      pollingAreaId: string;
      found: boolean;
    }[];
    readonly unexpected: readonly AnomalyRow[];
  };
}

interface LedgerPage {
  readonly asOfPosition?: number;
  readonly nextPosition?: number;
  readonly events?: readonly { type?: string; data?: { pollingAreaId?: unknown } }[];
}

/** Counts every event after `fromPosition` by type and area (types without an area under ""). */
async function countLedger(
  client: ApiClient,
  fromPosition: number,
): Promise<{ counts: CountsByArea; scanned: number }> {
  const counts: CountsByArea = {};
  let scanned = 0;
  for (let from: number | undefined = fromPosition + 1; from !== undefined;) {
    const res = await client.get(`/api/v1/events?fromPosition=${from}&limit=1000`, 'auditor');
    if (res.status !== 200) throw new Error(`GET /events answered ${res.status} ${res.code ?? ''}`);
    const page = res.body as LedgerPage;
    for (const event of page.events ?? []) {
      scanned += 1;
      if (event.type === undefined) continue;
      const area = typeof event.data?.pollingAreaId === 'string' ? event.data.pollingAreaId : '';
      const byArea = (counts[event.type] ??= {});
      byArea[area] = (byArea[area] ?? 0) + 1;
    }
    from =
      page.nextPosition !== undefined && page.nextPosition > from ? page.nextPosition : undefined;
  }
  return { counts, scanned };
}

const sum = (counts: Readonly<Record<string, number>> | undefined): number =>
  Object.values(counts ?? {}).reduce((a, b) => a + b, 0);

/** GET with read-your-writes, patient with a projector that is still catching up. */
async function readAt(
  client: ApiClient,
  path: string,
  position: number,
  user = 'ops',
): Promise<unknown> {
  const sep = path.includes('?') ? '&' : '?';
  const deadline = Date.now() + 180_000;
  for (;;) {
    const res = await client.get(`${path}${sep}minPosition=${position}`, user);
    if (res.status === 200) return res.body;
    if (res.status !== 503 || Date.now() > deadline)
      throw new Error(`GET ${path} answered ${res.status} ${res.code ?? ''}`);
  }
}

interface AreaRow {
  readonly pollingAreaId: string;
  readonly status: string;
  readonly votersVoted: number;
  readonly checkIns: number;
  /** Levels with a minute in (a count; a list of levels is read as its length). */
  readonly minutesReceived: number | readonly string[];
}

export async function reconcileDay(
  client: ApiClient,
  plan: DayPlan,
  stats: DispatchStats,
  startPosition: number,
  log: (line: string) => void,
): Promise<DayReconciliation> {
  const mismatches: Mismatch[] = [];
  const recorded = stats.recorded;

  // 1. The ledger holds exactly one event per accepted request (and per planned refusal).
  log('reconciling: counting the ledger since the run began');
  const ledger = await countLedger(client, startPosition);
  const totals: { eventType: string; accepted: number; ledger: number }[] = [];
  for (const [eventType, byArea] of Object.entries(recorded).sort()) {
    const inLedger = ledger.counts[eventType] ?? {};
    totals.push({ eventType, accepted: sum(byArea), ledger: sum(inLedger) });
    // Events that carry their area are compared area by area; the others (incident triage) in total.
    const areaKeyed = Object.keys(inLedger).some((k) => k !== '');
    if (!areaKeyed) {
      if (sum(byArea) !== sum(inLedger))
        mismatches.push({
          check: `${eventType}: accepted = in the ledger`,
          subject: 'all',
          expected: sum(byArea),
          actual: sum(inLedger),
        });
      continue;
    }
    for (const area of new Set([...Object.keys(byArea), ...Object.keys(inLedger)])) {
      const expected = byArea[area] ?? 0;
      const actual = inLedger[area] ?? 0;
      if (expected !== actual)
        mismatches.push({
          check: `${eventType}: accepted = in the ledger`,
          subject: area,
          expected,
          actual,
        });
    }
  }

  // 2. The read models count the same, per area, once they reflect the last accepted position.
  const position = stats.lastPosition;
  log(`reconciling: reading the read models at position ≥ ${position}`);
  const overview = (await readAt(client, '/api/v1/overview', position)) as {
    asOfPosition: number;
    checkIns: number;
    pollingAreas: { opened: number; closed: number };
    minutes: { received: number };
  };
  const expectCheckIns = sum(recorded['VoterCheckedIn']);
  const expectOpened = sum(recorded['PollingAreaOpened']);
  const expectClosed = sum(recorded['PollingAreaClosed']);
  const expectMinutes = sum(recorded['CountingMinuteSubmitted']);
  for (const [check, expected, actual] of [
    ['overview.checkIns = accepted check-ins', expectCheckIns, overview.checkIns],
    [
      'overview.pollingAreas.opened = accepted openings',
      expectOpened,
      overview.pollingAreas.opened,
    ],
    [
      'overview.pollingAreas.closed = accepted closings',
      expectClosed,
      overview.pollingAreas.closed,
    ],
    ['overview.minutes.received = accepted minutes', expectMinutes, overview.minutes.received],
  ] as const) {
    if (expected !== actual) mismatches.push({ check, subject: 'city', expected, actual });
  }
  const communes = [...new Set(plan.areas.map((a) => a.area.communeId))];
  const rows = new Map<string, AreaRow>();
  for (const communeId of communes) {
    const body = (await readAt(
      client,
      `/api/v1/polling-areas?communeId=${communeId}`,
      position,
    )) as {
      pollingAreas?: AreaRow[];
    };
    for (const row of body.pollingAreas ?? []) rows.set(row.pollingAreaId, row);
  }
  for (const area of plan.areas) {
    const id = area.area.pollingAreaId;
    const row = rows.get(id);
    const close = area.actions.find((a) => a.kind === 'close');
    const closed = (recorded['PollingAreaClosed']?.[id] ?? 0) > 0;
    if (row === undefined) {
      mismatches.push({
        check: 'polling area in the read model',
        subject: id,
        expected: 'present',
        actual: 'missing',
      });
      continue;
    }
    if (closed && close?.kind === 'close' && row.votersVoted !== close.votersVoted)
      mismatches.push({
        check: 'votersVoted = the closing figure',
        subject: id,
        expected: close.votersVoted,
        actual: row.votersVoted,
      });
    if (closed && row.status !== 'closed')
      mismatches.push({
        check: 'status = closed',
        subject: id,
        expected: 'closed',
        actual: row.status,
      });
    const checkIns = recorded['VoterCheckedIn']?.[id] ?? 0;
    if (row.checkIns !== checkIns)
      mismatches.push({
        check: 'checkIns = accepted check-ins',
        subject: id,
        expected: checkIns,
        actual: row.checkIns,
      });
    const minutes = recorded['CountingMinuteSubmitted']?.[id] ?? 0;
    const received =
      typeof row.minutesReceived === 'number' ? row.minutesReceived : row.minutesReceived.length;
    if (received !== minutes)
      mismatches.push({
        check: 'minutes received = accepted minutes',
        subject: id,
        expected: minutes,
        actual: received,
      });
  }

  // 3. The anomalies: every injected one found at its area; nothing raised elsewhere.
  log('reconciling: waiting for the anomaly detector');
  const wanted = plan.injected.flatMap((t) =>
    (expectedKinds[t.injection] ?? []).map((kind) => ({
      injection: t.injection,
      kind,
      pollingAreaId: t.pollingAreaId,
    })),
  );
  let anomalies: AnomalyRow[] = [];
  const deadline = Date.now() + 90_000;
  let stableSince = Date.now();
  let lastCount = -1;
  for (;;) {
    const body = (await readAt(client, '/api/v1/anomalies?limit=1000', position)) as {
      anomalies?: AnomalyRow[];
    };
    anomalies = body.anomalies ?? [];
    const allFound = wanted.every((w) =>
      anomalies.some((a) => a.kind === w.kind && a.pollingAreaId === w.pollingAreaId),
    );
    if (anomalies.length !== lastCount) {
      lastCount = anomalies.length;
      stableSince = Date.now();
    }
    // Found, and no new anomaly for 3 s (the detector has folded the whole day).
    if ((allFound && Date.now() - stableSince > 3_000) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const detected = wanted.map((w) => ({
    ...w,
    found: anomalies.some((a) => a.kind === w.kind && a.pollingAreaId === w.pollingAreaId),
  }));
  for (const d of detected)
    if (!d.found)
      mismatches.push({
        check: `injected ${d.injection} raises ${d.kind}`,
        subject: d.pollingAreaId,
        expected: 'detected',
        actual: 'not detected',
      });
  const targets = new Set(plan.injected.map((t) => t.pollingAreaId));
  const unexpected = anomalies.filter(
    (a) => a.pollingAreaId === null || !targets.has(a.pollingAreaId),
  );
  return {
    ok: mismatches.length === 0,
    mismatches,
    totals,
    ledgerEvents: ledger.scanned,
    readModelPosition: overview.asOfPosition,
    anomalies: { detected, unexpected },
  };
}
