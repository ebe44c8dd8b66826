/**
 * Test server: a loopback QStash. It accepts publishes and schedules from the real @upstash/qstash Client and
 * delivers them as QStash does: POST to the destination with an `Upstash-Signature` JWT (HS256 with the signing
 * key, iss "Upstash", sub = destination, body = base64url SHA-256 of the body), retries with exponential backoff,
 * then the DLQ and a signed failure callback. Schedules fire only when a test calls `fireSchedule`.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { SignJWT } from 'jose';

interface Message {
  messageId: string;
  destination: string;
  body: string;
  contentType: string;
  retries: number;
  failureCallback?: string;
  attempts: number;
}

interface Schedule {
  scheduleId: string;
  destination: string;
  cron: string;
  body: string;
  contentType: string;
}

export interface QStashServerOptions {
  token: string;
  currentSigningKey: string;
  nextSigningKey: string;
  /** Delay before retry n (1-based); short in tests. */
  backoffMs?: (retry: number) => number;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const parseDelay = (value: string | undefined) => {
  const match = value?.match(/^(\d+)(ms|s|m|h)?$/);
  if (!match) return 0;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's']!;
  return Number(match[1]) * unit;
};

export async function startQStashServer(options: QStashServerOptions) {
  const backoff = options.backoffMs ?? ((retry: number) => 20 * 2 ** (retry - 1));
  const dedupe = new Map<string, string>();
  const schedules = new Map<string, Schedule>();
  const deliveries: { messageId: string; destination: string; status: number }[] = [];
  const dlq: Message[] = [];
  const pending = new Set<Promise<void>>();
  let signWith = options.currentSigningKey;

  async function sign(destination: string, body: string): Promise<string> {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body)));
    const bodyHash = Buffer.from(digest).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ body: bodyHash })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('Upstash')
      .setSubject(destination)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 300)
      .setJti(crypto.randomUUID())
      .sign(new TextEncoder().encode(signWith));
  }

  async function post(destination: string, body: string, contentType: string, extra: Record<string, string>) {
    const res = await fetch(destination, {
      method: 'POST',
      body,
      headers: { 'Content-Type': contentType, 'Upstash-Signature': await sign(destination, body), ...extra },
    }).catch(() => null);
    const status = res?.status ?? 0;
    await res?.body?.cancel();
    return status;
  }

  async function deliver(message: Message): Promise<void> {
    for (;;) {
      message.attempts += 1;
      const status = await post(message.destination, message.body, message.contentType, {
        'Upstash-Message-Id': message.messageId,
        'Upstash-Retried': String(message.attempts - 1),
      });
      deliveries.push({ messageId: message.messageId, destination: message.destination, status });
      if (status >= 200 && status < 300) return;
      if (message.attempts > message.retries) break;
      await new Promise((r) => setTimeout(r, backoff(message.attempts)));
    }
    dlq.push(message);
    if (message.failureCallback) {
      const payload = JSON.stringify({
        status: 500,
        retried: message.retries,
        maxRetries: message.retries,
        sourceMessageId: message.messageId,
        url: message.destination,
        method: 'POST',
        sourceBody: Buffer.from(message.body).toString('base64'),
        body: Buffer.from('failed').toString('base64'),
      });
      await post(message.failureCallback, payload, 'application/json', { 'Upstash-Message-Id': `cb_${message.messageId}` });
    }
  }

  function enqueue(message: Message, delayMs: number) {
    const run = (async () => {
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      await deliver(message);
    })();
    pending.add(run);
    void run.finally(() => pending.delete(run));
  }

  const server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${options.token}`) return send(401, { error: 'Unauthorized' });
    const url = new URL(req.url ?? '/', 'http://local');
    const path = decodeURIComponent(url.pathname);
    const body = await readBody(req);
    const header = (name: string) => req.headers[name.toLowerCase()] as string | undefined;

    if (req.method === 'POST' && path.startsWith('/v2/publish/')) {
      const destination = path.slice('/v2/publish/'.length);
      if (!/^https?:\/\//.test(destination)) return send(400, { error: `invalid destination ${destination}` });
      const dedupeId = header('Upstash-Deduplication-Id');
      if (dedupeId && dedupe.has(dedupeId)) return send(201, { messageId: dedupe.get(dedupeId), deduplicated: true });
      const messageId = `msg_${crypto.randomUUID()}`;
      if (dedupeId) dedupe.set(dedupeId, messageId);
      enqueue(
        {
          messageId,
          destination,
          body,
          contentType: header('Content-Type') ?? 'application/json',
          retries: Number(header('Upstash-Retries') ?? 3),
          failureCallback: header('Upstash-Failure-Callback'),
          attempts: 0,
        },
        parseDelay(header('Upstash-Delay')),
      );
      return send(201, { messageId });
    }
    if (req.method === 'POST' && path.startsWith('/v2/schedules/')) {
      const destination = path.slice('/v2/schedules/'.length);
      const cron = header('Upstash-Cron');
      if (!cron) return send(400, { error: 'Upstash-Cron header is required' });
      const scheduleId = header('Upstash-Schedule-Id') ?? `scd_${crypto.randomUUID()}`;
      schedules.set(scheduleId, { scheduleId, destination, cron, body, contentType: header('Content-Type') ?? 'application/json' });
      return send(201, { scheduleId });
    }
    if (req.method === 'GET' && path === '/v2/schedules') {
      return send(200, [...schedules.values()].map((s) => ({ scheduleId: s.scheduleId, destination: s.destination, cron: s.cron, createdAt: 0 })));
    }
    return send(404, { error: `no route ${req.method} ${path}` });
  });
  server.keepAliveTimeout = 65_000; // as the real service: an idle kept-alive socket is not closed under a client's reuse
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    dlq,
    schedules,
    /** Sign later deliveries with another key (tests of key rotation and forgery). */
    useSigningKey(key: string) {
      signWith = key;
    },
    /** Delivers a schedule's message now, as a cron tick would. */
    fireSchedule(scheduleId: string) {
      const s = schedules.get(scheduleId);
      if (!s) throw new Error(`no schedule ${scheduleId}`);
      enqueue({ messageId: `msg_${crypto.randomUUID()}`, destination: s.destination, body: s.body, contentType: s.contentType, retries: 0, attempts: 0 }, 0);
    },
    /** Resolves when every delivery started so far has finished (including retries). */
    async settle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    /** Signs a body for a destination the way deliveries are signed (for replay and forgery tests). */
    sign,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
