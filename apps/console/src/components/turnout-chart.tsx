// Turnout over the day as a line, with the reporting rounds marked. Recharts is heavy, so pages
// load this module lazily (see lazy-chart.tsx) and the figures show before the chart does.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { TimelinePoint } from '../api/types.js';
import { formatPct, formatTime } from '../format.js';
import { cityDate, reportingRounds, roundInstant } from '../reporting-rounds.js';

/** The election day of the points, as the city's calendar date. */
function dayOf(points: readonly TimelinePoint[]): string | undefined {
  const first = points[0];
  return first === undefined ? undefined : cityDate(Date.parse(first.at));
}

export function TurnoutChart(props: { readonly points: readonly TimelinePoint[] }): ReactNode {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const day = dayOf(props.points);
  const data = props.points.map((p) => ({ x: Date.parse(p.at), y: p.turnoutPct }));
  const rounds =
    day === undefined ? [] : reportingRounds.map((r) => ({ label: r, x: roundInstant(day, r) }));
  const xs = [...data.map((d) => d.x), ...rounds.map((r) => r.x)];
  const last = props.points[props.points.length - 1];
  // The drawing is for the eye; a screen reader gets the latest figure in words.
  const summary =
    last === undefined
      ? ''
      : t('overview.chartSummary', {
          pct: formatPct(last.turnoutPct, language),
          time: formatTime(last.at, language),
        });
  return (
    <figure className="chart">
      <figcaption>{t('overview.chartCaption')}</figcaption>
      <div className="chart-box" role="img" aria-label={summary} data-testid="turnout-chart">
        <ResponsiveContainer width="100%" height={260}>
          <LineChart data={data} margin={{ top: 16, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#c8d0d8" />
            <XAxis
              dataKey="x"
              type="number"
              scale="time"
              domain={[Math.min(...xs), Math.max(...xs)]}
              tickFormatter={(x: number) => formatTime(new Date(x).toISOString(), language)}
            />
            <YAxis domain={[0, 100]} unit="%" width={56} />
            <Tooltip
              labelFormatter={(x) => formatTime(new Date(Number(x)).toISOString(), language)}
              formatter={(y) => [formatPct(Number(y), language), t('overview.turnout')]}
            />
            {rounds.map((r) => (
              <ReferenceLine
                key={r.label}
                x={r.x}
                stroke="#7a4f00"
                strokeDasharray="4 4"
                label={{ value: r.label, position: 'top', fill: '#5c3b00', fontSize: 11 }}
              />
            ))}
            {/* No animation: a wall screen refreshes all day and should not redraw the line each time. */}
            <Line
              type="monotone"
              dataKey="y"
              stroke="#0b5394"
              strokeWidth={2}
              dot={{ r: 2 }}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <p className="hint">{t('overview.roundsHint', { rounds: reportingRounds.join(', ') })}</p>
    </figure>
  );
}
