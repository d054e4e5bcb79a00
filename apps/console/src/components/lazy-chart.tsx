// The turnout chart, loaded on demand so Recharts is not in the first bundle; an empty day shows
// a sentence instead of an empty chart. If its chunk cannot be fetched (the gateway restarting,
// a phone losing the network) the page keeps working without it and tries again a little later.
import { Component, lazy, Suspense, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimelinePoint } from '../api/types.js';

const loadChart = async () => ({ default: (await import('./turnout-chart.js')).TurnoutChart });

/** Retry the chunk after this long; a wall screen has nobody to press a button. */
export const chartRetryMs = 5_000;

class ChartBoundary extends Component<
  { readonly fallback: ReactNode; readonly onFailed: () => void; readonly children: ReactNode },
  { readonly failed: boolean }
> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(): void {
    this.props.onFailed();
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

export function LazyTurnoutChart(props: { readonly points: readonly TimelinePoint[] }): ReactNode {
  const { t } = useTranslation();
  // A new lazy component per attempt: React keeps a failed import's rejection for good.
  const [attempt, setAttempt] = useState(() => ({ n: 0, Chart: lazy(loadChart) }));
  if (props.points.length === 0) return <p className="empty">{t('overview.noTimeline')}</p>;
  const Chart = attempt.Chart;
  return (
    <ChartBoundary
      key={attempt.n}
      fallback={<p className="notice">{t('overview.chartUnavailable')}</p>}
      onFailed={() =>
        setTimeout(() => setAttempt((a) => ({ n: a.n + 1, Chart: lazy(loadChart) })), chartRetryMs)
      }
    >
      <Suspense fallback={<p className="loading">{t('common.loading')}</p>}>
        <Chart points={props.points} />
      </Suspense>
    </ChartBoundary>
  );
}
