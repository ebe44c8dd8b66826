/**
 * Runs fuzzed requests against an app in-process (`app.request()`), with the credentials each operation needs, and
 * judges every answer: no 5xx, no hang, and every `/api` error in the common shape with the status its code maps to.
 */
import type { Hono } from 'hono';
import { ERROR_STATUS, type ErrorCode } from '../../edge/errors.ts';
import type { FuzzRequest, JsonSchema, Operation } from './request-arbitraries.ts';

export const REQUEST_TIMEOUT_MS = 10_000;

/** Device routes authenticate with the device key; OsmAnd takes it as `id` in the query. */
const DEVICE_PATHS = [/^\/api\/v1\/tracking\//, /^\/api\/v1\/video\//, /^\/api\/v1\/devices\/heartbeat$/, /^\/api\/v1\/osmand$/];

// OsmAnd's fields are not in the OpenAPI document (its clients send a query string of their own design).
const OSMAND_QUERY: Operation['query'] = [
  ['id', { type: 'string' }], ['lat', { type: 'number', minimum: -90, maximum: 90 }], ['lon', { type: 'number', minimum: -180, maximum: 180 }],
  ['timestamp', { type: 'integer', minimum: 1_780_000_000, maximum: 1_780_300_000 }], ['speed', { type: 'number', minimum: 0, maximum: 100 }],
  ['bearing', { type: 'number', minimum: 0, maximum: 360 }], ['altitude', { type: 'number' }], ['batt', { type: 'number', minimum: 0, maximum: 100 }],
  ['location', { type: 'string' }],
].map(([name, schema]) => ({ name: name as string, schema: schema as JsonSchema }));

interface OpenApiDocument {
  paths: Record<string, Record<string, { security: unknown[]; parameters: { name: string; in: string; schema: JsonSchema }[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const device = DEVICE_PATHS.some((p) => p.test(path));
      ops.push({
        method: method.toUpperCase(),
        path,
        auth: device ? 'device' : op.security.length > 0 ? 'user' : 'none',
        pathParams: op.parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: path === '/api/v1/osmand' ? OSMAND_QUERY : op.parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema })),
        body: op.requestBody?.content['application/json']?.schema ?? null,
      });
    }
  }
  return ops;
}

export interface Credentials {
  ownerToken: string;
  deviceKey: string;
  /** An API key of the owner's fleet with every scope. */
  apiKey: string;
  /** The owner's browser session: the Cookie header and the CSRF value to echo. */
  cookie: { header: string; csrf: string };
}

export interface Outcome {
  status: number | 'hang';
  problem: string | null;
}

function withCredentials(op: Operation, request: FuzzRequest, credentials: Credentials): Request {
  const headers = new Headers(request.headers);
  const url = new URL(request.url);
  if (request.credential === 'api-key') headers.set('x-api-key', credentials.apiKey);
  else if (request.credential === 'cookie') {
    headers.set('cookie', credentials.cookie.header);
    headers.set('x-csrf-token', credentials.cookie.csrf);
  } else if (request.credential !== 'none') {
    const asDevice = (op.auth === 'device') !== (request.credential === 'other');
    const secret = request.credential === 'garbage' ? 'twk_garbage.not-a-key' : asDevice ? credentials.deviceKey : credentials.ownerToken;
    if (op.path === '/api/v1/osmand') url.searchParams.set('id', secret);
    else headers.set('authorization', `Bearer ${secret}`);
  }
  return new Request(url, { method: request.method, headers, body: request.body });
}

const isErrorShape = (body: unknown): body is { error: { code: ErrorCode; message: string; details: unknown }; requestId: string | null } => {
  const b = body as { error?: { code?: unknown; message?: unknown }; requestId?: unknown } | null;
  return !!b && typeof b.error === 'object' && b.error !== null && typeof b.error.code === 'string' && b.error.code in ERROR_STATUS && typeof b.error.message === 'string' && 'details' in b.error && (typeof b.requestId === 'string' || b.requestId === null);
};

const timeout = <T>(work: Promise<T>, ms: number): Promise<T | 'hang'> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([work, new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), ms)))]).finally(() => clearTimeout(timer));
};

/** Sends one request and returns its status and, when it breaks a rule, what is wrong. */
export async function send(app: Hono<any>, op: Operation, request: FuzzRequest, credentials: Credentials, serverLog: () => string = () => ''): Promise<Outcome> {
  const exchange = async (): Promise<Outcome> => {
    const res = await app.request(withCredentials(op, request, credentials));
    // A live stream that opened stays open: its status is the answer, its body is not awaited.
    if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      await res.body?.cancel();
      return { status: res.status, problem: res.status >= 500 ? 'server error' : null };
    }
    const text = await res.text();
    if (res.status >= 500) return { status: res.status, problem: `server error: ${text.slice(0, 300)}\n    log: ${serverLog()}` };
    if (res.status >= 400 && new URL(request.url).pathname.startsWith('/api')) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return { status: res.status, problem: `error body is not JSON: ${text.slice(0, 200)}` };
      }
      if (!isErrorShape(body)) return { status: res.status, problem: `error body not in the common shape: ${text.slice(0, 200)}` };
      if (ERROR_STATUS[body.error.code] !== res.status) return { status: res.status, problem: `code ${body.error.code} answered with ${res.status}` };
    }
    return { status: res.status, problem: null };
  };
  const outcome = await timeout(exchange().catch((error: unknown) => ({ status: 0, problem: `request threw: ${String(error)}` })), REQUEST_TIMEOUT_MS);
  return outcome === 'hang' ? { status: 'hang', problem: `no answer within ${REQUEST_TIMEOUT_MS} ms` } : outcome;
}
