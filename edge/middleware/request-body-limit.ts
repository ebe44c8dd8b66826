/**
 * Every request body, on every route and before any handler sees it: at most BODY_MAX_BYTES (413 as soon as a
 * Content-Length announces more or a chunked body grows past it, without reading the rest) and all of it within
 * BODY_READ_TIMEOUT_MS (408 when it stalls or trickles). Without this a login with a 50 MB body was read whole
 * into memory and a slow body held its request open for five minutes.
 *
 * Why not hono/body-limit alone: it checks the size the same way but has no time-out, and a body that stops
 * arriving would still hold the request. The bytes read (at most the cap) replace the request's body, so handlers
 * read it as usual; routes with tighter caps (device routes: hono/body-limit via json-body-limit.ts) apply them
 * afterwards. Routes that stream a larger body themselves under limits of their own (the camera frame upload)
 * are passed through untouched.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { readLimitedBody } from '../domain/read-limited-body.ts';

export interface RequestBodyLimits {
  maxBytes: number;
  /** The whole body must have arrived within this, whether it stalls or trickles. */
  timeoutMs: number;
  /** Paths whose handlers read the body themselves under their own (documented) limits. */
  ownLimits?: readonly string[];
  /** Paths whose documented cap differs from maxBytes (a device batch may always be 1 MiB, whatever BODY_MAX_BYTES says). */
  routeMaxBytes?: Readonly<Record<string, number>>;
}

export function requestBodyLimit(limits: RequestBodyLimits): MiddlewareHandler<AppEnv> {
  const ownLimits = new Set(limits.ownLimits ?? []);
  return async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body || ownLimits.has(c.req.path)) return next();
    const maxBytes = limits.routeMaxBytes?.[c.req.path] ?? limits.maxBytes;
    const bytes = await readLimitedBody(raw.body, raw.headers.get('content-length') ?? undefined, maxBytes, limits.timeoutMs, limits.timeoutMs);
    // Stream chunks are plain ArrayBuffer views, never shared memory.
    c.req.raw = new Request(raw, { body: bytes as Uint8Array<ArrayBuffer> });
    return next();
  };
}
