/**
 * Test server: speaks Upstash Redis's REST protocol on loopback and forwards to a real Redis, so the real
 * @upstash/redis client is exercised. POST / (one command), /pipeline (many, not atomic), /multi-exec (atomic),
 * /subscribe/<channel> (pub/sub as SSE); Bearer token; `Upstash-Encoding: base64` encodes every string reply.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createClient, type RedisClientType } from 'redis';

type Reply = { result: unknown } | { error: string };

function encode(value: unknown, base64: boolean): unknown {
  if (!base64) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8').toString('base64');
  if (Array.isArray(value)) return value.map((v) => encode(v, base64));
  return value;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : [];
}

const asArgs = (command: unknown) => {
  if (!Array.isArray(command) || command.length === 0) throw new Error('ERR command must be a non-empty JSON array');
  return command.map((part) => (typeof part === 'string' ? part : JSON.stringify(part)));
};

export async function startUpstashRestServer(options: { redisUrl: string; token: string }) {
  const client = createClient({ url: options.redisUrl, RESP: 2 }) as RedisClientType<any, any, any, 2, any>;
  client.on('error', () => {});
  await client.connect();
  const streams = new Set<ServerResponse>();

  const run = async (command: unknown, via: RedisClientType<any, any, any, 2, any> = client): Promise<Reply> => {
    try {
      return { result: await via.sendCommand(asArgs(command)) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };

  async function multiExec(commands: unknown[]): Promise<Reply[] | Reply> {
    // A connection of its own, so no other request's command lands inside this transaction.
    const tx = client.duplicate();
    tx.on('error', () => {});
    await tx.connect();
    try {
      await tx.sendCommand(['MULTI']);
      for (const command of commands) {
        const queued = await run(command, tx);
        if ('error' in queued) {
          await tx.sendCommand(['DISCARD']);
          return { error: `EXECABORT ${queued.error}` };
        }
      }
      const results = (await tx.sendCommand(['EXEC'])) as unknown[];
      return results.map((r) => (r instanceof Error ? { error: r.message } : { result: r }));
    } finally {
      await tx.close();
    }
  }

  async function subscribe(channel: string, req: IncomingMessage, res: ServerResponse) {
    const sub = client.duplicate();
    sub.on('error', () => {});
    await sub.connect();
    // Subscribed before the headers go out, so nothing published after the client's call returns is lost.
    await sub.subscribe(channel, (message) => res.write(`data: message,${channel},${message}\n\n`));
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    res.write(`data: subscribe,${channel},1\n\n`);
    streams.add(res);
    const end = () => {
      streams.delete(res);
      void sub.close().catch(() => {});
    };
    req.on('close', end);
  }

  const server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      if (req.headers.authorization !== `Bearer ${options.token}`) return send(401, { error: 'Unauthorized' });
      const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
      const path = new URL(req.url ?? '/', 'http://local').pathname;
      if (path.startsWith('/subscribe/')) return await subscribe(decodeURIComponent(path.slice('/subscribe/'.length)), req, res);
      const body = await readJson(req);
      const encodeReply = (r: Reply) => ('result' in r ? { result: encode(r.result, base64) } : r);
      if (path === '/' || path === '') {
        const reply = await run(body);
        return send('error' in reply ? 400 : 200, encodeReply(reply));
      }
      if (path === '/pipeline') {
        if (!Array.isArray(body)) return send(400, { error: 'ERR pipeline body must be an array of commands' });
        const replies: Reply[] = [];
        for (const command of body) replies.push(await run(command));
        return send(200, replies.map(encodeReply));
      }
      if (path === '/multi-exec') {
        if (!Array.isArray(body)) return send(400, { error: 'ERR multi-exec body must be an array of commands' });
        const replies = await multiExec(body);
        return Array.isArray(replies) ? send(200, replies.map(encodeReply)) : send(400, replies);
      }
      return send(404, { error: `ERR unknown path ${path}` });
    } catch (error) {
      return send(400, { error: `ERR ${(error as Error).message}` });
    }
  });
  server.keepAliveTimeout = 65_000; // as the real service: an idle kept-alive socket is not closed under a client's reuse
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    token: options.token,
    async close() {
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await client.close();
    },
  };
}
