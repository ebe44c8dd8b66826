/**
 * OpenAPI descriptions live beside each route, built from the same zod schemas the route validates with,
 * and are assembled into one OpenAPI 3.1 document here.
 */
import { z } from 'zod';

export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Hono-style path (`/api/v1/vehicles/:id`). */
  path: string;
  summary: string;
  tag: string;
  /** How the caller authenticates: none, a user token or API key, a signed link, or a QStash signature. */
  auth: 'none' | 'bearer' | 'signed-link' | 'qstash';
  body?: z.ZodType;
  query?: z.ZodType;
  responses: Record<number, string>;
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, '{$1}').replace(/\*$/, '{key}');
const jsonSchema = (schema: z.ZodType) => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const errorSchema = {
  type: 'object',
  required: ['error', 'requestId'],
  properties: {
    error: { type: 'object', required: ['code', 'message', 'details'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } },
    requestId: { type: ['string', 'null'] },
  },
};

export function buildOpenApi(docs: RouteDoc[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const doc of docs) {
    const path = toOpenApiPath(doc.path);
    const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    const query = doc.query ? jsonSchema(doc.query) : undefined;
    const queryParams = query
      ? Object.entries((query.properties ?? {}) as Record<string, unknown>).map(([name, schema]) => ({
          name,
          in: 'query',
          required: ((query.required as string[] | undefined) ?? []).includes(name) && !(schema as { default?: unknown }).default,
          schema,
        }))
      : [];
    paths[path] ??= {};
    paths[path][doc.method] = {
      summary: doc.summary,
      tags: [doc.tag],
      security: doc.auth === 'bearer' ? [{ bearer: [] }, { apiKey: [] }] : [],
      parameters: [...pathParams, ...queryParams],
      ...(doc.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(doc.body) } } } } : {}),
      responses: Object.fromEntries(
        Object.entries(doc.responses).map(([status, description]) => [
          status,
          Number(status) >= 400 ? { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } : { description },
        ]),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'TaxiWatch API', version, description: 'Fleet safety platform: devices, fleet resources, sessions and integrations.' },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Access token from /api/v1/auth/login, or an API key (twk_…)' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
    },
  };
}
