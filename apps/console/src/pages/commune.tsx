// One commune: its figures, turnout over the day, counting minutes received, each polling area with
// its check-ins against its reported turnout (those behind this round first), and its anomalies
// and incidents.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useCommune, usePollingAreas, useTimeline } from '../api/queries.js';
import type { PollingAreaSummary } from '../api/types.js';
import { AsOf } from '../components/as-of.js';
import { Kpi } from '../components/kpi.js';
import { LazyTurnoutChart } from '../components/lazy-chart.js';
import { Loading, ProblemView } from '../components/problem-view.js';
import { formatNumber, formatPct, formatTime } from '../format.js';
import { missingThisRound } from './communes-view.js';
import { ScopedIssues } from './scoped-lists.js';
import { useCurrentRound } from './use-current-round.js';

/** Has the area sent a figure as of the round's time or later? (Always, before round one.) */
export function reportedInRound(area: PollingAreaSummary, roundAt: number | undefined): boolean {
  if (roundAt === undefined) return true;
  return area.lastReportAsOf !== null && Date.parse(area.lastReportAsOf) >= roundAt;
}

export function CommunePage(): ReactNode {
  const { communeId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const current = useCurrentRound(communeId);
  const commune = useCommune(communeId, current.round, current.known);
  const areas = usePollingAreas(communeId);
  const timeline = useTimeline({ communeId });
  const n = (x: number): string => formatNumber(x, i18n.language);
  const c = commune.data;
  const roundAt = c?.round === undefined ? undefined : Date.parse(c.round.at);
  const rows = [...(areas.data?.pollingAreas ?? [])].sort(
    (a, b) =>
      Number(reportedInRound(a, roundAt)) - Number(reportedInRound(b, roundAt)) ||
      a.pollingAreaId.localeCompare(b.pollingAreaId),
  );

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
              label={
                current.round === null
                  ? t('communes.thisRound')
                  : t('communes.roundLabel', { round: current.round })
              }
              value={
                current.round === null
                  ? t('communes.noRoundYet')
                  : missingThisRound(c) > 0
                    ? t('communes.missing', { count: missingThisRound(c) })
                    : t('communes.upToDate')
              }
              tone={missingThisRound(c) > 0 ? 'warn' : 'ok'}
            />
            <Kpi
              label={t('overview.checkIns')}
              value={n(c.checkIns)}
              sub={t('area.gapSub', { gap: n(c.votersVoted - c.checkIns) })}
            />
            <Kpi
              label={t('commune.minutes')}
              value={`${n(c.minutes.received)} / ${n(c.minutes.expected)}`}
              sub={t('commune.minutesSub')}
            />
            {c.cards === undefined ? null : (
              <Kpi
                label={t('commune.cards')}
                value={n(c.cards.delivered)}
                sub={t('commune.cardsSub', { total: n(c.cards.registered) })}
              />
            )}
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
                <th scope="col">{t('communes.thisRound')}</th>
                <th scope="col">{t('area.reported')}</th>
                <th scope="col">{t('area.checkIns')}</th>
                <th scope="col">{t('area.gap')}</th>
                <th scope="col">{t('area.lastReport')}</th>
                <th scope="col">{t('commune.minutesPerArea')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => {
                const inRound = reportedInRound(a, roundAt);
                return (
                  <tr key={a.pollingAreaId} className={inRound ? undefined : 'row-behind'}>
                    <th scope="row">
                      <Link to={`/areas/${a.pollingAreaId}`}>{a.pollingAreaId}</Link>
                      <span className="muted block">{a.name}</span>
                    </th>
                    <td>{t(`areaStatus.${a.status}`)}</td>
                    <td>{inRound ? t('communes.upToDate') : t('communes.behind')}</td>
                    <td>
                      {n(a.votersVoted)} / {n(a.votersOnList)} (
                      {formatPct(a.turnoutPct, i18n.language)})
                    </td>
                    <td>{n(a.checkIns)}</td>
                    <td>{n(a.votersVoted - a.checkIns)}</td>
                    <td>
                      {a.lastReportAsOf === null
                        ? '—'
                        : formatTime(a.lastReportAsOf, i18n.language)}
                    </td>
                    <td>{n(a.minutesReceived)} / 3</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <ScopedIssues communeId={communeId} />
    </section>
  );
}
