// The city overview: who voted against the lists, turnout with "N of 2,577 areas reporting",
// areas opened / reported / closed, counting minutes received, open anomalies and incidents, and
// turnout over the day.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useOverview, useTimeline } from '../api/queries.js';
import { AsOf } from '../components/as-of.js';
import { Kpi } from '../components/kpi.js';
import { LazyTurnoutChart } from '../components/lazy-chart.js';
import { Loading, ProblemView } from '../components/problem-view.js';
import { formatNumber, formatPct } from '../format.js';

export function OverviewPage(): ReactNode {
  const { t, i18n } = useTranslation();
  const overview = useOverview();
  const timeline = useTimeline();
  const n = (x: number): string => formatNumber(x, i18n.language);

  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">{t('overview.title')}</h1>
      {overview.error !== null ? <ProblemView error={overview.error} /> : null}
      {overview.data === undefined ? (
        overview.isPending ? (
          <Loading />
        ) : null
      ) : (
        <>
          <AsOf position={overview.data.asOfPosition} updatedAt={overview.dataUpdatedAt} />
          {overview.data.pollingAreas.reported === 0 ? (
            <p className="notice">{t('overview.nothingReported')}</p>
          ) : null}
          {overview.data.pollingAreas.total > 0 &&
          overview.data.pollingAreas.reported === overview.data.pollingAreas.total ? (
            <p className="notice notice-ok">{t('overview.allReported')}</p>
          ) : null}
          <div className="kpis">
            <Kpi
              label={t('overview.votersVoted')}
              value={n(overview.data.votersVoted)}
              sub={t('overview.ofVotersOnList', { total: n(overview.data.votersOnList) })}
            />
            <Kpi
              label={t('overview.turnout')}
              value={formatPct(overview.data.turnoutPct, i18n.language)}
              sub={t('common.areasReporting', {
                reported: n(overview.data.pollingAreas.reported),
                total: n(overview.data.pollingAreas.total),
              })}
            />
            <Kpi
              label={t('overview.checkIns')}
              value={n(overview.data.checkIns)}
              sub={t('overview.checkInsSub')}
            />
            {(['opened', 'reported', 'closed'] as const).map((stage) => (
              <Kpi
                key={stage}
                label={t(`overview.areas.${stage}`)}
                value={n(overview.data.pollingAreas[stage])}
                sub={t('overview.areasSub', { total: n(overview.data.pollingAreas.total) })}
              />
            ))}
            <Kpi
              label={t('overview.minutes')}
              value={`${n(overview.data.minutes.received)} / ${n(overview.data.minutes.expected)}`}
              sub={t('overview.minutesSub')}
            />
            <Kpi
              label={t('overview.anomaliesOpen')}
              value={n(overview.data.anomaliesOpen)}
              tone={overview.data.anomaliesOpen > 0 ? 'warn' : 'ok'}
            />
            <Kpi
              label={t('overview.incidentsOpen')}
              value={n(overview.data.incidentsOpen)}
              tone={overview.data.incidentsOpen > 0 ? 'alert' : 'ok'}
            />
          </div>
        </>
      )}
      <h2>{t('overview.timeline')}</h2>
      {timeline.error !== null ? <ProblemView error={timeline.error} /> : null}
      {timeline.data === undefined ? null : <LazyTurnoutChart points={timeline.data.points} />}
    </section>
  );
}
