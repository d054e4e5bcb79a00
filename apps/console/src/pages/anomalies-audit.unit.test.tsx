// Anomalies: most severe first, evidence linking into the event log, acknowledge with a note and
// dismiss with a reason; the event log opened from evidence, hashes and the verify button.
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Anomaly, AnomalyList, EventPage, RecordedEvent } from '../api/types.js';
import { problem, renderApp, sessionFor } from '../test-support/render-app.js';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

function anomaly(anomalyId: string, severity: Anomaly['severity'], summary: string): Anomaly {
  return {
    anomalyId,
    kind: 'turnout_early_high',
    severity,
    status: 'open',
    communeId: 'c-an-bien',
    pollingAreaId: 'pa-0042',
    detectedAt: '2026-03-15T08:00:00+07:00',
    summary,
    facts: { turnoutPct: 80.03, ceilingPct: 60, ceilingBefore: '09:00' },
    evidence: [`${anomalyId}-ev`, `${anomalyId}-opened`],
    atPosition: 1_234,
    note: null,
  };
}

const anomalies: AnomalyList = {
  asOfPosition: 5_000,
  anomalies: [
    anomaly('a-low', 'low', 'Low one'),
    anomaly('a-crit', 'high', 'Critical one'),
    anomaly('a-med', 'medium', 'Medium one'),
  ],
};

const hash = 'ab'.repeat(32);
const event: RecordedEvent = {
  eventId: 'a-crit-ev',
  type: 'TurnoutReported',
  schemaVersion: 1,
  streamId: 'turnout-pa-0042',
  data: { pollingAreaId: 'pa-0042', votersVoted: 1_100 },
  metadata: {
    occurredAt: '2026-03-15T08:00:00+07:00',
    actor: { id: 'pa-pa-0042', role: 'reporter' },
    correlationId: 'c1',
  },
  position: 1_234,
  streamRevision: 3,
  recordedAt: '2026-03-15T08:00:01+07:00',
  prevHash: 'cd'.repeat(32),
  hash,
};
const events: EventPage = { asOfPosition: 5_000, events: [event] };
const answer = { eventIds: ['e'], position: 5_001 };

