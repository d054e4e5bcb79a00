// The anomalies and incidents of one commune or one polling area, as short lists for the
// drill-down pages (the full boards are their own pages).
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAnomalies, useIncidents } from '../api/queries.js';
import { useSignedIn } from '../api/session.js';
import type { Role } from '../api/types.js';
import { SeverityBadge } from '../components/badges.js';
import { ProblemView } from '../components/problem-view.js';
import { formatTime } from '../format.js';

const readsIncidents: readonly Role[] = ['admin', 'ops', 'police', 'auditor', 'commune'];
const readsAnomalies: readonly Role[] = ['admin', 'ops', 'auditor'];

export function ScopedIssues(props: {
  readonly communeId: string;
  readonly pollingAreaId?: string;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const { role } = useSignedIn();
  const incidents = useIncidents({ communeId: props.communeId }, readsIncidents.includes(role));
  const anomalies = useAnomalies({ communeId: props.communeId }, readsAnomalies.includes(role));
  const inArea = <T extends { readonly pollingAreaId: string | null }>(xs: readonly T[]): T[] =>
    xs.filter((x) => props.pollingAreaId === undefined || x.pollingAreaId === props.pollingAreaId);

  return (
    <div className="two-col">
      {readsAnomalies.includes(role) ? (
        <section aria-labelledby="scoped-anomalies">
          <h2 id="scoped-anomalies">{t('nav.anomalies')}</h2>
          {anomalies.error !== null ? <ProblemView error={anomalies.error} /> : null}
          {anomalies.data === undefined ? null : inArea(anomalies.data.anomalies).length === 0 ? (
            <p className="empty">{t('anomalies.none')}</p>
          ) : (
            <ul className="plain-list">
              {inArea(anomalies.data.anomalies).map((a) => (
                <li key={a.anomalyId}>
                  <SeverityBadge severity={a.severity} /> {formatTime(a.detectedAt, i18n.language)}{' '}
                  {a.summary} <span className="muted">({t(`anomalyStatus.${a.status}`)})</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {readsIncidents.includes(role) ? (
        <section aria-labelledby="scoped-incidents">
          <h2 id="scoped-incidents">{t('nav.incidents')}</h2>
          {incidents.error !== null ? <ProblemView error={incidents.error} /> : null}
          {incidents.data === undefined ? null : inArea(incidents.data.incidents).length === 0 ? (
            <p className="empty">{t('incidents.none')}</p>
          ) : (
            <ul className="plain-list">
              {inArea(incidents.data.incidents).map((i) => (
                <li key={i.incidentId}>
                  <SeverityBadge severity={i.severity} /> {formatTime(i.reportedAt, i18n.language)}{' '}
                  {t(`category.${i.category}`)} — {i.description}{' '}
                  <span className="muted">({t(`incidentStatus.${i.status}`)})</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}
