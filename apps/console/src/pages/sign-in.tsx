// Sign-in: username and password for a bearer token; the role and scope come with it.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { useSession } from '../api/session.js';
import { LanguageSwitch } from '../components/layout.js';
import { ProblemView } from '../components/problem-view.js';
import { homeFor } from '../navigation.js';

export function SignInPage(): ReactNode {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setPending(true);
    setError(undefined);
    try {
      const session = await signIn(username.trim(), password);
      // Signed in at the root: each role starts on its own first page (the police on incidents);
      // a deep link the user followed is kept.
      if (location.pathname === '/')
        navigate(homeFor(session.role, session.scope), { replace: true });
    } catch (cause) {
      setError(cause);
      setPending(false);
    }
  };

  return (
    <main className="sign-in" id="main">
      <form onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{t('auth.title')}</h1>
        <p>{t('app.title')}</p>
        <label htmlFor="username">{t('auth.username')}</label>
        <input
          id="username"
          autoComplete="username"
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <label htmlFor="password">{t('auth.password')}</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error === undefined ? null : <ProblemView error={error} />}
        <button type="submit" className="primary" disabled={pending}>
          {t('auth.signIn')}
        </button>
        <LanguageSwitch />
      </form>
    </main>
  );
}
