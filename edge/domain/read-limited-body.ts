/**
 * A bounded, streamed read of a request body (Content-Length or chunked) that gives up as soon as the body grows
 * past its limit or stops arriving: every JSON body (middleware/request-body-limit.ts) and every camera frame
 * (frames/read-upload.ts) is read through it, so no sender can make us buffer more than the limit or hold a
 * request open longer than the time-out. Web streams only: the same on Workers, Deno and Node.
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
  declaredLength: string | undefined,
  limit: number,
  idleTimeoutMs: number,
  totalTimeoutMs = Infinity,
  wording: BodyWording = BODY,
): Promise<Uint8Array> {
  const deadline = Date.now() + totalTimeoutMs;
  const declared = declaredLength !== undefined && /^\d+$/.test(declaredLength.trim()) ? Number(declaredLength) : null;
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
  if (declared !== null && total < declared) {
    // Only reachable where the runtime ends the stream early instead of waiting for the missing bytes.
    throw new AppError('bad_request', `the body ended after ${total} of the ${declared} bytes its Content-Length announced`, {
      details: { reason: 'body_incomplete', received_bytes: total, content_length: declared },
    });
  }
  return concatBytes(chunks);
}

const tooLarge = (limit: number, wording: BodyWording) =>
  new AppError('payload_too_large', `the ${wording.noun} is larger than ${limit} bytes`, { details: { max_bytes: limit } });

const stalled = (ms: number, wording: BodyWording) => () =>
  new AppError('request_timeout', `the ${wording.verb} stalled: no data for ${ms} ms (is the body shorter than its Content-Length?)`, { details: { reason: 'body_stalled', idle_timeout_ms: ms } });

const tooSlow = (ms: number, wording: BodyWording) => () =>
  new AppError('request_timeout', `the ${wording.verb} took longer than ${ms} ms`, { details: { reason: 'body_too_slow', total_timeout_ms: ms } });

async function readWithin(reader: ReadableStreamDefaultReader<Uint8Array>, ms: number, timeoutError: () => AppError): Promise<ReadableStreamReadResult<Uint8Array>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError()), ms);
  });
  try {
    return await Promise.race([reader.read(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
