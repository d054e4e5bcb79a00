// The incidents service against real servers: commands over NATS in queue group `incidents`,
// decided by the domain's incident decider and appended to a real ledger. The whole lifecycle, and
// every refusal (illegal transitions, unknown incidents and areas, repeats, hostile payloads) keeps
// its code and appends nothing.
import { incidentStatuses, legalFrom, type IncidentAction, type IncidentStatus } from '@hpe/domain';
import { incidentSubjects } from '@hpe/service-kit';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startIncidentsHarness,
  type AreaRef,
  type IncidentsHarness,
} from './incidents-service.test-support.js';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const now = new Date('2026-03-15T10:00:00+07:00');
const police = { id: 'police', role: 'police' };

interface Reply {
  ok: boolean;
  value?: { eventIds: string[]; position: number };
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

let h: IncidentsHarness;

beforeAll(async () => {
  h = await startIncidentsHarness(now);
  expect(h.areas.length).toBeGreaterThan(1);
}, 120_000);
afterAll(async () => {
  await h.stop();
});

const area = (): AreaRef => {
  const a = h.areas[0];
  if (a === undefined) throw new Error('an area');
  return a;
};

const sender = (actor = police) => ({ actor, correlationId: uuidv7() });

async function send(subject: string, body: unknown): Promise<Reply> {
  return (await h.request(subject, body)) as Reply;
}

const reportBody = (incidentId: string, patch: Record<string, unknown> = {}) => ({
  incidentId,
  pollingAreaId: area().pollingAreaId,
  category: 'public_order',
  severity: 'high',
  description: 'crowd at the gate',
  occurredAt: '2026-03-15T09:40:00+07:00',
  ...sender({ id: `pa-${area().pollingAreaId}`, role: 'reporter' }),
  ...patch,
});

async function reportNew(): Promise<string> {
  const incidentId = uuidv7();
  const reply = await send(incidentSubjects.report, reportBody(incidentId));
  expect(reply.ok).toBe(true);
  return incidentId;
}

const triage = {
  acknowledge: (incidentId: string) =>
    send(incidentSubjects.acknowledge, { incidentId, ...sender() }),
  assign: (incidentId: string, unit = 'Công an phường Hồng Bàng') =>
    send(incidentSubjects.assign, { incidentId, unit, ...sender() }),
  note: (incidentId: string, text = 'generator on its way') =>
    send(incidentSubjects.note, { incidentId, text, ...sender() }),
  resolve: (incidentId: string) =>
    send(incidentSubjects.resolve, { incidentId, resolution: 'crowd dispersed', ...sender() }),
  reopen: (incidentId: string) =>
    send(incidentSubjects.reopen, { incidentId, reason: 'back again', ...sender() }),
};

const streamEvents = (incidentId: string) => h.readStream(`incident-${incidentId}`);
const appendsNothing: IncidentsHarness['appendsNothing'] = (act) => h.appendsNothing(act);

function expectRefused(reply: Reply, code: string): void {
  expect(reply.ok).toBe(false);
  expect(reply.error?.code).toBe(code);
}

/** A new incident brought to `status` by legal steps. */
async function incidentIn(status: IncidentStatus): Promise<string> {
  const id = await reportNew();
  const steps: Record<IncidentStatus, (keyof typeof triage)[]> = {
    reported: [],
    acknowledged: ['acknowledge'],
    assigned: ['acknowledge', 'assign'],
    resolved: ['acknowledge', 'resolve'],
    reopened: ['acknowledge', 'resolve', 'reopen'],
  };
  for (const step of steps[status]) expect((await triage[step](id)).ok).toBe(true);
  return id;
}

describe('incident lifecycle over NATS', () => {
  it('reports, acknowledges, assigns, notes, resolves, reopens and reassigns, all in the stream', async () => {
    const id = uuidv7();
    const reported = await send(incidentSubjects.report, reportBody(id));
    expect(reported.ok).toBe(true);
    expect(reported.value?.eventIds).toHaveLength(1);
    expect(reported.value?.eventIds[0]).toMatch(uuidV7);
    for (const reply of [
      await triage.acknowledge(id),
      await triage.assign(id, 'Công an phường Hồng Bàng'),
      await triage.note(id),
      await triage.resolve(id),
      await triage.reopen(id),
      await triage.assign(id, 'Đội cơ động'),
      await triage.resolve(id),
    ])
      expect(reply.ok).toBe(true);
    const events = await streamEvents(id);
    expect(events.map((e) => e.type)).toEqual([
      'IncidentReported',
      'IncidentAcknowledged',
      'IncidentAssigned',
      'IncidentNoteAdded',
      'IncidentResolved',
      'IncidentReopened',
      'IncidentAssigned',
      'IncidentResolved',
    ]);
    expect(events[0]?.eventId).toBe(reported.value?.eventIds[0]);
    expect(events[0]?.position).toBe(reported.value?.position);
    // The commune comes from the reference data, not from the caller.
    expect(events[0]?.data).toEqual({
      incidentId: id,
      pollingAreaId: area().pollingAreaId,
      communeId: area().communeId,
      category: 'public_order',
      severity: 'high',
      description: 'crowd at the gate',
      occurredAt: '2026-03-15T09:40:00+07:00',
    });
    expect(events[0]?.metadata.actor).toEqual({
      id: `pa-${area().pollingAreaId}`,
      role: 'reporter',
    });
    expect(events[1]?.metadata).toMatchObject({ actor: police, occurredAt: now.toISOString() });
    expect(events[6]?.data).toEqual({
      incidentId: id,
      unit: 'Đội cơ động',
      previousUnit: 'Công an phường Hồng Bàng',
    });
  });

  it('refuses a second report of the same id with INCIDENT.ALREADY_REPORTED', async () => {
    const id = await reportNew();
    await appendsNothing(async () => {
      expectRefused(
        await send(incidentSubjects.report, reportBody(id)),
        'INCIDENT.ALREADY_REPORTED',
      );
    });
  });

  it('lets exactly one of two racing reports of one id through', async () => {
    const id = uuidv7();
    const replies = await Promise.all([
      send(incidentSubjects.report, reportBody(id)),
      send(incidentSubjects.report, reportBody(id, { description: 'the other one' })),
    ]);
    expect(replies.filter((r) => r.ok)).toHaveLength(1);
    expect(replies.find((r) => !r.ok)?.error?.code).toBe('INCIDENT.ALREADY_REPORTED');
    expect(await streamEvents(id)).toHaveLength(1);
  });

  it('refuses a report for an area the reference data does not hold', async () => {
    await appendsNothing(async () => {
      expectRefused(
        await send(
          incidentSubjects.report,
          reportBody(uuidv7(), { pollingAreaId: 'PA-99999-999' }),
        ),
        'POLLING.UNKNOWN_AREA',
      );
    });
  });

  it('refuses an incident more than five minutes in the future with INCIDENT.TIME_IN_FUTURE', async () => {
    await appendsNothing(async () => {
      expectRefused(
        await send(
          incidentSubjects.report,
          reportBody(uuidv7(), { occurredAt: '2026-03-15T10:05:01+07:00' }),
        ),
        'INCIDENT.TIME_IN_FUTURE',
      );
    });
    expect(
      (
        await send(
          incidentSubjects.report,
          reportBody(uuidv7(), { occurredAt: '2026-03-15T03:05:00Z' }),
        )
      ).ok,
    ).toBe(true);
  });

  it('answers INCIDENT.NOT_FOUND to every triage command on an unknown incident', async () => {
    const id = uuidv7();
    await appendsNothing(async () => {
      for (const command of Object.values(triage))
        expectRefused(await command(id), 'INCIDENT.NOT_FOUND');
    });
  });

  it('refuses every illegal transition with INCIDENT.ILLEGAL_TRANSITION and its details', async () => {
    let refusals = 0;
    for (const status of incidentStatuses) {
      const id = await incidentIn(status);
      for (const action of Object.keys(legalFrom) as IncidentAction[]) {
        if (legalFrom[action].includes(status)) continue;
        await appendsNothing(async () => {
          const reply = await triage[action](id);
          expectRefused(reply, 'INCIDENT.ILLEGAL_TRANSITION');
          expect(reply.error?.details).toEqual({
            from: status,
            action,
            legalFrom: legalFrom[action],
          });
        });
        refusals += 1;
      }
    }
    expect(refusals).toBe(12);
  });

  it('refuses to assign an incident to the unit that already has it', async () => {
    const id = await incidentIn('assigned');
    await appendsNothing(async () => {
      expectRefused(await triage.assign(id), 'INCIDENT.ALREADY_ASSIGNED');
    });
  });

  it('takes a note in every status', async () => {
    for (const status of incidentStatuses) {
      const id = await incidentIn(status);
      expect((await triage.note(id, `note while ${status}`)).ok).toBe(true);
    }
  });
});

describe('hostile payloads', () => {
  it.each<[string, string, Record<string, unknown>]>([
    ['a commune named by the caller', 'x1', { communeId: '10507' }],
    ['an extra field', 'x2', { status: 'resolved' }],
    ['an unknown category', 'x3', { category: 'riot' }],
    ['an unknown severity', 'x4', { severity: 'apocalyptic' }],
    ['a 100 KB description', 'x5', { description: 'x'.repeat(100_000) }],
    ['a time without offset', 'x6', { occurredAt: '2026-03-15T09:40:00' }],
    ['an incident id with a dot', 'x.7', {}],
    ['no actor', 'x8', { actor: undefined }],
    ['a severity of the wrong type', 'x9', { severity: 3 }],
  ])('refuses %s with VALIDATION_FAILED', async (_name, id, patch) => {
    await appendsNothing(async () => {
      expectRefused(
        await send(incidentSubjects.report, reportBody(id, patch)),
        'VALIDATION_FAILED',
      );
    });
  });

  it('refuses a body that is not JSON and a triage command with extra fields', async () => {
    await appendsNothing(async () => {
      expectRefused(
        (await h.request(incidentSubjects.acknowledge, '{"incidentId":', { raw: true })) as Reply,
        'VALIDATION_FAILED',
      );
      expectRefused(
        await send(incidentSubjects.acknowledge, { incidentId: 'x', by: 'me', ...sender() }),
        'VALIDATION_FAILED',
      );
      expectRefused(
        await send(incidentSubjects.assign, { incidentId: 'x', unit: '  ', ...sender() }),
        'VALIDATION_FAILED',
      );
    });
  });
});
