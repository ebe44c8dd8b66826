/**
 * Every request body, on every route and before any handler sees it: at most BODY_MAX_BYTES (413 as soon as a
 * Content-Length announces more or a chunked body grows past it, without reading the rest) and all of it within
 * BODY_READ_TIMEOUT_MS (408 when it stalls or trickles). Without this a login with a 50 MB body was read whole
 * into memory and a slow body held its request open for five minutes.
 *
 * Why not hono/body-limit alone: it checks the size the same way but has no time-out, and a body that stops
 * arriving would still hold the request. The bytes read (at most the cap) go into Hono's body cache, so handlers
 * read them as usual through `c.req` (json, text, arrayBuffer, parseBody, the validators); the raw request's
 * stream is spent. Routes with tighter caps (device routes: json-body-limit.ts) check them on those bytes. Routes
 * that stream a larger body themselves under limits of their own (the camera frame upload) are passed through
 * untouched.
 *
 * A body with a Content-Length is read in one call (readDeclaredBody): building a web stream and a second Request
 * for every device batch was a tenth of the server's CPU at thousands a second. A chunked body is read chunk by
 * chunk (readLimitedBody), so it is refused as soon as it grows past the cap.
 */
import type { HonoRequest, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { declaredLength, readDeclaredBody, readLimitedBody } from '../domain/read-limited-body.ts';

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
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || ownLimits.has(c.req.path)) return next();
    const raw = c.req.raw;
    const maxBytes = limits.routeMaxBytes?.[c.req.path] ?? limits.maxBytes;
    const declared = raw.headers.has('transfer-encoding') ? null : declaredLength(raw.headers.get('content-length'));
    if (declared !== null) {
      if (declared > 0) cacheBody(c.req, await readDeclaredBody(raw, declared, maxBytes, limits.timeoutMs));
    } else if (raw.body) cacheBody(c.req, await readLimitedBody(raw.body, undefined, maxBytes, limits.timeoutMs, limits.timeoutMs));
    return next();
  };
}

const decoder = new TextDecoder();

/**
 * Gives the handlers the bytes through Hono's body cache: arrayBuffer() as read, and text() (which json() reads)
 * decoded only when first asked for.
 */
function cacheBody(req: HonoRequest, bytes: Uint8Array): void {
  const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
  let text: Promise<string> | undefined;
  // Hono keeps promises here, whatever its type says.
  const cache = req.bodyCache as { arrayBuffer?: Promise<ArrayBuffer> };
  cache.arrayBuffer = Promise.resolve(buffer as ArrayBuffer);
  Object.defineProperty(cache, 'text', { enumerable: true, configurable: true, get: () => (text ??= Promise.resolve(decoder.decode(bytes))) });
}

/** The body requestBodyLimit already read, if it read one. */
export async function bodyReadBefore(req: HonoRequest): Promise<ArrayBuffer | undefined> {
  return (req.bodyCache as { arrayBuffer?: Promise<ArrayBuffer> }).arrayBuffer;
}
