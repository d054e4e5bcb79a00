// The turnout chart, loaded on demand so Recharts is not in the first bundle; an empty day shows
// a sentence instead of an empty chart.
import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimelinePoint } from '../api/types.js';

const TurnoutChart = lazy(async () => ({
  default: (await import('./turnout-chart.js')).TurnoutChart,
}));

export function LazyTurnoutChart(props: { readonly points: readonly TimelinePoint[] }): ReactNode {
  const { t } = useTranslation();
  if (props.points.length === 0) return <p className="empty">{t('overview.noTimeline')}</p>;
  return (
    <Suspense fallback={<p className="loading">{t('common.loading')}</p>}>
      <TurnoutChart points={props.points} />
    </Suspense>
  );
}
