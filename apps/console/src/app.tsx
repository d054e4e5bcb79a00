// The console: providers (queries, language, session, live feed) and the routes, with each role
// kept to its own pages and scope. main.tsx mounts it in a browser router; tests in a memory one.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { i18n } from 'i18next';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import type { FetchLike } from './api/client.js';
import { LiveProvider, type EventSourceFactory } from './api/live.js';
import { SessionProvider, useSession, type Session } from './api/session.js';
import type { Role, Scope } from './api/types.js';
import { Layout } from './components/layout.js';
import { homeFor, navigationFor } from './navigation.js';
import { AnomaliesPage } from './pages/anomalies.js';
import { AuditPage } from './pages/audit.js';
import { CommunePage } from './pages/commune.js';
import { CommunesPage } from './pages/communes.js';
import { IncidentsPage } from './pages/incidents.js';
import { OverviewPage } from './pages/overview.js';
import { PollingAreaPage } from './pages/polling-area.js';
import { ResultsPage } from './pages/results.js';
import { SignInPage } from './pages/sign-in.js';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // The live feed invalidates what changed; polling is only the fallback when it is down.
        staleTime: 5_000,
        refetchInterval: 60_000,
        retry: (count, error) =>
          count < 2 && !(error instanceof Error && 'status' in error && error.status !== 0),
      },
    },
  });
}

export interface AppDeps {
  readonly fetch: FetchLike;
  readonly eventSource: EventSourceFactory;
  readonly i18n: i18n;
  readonly queryClient: QueryClient;
  readonly initialSession?: Session;
}

export function Providers(props: AppDeps & { readonly children: ReactNode }): ReactNode {
  return (
    <QueryClientProvider client={props.queryClient}>
      <I18nextProvider i18n={props.i18n}>
        <SessionProvider
          fetch={props.fetch}
          {...(props.initialSession === undefined ? {} : { initialSession: props.initialSession })}
        >
          <LiveProvider eventSource={props.eventSource}>{props.children}</LiveProvider>
        </SessionProvider>
      </I18nextProvider>
    </QueryClientProvider>
  );
}

/** May this role open this path? Top-level pages follow the navigation; drill-downs the scope. */
export function mayOpen(role: Role, scope: Scope, path: string): boolean {
  const nav = navigationFor(role, scope).map((item) => item.to);
  const area = /^\/areas\/([^/]+)$/.exec(path);
  const commune = /^\/communes\/([^/]+)$/.exec(path);
  if (role === 'reporter') return area !== null && area[1] === scope.pollingAreaId;
  if (role === 'commune') {
    // A commune account opens its own areas; the gateway refuses any other with FORBIDDEN_SCOPE.
    if (commune !== null) return commune[1] === scope.communeId;
    return area !== null || nav.some((to) => path === to || path.startsWith(`${to}/`));
  }
  if (area !== null || commune !== null) return true;
  return nav.some((to) => (to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`)));
}

function Guard(props: { readonly children: ReactNode }): ReactNode {
  const { session } = useSession();
  const location = useLocation();
  if (session === undefined) return <SignInPage />;
  if (!mayOpen(session.role, session.scope, location.pathname)) {
    const home = homeFor(session.role, session.scope);
    return home === location.pathname ? null : <Navigate to={home} replace />;
  }
  return <Layout>{props.children}</Layout>;
}

export function AppRoutes(): ReactNode {
  return (
    <Guard>
      <Routes>
        <Route path="/" element={<OverviewPage />} />
        <Route path="/communes" element={<CommunesPage />} />
        <Route path="/communes/:communeId" element={<CommunePage />} />
        <Route path="/areas/:pollingAreaId" element={<PollingAreaPage />} />
        <Route path="/results" element={<ResultsPage />} />
        <Route path="/results/:level" element={<ResultsPage />} />
        <Route path="/anomalies" element={<AnomaliesPage />} />
        <Route path="/incidents" element={<IncidentsPage />} />
        <Route path="/audit" element={<AuditPage />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Guard>
  );
}
