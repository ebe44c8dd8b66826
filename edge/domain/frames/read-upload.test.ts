/** Content-type decisions, the bounded stream read, and the lenient multipart parser, without the HTTP layer. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { bodyKind, parseMultipart, readLimitedBody } from './read-upload.ts';

const te = new TextEncoder();
const td = new TextDecoder();
const bytes = (s: string) => te.encode(s);
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as AppError).code;
  }
  return 'ok';
};

describe('bodyKind', () => {
  it('reads the boundary quoted or not, in any parameter position, and refuses other types', () => {
    expect(bodyKind('multipart/form-data; boundary=abc')).toEqual({ kind: 'multipart', boundary: 'abc' });
    expect(bodyKind('multipart/form-data; charset=utf-8; BOUNDARY="a b;c"')).toEqual({ kind: 'multipart', boundary: 'a b;c' });
    expect(bodyKind('image/jpeg')).toEqual({ kind: 'raw' });
    expect(bodyKind('Application/Octet-Stream; name=x')).toEqual({ kind: 'raw' });
    expect(code(() => bodyKind('multipart/form-data'))).toBe('bad_request');
    expect(code(() => bodyKind('application/json'))).toBe('unsupported_media_type');
    expect(code(() => bodyKind(undefined))).toBe('unsupported_media_type');
  });
});

describe('parseMultipart', () => {
  it('ignores a preamble and a boundary look-alike that is not at the start of a line', () => {
    const image = 'JPEG--B--not-a-delimiter\r\nline --B\r\n';
    const body = bytes(`preamble\r\n--B\r\nContent-Disposition: form-data; name="a"; filename="f.jpg"\r\n\r\n${image}\r\n--B--\r\n`);
    expect(td.decode(parseMultipart(body, 'B').image)).toBe(image);
  });

  it('takes the first file part (filename or non-text type) and keeps the text fields', () => {
    const body = bytes(
      '--B\r\nContent-Disposition: form-data; name="captured_at"\r\nContent-Type: text/plain\r\n\r\n 2026-06-01T08:00:00Z \r\n' +
        '--B\r\nContent-Disposition: form-data; name="raw"\r\nContent-Type: application/octet-stream\r\n\r\nFIRST\r\n' +
        '--B\r\nContent-Disposition: form-data; name="second"; filename="2.jpg"\r\n\r\nSECOND\r\n--B--',
    );
    const upload = parseMultipart(body, 'B');
    expect(td.decode(upload.image)).toBe('FIRST');
    expect(upload.fields).toEqual({ captured_at: '2026-06-01T08:00:00Z' });
  });

  it('runs the last part to the end when the closing boundary is missing, and accepts empty parts', () => {
    expect(td.decode(parseMultipart(bytes('--B\r\nContent-Disposition: form-data; name="f"; filename="x"\r\n\r\nDATA\r\n'), 'B').image)).toBe('DATA');
    expect(parseMultipart(bytes('--B\r\nContent-Disposition: form-data; name="f"; filename="x"\r\n\r\n\r\n--B--'), 'B').image.length).toBe(0);
  });

  it('refuses bodies without the boundary, without a file part, or with broken part headers', () => {
    expect(code(() => parseMultipart(bytes('no boundary here'), 'B'))).toBe('bad_request');
    expect(code(() => parseMultipart(bytes('--B\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--B--'), 'B'))).toBe('bad_request');
    expect(code(() => parseMultipart(bytes('--B\r\nContent-Disposition: form-data; name="x"; filename="y"'), 'B'))).toBe('bad_request');
    expect(code(() => parseMultipart(bytes('--Bjunk\r\n'), 'B'))).toBe('bad_request');
  });
});

describe('readLimitedBody', () => {
  const stream = (chunks: number[], close = true) =>
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const n of chunks) c.enqueue(new Uint8Array(n));
        if (close) c.close();
      },
    });
  const fails = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: AppError) => error.code);

  it('concatenates chunks up to the limit, inclusive', async () => {
    expect((await readLimitedBody(stream([3, 4, 3]), undefined, 10, 100)).length).toBe(10);
    expect((await readLimitedBody(null, undefined, 10, 100)).length).toBe(0);
  });

  it('refuses past the limit, by declaration or by counting', async () => {
    expect(await fails(readLimitedBody(stream([1]), '11', 10, 100))).toBe('payload_too_large');
    expect(await fails(readLimitedBody(stream([6, 6]), undefined, 10, 100))).toBe('payload_too_large');
  });

  it('times out between chunks, and refuses a body shorter than declared', async () => {
    expect(await fails(readLimitedBody(stream([5], false), '10', 10, 30))).toBe('request_timeout');
    expect(await fails(readLimitedBody(stream([5]), '10', 10, 100))).toBe('bad_request');
  });

  it('gives up on a client that keeps trickling bytes past the total upload time', async () => {
    let sent = 0;
    const trickle = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((r) => setTimeout(r, 20));
        controller.enqueue(new Uint8Array([sent++ & 0xff]));
      },
    });
    expect(await fails(readLimitedBody(trickle, undefined, 1_000_000, 100, 150))).toBe('request_timeout');
    expect(sent).toBeLessThan(20);
  });
});
