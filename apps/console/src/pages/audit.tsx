// The event log as stored, filtered by stream, type and position, with each event's hash and the
// hash it chains to (copyable), and the Verify button that checks the whole chain.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useEvents, useVerifyLedger } from '../api/queries.js';
import { AsOf } from '../components/as-of.js';
import { Badge } from '../components/badges.js';
import { Loading, ProblemView } from '../components/problem-view.js';
import { formatDateTime, formatNumber, shortHash } from '../format.js';

const pageLimit = 100;

function Hash(props: { readonly value: string }): ReactNode {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <span className="hash">
      <code title={props.value}>{shortHash(props.value)}</code>
      <button
        type="button"
        className="small"
        aria-label={t('audit.copyHash', { hash: shortHash(props.value) })}
        onClick={() => {
          void navigator.clipboard?.writeText(props.value).then(() => setCopied(true));
        }}
      >
        {copied ? t('audit.copied') : t('audit.copy')}
      </button>
    </span>
  );
}

function VerifyPanel(): ReactNode {
  const { t, i18n } = useTranslation();
  const verify = useVerifyLedger();
  const n = (x: number): string => formatNumber(x, i18n.language);
  return (
    <div className="verify">
      <button type="button" className="primary" onClick={verify.run} disabled={verify.pending}>
        {verify.pending ? t('audit.verifying') : t('audit.verify')}
      </button>
      {verify.error === null ? null : <ProblemView error={verify.error} />}
      {verify.result === undefined ? null : (
        <div role="status" className={verify.result.ok ? 'notice notice-ok' : 'notice notice-bad'}>
          {verify.result.ok ? (
            <Badge tone="ok">{t('audit.chainOk')}</Badge>
          ) : (
            <Badge tone="alert">{t('audit.chainBroken')}</Badge>
          )}{' '}
          {t('audit.checked', {
            from: n(verify.result.checkedFrom),
            to: n(verify.result.checkedTo),
          })}
          {' · '}
          {t('audit.head')} <Hash value={verify.result.headHash} />
          {verify.result.firstBadPosition === undefined ? null : (
            <p>{t('audit.firstBad', { position: n(verify.result.firstBadPosition) })}</p>
          )}
        </div>
      )}
    </div>
  );
}

interface Draft {
  readonly streamId: string;
  readonly type: string;
  readonly fromPosition: string;
}

/** The filter form; keyed by the address so following an evidence link refills it. */
function EventFilters(props: {
  readonly initial: Draft;
  readonly onApply: (next: URLSearchParams) => void;
}): ReactNode {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(props.initial);
  const apply = (event: FormEvent): void => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draft.streamId.trim() !== '') next.set('streamId', draft.streamId.trim());
    if (draft.type.trim() !== '') next.set('type', draft.type.trim());
    if (/^\d+$/.test(draft.fromPosition.trim()))
      next.set('fromPosition', draft.fromPosition.trim());
    props.onApply(next);
  };
  return (
    <form className="filters" onSubmit={apply} aria-label={t('audit.filters')}>
      <label>
        {t('audit.stream')}
        <input
          value={draft.streamId}
          placeholder="turnout-…"
          onChange={(e) => setDraft({ ...draft, streamId: e.target.value })}
        />
      </label>
      <label>
        {t('audit.type')}
        <input
          value={draft.type}
          placeholder="TurnoutReported"
          onChange={(e) => setDraft({ ...draft, type: e.target.value })}
        />
      </label>
      <label>
        {t('audit.fromPosition')}
        <input
          inputMode="numeric"
          value={draft.fromPosition}
          onChange={(e) => setDraft({ ...draft, fromPosition: e.target.value })}
        />
      </label>
      <button type="submit">{t('audit.apply')}</button>
    </form>
  );
}

export function AuditPage(): ReactNode {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const streamId = params.get('streamId') ?? '';
  const type = params.get('type') ?? '';
  const fromText = params.get('fromPosition') ?? '';
  const fromPosition = /^\d+$/.test(fromText) ? Number(fromText) : undefined;
  const highlight = params.get('highlight') ?? '';
  const events = useEvents({
    ...(streamId === '' ? {} : { streamId }),
    ...(type === '' ? {} : { type }),
    ...(fromPosition === undefined ? {} : { fromPosition }),
    limit: pageLimit,
  });
  const list = events.data?.events ?? [];
  const last = list[list.length - 1];

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('audit.title')}</h1>
      <VerifyPanel />
      <EventFilters
        key={params.toString()}
        initial={{ streamId, type, fromPosition: fromText }}
        onApply={setParams}
      />
      {events.error !== null ? <ProblemView error={events.error} /> : null}
      {events.data === undefined ? (
        events.isPending ? (
          <Loading />
        ) : null
      ) : (
        <>
          <AsOf position={events.data.asOfPosition} updatedAt={events.dataUpdatedAt} />
          {list.length === 0 ? <p className="empty">{t('audit.none')}</p> : null}
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('audit.position')}</th>
                  <th scope="col">{t('audit.recordedAt')}</th>
                  <th scope="col">{t('audit.stream')}</th>
                  <th scope="col">{t('audit.type')}</th>
                  <th scope="col">{t('audit.actor')}</th>
                  <th scope="col">{t('audit.hash')}</th>
                  <th scope="col">{t('audit.prevHash')}</th>
                  <th scope="col">{t('audit.data')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((e) => (
                  <tr key={e.eventId} className={e.eventId === highlight ? 'highlight' : undefined}>
                    <th scope="row">{formatNumber(e.position, i18n.language)}</th>
                    <td>{formatDateTime(e.recordedAt, i18n.language)}</td>
                    <td>
                      {e.streamId} <span className="muted">r{e.streamRevision}</span>
                    </td>
                    <td>{e.type}</td>
                    <td>
                      {e.metadata.actor.id} ({e.metadata.actor.role})
                    </td>
                    <td>
                      <Hash value={e.hash} />
                    </td>
                    <td>
                      <Hash value={e.prevHash} />
                    </td>
                    <td>
                      <details>
                        <summary>{t('audit.show')}</summary>
                        <pre>{JSON.stringify(e.data, null, 2)}</pre>
                      </details>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {last !== undefined && list.length >= pageLimit ? (
            <button
              type="button"
              onClick={() => {
                const next = new URLSearchParams(params);
                next.set('fromPosition', String(last.position + 1));
                next.delete('highlight');
                setParams(next);
              }}
            >
              {t('audit.next')}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
