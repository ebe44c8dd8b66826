/**
 * Node only: live-feed responses are written straight to the socket. The app answers /api/v1/live with a Web
 * stream like on every runtime; here, once the app has answered (middleware headers included), the headers are
 * written as they are and the stream's channel is attached to the response's socket, so each flush costs one
 * socket write per viewer of a buffer shared by all of them, instead of a stream read, a promise and a `res.write`.
 * Every other response goes through @hono/node-server unchanged.
 */
import type { ServerResponse } from 'node:http';
import type { Http2Bindings, HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { sseChannelOf, type SseSink } from '../routes/live-fan-out.ts';

type Bindings = HttpBindings | Http2Bindings;

export function withDirectSse(fetch: (request: Request, env: Bindings) => Response | Promise<Response>) {
  return async (request: Request, env: Bindings): Promise<Response> => {
    const response = await fetch(request, env);
    // Only an event stream can carry a channel; asking any other response for its body would make @hono/node-server
    // build it a second time as a full Web Response (a few percent of the CPU of every device request).
    if (!response.headers.get('content-type')?.startsWith('text/event-stream')) return response;
    const channel = sseChannelOf(response.body);
    // HTTP/2 responses keep going through the Web stream.
    const outgoing = env && 'outgoing' in env && isHttp1(env.outgoing) ? env.outgoing : null;
    if (!channel || !outgoing || outgoing.headersSent) return response;
    const headers: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      // Node frames the body itself; a copied transfer-encoding would be sent twice.
      if (name === 'transfer-encoding' || name === 'content-length') return;
      if (name === 'set-cookie') headers[name] = response.headers.getSetCookie();
      else headers[name] = value;
    });
    outgoing.writeHead(response.status, headers);
    outgoing.flushHeaders();
    channel.attach(nodeSink(outgoing));
    return RESPONSE_ALREADY_SENT;
  };
}

function isHttp1(outgoing: Bindings['outgoing']): outgoing is ServerResponse {
  return typeof (outgoing as ServerResponse).flushHeaders === 'function' && !('stream' in outgoing);
}

// An event's bytes are one Uint8Array shared by every viewer, so its HTTP/1.1 chunk (`<hex size>\r\n<bytes>\r\n`) is
// built once per byte array and shared too: thousands of writes per event, each of one ready buffer.
const chunks = new WeakMap<Uint8Array, Buffer>();
const CRLF = Buffer.from('\r\n');

function chunkOf(bytes: Uint8Array): Buffer {
  let chunk = chunks.get(bytes);
  if (!chunk) chunks.set(bytes, (chunk = Buffer.concat([Buffer.from(`${bytes.byteLength.toString(16)}\r\n`), bytes, CRLF])));
  return chunk;
}

/**
 * Bytes go to the socket itself, framed here as node:http would frame them, rather than through `res.write`: the
 * response's own write path (framing, corking until the next tick, bookkeeping) cost as much per viewer as the
 * socket write, and the channel already joins a tick's bytes into one write. `res.end()` still ends the response,
 * with the last chunk, in order after these writes. An HTTP/1.0 client has no chunked encoding: bytes go unframed
 * and the end of the connection ends the body, as node:http does.
 */
function nodeSink(outgoing: ServerResponse): SseSink {
  const socket = outgoing.socket;
  // The socket is this response's alone unless it is gone, or a pipelined request's response still holds it (this
  // one then waits in node:http's buffer, and bytes written past it would land inside the other response).
  if (!socket || (socket as { _httpMessage?: unknown })._httpMessage !== outgoing) return responseSink(outgoing);
  const chunked = outgoing.chunkedEncoding;
  return {
    write: (bytes) => socket.write(chunked ? chunkOf(bytes) : bytes),
    bufferedBytes: () => socket.writableLength,
    end: () => outgoing.end(),
    onClose: (listener) => outgoing.once('close', listener),
  };
}

/** A response that does not own its socket: written the ordinary way (node:http frames, queues or drops the bytes). */
function responseSink(outgoing: ServerResponse): SseSink {
  return {
    write: (bytes) => outgoing.write(bytes),
    bufferedBytes: () => outgoing.writableLength,
    end: () => outgoing.end(),
    onClose: (listener) => outgoing.once('close', listener),
  };
}
