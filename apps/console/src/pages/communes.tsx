// All 114 communes at a glance: tiles coloured by turnout or by reporting status, and a sortable,
// filterable table with the communes behind this round first.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCommunes } from '../api/queries.js';
import type { CommuneSummary } from '../api/types.js';
import { AsOf } from '../components/as-of.js';
import { Loading, ProblemView } from '../components/problem-view.js';
import { formatNumber, formatPct } from '../format.js';
import { useCurrentRound } from './use-current-round.js';
import {
  missingThisRound,
  turnoutBand,
  viewCommunes,
  type SortKey,
  type StatusFilter,
} from './communes-view.js';

type ColourBy = 'turnout' | 'status';

function Tile(props: { readonly c: CommuneSummary; readonly by: ColourBy }): ReactNode {
  const { t, i18n } = useTranslation();
  const missing = missingThisRound(props.c);
  const className =
    props.by === 'turnout'
      ? `tile band-${turnoutBand(props.c.turnoutPct)}`
      : `tile ${missing > 0 ? 'status-behind' : 'status-ok'}`;
  return (
    <li>
      <Link className={className} to={`/communes/${props.c.communeId}`}>
        <span className="tile-name">{props.c.name}</span>
        <span className="tile-figure">{formatPct(props.c.turnoutPct, i18n.language)}</span>
        <span className="tile-status">
          {missing > 0 ? t('communes.missing', { count: missing }) : t('communes.upToDate')}
        </span>
      </Link>
    </li>
  );
}

/** What each tile colour means; the tiles print their figure too, so colour is never alone. */
function TurnoutLegend(): ReactNode {
  const { t } = useTranslation();
  const bands = ['0 %', '< 40 %', '40–70 %', '70–90 %', '≥ 90 %'];
  return (
    <ul className="legend" aria-label={t('communes.legend')}>
      {bands.map((label, band) => (
        <li key={label}>
          <span className={`swatch band-${band}`} aria-hidden="true" /> {label}
        </li>
      ))}
    </ul>
  );
}

export function CommunesPage(): ReactNode {
  const { t, i18n } = useTranslation();
  const current = useCurrentRound();
  const communes = useCommunes(current.round, current.known);
  const [text, setText] = useState('');
  const [status, setStatus] = useState<StatusFilter>('all');
  const [sort, setSort] = useState<SortKey>('round');
  const [descending, setDescending] = useState(false);
  const [by, setBy] = useState<ColourBy>('status');
  const n = (x: number): string => formatNumber(x, i18n.language);

  const sortBy = (key: SortKey): void => {
    if (key === sort) setDescending(!descending);
    else {
      setSort(key);
      setDescending(false);
    }
  };
  const header = (key: SortKey, label: string): ReactNode => (
    <th scope="col" aria-sort={sort === key ? (descending ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="sort" onClick={() => sortBy(key)}>
        {label}
        <span aria-hidden="true">{sort === key ? (descending ? ' ▼' : ' ▲') : ''}</span>
      </button>
    </th>
  );

  const rows =
    communes.data === undefined
      ? []
      : viewCommunes(communes.data.communes, { text, status, sort, descending });

  return (
    <section aria-labelledby="communes-title">
      <h1 id="communes-title">{t('communes.title')}</h1>
      {communes.error !== null ? <ProblemView error={communes.error} /> : null}
      {communes.data === undefined ? (
        communes.isPending ? (
          <Loading />
        ) : null
      ) : (
        <>
          <AsOf position={communes.data.asOfPosition} updatedAt={communes.dataUpdatedAt} />
          <p className="notice" data-testid="current-round">
            {current.round === null
              ? t('communes.noRoundYet')
              : t('communes.roundNow', { round: current.round })}
          </p>
          <fieldset className="toggle">
            <legend>{t('communes.colourBy')}</legend>
            <label>
              <input
                type="radio"
                name="colour-by"
                checked={by === 'status'}
                onChange={() => setBy('status')}
              />
              {t('communes.byStatus')}
            </label>
            <label>
              <input
                type="radio"
                name="colour-by"
                checked={by === 'turnout'}
                onChange={() => setBy('turnout')}
              />
              {t('communes.byTurnout')}
            </label>
          </fieldset>
          {by === 'turnout' ? <TurnoutLegend /> : null}
          <ul className="tiles" aria-label={t('communes.tiles')}>
            {communes.data.communes.map((c) => (
              <Tile key={c.communeId} c={c} by={by} />
            ))}
          </ul>
          <div className="filters">
            <label>
              {t('communes.search')}
              <input type="search" value={text} onChange={(e) => setText(e.target.value)} />
            </label>
            <label>
              {t('communes.statusFilter')}
              <select value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)}>
                <option value="all">{t('communes.all')}</option>
                <option value="behind">{t('communes.behind')}</option>
                <option value="upToDate">{t('communes.upToDate')}</option>
              </select>
            </label>
          </div>
          <div className="table-wrap">
            <table>
              <caption>
                {t('communes.tableCaption', {
                  shown: n(rows.length),
                  total: n(communes.data.communes.length),
                })}
              </caption>
              <thead>
                <tr>
                  {header('name', t('communes.name'))}
                  {header('round', t('communes.thisRound'))}
                  {header('reported', t('communes.areasReported'))}
                  {header('turnout', t('communes.turnout'))}
                  <th scope="col">{t('communes.voted')}</th>
                  <th scope="col">{t('communes.minutes')}</th>
                  <th scope="col">{t('communes.anomalies')}</th>
                  {header('incidents', t('communes.incidents'))}
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => {
                  const missing = missingThisRound(c);
                  return (
                    <tr key={c.communeId} className={missing > 0 ? 'row-behind' : undefined}>
                      <th scope="row">
                        <Link to={`/communes/${c.communeId}`}>{c.name}</Link>
                      </th>
                      <td>
                        {missing > 0
                          ? t('communes.missing', { count: missing })
                          : t('communes.upToDate')}
                      </td>
                      <td>
                        {n(c.pollingAreas.reported)} / {n(c.pollingAreas.total)}
                      </td>
                      <td>{formatPct(c.turnoutPct, i18n.language)}</td>
                      <td>
                        {n(c.votersVoted)} / {n(c.votersOnList)}
                      </td>
                      <td>
                        {n(c.minutes.received)} / {n(c.minutes.expected)}
                      </td>
                      <td>{n(c.anomaliesOpen)}</td>
                      <td>{n(c.incidentsOpen)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
