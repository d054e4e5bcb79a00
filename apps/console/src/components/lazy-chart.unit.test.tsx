// The chart failing to load or draw leaves a sentence in its place and is tried again later; the
// page around it keeps working.
import { act, cleanup, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createI18n } from '../i18n/i18n.js';
import { chartRetryMs, LazyTurnoutChart } from './lazy-chart.js';

let attempts = 0;
vi.mock('./turnout-chart.js', () => ({
  TurnoutChart: () => {
    attempts += 1;
    throw new Error('Failed to fetch dynamically imported module');
  },
}));

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('the lazy turnout chart', () => {
  it('shows a sentence instead of a chart that failed, and tries again a little later', async () => {
    // React reports the caught error on the console; it is expected here.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.useFakeTimers({ shouldAdvanceTime: true });
    render(
      <I18nextProvider i18n={createI18n('vi')}>
        <p>Số liệu</p>
        <LazyTurnoutChart
          points={[{ at: '2026-03-15T09:00:00+07:00', votersVoted: 10, turnoutPct: 1 }]}
        />
      </I18nextProvider>,
    );
    expect(await screen.findByText(/Chưa tải được biểu đồ; sẽ tự thử lại/)).toBeTruthy();
    expect(screen.getByText('Số liệu')).toBeTruthy();
    const before = attempts;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(chartRetryMs + 100);
    });
    await expect.poll(() => attempts).toBeGreaterThan(before);
    expect(await screen.findByText(/Chưa tải được biểu đồ/)).toBeTruthy();
  });

  it('says there is nothing yet on an empty day', () => {
    render(
      <I18nextProvider i18n={createI18n('vi')}>
        <LazyTurnoutChart points={[]} />
      </I18nextProvider>,
    );
    expect(screen.getByText('Chưa có báo cáo tỷ lệ đi bầu nào.')).toBeTruthy();
  });
});
