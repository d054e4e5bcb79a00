// One commune: its figures, turnout over the day, minutes per level, each polling area with its
// check-ins against its reported turnout, and its anomalies and incidents.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useCommune, usePollingAreas, useTimeline } from '../api/queries.js';
import { levels } from '../api/types.js';
import { AsOf } from '../components/as-of.js';
import { Kpi } from '../components/kpi.js';
import { LazyTurnoutChart } from '../components/lazy-chart.js';
import { Loading, ProblemView } from '../components/problem-view.js';
import { formatNumber, formatPct, formatTime } from '../format.js';
import { missingThisRound } from './communes-view.js';
import { ScopedIssues } from './scoped-lists.js';

export function CommunePage(): ReactNode {
  const { communeId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const commune = useCommune(communeId);
  const areas = usePollingAreas(communeId);
  const timeline = useTimeline(communeId);
  const n = (x: number): string => formatNumber(x, i18n.language);
  const c = commune.data;

  return (
    <section aria-labelledby="commune-title">
      <h1 id="commune-title">{c?.name ?? t('commune.title')}</h1>
      {commune.error !== null ? <ProblemView error={commune.error} /> : null}
      {c === undefined ? (
        commune.isPending ? (
          <Loading />
        ) : null
      ) : (
        <>
          <AsOf position={c.asOfPosition} updatedAt={commune.dataUpdatedAt} />
          <div className="kpis">
            <Kpi
              label={t('overview.turnout')}
              value={formatPct(c.turnoutPct, i18n.language)}
              sub={t('common.areasReporting', {
                reported: n(c.pollingAreas.reported),
                total: n(c.pollingAreas.total),
              })}
            />
            <Kpi
              label={t('overview.votersVoted')}
              value={n(c.votersVoted)}
              sub={t('overview.ofVotersOnList', { total: n(c.votersOnList) })}
            />
            <Kpi
              label={t('communes.thisRound')}
              value={
                missingThisRound(c) > 0
                  ? t('communes.missing', { count: missingThisRound(c) })
                  : t('communes.upToDate')
              }
              tone={missingThisRound(c) > 0 ? 'warn' : 'ok'}
            />
            {levels.map((level) => (
              <Kpi
                key={level}
                label={t('commune.minutesOf', { level: t(`level.${level}`) })}
                value={`${n(c.minutesByLevel[level].received)} / ${n(c.minutesByLevel[level].expected)}`}
              />
            ))}
          </div>
        </>
      )}
      <h2>{t('overview.timeline')}</h2>
      {timeline.error !== null ? <ProblemView error={timeline.error} /> : null}
      {timeline.data === undefined ? null : <LazyTurnoutChart points={timeline.data.points} />}
      <h2>{t('commune.areas')}</h2>
      {areas.error !== null ? <ProblemView error={areas.error} /> : null}
      {areas.data === undefined ? null : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('area.id')}</th>
                <th scope="col">{t('area.status')}</th>
                <th scope="col">{t('area.reported')}</th>
                <th scope="col">{t('area.checkIns')}</th>
                <th scope="col">{t('area.gap')}</th>
                <th scope="col">{t('area.lastReport')}</th>
              </tr>
            </thead>
            <tbody>
              {areas.data.pollingAreas.map((a) => (
                <tr key={a.pollingAreaId}>
                  <th scope="row">
                    <Link to={`/areas/${a.pollingAreaId}`}>{a.pollingAreaId}</Link>
                  </th>
                  <td>{t(`areaStatus.${a.status}`)}</td>
                  <td>
                    {n(a.votersVoted)} / {n(a.votersOnList)}
                  </td>
                  <td>{n(a.checkIns)}</td>
                  <td>{n(a.votersVoted - a.checkIns)}</td>
                  <td>
                    {a.lastReportAt === null ? '—' : formatTime(a.lastReportAt, i18n.language)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ScopedIssues communeId={communeId} />
    </section>
  );
}
