// Signing in, each role's navigation and scope, the language switch, and the banner shown while
// the live feed is down.
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { commune, emptyDay, emptyTimeline } from './test-support/fixtures.js';
import { FakeEventSource, problem, renderApp, sessionFor } from './test-support/render-app.js';

afterEach(() => {
  cleanup();
  localStorage.clear();
  FakeEventSource.last = undefined;
});

const area = {
  asOfPosition: 40,
  pollingAreaId: 'pa-0042',
  communeId: 'c-an-bien',
  name: 'Khu vực bỏ phiếu số 42',
  votersOnList: 1_200,
  units: { na: 'na-1', city: 'city-1', commune: 'cm-1' },
  status: 'open',
  reported: true,
  votersVoted: 300,
  turnoutPct: 25,
  checkIns: 298,
  checkInsRefused: 0,
  lastReportAsOf: '2026-03-15T09:00:00+07:00',
  turnoutReports: 1,
  openedAt: '2026-03-15T07:00:00+07:00',
  closedAt: null,
  minutesReceived: 0,
  minutes: [],
};

const routes = {
  'GET /overview': emptyDay,
  'GET /turnout/timeline': emptyTimeline,
  'GET /polling-areas/pa-0042': area,
  'GET /events': { asOfPosition: 40, events: [] },
};

function navLinks(): string[] {
  const nav = screen.getByRole('navigation', { name: 'Điều hướng chính' });
  return within(nav)
    .getAllByRole('link')
    .map((a) => a.textContent ?? '');
}

describe('sign-in', () => {
  it('signs in with username and password and keeps the session for a reload', async () => {
    const app = renderApp({
      routes: {
        ...routes,
        'POST /auth/token': {
          accessToken: 'abc',
          tokenType: 'Bearer',
          expiresIn: 3600,
          role: 'ops',
          scope: {},
        },
      },
    });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Tên đăng nhập'), 'ops');
    await user.type(screen.getByLabelText('Mật khẩu'), 'election-day-2026');
    await user.click(screen.getByRole('button', { name: 'Đăng nhập' }));
    expect(await screen.findByRole('heading', { name: 'Tổng quan toàn thành phố' })).toBeTruthy();
    expect(app.calls[0]?.body).toEqual({ username: 'ops', password: 'election-day-2026' });
    await expect
      .poll(() => app.calls.find((c) => c.url.pathname === '/api/v1/overview'))
      .toBeTruthy();
    expect(JSON.parse(localStorage.getItem('hpe.console.session') ?? '{}')).toMatchObject({
      role: 'ops',
      accessToken: 'abc',
    });
  });

  it('takes the police to the incidents board when they sign in', async () => {
    renderApp({
      routes: {
        ...routes,
        'GET /incidents': { asOfPosition: 1, incidents: [] },
        'GET /communes': { asOfPosition: 1, communes: [] },
        'POST /auth/token': {
          accessToken: 'p',
          tokenType: 'Bearer',
          expiresIn: 3600,
          role: 'police',
          scope: {},
        },
      },
    });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Tên đăng nhập'), 'police');
    await user.type(screen.getByLabelText('Mật khẩu'), 'election-day-2026');
    await user.click(screen.getByRole('button', { name: 'Đăng nhập' }));
    expect(await screen.findByRole('heading', { name: 'Bảng sự cố' })).toBeTruthy();
  });

  it('shows a refused sign-in with its code', async () => {
    renderApp({
      routes: {
        'POST /auth/token': () =>
          problem(401, 'UNAUTHENTICATED', 'Unknown username or wrong password.'),
      },
    });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Tên đăng nhập'), 'x');
    await user.type(screen.getByLabelText('Mật khẩu'), 'y');
    await user.click(screen.getByRole('button', { name: 'Đăng nhập' }));
    expect((await screen.findByRole('alert')).textContent).toContain('UNAUTHENTICATED');
  });
});

