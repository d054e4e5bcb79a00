// The turnout service against real servers: commands over NATS in queue group `turnout`, decided
// by the domain's turnout decider and appended to a real ledger; refusals keep their codes and
// append nothing; concurrent reports for one area are serialized, never lost.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ClientNats } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { freePort, waitForHttp } from '@hpe/embedded';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTurnoutSettings } from './settings.js';
import { commandBatchSubject, turnoutSubjects } from '@hpe/service-kit';
import { startTurnoutService } from './turnout-service.js';
import {
  startTurnoutHarness,
  type AreaRef,
  type TurnoutHarness,
} from './turnout-service.test-support.js';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;
const actor = { id: 'commune-10507', role: 'commune' };

interface Reply {
  ok: boolean;
  value?: { eventIds: string[]; position: number };
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

let h: TurnoutHarness;
let nextArea = 0;

/** A reference area no other test has touched. */
function freshArea(): AreaRef {
  const area = h.regularAreas[nextArea];
  nextArea += 1;
  if (area === undefined) throw new Error('out of reference areas');
  return area;
}

const sender = (correlationId: string) => ({ actor, correlationId, traceparent });

async function send(subject: string, body: unknown): Promise<Reply> {
  return (await h.request(subject, body)) as Reply;
}

async function open(area: string, at = '2026-03-15T07:00:00+07:00'): Promise<Reply> {
  return send(turnoutSubjects.open, { pollingAreaId: area, at, ...sender(`open-${area}`) });
}

async function report(area: string, asOf: string, votersVoted: number): Promise<Reply> {
  return send(turnoutSubjects.report, {
    pollingAreaId: area,
    asOf,
    votersVoted,
    ...sender(`report-${area}-${asOf}`),
  });
}

const streamEvents = (area: string) => h.readStream(`turnout-${area}`);
const appendsNothing: TurnoutHarness['appendsNothing'] = (act) => h.appendsNothing(act);

beforeAll(async () => {
  h = await startTurnoutHarness(new Date('2026-03-15T20:00:00+07:00'));
  expect(h.regularAreas.length).toBeGreaterThan(100);
  expect(h.bachLongViAreas.length).toBeGreaterThan(0);
}, 120_000);
afterAll(async () => {
  await h.stop();
});

describe('turnout.open', () => {
  it('registers the area from the reference data and opens it at 07:00, envelope and all', async () => {
    const area = freshArea();
    const reply = await open(area.pollingAreaId);
    expect(reply.ok).toBe(true);
    const events = await streamEvents(area.pollingAreaId);
    expect(events.map((e) => e.type)).toEqual(['PollingAreaRegistered', 'PollingAreaOpened']);
    expect(reply.value?.eventIds).toEqual(events.map((e) => e.eventId));
    expect(reply.value?.position).toBe(events[1]?.position);
    expect(events[0]?.data).toEqual({
      pollingAreaId: area.pollingAreaId,
      votersOnList: area.votersOnList,
      electionDate: '2026-03-15',
    });
    const opened = events[1];
    expect(opened?.data).toEqual({
      pollingAreaId: area.pollingAreaId,
      at: '2026-03-15T07:00:00+07:00',
    });
    expect(opened?.eventId).toMatch(uuidV7);
    expect(opened?.schemaVersion).toBe(1);
    expect(opened?.streamId).toBe(`turnout-${area.pollingAreaId}`);
    expect(opened?.metadata).toMatchObject({
      occurredAt: '2026-03-15T07:00:00+07:00',
      actor,
      correlationId: `open-${area.pollingAreaId}`,
    });
    // The span the service ran the command in continues the caller's trace.
    expect(opened?.metadata.traceparent?.split('-')[1]).toBe(traceId);
  });

  it('refuses a second opening with POLLING.ALREADY_OPEN', async () => {
    const area = freshArea().pollingAreaId;
    expect((await open(area)).ok).toBe(true);
    await appendsNothing(async () => {
      expect((await open(area, '2026-03-15T07:05:00+07:00')).error?.code).toBe(
        'POLLING.ALREADY_OPEN',
      );
    });
  });

  it('refuses an opening at 04:59 with POLLING.OUTSIDE_HOURS and appends nothing, not even the registration', async () => {
    const area = freshArea().pollingAreaId;
    await appendsNothing(async () => {
      const reply = await open(area, '2026-03-15T04:59:00+07:00');
      expect(reply.ok).toBe(false);
      expect(reply.error?.code).toBe('POLLING.OUTSIDE_HOURS');
    });
    expect(await streamEvents(area)).toEqual([]);
  });

  it('opens a Bạch Long Vĩ area on 14 March, and refuses it on 15 March', async () => {
    const [first, second] = h.bachLongViAreas;
    if (first === undefined || second === undefined) throw new Error('two Bạch Long Vĩ areas');
    expect(await open(first.pollingAreaId, '2026-03-14T07:00:00+07:00')).toMatchObject({
      ok: true,
    });
    const events = await streamEvents(first.pollingAreaId);
    expect(events[0]?.data['electionDate']).toBe('2026-03-14');
    expect((await open(second.pollingAreaId, '2026-03-15T07:00:00+07:00')).error?.code).toBe(
      'POLLING.OUTSIDE_HOURS',
    );
  });

  it('answers POLLING.UNKNOWN_AREA for an area the reference data does not hold', async () => {
    await appendsNothing(async () => {
      const reply = await open('PA-99999-999');
      expect(reply.error).toMatchObject({
        code: 'POLLING.UNKNOWN_AREA',
        details: { pollingAreaId: 'PA-99999-999' },
      });
    });
  });
});

describe('turnout.report', () => {
  it('accepts increasing figures; a decrease is TURNOUT.DECREASED, recorded as a refusal', async () => {
    const area = freshArea().pollingAreaId;
    expect((await open(area)).ok).toBe(true);
    expect((await report(area, '2026-03-15T09:00:00+07:00', 100)).ok).toBe(true);
    const second = await report(area, '2026-03-15T11:00:00+07:00', 250);
    expect(second.ok).toBe(true);
    const before = await h.head();
    const reply = await report(area, '2026-03-15T13:00:00+07:00', 200);
    expect(reply.error).toMatchObject({
      code: 'TURNOUT.DECREASED',
      details: { previous: 250, reported: 200, position: before + 1 },
    });
    expect(await h.head()).toBe(before + 1);
    const events = await streamEvents(area);
    const reported = events.filter((e) => e.type === 'TurnoutReported');
    expect(reported.map((e) => e.data['votersVoted'])).toEqual([100, 250]);
    expect(reported[1]?.metadata.occurredAt).toBe('2026-03-15T11:00:00+07:00');
    expect(events.at(-1)).toMatchObject({
      type: 'TurnoutFigureRefused',
      position: before + 1,
      data: { votersVoted: 200, reason: 'DECREASED', previous: { votersVoted: 250 } },
    });
    // The refusal changed nothing: 260 is still above the standing 250.
    expect((await report(area, '2026-03-15T14:00:00+07:00', 260)).ok).toBe(true);
  });

  it('a figure above the list is TURNOUT.ABOVE_LIST, recorded as a refusal', async () => {
    const area = freshArea();
    expect((await open(area.pollingAreaId)).ok).toBe(true);
    const before = await h.head();
    const reply = await report(
      area.pollingAreaId,
      '2026-03-15T09:00:00+07:00',
      area.votersOnList + 1,
    );
    expect(reply.error?.code).toBe('TURNOUT.ABOVE_LIST');
    expect(reply.error?.details).toMatchObject({ position: before + 1 });
    expect((await streamEvents(area.pollingAreaId)).at(-1)?.type).toBe('TurnoutFigureRefused');
  });

  it('refuses a report on an area that never opened, appending nothing', async () => {
    const area = freshArea().pollingAreaId;
    await appendsNothing(async () => {
      expect((await report(area, '2026-03-15T09:00:00+07:00', 5)).error?.code).toBe(
        'POLLING.NOT_OPEN',
      );
    });
  });

  it('serializes concurrent reports for one area: each lands in order or is refused by a rule, none is lost', async () => {
    for (let round = 0; round < 5; round += 1) {
      const area = freshArea().pollingAreaId;
      expect((await open(area)).ok).toBe(true);
      const replies = await Promise.all([
        report(area, '2026-03-15T09:00:00+07:00', 100),
        report(area, '2026-03-15T10:00:00+07:00', 150),
      ]);
      for (const reply of replies) {
        if (!reply.ok) expect(reply.error?.code).toMatch(/^TURNOUT\./);
      }
      const accepted = replies.flatMap((r) => r.value?.eventIds ?? []);
      const reported = (await streamEvents(area)).filter((e) => e.type === 'TurnoutReported');
      expect(reported.map((e) => e.eventId).sort()).toEqual([...accepted].sort());
      const figures = reported.map((e) => Number(e.data['votersVoted']));
      expect(figures).toEqual([...figures].sort((a, b) => a - b));
      // The 10:00 figure comes last in time, so it can never be refused.
      expect(replies[1]?.ok).toBe(true);
    }
  });

  it('keeps every accepted report of a burst on one area, the rest refused with a code', async () => {
    const area = freshArea().pollingAreaId;
    expect((await open(area)).ok).toBe(true);
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        report(area, `2026-03-15T${String(8 + i).padStart(2, '0')}:00:00+07:00`, 10 * (i + 1)),
      ),
    );
    for (const reply of replies) {
      if (!reply.ok) expect(reply.error?.code).toMatch(/^(TURNOUT\.|STALE_REVISION$)/);
    }
    const accepted = replies.flatMap((r) => r.value?.eventIds ?? []);
    expect(accepted.length).toBeGreaterThan(0);
    const reported = (await streamEvents(area)).filter((e) => e.type === 'TurnoutReported');
    expect(reported.map((e) => e.eventId).sort()).toEqual([...accepted].sort());
  });
});

