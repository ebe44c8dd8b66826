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
 * A body with a Content-Length is read in one call (`arrayBuffer()`, raced against the time-out): the runtime
 * already stops at the declared length, and on Node this reads the socket directly instead of building a web
 * stream and a second Request per call — at thousands of device batches a second that was a tenth of the server's
 * CPU. A chunked body is read chunk by chunk, so it is refused as soon as it grows past the cap.
 */
import type { HonoRequest, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
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

const DECLARED_LENGTH = /^\s*\d+\s*$/;

export function requestBodyLimit(limits: RequestBodyLimits): MiddlewareHandler<AppEnv> {
  const ownLimits = new Set(limits.ownLimits ?? []);
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || ownLimits.has(c.req.path)) return next();
    const raw = c.req.raw;
    const maxBytes = limits.routeMaxBytes?.[c.req.path] ?? limits.maxBytes;
    const declared = raw.headers.get('content-length');
    if (declared !== null && DECLARED_LENGTH.test(declared) && !raw.headers.has('transfer-encoding')) {
      const length = Number(declared);
      if (length > maxBytes) {
        void raw.body?.cancel().catch(() => {});
        throw new AppError('payload_too_large', `the body is larger than ${maxBytes} bytes`, { details: { max_bytes: maxBytes } });
      }
      if (length > 0) cacheBody(c.req, await readDeclared(raw, length, maxBytes, limits.timeoutMs));
      return next();
    }
    if (!raw.body) return next();
    cacheBody(c.req, await readLimitedBody(raw.body, undefined, maxBytes, limits.timeoutMs, limits.timeoutMs));
    return next();
  };
}

/** The body's bytes once `length` of them have arrived; 408 when they do not within `timeoutMs`. */
async function readDeclared(raw: Request, length: number, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AppError('request_timeout', `the body stalled: not all ${length} bytes of its Content-Length arrived within ${timeoutMs} ms`, {
            details: { reason: 'body_stalled', idle_timeout_ms: timeoutMs },
          }),
        ),
      timeoutMs,
    );
  });
  const reading = raw.arrayBuffer();
  // Once the time-out has answered, a read that fails later (the client hangs up) is nobody's error.
  reading.catch(() => {});
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await Promise.race([reading, timeout]));
  } finally {
    clearTimeout(timer);
  }
  // Only a request made in-process can carry more than it declared; the cap still holds for it.
  if (bytes.byteLength > maxBytes) throw new AppError('payload_too_large', `the body is larger than ${maxBytes} bytes`, { details: { max_bytes: maxBytes } });
  if (bytes.byteLength < length) {
    // Only where the runtime ends the body early instead of waiting for the missing bytes.
    throw new AppError('bad_request', `the body ended after ${bytes.byteLength} of the ${length} bytes its Content-Length announced`, {
      details: { reason: 'body_incomplete', received_bytes: bytes.byteLength, content_length: length },
    });
  }
  return bytes;
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
