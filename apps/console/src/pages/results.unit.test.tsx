// Results per level: bars and elected marks, the four outcomes, areas reporting, and a declare
// button for the admin only.
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Role } from '../api/types.js';
import { naResults } from '../test-support/fixtures.js';
import { renderApp, sessionFor } from '../test-support/render-app.js';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

function renderResults(role: Role) {
  return renderApp({
    session: sessionFor(role, role === 'commune' ? { communeId: 'c-an-bien' } : {}),
    path: '/results/na',
    routes: {
      'GET /results/na': naResults,
      'POST /results/na/na-1/declare': { eventIds: ['e1'], position: 900_001 },
    },
  });
}

function card(name: string): HTMLElement {
  return screen.getByRole('article', { name });
}

describe('results', () => {
  it('shows each outcome, elected marks and areas reporting', async () => {
    renderResults('ops');
    await screen.findByRole('article', { name: 'Đơn vị số 1' });
    const elected = card('Đơn vị số 1');
    expect(within(elected).getByText('Đã có người trúng cử')).toBeTruthy();
    expect(within(elected).getAllByText(/Trúng cử$/)).toHaveLength(3);
    expect(within(elected).getByText(/40 \/ 40 khu vực đã báo cáo/)).toBeTruthy();
    expect(within(elected).getByText('81.000 (81,0 %)')).toBeTruthy();

    const revote = card('Đơn vị số 2');
    expect(within(revote).getByText('Phải bầu lại')).toBeTruthy();
    expect(within(revote).queryByText(/Trúng cử$/)).toBeNull();

    const additional = card('Đơn vị số 3');
    expect(within(additional).getByText('Phải bầu thêm')).toBeTruthy();
    expect(within(additional).getAllByText(/Trúng cử$/)).toHaveLength(1);

    // A unit without a name in the reference falls back to its id.
    expect(within(card('na-4')).getByText('Đang kiểm phiếu')).toBeTruthy();
    expect(within(card('na-4')).getByText(/3 \/ 40 khu vực đã báo cáo/)).toBeTruthy();
  });

  it.each(['ops', 'police', 'auditor', 'commune'] as const)(
    'offers no declare to %s',
    async (role) => {
      renderResults(role);
      await screen.findByRole('article', { name: 'na-4' });
      expect(screen.queryByRole('button', { name: 'Công bố kết quả' })).toBeNull();
    },
  );

  it('lets the admin declare a decided unit after confirming, never one still counting', async () => {
    const app = renderResults('admin');
    await screen.findByRole('article', { name: 'Đơn vị số 1' });
    expect(within(card('na-4')).queryByRole('button', { name: 'Công bố kết quả' })).toBeNull();
    const user = userEvent.setup();
    await user.click(within(card('Đơn vị số 1')).getByRole('button', { name: 'Công bố kết quả' }));
    await user.click(within(card('Đơn vị số 1')).getByRole('button', { name: 'Xác nhận công bố' }));
    const post = app.calls.find((c) => c.method === 'POST');
    expect(post?.url.pathname).toBe('/api/v1/results/na/na-1/declare');
    // Read-your-writes: the refetch asks for the command's position.
    await screen.findByRole('article', { name: 'Đơn vị số 1' });
    await expect
      .poll(() => app.calls.some((c) => c.url.searchParams.get('minPosition') === '900001'))
      .toBe(true);
  });
});