describe('turnout.close', () => {
  it('refuses a close at 18:59 with POLLING.CLOSE_TOO_EARLY and accepts one at 19:30', async () => {
    const area = freshArea().pollingAreaId;
    expect((await open(area)).ok).toBe(true);
    const close = (at: string) =>
      send(turnoutSubjects.close, {
        pollingAreaId: area,
        at,
        votersVoted: 300,
        ...sender(`close-${area}`),
      });
    await appendsNothing(async () => {
      expect((await close('2026-03-15T18:59:00+07:00')).error?.code).toBe(
        'POLLING.CLOSE_TOO_EARLY',
      );
    });
    const closed = await close('2026-03-15T19:30:00+07:00');
    expect(closed.ok).toBe(true);
    expect((await streamEvents(area)).at(-1)?.type).toBe('PollingAreaClosed');
  });

  it('refuses a close time ahead of the clock with POLLING.TIME_IN_FUTURE', async () => {
    const area = freshArea().pollingAreaId;
    expect((await open(area)).ok).toBe(true);
    h.setNow(new Date('2026-03-15T19:10:00+07:00'));
    try {
      const reply = await send(turnoutSubjects.close, {
        pollingAreaId: area,
        at: '2026-03-15T19:30:00+07:00',
        votersVoted: 1,
        ...sender('future'),
      });
      expect(reply.error?.code).toBe('POLLING.TIME_IN_FUTURE');
    } finally {
      h.setNow(new Date('2026-03-15T20:00:00+07:00'));
    }
  });
});

