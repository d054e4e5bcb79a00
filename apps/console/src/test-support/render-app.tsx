// Renders the console as a user would reach it, with a test fetch standing in for the gateway
// (the HTTP server is the boundary) and a controllable EventSource standing in for /live.
import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { AppRoutes, createQueryClient, Providers } from '../app.js';
import type { FetchLike } from '../api/client.js';
import type { EventSourceLike } from '../api/live.js';
import type { Session } from '../api/session.js';
import type { Problem, Role, Scope } from '../api/types.js';
import { createI18n, type Language } from '../i18n/i18n.js';

export type Route = unknown | ((url: URL, init: RequestInit | undefined) => unknown);

export interface TestFetch {
  readonly fetch: FetchLike;
  readonly calls: { readonly method: string; readonly url: URL; readonly body: unknown }[];
}

export function problem(status: number, code: string, detail: string): Response {
  const body: Problem = { type: 'about:blank', title: 'Service Unavailable', status, code, detail };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
}

/** A test fetch answering `METHOD /path` (path under /api/v1, without the query) from `routes`;
 * a Response is returned as is, anything else as JSON; an unknown route is a 404 problem. */
export function testFetch(routes: Readonly<Record<string, Route>>): TestFetch {
  const calls: TestFetch['calls'] = [];
  const fetch: FetchLike = (input, init) => {
    const url = new URL(input, 'http://console.test');
    const method = init?.method ?? 'GET';
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method, url, body });
    const key = `${method} ${url.pathname.replace(/^\/api\/v1/, '')}`;
    if (!(key in routes)) return Promise.resolve(problem(404, 'NOT_FOUND', `no route ${key}`));
    const route = routes[key];
    const answer =
      typeof route === 'function'
        ? (route as (u: URL, i?: RequestInit) => unknown)(url, init)
        : route;
    if (answer instanceof Response) return Promise.resolve(answer);
    return Promise.resolve(
      new Response(JSON.stringify(answer), {
        status: method === 'POST' ? 201 : 200,
        headers: { 'content-type': 'application/json' },
      }),
    );
  };
  return { fetch, calls };
}

/** An EventSource the test drives: open it, drop it, push events. */
export class FakeEventSource implements EventSourceLike {
  static last: FakeEventSource | undefined;
  readyState = 0;
  onopen: EventSourceLike['onopen'] = null;
  onerror: EventSourceLike['onerror'] = null;
  readonly url: string;
  private readonly listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();

  constructor(url: string) {
    this.url = url;
    FakeEventSource.last = this;
  }

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.readyState = 2;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.call(this as unknown as EventSource, new Event('open'));
  }

  /** The network dropped; the browser is retrying by itself. */
  drop(): void {
    this.readyState = 0;
    this.onerror?.call(this as unknown as EventSource, new Event('error'));
  }

  emit(type: string, data: unknown): void {
    const event = new MessageEvent<string>(type, { data: JSON.stringify(data) });
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

export function sessionFor(role: Role, scope: Scope = {}, username: string = role): Session {
  return {
    username,
    accessToken: `token-${username}`,
    role,
    scope,
    expiresAt: Date.now() + 3_600_000,
  };
}

export function renderApp(options: {
  readonly routes: Readonly<Record<string, Route>>;
  readonly path?: string;
  readonly session?: Session;
  readonly language?: Language;
}): RenderResult & TestFetch {
  const api = testFetch(options.routes);
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { retry: false, refetchInterval: false } });
  const tree: ReactNode = (
    <Providers
      fetch={api.fetch}
      eventSource={(url) => new FakeEventSource(url)}
      i18n={createI18n(options.language ?? 'vi')}
      queryClient={queryClient}
      {...(options.session === undefined ? {} : { initialSession: options.session })}
    >
      <MemoryRouter initialEntries={[options.path ?? '/']}>
        <AppRoutes />
      </MemoryRouter>
    </Providers>
  );
  return { ...render(tree), ...api };
}
