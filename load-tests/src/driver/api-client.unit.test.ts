import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTurnoutReport } from '../scenarios/definitions.ts';
import type { FixtureView } from '../scenarios/fixture.ts';
import { ApiClient } from './api-client.ts';
import { ScenarioStats } from './scenario-stats.ts';

// A loopback server that answers like the gateway: a missing route, an unknown id, a 501, a 201.
let server: Server;
let baseUrl = '';
const problem = (status: number, code: string, detail: string): string =>
  JSON.stringify({ type: 'about:blank', title: 'x', status, code, detail });

beforeAll(async () => {
  server = createServer((req, res) => {
    const send = (status: number, body: string, type = 'application/problem+json'): void => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (req.url === '/api/v1/auth/token') {
      send(200, JSON.stringify({ accessToken: 'token-1' }), 'application/json');
    } else if (req.url === '/api/v1/nope') {
      send(404, problem(404, 'NOT_FOUND', 'Cannot POST /api/v1/nope'));
    } else if (req.url === '/api/v1/polling-areas/PA-00000-000/turnout-reports') {
      send(404, problem(404, 'NOT_FOUND', 'polling area PA-00000-000 is not registered'));
    } else if (req.url === '/api/v1/later') {
      send(501, problem(501, 'NOT_IMPLEMENTED', 'later'));
    } else if (req.headers.authorization === 'Bearer token-1') {
      send(201, JSON.stringify({ eventIds: ['e'], position: 42 }), 'application/json');
    } else {
      send(401, problem(401, 'UNAUTHENTICATED', 'no token'));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('ApiClient', () => {
  it('tells a missing endpoint from an unknown id and from a refusal', async () => {
    const client = new ApiClient(baseUrl, 'pw');
    expect(await client.raw('POST', '/api/v1/nope', {})).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      endpointMissing: true,
    });
    expect(
      await client.raw('POST', '/api/v1/polling-areas/PA-00000-000/turnout-reports', {}),
    ).toMatchObject({ status: 404, endpointMissing: false });
    expect(await client.raw('GET', '/api/v1/later')).toMatchObject({
      status: 501,
      endpointMissing: true,
    });
    expect(await client.raw('GET', '/api/v1/x')).toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  });

  it('reports a connection that never answered as status 0', async () => {
    const client = new ApiClient('http://127.0.0.1:1', 'pw', 2_000);
    const sent = await client.raw('GET', '/');
    expect(sent.status).toBe(0);
    expect(sent.code).toMatch(/^NETWORK/);
  });

  it('sends as the signed-in user and records the 201 per area with its figure', async () => {
    const client = new ApiClient(baseUrl, 'pw');
    const fixture: FixtureView = {
      createdAtMs: Date.now() - 3 * 3_600_000,
      areas: [
        {
          pollingAreaId: 'PA-10507-001',
          communeId: '10507',
          votersOnList: 1_000,
          electionDate: '2026-03-15',
          units: { na: 'NA-6', city: 'CITY-14', commune: 'C-10507-01' },
        },
      ],
      units: [],
      cards: [],
    };
    const spec = buildTurnoutReport(fixture, { iteration: 0, nowMs: Date.now() });
    if (spec === null) throw new Error('no request built');
    await expect(client.send(spec)).rejects.toThrow(/sign in first/);
    await client.signIn(spec.user);
    const stats = new ScenarioStats();
    stats.record(spec, await client.send(spec));
    const figure = (spec.body as { votersVoted: number }).votersVoted;
    expect(figure).toBeGreaterThan(0);
    expect(stats).toMatchObject({ requests: 1, ok: 1, failed: 0, maxPosition: 42 });
    expect(stats.acceptedByArea).toEqual({ 'PA-10507-001': 1 });
    expect(stats.lastTurnout).toEqual({ 'PA-10507-001': figure });
    stats.record(spec, {
      status: 422,
      ms: 3,
      code: 'TURNOUT.OUT_OF_ORDER',
      endpointMissing: false,
    });
    expect(stats.errorRate()).toBe(0.5);
    expect(Object.fromEntries(stats.codes)).toEqual({ '422 TURNOUT.OUT_OF_ORDER': 1 });
  });
});
