// The communes table: communes behind this round first, sortable columns, filters by name and
// by status; the tiles name their status in words.
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { commune, communes, emptyTimeline, morningTimeline } from '../test-support/fixtures.js';
import { problem, renderApp, sessionFor } from '../test-support/render-app.js';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

function rowNames(): string[] {
  const table = screen.getByRole('table');
  return within(table)
    .getAllByRole('rowheader')
    .map((cell) => cell.textContent ?? '');
}

async function renderCommunes(): Promise<ReturnType<typeof renderApp>> {
  const app = renderApp({
    session: sessionFor('ops'),
    path: '/communes',
    routes: { 'GET /communes': communes, 'GET /turnout/timeline': morningTimeline },
  });
  await screen.findByRole('table');
  return app;
}

describe('communes', () => {
  it('lists the communes that have not reported this round first, most missing first', async () => {
    const app = await renderCommunes();
    // The latest figure is as of 11:00 (a past day: the data's clock, not the wall's).
    const asked = app.calls.find((c) => c.url.pathname === '/api/v1/communes');
    expect(asked?.url.searchParams.get('round')).toBe('11:00');
    expect(screen.getByTestId('current-round').textContent).toContain('11:00');
    expect(rowNames()).toEqual([
      'Xã Tiên Lãng',
      'Phường Kiến An',
      'Đặc khu Bạch Long Vĩ',
      'Đặc khu Cát Hải',
      'Phường An Biên',
    ]);
    const first = screen.getByRole('row', { name: /Xã Tiên Lãng/ });
    expect(within(first).getByText('5 khu vực chưa báo cáo')).toBeTruthy();
    expect(screen.getByText('Hiển thị 5 / 5 xã/phường/đặc khu')).toBeTruthy();
  });

  it('sorts by turnout, and reverses on a second click', async () => {
    await renderCommunes();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: /^Tỷ lệ đi bầu/ }));
    expect(rowNames()[0]).toBe('Xã Tiên Lãng');
    expect(rowNames()[4]).toBe('Đặc khu Bạch Long Vĩ');
    expect(
      screen.getByRole('columnheader', { name: /^Tỷ lệ đi bầu/ }).getAttribute('aria-sort'),
    ).toBe('ascending');
    await user.click(screen.getByRole('button', { name: /^Tỷ lệ đi bầu/ }));
    expect(rowNames()[0]).toBe('Đặc khu Bạch Long Vĩ');
    expect(
      screen.getByRole('columnheader', { name: /^Tỷ lệ đi bầu/ }).getAttribute('aria-sort'),
    ).toBe('descending');
  });

  it('filters by name and by reporting status', async () => {
    await renderCommunes();
    const user = userEvent.setup();
    await user.type(screen.getByRole('searchbox', { name: 'Tìm theo tên' }), 'đặc khu');
    expect(rowNames()).toEqual(['Đặc khu Bạch Long Vĩ', 'Đặc khu Cát Hải']);
    await user.clear(screen.getByRole('searchbox', { name: 'Tìm theo tên' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Tình trạng' }), 'behind');
    expect(rowNames()).toEqual(['Xã Tiên Lãng', 'Phường Kiến An']);
    expect(screen.getByText('Hiển thị 2 / 5 xã/phường/đặc khu')).toBeTruthy();
  });

  it('puts nobody behind before the first round (an empty day)', async () => {
    const app = renderApp({
      session: sessionFor('ops'),
      path: '/communes',
      routes: {
        'GET /turnout/timeline': emptyTimeline,
        'GET /communes': {
          asOfPosition: 10,
          communes: [commune('b', 'Phường B', 0, 5, null), commune('a', 'Phường A', 0, 5, null)],
        },
      },
    });
    await screen.findByRole('table');
    expect(rowNames()).toEqual(['Phường A', 'Phường B']);
    expect(screen.queryByText(/khu vực chưa báo cáo/)).toBeNull();
    expect(screen.getByTestId('current-round').textContent).toBe('Chưa đến đợt báo cáo nào');
    const asked = app.calls.find((c) => c.url.pathname === '/api/v1/communes');
    expect(asked?.url.searchParams.has('round')).toBe(false);
  });

  it('shows every commune up to date when every area has reported this round', async () => {
    renderApp({
      session: sessionFor('ops'),
      path: '/communes',
      routes: {
        'GET /turnout/timeline': morningTimeline,
        'GET /communes': {
          asOfPosition: 10,
          communes: [commune('b', 'Phường B', 70, 5, 5), commune('a', 'Phường A', 68, 4, 4)],
        },
      },
    });
    await screen.findByRole('table');
    expect(within(screen.getByRole('table')).queryByText(/khu vực chưa báo cáo/)).toBeNull();
    expect(within(screen.getByRole('table')).getAllByText('Đã báo cáo đợt này')).toHaveLength(2);
    expect(screen.getAllByText('Đã báo cáo đợt này', { selector: '.tile-status' })).toHaveLength(2);
  });

  it('shows the problem when the communes cannot be read', async () => {
    renderApp({
      session: sessionFor('ops'),
      path: '/communes',
      routes: {
        'GET /turnout/timeline': morningTimeline,
        'GET /communes': () => problem(503, 'NOT_YET_VISIBLE', 'The read models are behind.'),
      },
    });
    expect((await screen.findByRole('alert')).textContent).toContain('NOT_YET_VISIBLE');
    expect(screen.queryByRole('table')).toBeNull();
  });
});
