// The OpenAPI document on a real gateway: public, lists every route Nest serves with its roles, and
// carries the zod schemas of the bodies (the same ones that validate requests).
import type {} from '@hpe/test-kit/global-setup';
import { freePort } from '@hpe/embedded';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startGateway, type RunningGateway } from '../gateway.js';
import { loadGatewaySettings } from '../settings.js';

interface Operation {
  'x-roles'?: unknown;
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
  responses: Record<string, unknown>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

let gateway: RunningGateway;
let doc: Document;

beforeAll(async () => {
  gateway = await startGateway(
    loadGatewaySettings({
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      DATABASE_URL: inject('postgresUrl'),
      NATS_URL: inject('natsUrl'),
    }),
  );
  const res = await fetch(`${gateway.url}/api/v1/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as Document;
});
afterAll(async () => {
  await gateway.close();
});

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document with every route the gateway serves', () => {
    expect(doc.openapi).toBe('3.1.0');
    const routes = gateway.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
    for (const path of Object.keys(doc.paths)) {
      const last = path.split('/').at(-1) ?? '';
      expect(routes).toContain(last.startsWith('{') ? ':' : last);
    }
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/token',
        '/api/v1/polling-areas/{pollingAreaId}/open',
        '/api/v1/polling-areas/{pollingAreaId}/turnout-reports',
        '/health/ready',
      ]),
    );
  });

  it('names the roles of each command and the schema of its body', () => {
    const report = doc.paths['/api/v1/polling-areas/{pollingAreaId}/turnout-reports']?.['post'];
    expect(report?.['x-roles']).toEqual(['admin', 'commune', 'reporter']);
    const body = report?.requestBody?.content['application/json']?.schema;
    expect(Object.keys(body?.properties ?? {}).sort()).toEqual(['asOf', 'votersVoted']);
    expect(Object.keys(report?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '403', '409', '422']),
    );
    expect(doc.paths['/api/v1/auth/token']?.['post']?.security).toEqual([]);
  });

  it('documents the verification of the ledger for admins and auditors, with its range', () => {
    const verify = doc.paths['/api/v1/ledger/verify']?.['get'];
    expect(verify?.['x-roles']).toEqual(['admin', 'auditor']);
    expect(
      verify?.parameters?.map((p) => ({ name: p.name, in: p.in, required: p.required })),
    ).toEqual([
      { name: 'fromPosition', in: 'query', required: false },
      { name: 'toPosition', in: 'query', required: false },
    ]);
    expect(verify?.parameters?.[0]?.schema).toMatchObject({
      type: 'string',
      pattern: '^\\d{1,16}$',
    });
    expect(Object.keys(verify?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403']),
    );
  });
});
