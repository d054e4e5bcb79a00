// An API failure as the reader sees it: the title, the stable code and the detail, never a crash.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.js';

export function ProblemView(props: { readonly error: unknown }): ReactNode {
  const { t } = useTranslation();
  const error = props.error;
  const code = error instanceof ApiError ? error.code : 'UNKNOWN';
  const title = error instanceof ApiError ? error.title : t('problem.unknown');
  const detail = error instanceof ApiError ? error.detail : undefined;
  return (
    <div className="problem" role="alert">
      <strong>{t('problem.heading')}</strong> {title} <code>{code}</code>
      {detail === undefined ? null : <p>{detail}</p>}
    </div>
  );
}

export function Loading(): ReactNode {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}
