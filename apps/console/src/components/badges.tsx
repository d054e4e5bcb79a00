// Status and severity as text with a colour, never colour alone.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Severity } from '../api/types.js';

export function SeverityBadge(props: { readonly severity: Severity }): ReactNode {
  const { t } = useTranslation();
  return (
    <span className={`badge severity-${props.severity}`}>{t(`severity.${props.severity}`)}</span>
  );
}

export function Badge(props: { readonly tone: string; readonly children: ReactNode }): ReactNode {
  return <span className={`badge tone-${props.tone}`}>{props.children}</span>;
}
