/**
 * Bounded reads of a request body that give up as soon as the body grows past its limit or stops arriving, so no
 * sender can make us buffer more than the limit or hold a request open longer than the time-out: streamed
 * (readLimitedBody: every camera frame, frames/read-upload.ts, and chunked JSON bodies) or in one call when the
 * length is declared (readDeclaredBody: JSON bodies with a Content-Length, middleware/request-body-limit.ts).
 * Web APIs only: the same on Workers, Deno and Node.
 */
import { AppError } from '../errors.ts';
import { concatBytes } from './bytes.ts';

/** How the errors name what was read ("the frame is larger…", "the upload stalled…"). */
export interface BodyWording {
  noun: string;
  verb: string;
}

const BODY: BodyWording = { noun: 'body', verb: 'body' };

/**
 * Reads the whole body, never holding more than `limit` bytes: a declared Content-Length over the limit is
 * refused before reading, a body that grows past it is refused as soon as it does, a pause longer than
 * `idleTimeoutMs` between two chunks (a stalled client, or a body shorter than its Content-Length) ends the read
 * with a 408, and so does a body still arriving after `totalTimeoutMs` (a client trickling a byte now and then).
 * In every failure the stream is cancelled and nothing read is kept.
 */
export async function readLimitedBody(
  body: ReadableStream<Uint8Array> | null,
  declaredHeader: string | undefined,
  limit: number,
  idleTimeoutMs: number,
  totalTimeoutMs = Infinity,
  wording: BodyWording = BODY,
): Promise<Uint8Array> {
  const deadline = Date.now() + totalTimeoutMs;
  const declared = declaredLength(declaredHeader);
  if (declared !== null && declared > limit) {
    // Not awaited: a stream that is still receiving may settle its cancel only once the client stops.
    void body?.cancel().catch(() => {});
    throw tooLarge(limit, wording);
  }
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new AppError('request_timeout', `the ${wording.verb} took longer than ${totalTimeoutMs} ms`, { details: { reason: 'body_too_slow', total_timeout_ms: totalTimeoutMs } });
      const idle = Math.min(idleTimeoutMs, remaining);
      const { done, value } = await readWithin(reader, idle, idle < idleTimeoutMs ? tooSlow(totalTimeoutMs, wording) : stalled(idle, wording));
      if (done) break;
      total += value.byteLength;
      if (total > limit) throw tooLarge(limit, wording);
      chunks.push(value);
    }
  } catch (error) {
    // Release the stream without waiting on a client that may never send again.
    void reader.cancel().catch(() => {});
    throw error;
  }
  if (declared !== null && total < declared) throw incomplete(total, declared);
  return concatBytes(chunks);
}

/**
 * Reads a body whose length is declared in one call (`arrayBuffer()`, raced against `timeoutMs`): the runtime stops
 * at the declared length by itself, and on Node this reads the socket directly instead of building a web stream and a
 * second Request. Over the limit is refused before reading, bytes missing when the time runs out are a 408 (the body
 * is shorter than its Content-Length), and a body that ends short is a 400, as with readLimitedBody.
 */
export async function readDeclaredBody(request: Request, declared: number, limit: number, timeoutMs: number, wording: BodyWording = BODY): Promise<Uint8Array> {
  if (declared > limit) {
    void request.body?.cancel().catch(() => {});
    throw tooLarge(limit, wording);
  }
  const reading = request.arrayBuffer();
  // Once the time-out has answered, a read that fails later (the client hangs up) is nobody's error.
  reading.catch(() => {});
  const bytes = new Uint8Array(await within(reading, timeoutMs, stalled(timeoutMs, wording)));
  // Only a request made in-process can carry more than it declared; the limit still holds for it.
  if (bytes.byteLength > limit) throw tooLarge(limit, wording);
  if (bytes.byteLength < declared) throw incomplete(bytes.byteLength, declared);
  return bytes;
}

/** A Content-Length worth believing (digits only), or null. */
export function declaredLength(value: string | null | undefined): number | null {
  return value != null && /^\d+$/.test(value.trim()) ? Number(value) : null;
}

const incomplete = (received: number, declared: number) =>
  // Only reachable where the runtime ends the body early instead of waiting for the missing bytes.
  new AppError('bad_request', `the body ended after ${received} of the ${declared} bytes its Content-Length announced`, {
    details: { reason: 'body_incomplete', received_bytes: received, content_length: declared },
  });

const tooLarge = (limit: number, wording: BodyWording) =>
  new AppError('payload_too_large', `the ${wording.noun} is larger than ${limit} bytes`, { details: { max_bytes: limit } });

const stalled = (ms: number, wording: BodyWording) => () =>
  new AppError('request_timeout', `the ${wording.verb} stalled: no data for ${ms} ms (is the body shorter than its Content-Length?)`, { details: { reason: 'body_stalled', idle_timeout_ms: ms } });

const tooSlow = (ms: number, wording: BodyWording) => () =>
  new AppError('request_timeout', `the ${wording.verb} took longer than ${ms} ms`, { details: { reason: 'body_too_slow', total_timeout_ms: ms } });

const readWithin = (reader: ReadableStreamDefaultReader<Uint8Array>, ms: number, timeoutError: () => AppError) => within(reader.read(), ms, timeoutError);

async function within<T>(work: Promise<T>, ms: number, timeoutError: () => AppError): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