describe('hostile payloads', () => {
  const base = () => ({
    pollingAreaId: h.regularAreas[0]?.pollingAreaId,
    asOf: '2026-03-15T09:00:00+07:00',
    votersVoted: 5,
    actor,
    correlationId: 'hostile',
  });

  it.each([
    ['a negative count', { votersVoted: -1 }],
    ['a fractional count', { votersVoted: 1.5 }],
    ['a count as a string', { votersVoted: '5' }],
    ['a time without an offset', { asOf: '2026-03-15T09:00:00' }],
    ['an area id with a dot', { pollingAreaId: 'PA.1' }],
    ['an extra field', { votersOnList: 1 }],
    ['an unknown role', { actor: { id: 'x', role: 'king' } }],
    ['a malformed traceparent', { traceparent: 'not-a-trace' }],
    ['no actor', { actor: undefined }],
    ['no correlation id', { correlationId: undefined }],
    ['no count', { votersVoted: undefined }],
  ])('refuses %s with VALIDATION_FAILED and appends nothing', async (_, patch) => {
    await appendsNothing(async () => {
      const reply = await send(turnoutSubjects.report, { ...base(), ...patch });
      expect(reply.ok).toBe(false);
      expect(reply.error?.code).toBe('VALIDATION_FAILED');
      expect(reply.error?.details?.['issues']).toBeInstanceOf(Array);
    });
  });

  it.each([
    ['a body that is not JSON', '{"pollingAreaId": '],
    ['an empty body', ''],
  ])('answers %s with VALIDATION_FAILED', async (_, raw) => {
    await appendsNothing(async () => {
      for (const subject of Object.values(turnoutSubjects)) {
        const reply = (await h.request(subject, raw, { raw: true })) as Reply;
        expect(reply.error?.code).toBe('VALIDATION_FAILED');
      }
    });
  });

  it.each([
    ['null', null],
    ['an array', [1, 2]],
    ['a number', 42],
    ['a Nest-looking packet without an id', { pattern: 'turnout.open', data: {} }],
  ])('answers %s with VALIDATION_FAILED', async (_, body) => {
    await appendsNothing(async () => {
      expect(((await send(turnoutSubjects.open, body)) as Reply).error?.code).toBe(
        'VALIDATION_FAILED',
      );
    });
  });
});

