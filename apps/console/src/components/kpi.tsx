// One figure tile: a label, the number, and a line saying what it is out of.
import type { ReactNode } from 'react';

export function Kpi(props: {
  readonly label: string;
  readonly value: string;
  readonly sub?: string;
  readonly tone?: 'ok' | 'warn' | 'alert';
}): ReactNode {
  return (
    <div className={`kpi ${props.tone === undefined ? '' : `tone-${props.tone}`}`}>
      <span className="kpi-label">{props.label}</span>
      <span className="kpi-value">{props.value}</span>
      {props.sub === undefined ? null : <span className="kpi-sub">{props.sub}</span>}
    </div>
  );
}
