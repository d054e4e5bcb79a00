// One polling area: its status, its reported turnout over the day against its card check-ins, its
// counting minutes per level, and its anomalies and incidents. A reporter's whole console.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { usePollingArea, useTimeline } from '../api/queries.js';
import { levels, type AreaMinute } from '../api/types.js';
import { AsOf } from '../components/as-of.js';
import { Kpi } from '../components/kpi.js';
import { LazyTurnoutChart } from '../components/lazy-chart.js';
import { Loading, ProblemView } from '../components/problem-view.js';
import { formatNumber, formatPct, formatTime } from '../format.js';
import { ScopedIssues } from './scoped-lists.js';

/** Check-ins against the team's figure, as two bars on one scale and a sentence. */
function CheckInsAgainstReport(props: {
  readonly reported: number;
  readonly checkIns: number;
  readonly refused: number;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const n = (x: number): string => formatNumber(x, i18n.language);
  const scale = Math.max(props.reported, props.checkIns, 1);
  const gap = props.reported - props.checkIns;
  return (
    <section aria-labelledby="checkins-title" className="compare">
      <h2 id="checkins-title">{t('area.checkInsAgainst')}</h2>
      <dl>
        <dt>{t('area.reported')}</dt>
        <dd>
          <span className="bar" aria-hidden="true">
            <span style={{ width: `${(100 * props.reported) / scale}%` }} />
          </span>
          {n(props.reported)}
        </dd>
        <dt>{t('area.checkIns')}</dt>
        <dd>
          <span className="bar bar-alt" aria-hidden="true">
            <span style={{ width: `${(100 * props.checkIns) / scale}%` }} />
          </span>
          {n(props.checkIns)}
        </dd>
      </dl>
      <p className={gap === 0 ? 'notice notice-ok' : 'notice'} data-testid="checkins-verdict">
        {gap === 0
          ? t('area.checkInsMatch')
          : gap > 0
            ? t('area.checkInsBehind', { gap: n(gap) })
            : t('area.checkInsAhead', { gap: n(-gap) })}{' '}
        {props.refused > 0 ? t('area.refused', { count: props.refused }) : null}
      </p>
    </section>
  );
}

function MinuteLine(props: { readonly minute: AreaMinute | undefined }): ReactNode {
  const { t, i18n } = useTranslation();
  const m = props.minute;
  if (m === undefined) return <>{t('minuteState.missing')}</>;
  if (m.correctedAt === null)
    return <>{t('minuteState.received', { time: formatTime(m.submittedAt, i18n.language) })}</>;
  return (
    <>
      {t('minuteState.corrected', {
        version: m.version,
        time: formatTime(m.correctedAt, i18n.language),
        reason: m.correctionReason ?? '',
      })}
    </>
  );
}

export function PollingAreaPage(): ReactNode {
  const { pollingAreaId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const area = usePollingArea(pollingAreaId);
  const timeline = useTimeline({ pollingAreaId });
  const n = (x: number): string => formatNumber(x, i18n.language);
  const a = area.data;

  return (
    <section aria-labelledby="area-title">
      <h1 id="area-title">
        {t('area.title', { id: pollingAreaId })}
        {a === undefined ? null : <span className="muted block subtitle">{a.name}</span>}
      </h1>
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
            <Kpi label={t('overview.turnout')} value={formatPct(a.turnoutPct, i18n.language)} />
            <Kpi
              label={t('area.checkIns')}
              value={n(a.checkIns)}
              sub={t('area.gapSub', { gap: n(a.votersVoted - a.checkIns) })}
              tone={a.votersVoted === a.checkIns ? 'ok' : 'warn'}
            />
            <Kpi
              label={t('area.lastReport')}
              value={a.lastReportAsOf === null ? '—' : formatTime(a.lastReportAsOf, i18n.language)}
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
          <CheckInsAgainstReport
            reported={a.votersVoted}
            checkIns={a.checkIns}
            refused={a.checkInsRefused}
          />
          <h2>{t('area.minutes')}</h2>
          <ul className="plain-list">
            {levels.map((level) => (
              <li key={level}>
                {t(`level.${level}`)}:{' '}
                <strong>
                  <MinuteLine minute={a.minutes.find((m) => m.level === level)} />
                </strong>
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{t('overview.timeline')}</h2>
      {timeline.error !== null ? <ProblemView error={timeline.error} /> : null}
      {timeline.data === undefined ? null : <LazyTurnoutChart points={timeline.data.points} />}
      {a === undefined ? null : (
        <ScopedIssues communeId={a.communeId} pollingAreaId={a.pollingAreaId} />
      )}
    </section>
  );
}
