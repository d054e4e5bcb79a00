// The frame around every page: the title, the role's navigation, the language switch, who is
// signed in, the live state and the banner when the live feed is lost.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useLocation } from 'react-router';
import { useSignedIn, useSession } from '../api/session.js';
import { rememberLanguage, type Language } from '../i18n/i18n.js';
import { navigationFor } from '../navigation.js';
import { LiveBanner, LiveIndicator } from './live-banner.js';
import { PageBoundary } from './page-boundary.js';

export function LanguageSwitch(): ReactNode {
  const { t, i18n } = useTranslation();
  const next: Language = i18n.language === 'en' ? 'vi' : 'en';
  return (
    <button
      type="button"
      className="language"
      lang={next}
      onClick={() => {
        rememberLanguage(next);
        void i18n.changeLanguage(next);
        document.documentElement.lang = next;
      }}
    >
      {t('language.switch')}
    </button>
  );
}

export function Layout(props: { readonly children: ReactNode }): ReactNode {
  const { t } = useTranslation();
  const session = useSignedIn();
  const { signOut } = useSession();
  const items = navigationFor(session.role, session.scope);
  const { pathname } = useLocation();
  return (
    <div className="shell">
      <a className="skip" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="top">
        <div className="brand">
          <span className="brand-title">{t('app.title')}</span>
          <span className="brand-sub">{t('app.subtitle')}</span>
        </div>
        <nav aria-label={t('nav.label')}>
          <ul>
            {items.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.to === '/'}>
                  {t(item.label)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="tools">
          <LiveIndicator />
          <LanguageSwitch />
          <span className="who">
            {session.username} · {t(`role.${session.role}`)}
          </span>
          <button type="button" onClick={signOut}>
            {t('auth.signOut')}
          </button>
        </div>
      </header>
      <LiveBanner />
      <main id="main" tabIndex={-1}>
        {/* Keyed by the page: leaving a page that failed gives the next one a fresh start. */}
        <PageBoundary key={pathname}>{props.children}</PageBoundary>
      </main>
    </div>
  );
}
