/**
 * Test server: a loopback HTTP server speaking Resend's send API (POST /emails), as its reference documents it:
 * a bearer API key (401 missing, 403 invalid), a JSON body with `from`, `to` (one address or a list), `subject` and
 * `text` or `html` (422 validation_error naming what is wrong), and 200 {"id"} for a message taken. It can be told
 * to answer the next request with another status (429 rate limited, 500) or not at all (a hung service).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ResendRequest {
  authorization: string | undefined;
  contentType: string | undefined;
  body: {
    from: string;
    to: string | string[];
    subject: string;
    text?: string;
    html?: string;
    headers?: Record<string, string>;
  };
  id: string;
}

export type ScriptedAnswer = { status: number; name: string; message: string } | 'hang';

export interface TestResendServer {
  /** RESEND_API_URL for this server. */
  url: string;
  apiKey: string;
  /** Messages taken (answered 200). */
  received: ResendRequest[];
  answerNext(answer: ScriptedAnswer): void;
  close(): Promise<void>;
}

const MAILBOX = /^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/;

export async function startTestResendServer(apiKey = 're_test_0123456789'): Promise<TestResendServer> {
  const received: ResendRequest[] = [];
  const script: ScriptedAnswer[] = [];
  const sockets = new Set<Socket>();
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, statusCode: number, name: string, message: string) =>
    answer(res, statusCode, { statusCode, name, message });

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/emails')
      return error(res, 404, 'not_found', `no route ${req.method} ${req.url}`);
    const scripted = script.shift();
    if (scripted === 'hang') return; // the socket stays open with no answer until the client gives up
    const authorization = req.headers.authorization;
    if (!authorization?.startsWith('Bearer '))
      return error(
        res,
        401,
        'missing_api_key',
        'Missing API key in the authorization header. Include the following header Authorization: Bearer YOUR_API_KEY in the request.',
      );
    if (authorization !== `Bearer ${apiKey}`) return error(res, 403, 'invalid_api_key', 'API key is invalid');
    if (scripted) return error(res, scripted.status, scripted.name, scripted.message);
    let body: ResendRequest['body'];
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return error(res, 422, 'validation_error', 'Invalid JSON body');
    }
    const to = Array.isArray(body.to) ? body.to : [body.to];
    if (typeof body.from !== 'string' || !MAILBOX.test(body.from))
      return error(
        res,
        422,
        'validation_error',
        'Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.',
      );
    if (to.length === 0 || !to.every((t) => typeof t === 'string' && MAILBOX.test(t)))
      return error(res, 422, 'validation_error', 'Invalid `to` field.');
    if (typeof body.subject !== 'string' || body.subject === '')
      return error(res, 422, 'validation_error', 'Missing `subject` field.');
    if (typeof body.text !== 'string' && typeof body.html !== 'string')
      return error(res, 422, 'validation_error', 'Missing `html` or `text` field.');
    const id = randomUUID();
    received.push({ authorization, contentType: req.headers['content-type'], body, id });
    answer(res, 200, { id });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey,
    received,
    answerNext: (a) => void script.push(a),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