describe('many commands in one request (<subject>.batch)', () => {
  it('answers each command of a batch as it would answer it alone, in order', async () => {
    const [a, b] = [freshArea(), freshArea()];
    const at = '2026-03-15T07:00:00+07:00';
    const reply = (await h.request(commandBatchSubject(turnoutSubjects.open), {
      commands: [
        { pollingAreaId: a.pollingAreaId, at, ...sender('batch-a') },
        { pollingAreaId: a.pollingAreaId, at: 'yesterday', ...sender('batch-bad') },
        { pollingAreaId: b.pollingAreaId, at, ...sender('batch-b') },
        { pollingAreaId: 'PA-99999-999', at, ...sender('batch-unknown') },
      ],
    })) as { replies: Reply[] };
    expect(reply.replies.map((r) => (r.ok ? 'ok' : r.error?.code))).toEqual([
      'ok',
      'VALIDATION_FAILED',
      'ok',
      'POLLING.UNKNOWN_AREA',
    ]);
    expect(reply.replies[0]?.value?.eventIds.every((id) => uuidV7.test(id))).toBe(true);
    expect((await streamEvents(a.pollingAreaId)).map((e) => e.type)).toContain('PollingAreaOpened');
    expect((await streamEvents(b.pollingAreaId)).map((e) => e.type)).toContain('PollingAreaOpened');
    // The same opening again, alone: the rule answers as for any second opening.
    expect((await open(a.pollingAreaId)).error?.code).toBe('POLLING.ALREADY_OPEN');
  });

  it.each([
    ['a body that is not JSON', '{"commands": ['],
    ['no commands field', '{"command": []}'],
    ['an empty list', '{"commands": []}'],
    ['commands as an object', '{"commands": {}}'],
    [
      'more than 1,000 commands',
      JSON.stringify({ commands: Array.from({ length: 1_001 }, () => ({})) }),
    ],
  ])('refuses a batch with %s as a whole: VALIDATION_FAILED, nothing appended', async (_, raw) => {
    await appendsNothing(async () => {
      const reply = (await h.request(commandBatchSubject(turnoutSubjects.report), raw, {
        raw: true,
      })) as Reply;
      expect(reply.ok).toBe(false);
      expect(reply.error?.code).toBe('VALIDATION_FAILED');
    });
  });
});

