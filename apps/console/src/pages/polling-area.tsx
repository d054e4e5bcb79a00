// One polling area: its status, its turnout reports over the day against card check-ins, its
// counting minutes per level, and its anomalies and incidents. A reporter's whole console.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { usePollingArea } from '../api/queries.js';
import { levels } from '../api/types.js';
import { AsOf } from '../components/as-of.js';
import { Kpi } from '../components/kpi.js';
import { LazyTurnoutChart } from '../components/lazy-chart.js';
import { Loading, ProblemView } from '../components/problem-view.js';
import { formatNumber, formatPct, formatTime } from '../format.js';
import { ScopedIssues } from './scoped-lists.js';

export function PollingAreaPage(): ReactNode {
  const { pollingAreaId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const area = usePollingArea(pollingAreaId);
  const n = (x: number): string => formatNumber(x, i18n.language);
  const a = area.data;
  const pct = (voted: number): number =>
    a === undefined || a.votersOnList === 0 ? 0 : (100 * voted) / a.votersOnList;

  return (
    <section aria-labelledby="area-title">
      <h1 id="area-title">{t('area.title', { id: pollingAreaId })}</h1>
      {area.error !== null ? <ProblemView error={area.error} /> : null}
      {a === undefined ? (
        area.isPending ? (
          <Loading />
        ) : null
      ) : (
        <>
          <AsOf position={a.asOfPosition} updatedAt={area.dataUpdatedAt} />
          <div className="kpis">
            <Kpi label={t('area.status')} value={t(`areaStatus.${a.status}`)} />
            <Kpi
              label={t('area.reported')}
              value={n(a.votersVoted)}
              sub={t('overview.ofVotersOnList', { total: n(a.votersOnList) })}
            />
            <Kpi
              label={t('overview.turnout')}
              value={formatPct(pct(a.votersVoted), i18n.language)}
            />
            <Kpi
              label={t('area.checkIns')}
              value={n(a.checkIns)}
              sub={t('area.gapSub', { gap: n(a.votersVoted - a.checkIns) })}
              tone={a.votersVoted === a.checkIns ? 'ok' : 'warn'}
            />
            <Kpi
              label={t('area.opened')}
              value={a.openedAt === null ? '—' : formatTime(a.openedAt, i18n.language)}
            />
            <Kpi
              label={t('area.closed')}
              value={a.closedAt === null ? '—' : formatTime(a.closedAt, i18n.language)}
            />
          </div>
          <h2>{t('area.minutes')}</h2>
          <ul className="plain-list">
            {levels.map((level) => (
              <li key={level}>
                {t(`level.${level}`)}: <strong>{t(`minuteState.${a.minutes[level]}`)}</strong>
              </li>
            ))}
          </ul>
          <h2>{t('overview.timeline')}</h2>
          <LazyTurnoutChart
            points={a.reports.map((r) => ({
              at: r.asOf,
              votersVoted: r.votersVoted,
              turnoutPct: pct(r.votersVoted),
            }))}
          />
          <ScopedIssues communeId={a.communeId} pollingAreaId={a.pollingAreaId} />
        </>
      )}
    </section>
  );
}
