/**
 * Node only: live-feed responses are written straight to the socket. The app answers /api/v1/live with a Web
 * stream like on every runtime; here, once the app has answered (middleware headers included), the headers are
 * written as they are and the stream's channel is attached to the Node response, so each tick costs one
 * `res.write` per viewer — as a bare node:http broadcast loop does — instead of a stream read, a promise and a write.
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

function nodeSink(outgoing: ServerResponse): SseSink {
  return {
    write: (bytes) => void outgoing.write(bytes),
    bufferedBytes: () => outgoing.writableLength,
    end: () => outgoing.end(),
    onClose: (listener) => outgoing.once('close', listener),
  };
}
