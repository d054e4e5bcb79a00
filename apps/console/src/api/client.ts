// The fetch wrapper every query and command goes through: the bearer token, JSON in and out, and
// problem+json answers turned into an ApiError with their stable code. A 401 signs the user out.
import type { CommandAnswer, Problem, TokenAnswer } from './types.js';

export const apiBase = '/api/v1';

/** A problem+json answer (or a network failure, code NETWORK) as a value the views can show. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;

  constructor(problem: Problem) {
    super(`${problem.code}: ${problem.detail ?? problem.title}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.title = problem.title;
    this.detail = problem.detail;
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  /** The browser's fetch in the app; a test fetch in component tests. */
  readonly fetch: FetchLike;
  readonly getToken: () => string | undefined;
  /** Called on any 401 so the session ends and the sign-in page shows. */
  readonly onUnauthorized: () => void;
}

export type QueryParams = Readonly<Record<string, string | number | undefined>>;

export interface ApiClient {
  get<T>(path: string, params?: QueryParams): Promise<T>;
  post<T = CommandAnswer>(path: string, body: unknown): Promise<T>;
  signIn(username: string, password: string): Promise<TokenAnswer>;
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { status?: unknown }).status === 'number'
  );
}

export function withParams(path: string, params: QueryParams = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const query = search.toString();
  return `${apiBase}${path}${query === '' ? '' : `?${query}`}`;
}

async function problemOf(response: Response): Promise<Problem> {
  const fallback: Problem = {
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    code: `HTTP_${response.status}`,
  };
  try {
    const body: unknown = await response.json();
    return isProblem(body) ? body : fallback;
  } catch {
    return fallback;
  }
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  async function send<T>(url: string, init: RequestInit, authenticated: boolean): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set('accept', 'application/json, application/problem+json');
    const token = options.getToken();
    if (authenticated && token !== undefined) headers.set('authorization', `Bearer ${token}`);
    let response: Response;
    try {
      response = await options.fetch(url, { ...init, headers });
    } catch (cause) {
      throw new ApiError({
        title: 'Network error',
        status: 0,
        code: 'NETWORK',
        detail: cause instanceof Error ? cause.message : String(cause),
      });
    }
    if (!response.ok) {
      const problem = await problemOf(response);
      if (response.status === 401 && authenticated) options.onUnauthorized();
      throw new ApiError(problem);
    }
    return (await response.json()) as T;
  }

  return {
    get: (path, params) => send(withParams(path, params), { method: 'GET' }, true),
    post: (path, body) =>
      send(
        withParams(path),
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
          body: JSON.stringify(body),
        },
        true,
      ),
    signIn: (username, password) =>
      send(
        withParams('/auth/token'),
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password }),
        },
        false,
      ),
  };
}
