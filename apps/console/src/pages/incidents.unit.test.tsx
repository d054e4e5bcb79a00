// The incidents board: a column per status, only the legal transitions offered, the dialogs that
// need a text, bulk acknowledge, and no triage for roles that may only read.
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { incidents } from '../test-support/fixtures.js';
import { renderApp, sessionFor } from '../test-support/render-app.js';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const answer = { eventIds: ['e'], position: 77_001 };
const routes = {
  'GET /incidents': incidents,
  'POST /incidents/i-rep/acknowledge': answer,
  'POST /incidents/i-rep2/acknowledge': answer,
  'POST /incidents/i-reo/acknowledge': answer,
  'POST /incidents/i-ack/assign': answer,
  'POST /incidents/i-res/reopen': answer,
};

function actionsOf(incidentId: string): string[] {
  const card = screen.getByTestId(`incident-${incidentId}`);
  return within(card)
    .getAllByRole('button')
    .map((b) => b.textContent ?? '');
}

describe('incidents board', () => {
  it('offers only the legal transitions from each status, and notes always', async () => {
    renderApp({ session: sessionFor('police'), path: '/incidents', routes });
    await screen.findByTestId('incident-i-rep');
    expect(actionsOf('i-rep')).toEqual(['Tiếp nhận', 'Thêm ghi chú']);
    expect(actionsOf('i-ack')).toEqual(['Giao xử lý', 'Đã giải quyết', 'Thêm ghi chú']);
    expect(actionsOf('i-asg')).toEqual(['Giao xử lý', 'Đã giải quyết', 'Thêm ghi chú']);
    expect(actionsOf('i-res')).toEqual(['Mở lại', 'Thêm ghi chú']);
    expect(actionsOf('i-reo')).toEqual(['Tiếp nhận', 'Giao xử lý', 'Thêm ghi chú']);
    for (const status of ['Mới báo cáo', 'Đã tiếp nhận', 'Đang xử lý', 'Đã giải quyết', 'Mở lại']) {
      expect(screen.getByRole('heading', { name: new RegExp(`^${status} \\(`) })).toBeTruthy();
    }
    expect(screen.getByRole('heading', { name: 'Mới báo cáo (2)' })).toBeTruthy();
    expect(
      within(screen.getByTestId('incident-i-asg')).getByText('Đang xử lý: Đội CSCĐ 1'),
    ).toBeTruthy();
  });

  it('assigns through a dialog that needs the unit and focuses it', async () => {
    const app = renderApp({ session: sessionFor('police'), path: '/incidents', routes });
    await screen.findByTestId('incident-i-ack');
    const user = userEvent.setup();
    await user.click(
      within(screen.getByTestId('incident-i-ack')).getByRole('button', { name: 'Giao xử lý' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Giao sự cố cho lực lượng' });
    const confirm = within(dialog).getByRole('button', { name: 'Giao xử lý' });
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    expect(document.activeElement).toBe(within(dialog).getByLabelText('Lực lượng / đơn vị'));
    await user.type(within(dialog).getByLabelText('Lực lượng / đơn vị'), 'Công an phường An Biên');
    await user.click(confirm);
    expect(app.calls.find((c) => c.method === 'POST')).toMatchObject({
      url: expect.objectContaining({ pathname: '/api/v1/incidents/i-ack/assign' }),
      body: { unit: 'Công an phường An Biên' },
    });
    expect(await screen.findByTestId('incident-i-res')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('closes a dialog with Escape without sending anything', async () => {
    const app = renderApp({ session: sessionFor('police'), path: '/incidents', routes });
    await screen.findByTestId('incident-i-res');
    const user = userEvent.setup();
    await user.click(
      within(screen.getByTestId('incident-i-res')).getByRole('button', { name: 'Mở lại' }),
    );
    expect(screen.getByRole('dialog')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(app.calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('acknowledges the selected incidents in bulk', async () => {
    const app = renderApp({ session: sessionFor('police'), path: '/incidents', routes });
    await screen.findByTestId('incident-i-rep');
    const user = userEvent.setup();
    // Only incidents that can be acknowledged can be selected.
    expect(within(screen.getByTestId('incident-i-ack')).queryByRole('checkbox')).toBeNull();
    await user.click(screen.getByRole('checkbox', { name: 'Chọn sự cố i-rep' }));
    await user.click(screen.getByRole('checkbox', { name: 'Chọn sự cố i-reo' }));
    await user.click(screen.getByRole('button', { name: 'Tiếp nhận các sự cố đã chọn (2)' }));
    await expect
      .poll(() => app.calls.filter((c) => c.method === 'POST').map((c) => c.url.pathname))
      .toEqual(['/api/v1/incidents/i-rep/acknowledge', '/api/v1/incidents/i-reo/acknowledge']);
  });

  it('filters by category on the board and by severity at the API', async () => {
    const app = renderApp({ session: sessionFor('police'), path: '/incidents', routes });
    await screen.findByTestId('incident-i-rep');
    const user = userEvent.setup();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Loại' }), 'weather');
    expect(screen.queryByTestId('incident-i-rep')).toBeNull();
    expect(screen.getByTestId('incident-i-rep2')).toBeTruthy();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Mức độ' }), 'critical');
    await expect
      .poll(() => app.calls.some((c) => c.url.searchParams.get('severity') === 'critical'))
      .toBe(true);
  });

  it('shows the board without triage actions to the operations centre', async () => {
    renderApp({ session: sessionFor('ops'), path: '/incidents', routes });
    await screen.findByTestId('incident-i-rep');
    expect(within(screen.getByTestId('incident-i-rep')).queryAllByRole('button')).toHaveLength(0);
    expect(screen.queryByRole('button', { name: /Tiếp nhận các sự cố/ })).toBeNull();
  });
});
