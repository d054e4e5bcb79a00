// The banner shown while the live feed is down; EventSource reconnects by itself and the banner
// goes away when it does.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLive } from '../api/live.js';

export function LiveBanner(): ReactNode {
  const { t } = useTranslation();
  const { state } = useLive();
  if (state !== 'reconnecting') return null;
  return (
    <div className="banner banner-warning" role="alert">
      {t('live.lost')}
    </div>
  );
}

export function LiveIndicator(): ReactNode {
  const { t } = useTranslation();
  const { state } = useLive();
  return (
    <span className={`live live-${state}`} role="status">
      <span aria-hidden="true">●</span> {t(`live.${state}`)}
    </span>
  );
}