describe('anomalies', () => {
  it('lists the most severe first, with its figures and its evidence by id', async () => {
    renderApp({
      session: sessionFor('ops'),
      path: '/anomalies',
      routes: { 'GET /anomalies': anomalies },
    });
    await screen.findByText('Critical one');
    const order = screen.getAllByText(/ one$/).map((p) => p.textContent);
    expect(order).toEqual(['Critical one', 'Medium one', 'Low one']);
    expect(screen.getAllByText('Tỷ lệ cao bất thường khi còn sớm')).toHaveLength(3);
    const card = screen.getByText('Critical one').closest('li') as HTMLElement;
    expect(within(card).getByRole('rowheader', { name: 'turnoutPct' })).toBeTruthy();
    expect(within(card).getByText('80.03')).toBeTruthy();
    // Operations staff cannot open the event log: the ids are shown, not linked.
    expect(within(card).getByText('a-crit-ev')).toBeTruthy();
    expect(within(card).queryByRole('link', { name: 'a-crit-ev' })).toBeNull();
  });

  it('links the evidence into the event log for an auditor', async () => {
    renderApp({
      session: sessionFor('auditor'),
      path: '/anomalies',
      routes: { 'GET /anomalies': anomalies },
    });
    await screen.findByText('Critical one');
    const card = screen.getByText('Critical one').closest('li') as HTMLElement;
    expect(within(card).getByRole('link', { name: 'a-crit-ev' }).getAttribute('href')).toBe(
      '/audit?fromPosition=1234&highlight=a-crit-ev',
    );
    expect(within(card).getByRole('link', { name: 'a-crit-opened' }).getAttribute('href')).toBe(
      '/audit?streamId=turnout-pa-0042&highlight=a-crit-opened',
    );
  });

  it('says so when there is no anomaly', async () => {
    renderApp({
      session: sessionFor('ops'),
      path: '/anomalies',
      routes: { 'GET /anomalies': { asOfPosition: 3, anomalies: [] } },
    });
    expect(await screen.findByText('Không có bất thường.')).toBeTruthy();
  });

  it('dismisses only with a reason, and acknowledges only with a note', async () => {
    const app = renderApp({
      session: sessionFor('ops'),
      path: '/anomalies',
      routes: {
        'GET /anomalies': anomalies,
        'POST /anomalies/a-crit/dismiss': answer,
        'POST /anomalies/a-low/acknowledge': answer,
      },
    });
    await screen.findByText('Critical one');
    const user = userEvent.setup();
    const critical = screen.getByText('Critical one').closest('li');
    if (critical === null) throw new Error('no card');
    await user.click(within(critical).getByRole('button', { name: 'Bỏ qua' }));
    const dialog = screen.getByRole('dialog', { name: 'Bỏ qua bất thường' });
    expect(
      (within(dialog).getByRole('button', { name: 'Bỏ qua' }) as HTMLButtonElement).disabled,
    ).toBe(true);
    await user.type(within(dialog).getByLabelText('Lý do bỏ qua'), 'Khu vực bệnh viện, hợp lệ');
    await user.click(within(dialog).getByRole('button', { name: 'Bỏ qua' }));
    await expect
      .poll(() => app.calls.find((c) => c.method === 'POST')?.body)
      .toEqual({
        reason: 'Khu vực bệnh viện, hợp lệ',
      });

    const low = screen.getByText('Low one').closest('li');
    if (low === null) throw new Error('no card');
    await user.click(within(low).getByRole('button', { name: 'Ghi nhận' }));
    const ack = screen.getByRole('dialog', { name: 'Ghi nhận bất thường' });
    const confirm = within(ack).getByRole('button', { name: 'Ghi nhận' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await user.type(within(ack).getByLabelText('Ghi chú ghi nhận'), 'Đã gọi tổ bầu cử');
    await user.click(confirm);
    await expect
      .poll(() => app.calls.filter((c) => c.method === 'POST').map((c) => c.url.pathname))
      .toEqual(['/api/v1/anomalies/a-crit/dismiss', '/api/v1/anomalies/a-low/acknowledge']);
  });

  it('lets the auditor read anomalies without acting on them', async () => {
    renderApp({
      session: sessionFor('auditor'),
      path: '/anomalies',
      routes: { 'GET /anomalies': anomalies },
    });
    await screen.findByText('Critical one');
    expect(screen.queryByRole('button', { name: 'Ghi nhận' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Bỏ qua' })).toBeNull();
  });
});

describe('audit', () => {
  it('opens the log at the evidence with the filters of the link, hashes truncated', async () => {
    const app = renderApp({
      session: sessionFor('auditor'),
      path: '/audit?streamId=turnout-pa-0042&fromPosition=1234&highlight=a-crit-ev',
      routes: { 'GET /events': events },
    });
    const row = (await screen.findByText('TurnoutReported')).closest('tr');
    expect(row?.className).toBe('highlight');
    expect(
      within(row as HTMLElement)
        .getByText('abababab…abab')
        .getAttribute('title'),
    ).toBe(hash);
    const call = app.calls.find((c) => c.url.pathname === '/api/v1/events');
    expect(call?.url.searchParams.get('streamId')).toBe('turnout-pa-0042');
    expect(call?.url.searchParams.get('fromPosition')).toBe('1234');
  });

  it('verifies the chain on demand and shows a broken one', async () => {
    const app = renderApp({
      session: sessionFor('auditor'),
      path: '/audit',
      routes: {
        'GET /events': events,
        'GET /ledger/verify': {
          ok: false,
          checkedFrom: 1,
          checkedTo: 5_000,
          headHash: hash,
          firstBadPosition: 1_234,
        },
      },
    });
    await screen.findByText('TurnoutReported');
    expect(app.calls.some((c) => c.url.pathname === '/api/v1/ledger/verify')).toBe(false);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Kiểm tra chuỗi băm' }));
    expect(await screen.findByText('Chuỗi bị sửa đổi')).toBeTruthy();
    expect(screen.getByText('Sai lệch đầu tiên ở vị trí 1.234')).toBeTruthy();
  });

  it('shows a refused verification as its problem', async () => {
    renderApp({
      session: sessionFor('admin'),
      path: '/audit',
      routes: {
        'GET /events': events,
        'GET /ledger/verify': () =>
          problem(503, 'LEDGER_UNAVAILABLE', 'The ledger does not answer.'),
      },
    });
    await screen.findByText('TurnoutReported');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Kiểm tra chuỗi băm' }));
    expect((await screen.findByRole('alert')).textContent).toContain('LEDGER_UNAVAILABLE');
  });
});
