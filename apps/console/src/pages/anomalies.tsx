// The anomaly feed, most severe first: what was flagged, where, its evidence (links into the event
// log), and acknowledge or dismiss with a reason for the roles allowed to.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAnomalies, useCommand, useCommunes } from '../api/queries.js';
import { useSignedIn } from '../api/session.js';
import { anomalyStatuses, severities, type Anomaly, type AnomalyStatus } from '../api/types.js';
import { AsOf } from '../components/as-of.js';
import { SeverityBadge } from '../components/badges.js';
import { TextDialog } from '../components/dialog.js';
import { Loading, ProblemView } from '../components/problem-view.js';
import { formatDateTime } from '../format.js';
import { can } from '../navigation.js';

type Pending = { readonly anomaly: Anomaly; readonly action: 'acknowledge' | 'dismiss' };

/**
 * Where the event log shows one piece of evidence. The triggering event (the first) sits at the
 * anomaly's position; the others of a turnout rule are in the area's turnout stream. Elsewhere the
 * id alone is given (the log has no look-up by id), and undefined means "no link".
 */
export function evidenceLink(anomaly: Anomaly, eventId: string): string | undefined {
  if (eventId === anomaly.evidence[0]) {
    return `/audit?${new URLSearchParams({ fromPosition: String(anomaly.atPosition), highlight: eventId }).toString()}`;
  }
  const turnoutRule =
    anomaly.kind.startsWith('turnout_') || anomaly.kind === 'reporting_round_missed';
  if (turnoutRule && anomaly.pollingAreaId !== null) {
    return `/audit?${new URLSearchParams({ streamId: `turnout-${anomaly.pollingAreaId}`, highlight: eventId }).toString()}`;
  }
  return undefined;
}

function Facts(props: { readonly facts: Anomaly['facts'] }): ReactNode {
  const { t } = useTranslation();
  const entries = Object.entries(props.facts);
  if (entries.length === 0) return null;
  return (
    <table className="facts">
      <caption className="visually-hidden">{t('anomalies.facts')}</caption>
      <tbody>
        {entries.map(([key, value]) => (
          <tr key={key}>
            <th scope="row">{key}</th>
            <td>{Array.isArray(value) ? value.join(', ') : String(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const severityRank = (s: Anomaly['severity']): number => severities.indexOf(s);

export function AnomaliesPage(): ReactNode {
  const { t, i18n } = useTranslation();
  const { role } = useSignedIn();
  const readsLedger = can.readLedger(role);
  const communes = useCommunes();
  const communeName = (id: string): string =>
    communes.data?.communes.find((c) => c.communeId === id)?.name ?? id;
  const [status, setStatus] = useState<AnomalyStatus | ''>('open');
  const anomalies = useAnomalies(status === '' ? {} : { status });
  const [pending, setPending] = useState<Pending | undefined>(undefined);
  const handle = useCommand(
    (v: {
      readonly anomaly: Anomaly;
      readonly action: Pending['action'];
      readonly text: string;
    }) => ({
      path: `/anomalies/${v.anomaly.anomalyId}/${v.action}`,
      body: v.action === 'acknowledge' ? { note: v.text } : { reason: v.text },
    }),
    ['anomalies', 'overview', 'communes'],
  );
  const feed = [...(anomalies.data?.anomalies ?? [])].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      b.detectedAt.localeCompare(a.detectedAt),
  );

  return (
    <section aria-labelledby="anomalies-title">
      <h1 id="anomalies-title">{t('anomalies.title')}</h1>
      <div className="filters">
        <label>
          {t('anomalies.statusFilter')}
          <select value={status} onChange={(e) => setStatus(e.target.value as AnomalyStatus | '')}>
            <option value="">{t('communes.all')}</option>
            {anomalyStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`anomalyStatus.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {anomalies.error !== null ? <ProblemView error={anomalies.error} /> : null}
      {anomalies.data === undefined ? (
        anomalies.isPending ? (
          <Loading />
        ) : null
      ) : (
        <>
          <AsOf position={anomalies.data.asOfPosition} updatedAt={anomalies.dataUpdatedAt} />
          {feed.length === 0 ? <p className="empty">{t('anomalies.none')}</p> : null}
          <ul className="feed" aria-live="polite">
            {feed.map((a) => (
              <li key={a.anomalyId} className={`card severity-edge-${a.severity}`}>
                <div className="card-head">
                  <SeverityBadge severity={a.severity} />
                  <strong>{t(`anomalyKind.${a.kind}`, { defaultValue: a.kind })}</strong>
                  <span className="muted">{t(`anomalyStatus.${a.status}`)}</span>
                  <time dateTime={a.detectedAt}>{formatDateTime(a.detectedAt, i18n.language)}</time>
                </div>
                <p>{a.summary}</p>
                <p className="muted">
                  {a.communeId === null ? null : (
                    <Link to={`/communes/${a.communeId}`}>{communeName(a.communeId)}</Link>
                  )}
                  {a.pollingAreaId === null ? null : (
                    <>
                      {' · '}
                      <Link to={`/areas/${a.pollingAreaId}`}>{a.pollingAreaId}</Link>
                    </>
                  )}
                </p>
                {a.note === null ? null : (
                  <p className="note">
                    {t('anomalies.noteLabel')}: {a.note}
                  </p>
                )}
                <Facts facts={a.facts} />
                <div className="evidence">
                  <span title={readsLedger ? undefined : t('anomalies.evidenceIds')}>
                    {t('anomalies.evidence')}:
                  </span>
                  <ul>
                    {a.evidence.map((eventId) => {
                      const to = readsLedger ? evidenceLink(a, eventId) : undefined;
                      return (
                        <li key={eventId}>
                          {to === undefined ? (
                            <code>{eventId}</code>
                          ) : (
                            <Link to={to}>
                              <code>{eventId}</code>
                            </Link>
                          )}
                        </li>
                      );
                    })}
                  </ul>
                </div>
                {can.handleAnomaly(role) && a.status === 'open' ? (
                  <div className="actions">
                    <button
                      type="button"
                      onClick={() => setPending({ anomaly: a, action: 'acknowledge' })}
                    >
                      {t('anomalies.acknowledge')}
                    </button>
                    <button
                      type="button"
                      onClick={() => setPending({ anomaly: a, action: 'dismiss' })}
                    >
                      {t('anomalies.dismiss')}
                    </button>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
      {pending === undefined ? null : (
        <TextDialog
          title={t(`anomalies.${pending.action}Title`)}
          label={t(pending.action === 'acknowledge' ? 'anomalies.note' : 'anomalies.reason')}
          confirm={t(`anomalies.${pending.action}`)}
          pending={handle.isPending}
          error={handle.error}
          onCancel={() => {
            handle.reset();
            setPending(undefined);
          }}
          onSubmit={(text) =>
            handle.mutate(
              { anomaly: pending.anomaly, action: pending.action, text },
              { onSuccess: () => setPending(undefined) },
            )
          }
        />
      )}
    </section>
  );
}