describe('navigation by role', () => {
  it('shows the auditor the event log and no triage pages it cannot use', async () => {
    renderApp({ session: sessionFor('auditor'), routes });
    await screen.findByRole('heading', { name: 'Tổng quan toàn thành phố' });
    expect(navLinks()).toEqual([
      'Tổng quan',
      'Xã/phường/đặc khu',
      'Kết quả',
      'Bất thường',
      'Sự cố',
      'Nhật ký sự kiện',
    ]);
  });

  it('shows the operations centre no event log, and sends it home from /audit', async () => {
    renderApp({ session: sessionFor('ops'), routes, path: '/audit' });
    expect(await screen.findByRole('heading', { name: 'Tổng quan toàn thành phố' })).toBeTruthy();
    expect(navLinks()).not.toContain('Nhật ký sự kiện');
  });

  it('keeps a reporter to their own polling area', async () => {
    const app = renderApp({
      session: sessionFor(
        'reporter',
        { communeId: 'c-an-bien', pollingAreaId: 'pa-0042' },
        'pa-pa-0042',
      ),
      routes,
      path: '/audit',
    });
    expect(await screen.findByRole('heading', { name: 'Khu vực bỏ phiếu pa-0042' })).toBeTruthy();
    expect(navLinks()).toEqual(['Khu vực bỏ phiếu của tôi']);
    expect(screen.queryByRole('link', { name: 'Kết quả' })).toBeNull();
    expect((await screen.findAllByText('298')).length).toBeGreaterThan(0);
    expect(screen.getByTestId('checkins-verdict').textContent).toContain('2');
    // Neither the city overview nor the log was asked for.
    expect(app.calls.map((c) => c.url.pathname)).not.toContain('/api/v1/overview');
    expect(app.calls.map((c) => c.url.pathname)).not.toContain('/api/v1/events');
  });

  it('sends a reporter who opens another area back to their own', async () => {
    renderApp({
      session: sessionFor('reporter', { communeId: 'c-an-bien', pollingAreaId: 'pa-0042' }),
      routes,
      path: '/areas/pa-0099',
    });
    expect(await screen.findByRole('heading', { name: 'Khu vực bỏ phiếu pa-0042' })).toBeTruthy();
  });

  it('keeps a commune account to its own commune', async () => {
    const detail = { ...commune('c-an-bien', 'Phường An Biên', 50, 4, 4), asOfPosition: 40 };
    const app = renderApp({
      session: sessionFor('commune', { communeId: 'c-an-bien' }),
      path: '/communes/c-kien-an',
      routes: {
        ...routes,
        'GET /communes/c-an-bien': detail,
        'GET /polling-areas': { asOfPosition: 40, pollingAreas: [area] },
        'GET /incidents': { asOfPosition: 40, incidents: [] },
      },
    });
    expect(await screen.findByRole('heading', { name: 'Phường An Biên' })).toBeTruthy();
    expect(navLinks()).toEqual(['Xã/phường của tôi', 'Kết quả', 'Sự cố']);
    expect(await screen.findByText('Biên bản kiểm phiếu đã nhận')).toBeTruthy();
    expect(await screen.findByRole('link', { name: 'pa-0042' })).toBeTruthy();
    expect(app.calls.map((c) => c.url.pathname)).not.toContain('/api/v1/communes/c-kien-an');
    // Anomalies are not the commune's to read; its incidents are.
    expect(app.calls.map((c) => c.url.pathname)).not.toContain('/api/v1/anomalies');
    expect(
      app.calls
        .find((c) => c.url.pathname === '/api/v1/incidents')
        ?.url.searchParams.get('communeId'),
    ).toBe('c-an-bien');
  });

  it('gives the police the incidents board first', async () => {
    renderApp({
      session: sessionFor('police'),
      routes: { ...routes, 'GET /incidents': { asOfPosition: 1, incidents: [] } },
    });
    await screen.findByRole('heading', { name: 'Tổng quan toàn thành phố' });
    expect(navLinks()[0]).toBe('Sự cố');
    expect(navLinks()).not.toContain('Nhật ký sự kiện');
  });
});

describe('language', () => {
  it('switches to English and remembers it', async () => {
    renderApp({ session: sessionFor('ops'), routes });
    await screen.findByRole('heading', { name: 'Tổng quan toàn thành phố' });
    expect(await screen.findByText('0 / 2.577 khu vực đã báo cáo')).toBeTruthy();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'English' }));
    expect(await screen.findByRole('heading', { name: 'City overview' })).toBeTruthy();
    expect(screen.getByText('0 of 2,577 areas reporting')).toBeTruthy();
    expect(screen.getByText('of 3,189,339 voters on the lists')).toBeTruthy();
    expect(localStorage.getItem('hpe.console.language')).toBe('en');
    await user.click(screen.getByRole('button', { name: 'Tiếng Việt' }));
    expect(await screen.findByRole('heading', { name: 'Tổng quan toàn thành phố' })).toBeTruthy();
  });
});

describe('live connection', () => {
  it('opens /live with the token as a query parameter and shows a lost connection until it recovers', async () => {
    renderApp({ session: sessionFor('ops'), routes });
    await screen.findByRole('heading', { name: 'Tổng quan toàn thành phố' });
    const source = FakeEventSource.last;
    if (source === undefined) throw new Error('no EventSource opened');
    expect(source.url).toBe('/api/v1/live?access_token=token-ops');
    act(() => source.open());
    expect(screen.queryByText(/Mất kết nối cập nhật trực tiếp/)).toBeNull();
    expect(screen.getByText('Trực tuyến')).toBeTruthy();
    act(() => source.drop());
    expect(screen.getByRole('alert').textContent).toContain('Mất kết nối cập nhật trực tiếp');
    act(() => source.open());
    expect(screen.queryByText(/Mất kết nối cập nhật trực tiếp/)).toBeNull();
  });

  it('refreshes the overview once the read models have applied a committed turnout event', async () => {
    let served = 0;
    renderApp({
      session: sessionFor('ops'),
      routes: {
        ...routes,
        'GET /overview': () => {
          served += 1;
          return served === 1 ? emptyDay : { ...emptyDay, asOfPosition: 2_701, votersVoted: 512 };
        },
      },
    });
    await screen.findByRole('heading', { name: 'Tổng quan toàn thành phố' });
    await screen.findByText('trên 3.189.339 cử tri trong danh sách');
    const source = FakeEventSource.last;
    if (source === undefined) throw new Error('no EventSource opened');
    act(() =>
      source.emit('committed', {
        position: 2_701,
        type: 'TurnoutReported',
        streamId: 'turnout-pa-0001',
      }),
    );
    // Committed is not yet projected: a refetch now would read the old figures.
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect(served).toBe(1);
    act(() => source.emit('projected', { position: 2_701 }));
    expect(await screen.findByText('512', {}, { timeout: 3_000 })).toBeTruthy();
    expect(screen.getByTestId('as-of').textContent).toContain('2.701');
  });
});
