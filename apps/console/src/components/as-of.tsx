// "As of position N, updated 5 seconds ago": where every figure on a page comes from.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatAge, formatNumber } from '../format.js';
import { useNow } from './use-now.js';

export function AsOf(props: { readonly position: number; readonly updatedAt: number }): ReactNode {
  const { t, i18n } = useTranslation();
  const now = useNow();
  return (
    <p className="as-of" data-testid="as-of">
      {t('asOf.position', { position: formatNumber(props.position, i18n.language) })}
      {' · '}
      {t('asOf.updated', { age: formatAge(now - props.updatedAt, i18n.language) })}
    </p>
  );
}
