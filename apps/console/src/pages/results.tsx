// Results per level: each electoral unit with its candidates' votes as bars, who is elected, the
// outcome (counting, elected, re-vote, additional vote), areas reporting, and declare for admin.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useParams } from 'react-router';
import { useCommand, useResults } from '../api/queries.js';
import { useSignedIn } from '../api/session.js';
import { levels, type Level, type Outcome, type UnitResult } from '../api/types.js';
import { AsOf } from '../components/as-of.js';
import { Badge } from '../components/badges.js';
import { Loading, ProblemView } from '../components/problem-view.js';
import { formatNumber, formatPct } from '../format.js';
import { can } from '../navigation.js';

const pageSize = 30;

const outcomeTone: Readonly<Record<Outcome, string>> = {
  counting: 'neutral',
  elected: 'ok',
  revote_required: 'alert',
  additional_vote_required: 'warn',
};

function isLevel(value: string | undefined): value is Level {
  return (levels as readonly (string | undefined)[]).includes(value);
}

function UnitCard(props: {
  readonly level: Level;
  readonly unit: UnitResult;
  readonly name: string;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const { role } = useSignedIn();
  const [confirming, setConfirming] = useState(false);
  const declare = useCommand(
    (unitId: string) => ({ path: `/results/${props.level}/${unitId}/declare`, body: {} }),
    ['results'],
  );
  const u = props.unit;
  const n = (x: number): string => formatNumber(x, i18n.language);
  const declarable = u.outcome !== 'counting' && !u.declared;
  const headingId = `unit-${u.unitId}`;

  return (
    <article className="unit" aria-labelledby={headingId}>
      <header className="unit-head">
        <h2 id={headingId}>{props.name}</h2>
        <Badge tone={outcomeTone[u.outcome]}>{t(`outcome.${u.outcome}`)}</Badge>
        {u.declared ? <Badge tone="ok">{t('results.declared')}</Badge> : null}
      </header>
      <p className="unit-meta">
        {t('results.seats', { count: u.seats })} ·{' '}
        {t('common.areasReporting', { reported: n(u.areasReporting), total: n(u.areasTotal) })} ·{' '}
        {t('results.turnoutLine', {
          voted: n(u.votersVoted),
          total: n(u.votersOnList),
          pct: formatPct(
            u.votersOnList === 0 ? 0 : (100 * u.votersVoted) / u.votersOnList,
            i18n.language,
          ),
        })}{' '}
        · {t('results.ballots', { valid: n(u.validBallots), invalid: n(u.invalidBallots) })}
      </p>
      <ol className="candidates">
        {[...u.candidates]
          .sort((a, b) => b.votes - a.votes)
          .map((c) => (
            <li key={c.candidateId} className={c.elected ? 'elected' : undefined}>
              <span className="cand-name">
                {c.name}
                {c.elected ? <span className="elected-mark"> ✓ {t('results.elected')}</span> : null}
              </span>
              <span className="bar" aria-hidden="true">
                <span style={{ width: `${Math.min(100, c.pctOfValid)}%` }} />
              </span>
              <span className="cand-votes">
                {n(c.votes)} ({formatPct(c.pctOfValid, i18n.language)})
              </span>
            </li>
          ))}
      </ol>
      {can.declare(role) && declarable ? (
        confirming ? (
          <div className="confirm" role="group" aria-label={t('results.confirmDeclare')}>
            <span>{t('results.confirmDeclare')}</span>
            <button
              type="button"
              className="primary"
              disabled={declare.isPending}
              onClick={() => declare.mutate(u.unitId, { onSuccess: () => setConfirming(false) })}
            >
              {t('results.declareYes')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        ) : (
          <button type="button" className="primary" onClick={() => setConfirming(true)}>
            {t('results.declare')}
          </button>
        )
      ) : null}
      {declare.error !== null ? <ProblemView error={declare.error} /> : null}
    </article>
  );
}

export function ResultsPage(): ReactNode {
  const params = useParams();
  const level: Level = isLevel(params.level) ? params.level : 'na';
  const { t } = useTranslation();
  const results = useResults(level);
  const [text, setText] = useState('');
  const [shown, setShown] = useState(pageSize);
  const nameOf = (u: UnitResult): string => u.name ?? u.unitId;
  const filtered = (results.data?.units ?? []).filter((u) =>
    nameOf(u).toLocaleLowerCase('vi').includes(text.trim().toLocaleLowerCase('vi')),
  );

  return (
    <section aria-labelledby="results-title">
      <h1 id="results-title">{t('results.title')}</h1>
      <nav className="tabs" aria-label={t('results.levels')}>
        {levels.map((l) => (
          <NavLink key={l} to={`/results/${l}`} className={l === level ? 'active' : ''}>
            {t(`level.${l}`)}
          </NavLink>
        ))}
      </nav>
      {results.error !== null ? <ProblemView error={results.error} /> : null}
      {results.data === undefined ? (
        results.isPending ? (
          <Loading />
        ) : null
      ) : (
        <>
          <AsOf position={results.data.asOfPosition} updatedAt={results.dataUpdatedAt} />
          <div className="filters">
            <label>
              {t('results.search')}
              <input type="search" value={text} onChange={(e) => setText(e.target.value)} />
            </label>
          </div>
          {filtered.length === 0 ? <p className="empty">{t('results.none')}</p> : null}
          <div className="units">
            {filtered.slice(0, shown).map((u) => (
              <UnitCard key={u.unitId} level={level} unit={u} name={nameOf(u)} />
            ))}
          </div>
          {filtered.length > shown ? (
            <button type="button" onClick={() => setShown(shown + pageSize)}>
              {t('common.showMore', { count: filtered.length - shown })}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
