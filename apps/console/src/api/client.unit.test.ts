// The fetch wrapper: the bearer token, problem+json as a typed error, 401 signs out, a network
// failure is a value too.
import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, type FetchLike } from './client.js';

function client(fetch: FetchLike, onUnauthorized = (): void => undefined) {
  return createApiClient({ fetch, getToken: () => 'tok', onUnauthorized });
}

const json = (status: number, body: unknown, type = 'application/json'): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

describe('api client', () => {
  it('sends the bearer token and the query without empty parameters', async () => {
    let seen: { url: string; auth: string | null } | undefined;
    const api = client((url, init) => {
      seen = { url, auth: new Headers(init?.headers).get('authorization') };
      return Promise.resolve(json(200, { asOfPosition: 1 }));
    });
    await api.get('/incidents', { status: 'open', severity: undefined, communeId: '' });
    expect(seen).toEqual({ url: '/api/v1/incidents?status=open', auth: 'Bearer tok' });
  });

  it('turns problem+json into an ApiError with its code', async () => {
    const api = client(() =>
      Promise.resolve(
        json(
          422,
          { title: 'Rule', status: 422, code: 'INCIDENT.ILLEGAL_TRANSITION', detail: 'no' },
          'application/problem+json',
        ),
      ),
    );
    const error: unknown = await api.post('/incidents/x/resolve', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, code: 'INCIDENT.ILLEGAL_TRANSITION', detail: 'no' });
  });

  it('signs out on 401 and names a non-problem failure by its status', async () => {
    let signedOut = false;
    const api = client(
      () => Promise.resolve(new Response('gateway down', { status: 502 })),
      () => (signedOut = true),
    );
    await expect(api.get('/overview')).rejects.toMatchObject({ code: 'HTTP_502' });
    expect(signedOut).toBe(false);
    const unauthorized = client(
      () => Promise.resolve(json(401, { title: 'No', status: 401, code: 'UNAUTHENTICATED' })),
      () => (signedOut = true),
    );
    await expect(unauthorized.get('/overview')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(signedOut).toBe(true);
  });

  it('reports a network failure as code NETWORK', async () => {
    const api = client(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(api.get('/overview')).rejects.toMatchObject({ code: 'NETWORK', status: 0 });
  });

  it('sends an idempotency key with every command', async () => {
    let key: string | null = null;
    const api = client((_url, init) => {
      key = new Headers(init?.headers).get('idempotency-key');
      return Promise.resolve(json(201, { eventIds: [], position: 3 }));
    });
    await api.post('/incidents/x/acknowledge', {});
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
  });
});
