// The commune and polling-area pages: areas behind this round first, check-ins against the team's
// report, minutes per level (received, corrected, missing), and errors shown as problems.
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { PollingAreaDetail, PollingAreaSummary } from '../api/types.js';
import { commune, emptyTimeline, morningTimeline } from '../test-support/fixtures.js';
import { problem, renderApp, sessionFor } from '../test-support/render-app.js';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

function summary(
  pollingAreaId: string,
  lastReportAsOf: string | null,
  votersVoted: number,
  checkIns: number,
): PollingAreaSummary {
  return {
    pollingAreaId,
    communeId: 'c-an-bien',
    name: `Khu vực ${pollingAreaId}`,
    votersOnList: 1_000,
    units: { na: 'na-1', city: 'city-1', commune: 'cm-1' },
    status: lastReportAsOf === null ? 'not_opened' : 'open',
    reported: lastReportAsOf !== null,
    lastReportAsOf,
    votersVoted,
    turnoutPct: votersVoted / 10,
    checkIns,
    minutesReceived: 0,
  };
}

const at = (time: string): string => `2026-03-15T${time}:00+07:00`;

function detail(extra: Partial<PollingAreaDetail> = {}): PollingAreaDetail {
  return {
    asOfPosition: 812,
    pollingAreaId: 'pa-0042',
    communeId: 'c-an-bien',
    name: 'Khu vực bỏ phiếu số 42',
    units: { na: 'na-1', city: 'city-1', commune: 'cm-1' },
    votersOnList: 1_000,
    status: 'closed',
    openedAt: at('07:00'),
    closedAt: at('19:00'),
    lastReportAsOf: at('19:00'),
    turnoutReports: 5,
    votersVoted: 990,
    turnoutPct: 99,
    checkIns: 990,
    checkInsRefused: 0,
    minutes: [],
    ...extra,
  };
}

describe('commune page', () => {
  it('lists the areas that have not reported this round first, with check-ins against reports', async () => {
    const app = renderApp({
      session: sessionFor('ops'),
      path: '/communes/c-an-bien',
      routes: {
        'GET /turnout/timeline': morningTimeline,
        'GET /communes/c-an-bien': {
          ...commune('c-an-bien', 'Phường An Biên', 60, 3, 1),
          asOfPosition: 90,
        },
        'GET /polling-areas': {
          asOfPosition: 90,
          pollingAreas: [
            summary('pa-0001', at('11:00'), 600, 600),
            summary('pa-0002', at('09:00'), 300, 280),
            summary('pa-0003', null, 0, 0),
          ],
        },
        'GET /incidents': { asOfPosition: 90, incidents: [] },
        'GET /anomalies': { asOfPosition: 90, anomalies: [] },
      },
    });
    expect(await screen.findByRole('heading', { name: 'Phường An Biên' })).toBeTruthy();
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual([
      'pa-0002Khu vực pa-0002',
      'pa-0003Khu vực pa-0003',
      'pa-0001Khu vực pa-0001',
    ]);
    expect(within(rows[0] as HTMLElement).getByText('Chưa báo cáo đợt này')).toBeTruthy();
    // 300 reported, 280 checked in: a gap of 20.
    expect(within(rows[0] as HTMLElement).getByText('20')).toBeTruthy();
    expect(screen.getByText('2 khu vực chưa báo cáo')).toBeTruthy();
    const asked = app.calls.find((c) => c.url.pathname === '/api/v1/communes/c-an-bien');
    expect(asked?.url.searchParams.get('round')).toBe('11:00');
  });

  it('shows a commune outside the scope as its problem', async () => {
    renderApp({
      session: sessionFor('ops'),
      path: '/communes/nowhere',
      routes: {
        'GET /turnout/timeline': emptyTimeline,
        'GET /communes/nowhere': () => problem(404, 'NOT_FOUND', 'No commune nowhere.'),
        'GET /polling-areas': () => problem(404, 'NOT_FOUND', 'No commune nowhere.'),
        'GET /incidents': { asOfPosition: 1, incidents: [] },
        'GET /anomalies': { asOfPosition: 1, anomalies: [] },
      },
    });
    const alerts = await screen.findAllByRole('alert');
    expect(alerts[0]?.textContent).toContain('NOT_FOUND');
  });
});

describe('polling area page', () => {
  it('says the check-ins match a closed area whose every minute is in, one corrected', async () => {
    renderApp({
      session: sessionFor('reporter', { communeId: 'c-an-bien', pollingAreaId: 'pa-0042' }),
      path: '/areas/pa-0042',
      routes: {
        'GET /turnout/timeline': emptyTimeline,
        'GET /polling-areas/pa-0042': detail({
          minutes: [
            {
              level: 'na',
              unitId: 'na-1',
              version: 1,
              votersVoted: 990,
              ballotsReceived: 990,
              validBallots: 980,
              invalidBallots: 10,
              submittedAt: at('20:10'),
              correctedAt: null,
              correctionReason: null,
            },
            {
              level: 'city',
              unitId: 'city-1',
              version: 2,
              votersVoted: 990,
              ballotsReceived: 990,
              validBallots: 975,
              invalidBallots: 15,
              submittedAt: at('20:20'),
              correctedAt: at('21:05'),
              correctionReason: 'Cộng nhầm',
            },
          ],
        }),
      },
    });
    expect(await screen.findByTestId('checkins-verdict')).toBeTruthy();
    expect(screen.getByTestId('checkins-verdict').textContent).toContain(
      'Số lượt quét thẻ khớp với số tổ bầu cử báo cáo.',
    );
    expect(screen.getByText('Đã nhận lúc 20:10')).toBeTruthy();
    expect(screen.getByText('Đã đính chính lần 2 lúc 21:05: Cộng nhầm')).toBeTruthy();
    expect(screen.getByText('Chưa nhận')).toBeTruthy();
    expect(screen.getByText('Đã kết thúc')).toBeTruthy();
    expect(screen.getByTestId('as-of').textContent).toContain('812');
  });

  it('says by how many the team’s report runs ahead of the check-ins', async () => {
    renderApp({
      session: sessionFor('ops'),
      path: '/areas/pa-0042',
      routes: {
        'GET /turnout/timeline': emptyTimeline,
        'GET /polling-areas/pa-0042': detail({ checkIns: 950, checkInsRefused: 3 }),
        'GET /incidents': { asOfPosition: 1, incidents: [] },
        'GET /anomalies': { asOfPosition: 1, anomalies: [] },
      },
    });
    const verdict = await screen.findByTestId('checkins-verdict');
    expect(verdict.textContent).toContain('Tổ bầu cử báo cáo nhiều hơn số lượt quét thẻ 40 người.');
    expect(verdict.textContent).toContain('lượt quét thẻ bị từ chối: 3');
  });

  it('shows an area that has not opened, with nothing reported yet (an empty day)', async () => {
    renderApp({
      session: sessionFor('reporter', { communeId: 'c-an-bien', pollingAreaId: 'pa-0042' }),
      path: '/areas/pa-0042',
      routes: {
        'GET /turnout/timeline': emptyTimeline,
        'GET /polling-areas/pa-0042': detail({
          status: 'not_opened',
          openedAt: null,
          closedAt: null,
          lastReportAsOf: null,
          turnoutReports: 0,
          votersVoted: 0,
          turnoutPct: 0,
          checkIns: 0,
        }),
      },
    });
    expect(await screen.findByText('Chưa mở')).toBeTruthy();
    expect(screen.getAllByText('Chưa nhận')).toHaveLength(3);
    expect(screen.getByText('Chưa có báo cáo tỷ lệ đi bầu nào.')).toBeTruthy();
  });
});