describe('callers and health', () => {
  it('answers a Nest ClientProxy with the same reply in its response packet', async () => {
    const area = freshArea().pollingAreaId;
    const client = new ClientNats({ servers: [h.nats.url] });
    await client.connect();
    try {
      const reply = await firstValueFrom(
        client.send<Reply>(turnoutSubjects.open, {
          pollingAreaId: area,
          at: '2026-03-15T07:00:00+07:00',
          ...sender('client-proxy'),
        }),
      );
      expect(reply.ok).toBe(true);
      expect(reply.value?.eventIds).toHaveLength(2);
      const refused = await firstValueFrom(
        client.send<Reply>(turnoutSubjects.report, { pollingAreaId: area }),
      );
      expect(refused.error?.code).toBe('VALIDATION_FAILED');
    } finally {
      await client.close();
    }
  });

  it('is live, and ready while NATS and the ledger answer', async () => {
    expect((await fetch(`${h.service.healthUrl}/health/live`)).status).toBe(200);
    const ready = await fetch(`${h.service.healthUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      checks: { nats: { ok: true }, ledger: { ok: true } },
    });
  });
});

describe('scale-out and shutdown', () => {
  it('measures turnout.report through NATS: many areas at once, each in order', async () => {
    const areas = Array.from({ length: 50 }, () => freshArea().pollingAreaId);
    await Promise.all(areas.map(async (area) => expect((await open(area)).ok).toBe(true)));
    const perArea = 20;
    const started = performance.now();
    await Promise.all(
      areas.map(async (area) => {
        for (let i = 1; i <= perArea; i += 1) {
          const asOf = `2026-03-15T${String(7 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 === 0 ? '00' : '30'}:00+07:00`;
          const reply = await report(area, asOf, i);
          expect(reply.ok).toBe(true);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1_000;
    const total = areas.length * perArea;
    console.log(
      `[turnout] ${total} turnout.report over ${areas.length} areas in ${seconds.toFixed(2)} s: ` +
        `${Math.round(total / seconds)} reports/s`,
    );
    const events = await streamEvents(areas[0] ?? '');
    expect(events.filter((e) => e.type === 'TurnoutReported')).toHaveLength(perArea);
  });

  it('shares the queue group with a second instance, which answers what it took before it stops', async () => {
    const second = await startTurnoutService(
      loadTurnoutSettings({
        DATABASE_URL: h.referenceDatabaseUrl,
        NATS_URL: h.nats.url,
        HTTP_PORT: String(await freePort()),
        LOG_LEVEL: 'silent',
        OTEL_SERVICE_NAME: 'ledger',
      }),
      { clock: () => new Date('2026-03-15T20:00:00+07:00') },
    );
    const areas = Array.from({ length: 40 }, () => freshArea().pollingAreaId);
    const replies = Promise.all(areas.map((area) => open(area)));
    // Stop while commands are under way: every one must still be answered, by either instance.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await second.close();
    for (const reply of await replies) expect(reply.ok).toBe(true);
    expect((await report(areas[0] ?? '', '2026-03-15T09:00:00+07:00', 1)).ok).toBe(true);
  });
});

describe('the built process', () => {
  it('starts from dist/main.js, becomes ready, and on SIGTERM answers what it took and exits 0', async () => {
    const mainJs = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    expect(existsSync(mainJs), `${mainJs}: build apps/turnout first`).toBe(true);
    const port = await freePort();
    const child = spawn(process.execPath, [mainJs], {
      env: {
        PATH: process.env.PATH ?? '',
        TZ: 'Asia/Ho_Chi_Minh',
        DATABASE_URL: h.referenceDatabaseUrl,
        NATS_URL: h.nats.url,
        HTTP_PORT: String(port),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise<number | string>((resolve) => {
      child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/health/ready`, {
        timeoutMs: 30_000,
        isAlive: () => child.exitCode === null,
      });
      const areas = Array.from({ length: 30 }, () => freshArea().pollingAreaId);
      const replies = Promise.all(areas.map((area) => open(area)));
      await new Promise((resolve) => setTimeout(resolve, 5));
      child.kill('SIGTERM');
      for (const reply of await replies) expect(reply.ok).toBe(true);
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
