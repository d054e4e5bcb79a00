// The incidents board for the police: a column per status, filters by severity, category and
// commune, who is on each incident and for how long it has waited, the legal triage actions only,
// notes, and bulk acknowledge.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCommand, useCommunes, useIncidents } from '../api/queries.js';
import { useSignedIn } from '../api/session.js';
import {
  incidentCategories,
  incidentStatuses,
  severities,
  type Incident,
  type IncidentCategory,
  type Severity,
} from '../api/types.js';
import { AsOf } from '../components/as-of.js';
import { SeverityBadge } from '../components/badges.js';
import { TextDialog } from '../components/dialog.js';
import { Loading, ProblemView } from '../components/problem-view.js';
import { useNow } from '../components/use-now.js';
import { formatAge } from '../format.js';
import { legalActions, legalFrom, type IncidentAction } from '../incident-rules.js';
import { can } from '../navigation.js';

type DialogAction = Exclude<IncidentAction, 'acknowledge'> | 'note';
const dialogPath: Readonly<
  Record<DialogAction, { readonly path: string; readonly field: string }>
> = {
  assign: { path: 'assign', field: 'unit' },
  resolve: { path: 'resolve', field: 'resolution' },
  reopen: { path: 'reopen', field: 'reason' },
  note: { path: 'notes', field: 'text' },
};

interface IncidentCommand {
  readonly incidentId: string;
  readonly action: IncidentAction | 'note';
  readonly text?: string;
}

function toRequest(v: IncidentCommand): { readonly path: string; readonly body: unknown } {
  if (v.action === 'acknowledge')
    return { path: `/incidents/${v.incidentId}/acknowledge`, body: {} };
  const { path, field } = dialogPath[v.action];
  return { path: `/incidents/${v.incidentId}/${path}`, body: { [field]: v.text ?? '' } };
}

