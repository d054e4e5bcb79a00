// The city overview on an empty day, with every area reported, and when the API fails.
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '@testing-library/react';
import { emptyDay, emptyTimeline, everyAreaReported } from '../test-support/fixtures.js';
import { problem, renderApp, sessionFor } from '../test-support/render-app.js';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

function tile(label: string): HTMLElement {
  const labelElement = screen.getByText(label, { selector: '.kpi-label' });
  const kpi = labelElement.closest('.kpi');
  if (!(kpi instanceof HTMLElement)) throw new Error(`no tile ${label}`);
  return kpi;
}

describe('overview', () => {
  it('shows an empty day as zeros of the real totals, with nothing reported', async () => {
    renderApp({
      session: sessionFor('ops'),
      routes: { 'GET /overview': emptyDay, 'GET /turnout/timeline': emptyTimeline },
    });
    expect(await screen.findByText('Chưa khu vực bỏ phiếu nào báo cáo.')).toBeTruthy();
    const turnout = tile('Tỷ lệ cử tri đi bầu');
    expect(within(turnout).getByText('0,0 %')).toBeTruthy();
    expect(within(turnout).getByText('0 / 2.577 khu vực đã báo cáo')).toBeTruthy();
    expect(
      within(tile('Cử tri đã bỏ phiếu')).getByText('trên 3.189.339 cử tri trong danh sách'),
    ).toBeTruthy();
    expect(within(tile('Biên bản kiểm phiếu đã nhận')).getByText('0 / 7.731')).toBeTruthy();
    expect(screen.getByText('Chưa có báo cáo tỷ lệ đi bầu nào.')).toBeTruthy();
    expect(screen.getByTestId('as-of').textContent).toMatch(/^Tính đến vị trí 2\.700 · cập nhật/);
  });

  it('shows every area reported with the running totals', async () => {
    renderApp({
      session: sessionFor('ops'),
      routes: { 'GET /overview': everyAreaReported, 'GET /turnout/timeline': emptyTimeline },
    });
    expect(await screen.findByText('Tất cả khu vực bỏ phiếu đã báo cáo.')).toBeTruthy();
    expect(screen.queryByText('Chưa khu vực bỏ phiếu nào báo cáo.')).toBeNull();
    expect(within(tile('Tỷ lệ cử tri đi bầu')).getByText('99,7 %')).toBeTruthy();
    expect(
      within(tile('Tỷ lệ cử tri đi bầu')).getByText('2.577 / 2.577 khu vực đã báo cáo'),
    ).toBeTruthy();
    expect(within(tile('Cử tri đã bỏ phiếu')).getByText('3.179.771')).toBeTruthy();
    expect(within(tile('Bất thường chưa xử lý')).getByText('3')).toBeTruthy();
    expect(within(tile('Sự cố đang mở')).getByText('1')).toBeTruthy();
    expect(within(tile('Khu vực đã kết thúc')).getByText('2.577')).toBeTruthy();
    expect(
      within(tile('Khu vực đã kết thúc')).getByText('trên tổng số 2.577 khu vực bỏ phiếu'),
    ).toBeTruthy();
    expect(screen.getByTestId('as-of').textContent).toContain('1.204.311');
  });

  it('shows a problem+json answer with its code instead of crashing', async () => {
    renderApp({
      session: sessionFor('ops'),
      routes: {
        'GET /overview': () =>
          problem(503, 'READ_MODEL_BEHIND', 'The read models are catching up.'),
        'GET /turnout/timeline': emptyTimeline,
      },
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('READ_MODEL_BEHIND');
    expect(alert.textContent).toContain('The read models are catching up.');
    expect(screen.getByRole('heading', { name: 'Tổng quan toàn thành phố' })).toBeTruthy();
  });

  it('signs out on a 401 and shows the sign-in form', async () => {
    renderApp({
      session: sessionFor('ops'),
      routes: {
        'GET /overview': () => problem(401, 'UNAUTHENTICATED', 'expired'),
        'GET /turnout/timeline': emptyTimeline,
      },
    });
    expect(await screen.findByRole('heading', { name: 'Đăng nhập' })).toBeTruthy();
  });
});
