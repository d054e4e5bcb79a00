// Builds the OpenAPI 3.1 document from the routes Nest has (so no route can be missing from it),
// the roles on each (`x-roles`), and the zod schemas given by @ApiDoc (JSON Schema by zod itself).
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { z } from 'zod';
import { ALLOWED_ROLES, PUBLIC_ROUTE } from '../auth/decorators.js';
import type { Role } from '../auth/principal.js';
import { API_DOC, type ApiDocOptions } from './api-doc.decorator.js';

/** A controller class as Nest discovered it. */
export type ControllerClass = abstract new (...args: never[]) => unknown;

type JsonSchema = Record<string, unknown>;

const problemSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: {
      type: 'string',
      description: 'Stable code: VALIDATION_FAILED, FORBIDDEN_SCOPE, TURNOUT.DECREASED, …',
    },
    detail: { type: 'string' },
    errors: { type: 'array', items: { type: 'object' } },
    details: { type: 'object' },
  },
};

const commandAcceptedSchema: JsonSchema = {
  type: 'object',
  required: ['eventIds', 'position'],
  properties: {
    eventIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
    position: { type: 'integer', description: 'Global log position of the last event' },
  },
};

const errorStatuses: Record<number, string> = {
  400: 'Malformed or invalid (VALIDATION_FAILED)',
  401: 'No or bad token (UNAUTHENTICATED)',
  403: 'Role or scope (FORBIDDEN_ROLE, FORBIDDEN_SCOPE)',
  404: 'Unknown id (NOT_FOUND)',
  409: 'Conflict (STALE_REVISION, IDEMPOTENCY_KEY_REUSED)',
  413: 'Body too large',
  422: 'A domain rule refused the command (its code)',
  429: 'Rate limited (RATE_LIMITED, with Retry-After)',
  503: 'A dependency is away (UNAVAILABLE, with Retry-After)',
};

const methodNames: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.DELETE]: 'delete',
  [RequestMethod.PATCH]: 'patch',
};

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

/** `api/v1/polling-areas` + `:pollingAreaId/open` → `/api/v1/polling-areas/{pollingAreaId}/open`. */
export function openApiPath(...parts: readonly string[]): { path: string; params: string[] } {
  const joined = parts
    .flatMap((p) => p.split('/'))
    .filter((s) => s.length > 0)
    .join('/');
  const params: string[] = [];
  const path = `/${joined}`.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path, params };
}

function queryParameters(schema: z.ZodType): JsonSchema[] {
  const json = jsonSchemaOf(schema);
  const properties = (json['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json['required'] ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema: property,
  }));
}

function asStringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function buildOpenApiDocument(
  controllers: readonly ControllerClass[],
  info: { title: string; version: string },
): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const controller of controllers) {
    const prefix = asStringArray([Reflect.getMetadata(PATH_METADATA, controller)])[0] ?? '';
    const classPublic = Reflect.getMetadata(PUBLIC_ROUTE, controller) === true;
    const classRoles: unknown = Reflect.getMetadata(ALLOWED_ROLES, controller);
    const proto = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const routePath: unknown = Reflect.getMetadata(PATH_METADATA, handler);
      const method: unknown = Reflect.getMetadata(METHOD_METADATA, handler);
      if (typeof method !== 'number') continue;
      const verb = methodNames[method as RequestMethod];
      if (verb === undefined) continue;
      const subPaths = Array.isArray(routePath) ? asStringArray(routePath) : [String(routePath)];
      const doc = Reflect.getMetadata(API_DOC, handler) as ApiDocOptions | undefined;
      const isPublic = classPublic || Reflect.getMetadata(PUBLIC_ROUTE, handler) === true;
      const roles = (Reflect.getMetadata(ALLOWED_ROLES, handler) ?? classRoles) as
        readonly Role[] | undefined;
      for (const sub of subPaths) {
        const { path, params } = openApiPath(prefix, sub);
        const success = doc?.status ?? (verb === 'post' ? 201 : 200);
        const operation: JsonSchema = {
          operationId: `${controller.name.replace(/Controller$/, '')}.${name}`,
          summary: doc?.summary ?? name,
          ...(doc?.description ? { description: doc.description } : {}),
          tags: [doc?.tag ?? controller.name.replace(/Controller$/, '').toLowerCase()],
          ...(isPublic ? { security: [] } : { 'x-roles': roles ?? 'any signed-in role' }),
          parameters: [
            ...params.map((p) => ({
              name: p,
              in: 'path',
              required: true,
              schema: { type: 'string' },
            })),
            ...(verb === 'post' && !isPublic
              ? [
                  {
                    name: 'Idempotency-Key',
                    in: 'header',
                    required: false,
                    schema: { type: 'string', format: 'uuid' },
                  },
                ]
              : []),
            ...(doc?.query ? queryParameters(doc.query) : []),
          ],
          ...(doc?.body
            ? {
                requestBody: {
                  required: true,
                  content: {
                    [doc.bodyContentType ?? 'application/json']: { schema: jsonSchemaOf(doc.body) },
                  },
                },
              }
            : {}),
          responses: {
            [String(success)]: {
              description: verb === 'post' ? 'Committed in the ledger' : 'OK',
              content: {
                'application/json': {
                  schema: doc?.response
                    ? jsonSchemaOf(doc.response)
                    : verb === 'post'
                      ? commandAcceptedSchema
                      : { type: 'object' },
                },
              },
            },
            ...Object.fromEntries(
              Object.entries(errorStatuses).map(([status, description]) => [
                status,
                {
                  description,
                  content: {
                    'application/problem+json': {
                      schema: { $ref: '#/components/schemas/Problem' },
                    },
                  },
                },
              ]),
            ),
          },
        };
        paths[path] = { ...paths[path], [verb]: operation };
      }
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      ...info,
      description:
        'Hải Phòng election-day monitoring platform: the HTTP contract of design/api.md, generated from the routes and their zod schemas.',
    },
    servers: [{ url: '/' }],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas: { Problem: problemSchema, CommandAccepted: commandAcceptedSchema },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    security: [{ bearer: [] }],
  };
}