function IncidentCard(props: {
  readonly incident: Incident;
  readonly communeName: string | undefined;
  readonly now: number;
  readonly canTriage: boolean;
  readonly selected: boolean;
  readonly onSelect: (selected: boolean) => void;
  readonly onAction: (action: IncidentAction | 'note') => void;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const i = props.incident;
  const actions = legalActions(i.status);
  const selectable = props.canTriage && legalFrom.acknowledge.includes(i.status);
  return (
    <li className={`card severity-edge-${i.severity}`} data-testid={`incident-${i.incidentId}`}>
      <div className="card-head">
        {selectable ? (
          <input
            type="checkbox"
            aria-label={t('incidents.select', { id: i.incidentId })}
            checked={props.selected}
            onChange={(e) => props.onSelect(e.target.checked)}
          />
        ) : null}
        <SeverityBadge severity={i.severity} />
        <strong>{t(`category.${i.category}`)}</strong>
      </div>
      <p>{i.description}</p>
      <p className="muted">
        {props.communeName === undefined ? null : <>{props.communeName} · </>}
        <Link to={`/areas/${i.pollingAreaId}`}>{i.pollingAreaId}</Link> ·{' '}
        {t('incidents.waiting', {
          age: formatAge(props.now - Date.parse(i.reportedAt), i18n.language),
        })}
      </p>
      <p>
        {i.assignedUnit === null
          ? t('incidents.unassigned')
          : t('incidents.assignedTo', { unit: i.assignedUnit })}
        {i.notes === 0 ? null : (
          <span className="muted"> · {t('incidents.notes', { count: i.notes })}</span>
        )}
      </p>
      {i.resolution === null || i.status !== 'resolved' ? null : (
        <p className="muted">{t('incidents.resolution', { text: i.resolution })}</p>
      )}
      {props.canTriage ? (
        <div className="actions">
          {actions.map((action) => (
            <button key={action} type="button" onClick={() => props.onAction(action)}>
              {t(`incidents.action.${action}`)}
            </button>
          ))}
          <button type="button" onClick={() => props.onAction('note')}>
            {t('incidents.action.note')}
          </button>
        </div>
      ) : null}
    </li>
  );
}

export function IncidentsPage(): ReactNode {
  const { t } = useTranslation();
  const { role, scope } = useSignedIn();
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [category, setCategory] = useState<IncidentCategory | ''>('');
  const [communeId, setCommuneId] = useState(scope.communeId ?? '');
  const incidents = useIncidents({
    ...(severity === '' ? {} : { severity }),
    ...(communeId.trim() === '' ? {} : { communeId: communeId.trim() }),
  });
  const command = useCommand(toRequest, ['incidents', 'overview', 'communes']);
  const [dialog, setDialog] = useState<
    { readonly incidentId: string; readonly action: DialogAction } | undefined
  >(undefined);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [bulkError, setBulkError] = useState<unknown>(undefined);
  const now = useNow(15_000);
  const canTriage = can.triageIncident(role);
  // Commune names for the filter and the cards; a commune account has only its own.
  const communes = useCommunes(undefined, role !== 'commune');
  const communeNames = new Map(
    (communes.data?.communes ?? []).map((c) => [c.communeId, c.name] as const),
  );

  const shown = (incidents.data?.incidents ?? []).filter(
    (i) => category === '' || i.category === category,
  );
  const acknowledgeable = shown.filter((i) => legalFrom.acknowledge.includes(i.status));
  const chosen = acknowledgeable.filter((i) => selected.has(i.incidentId));

  const act = (incident: Incident, action: IncidentAction | 'note'): void => {
    if (action === 'acknowledge') command.mutate({ incidentId: incident.incidentId, action });
    else setDialog({ incidentId: incident.incidentId, action });
  };

  const bulkAcknowledge = async (): Promise<void> => {
    setBulkError(undefined);
    for (const incident of chosen) {
      try {
        await command.mutateAsync({ incidentId: incident.incidentId, action: 'acknowledge' });
      } catch (error) {
        setBulkError(error);
        return;
      }
    }
    setSelected(new Set());
  };

  return (
    <section aria-labelledby="incidents-title">
      <h1 id="incidents-title">{t('incidents.title')}</h1>
      <div className="filters">
        <label>
          {t('incidents.severity')}
          <select value={severity} onChange={(e) => setSeverity(e.target.value as Severity | '')}>
            <option value="">{t('communes.all')}</option>
            {severities.map((s) => (
              <option key={s} value={s}>
                {t(`severity.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('incidents.category')}
          <select
            value={category}
            onChange={(e) => setCategory(e.target.value as IncidentCategory | '')}
          >
            <option value="">{t('communes.all')}</option>
            {incidentCategories.map((c) => (
              <option key={c} value={c}>
                {t(`category.${c}`)}
              </option>
            ))}
          </select>
        </label>
        {role === 'commune' ? null : (
          <label>
            {t('incidents.commune')}
            <select value={communeId} onChange={(e) => setCommuneId(e.target.value)}>
              <option value="">{t('communes.all')}</option>
              {[...communeNames].map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        )}
        {canTriage ? (
          <button
            type="button"
            disabled={acknowledgeable.length === 0}
            onClick={() => setSelected(new Set(acknowledgeable.map((i) => i.incidentId)))}
          >
            {t('incidents.selectAll', { count: acknowledgeable.length })}
          </button>
        ) : null}
        {canTriage ? (
          <button
            type="button"
            className="primary"
            disabled={chosen.length === 0 || command.isPending}
            onClick={() => void bulkAcknowledge()}
          >
            {t('incidents.bulkAcknowledge', { count: chosen.length })}
          </button>
        ) : null}
      </div>
      {incidents.error !== null ? <ProblemView error={incidents.error} /> : null}
      {command.error !== null && dialog === undefined ? (
        <ProblemView error={command.error} />
      ) : null}
      {bulkError === undefined ? null : <ProblemView error={bulkError} />}
      {incidents.data === undefined ? (
        incidents.isPending ? (
          <Loading />
        ) : null
      ) : (
        <>
          <AsOf position={incidents.data.asOfPosition} updatedAt={incidents.dataUpdatedAt} />
          <div className="board">
            {incidentStatuses.map((status) => {
              const column = shown
                .filter((i) => i.status === status)
                .sort(
                  (a, b) =>
                    severities.indexOf(b.severity) - severities.indexOf(a.severity) ||
                    a.reportedAt.localeCompare(b.reportedAt),
                );
              return (
                <section key={status} className="column" aria-labelledby={`col-${status}`}>
                  <h2 id={`col-${status}`}>
                    {t(`incidentStatus.${status}`)} ({column.length})
                  </h2>
                  <ul>
                    {column.map((i) => (
                      <IncidentCard
                        key={i.incidentId}
                        incident={i}
                        communeName={
                          i.communeId === null ? undefined : communeNames.get(i.communeId)
                        }
                        now={now}
                        canTriage={canTriage}
                        selected={selected.has(i.incidentId)}
                        onSelect={(on) => {
                          const next = new Set(selected);
                          if (on) next.add(i.incidentId);
                          else next.delete(i.incidentId);
                          setSelected(next);
                        }}
                        onAction={(action) => act(i, action)}
                      />
                    ))}
                  </ul>
                </section>
              );
            })}
          </div>
        </>
      )}
      {dialog === undefined ? null : (
        <TextDialog
          title={t(`incidents.dialog.${dialog.action}`)}
          label={t(`incidents.field.${dialog.action}`)}
          confirm={t(`incidents.action.${dialog.action}`)}
          pending={command.isPending}
          error={command.error}
          onCancel={() => {
            command.reset();
            setDialog(undefined);
          }}
          onSubmit={(text) =>
            command.mutate(
              { incidentId: dialog.incidentId, action: dialog.action, text },
              { onSuccess: () => setDialog(undefined) },
            )
          }
        />
      )}
    </section>
  );
}
