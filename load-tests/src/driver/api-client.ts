// The driver's HTTP side: a keep-alive connection pool (undici's own request API: the load
// generator shares the machine with the stack, and fetch costs it about three times the CPU per
// request), sign-in of one token per user, and sending a RequestSpec with timing and the problem code.
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import type { RequestSpec } from '../scenarios/definitions.ts';

export interface SentRequest {
  /** 0 when the request never got an answer (connection refused, reset, timeout). */
  readonly status: number;
  readonly ms: number;
  /** problem+json `code`, or a transport error name. */
  readonly code?: string;
  readonly body?: unknown;
  /** A 404 for the route itself (not an unknown id) or a 501: the endpoint is not built yet. */
  readonly endpointMissing: boolean;
}

export class ApiClient {
  private readonly tokens = new Map<string, string>();
  private readonly pool: Pool;

  constructor(
    readonly baseUrl: string,
    private readonly password: string,
    private readonly timeoutMs = 30_000,
    connections = 256,
  ) {
    this.pool = new Pool(new URL(baseUrl).origin, {
      connections,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  }

  /** Closes the pooled connections (the process can then exit on its own). */
  close(): Promise<void> {
    return this.pool.close();
  }

  async signIn(username: string): Promise<void> {
    if (this.tokens.has(username)) return;
    const res = await this.raw('POST', '/api/v1/auth/token', { username, password: this.password });
    const token = (res.body as { accessToken?: unknown } | undefined)?.accessToken;
    if (res.status !== 200 || typeof token !== 'string') {
      throw new Error(`sign-in of ${username} failed: HTTP ${res.status} ${res.code ?? ''}`);
    }
    this.tokens.set(username, token);
  }

  /** Signs users in a few at a time; the login limiter counts per user, so this is allowed. */
  async signInAll(usernames: readonly string[], concurrency = 8): Promise<void> {
    const queue = [...usernames];
    const worker = async (): Promise<void> => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        await this.signIn(name);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  async send(spec: RequestSpec): Promise<SentRequest> {
    const token = this.tokens.get(spec.user);
    if (token === undefined) throw new Error(`no token for ${spec.user}: sign in first`);
    return this.raw(spec.method, spec.path, spec.body, {
      ...spec.headers,
      authorization: `Bearer ${token}`,
    });
  }

  /** The Authorization header of `user` (signed in first when needed). */
  async authorization(user: string): Promise<Record<string, string>> {
    await this.signIn(user);
    return { authorization: `Bearer ${this.tokens.get(user) ?? ''}` };
  }

  /** Drops a token the gateway no longer accepts, so the next request signs in again. */
  forget(user: string): void {
    this.tokens.delete(user);
  }

  async get(path: string, user: string): Promise<SentRequest> {
    await this.signIn(user);
    const token = this.tokens.get(user) ?? '';
    return this.raw('GET', path, undefined, { authorization: `Bearer ${token}` });
  }

  async raw(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<SentRequest> {
    const started = performance.now();
    try {
      const prefix = new URL(this.baseUrl).pathname.replace(/\/$/, '');
      const res = await this.pool.request({
        path: `${prefix}${path}`,
        method: method as 'GET' | 'POST',
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.body.text();
      const ms = performance.now() - started;
      const parsed = parseJson(text);
      const problem = parsed as { code?: unknown; detail?: unknown } | undefined;
      const code = typeof problem?.code === 'string' ? problem.code : undefined;
      const detail = typeof problem?.detail === 'string' ? problem.detail : '';
      // Nest answers an unknown route with "Cannot POST /path"; an unknown id has its own detail.
      const endpointMissing =
        res.statusCode === 501 ||
        (res.statusCode === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE) /.test(detail));
      return {
        status: res.statusCode,
        ms,
        ...(code === undefined ? {} : { code }),
        body: parsed,
        endpointMissing,
      };
    } catch (error) {
      const name =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.name
          : 'error';
      return {
        status: 0,
        ms: performance.now() - started,
        code: `NETWORK: ${name}`,
        endpointMissing: false,
      };
    }
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
