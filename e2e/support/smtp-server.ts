/**
 * Test server: a real SMTP server on 127.0.0.1 (the `smtp-server` package, the receiving half of nodemailer's
 * project) that takes messages the way a mail relay does — EHLO, AUTH with the given user and password, MAIL FROM,
 * RCPT TO, DATA — and parses each raw message with `mailparser`, an independent MIME parser, so what a test reads
 * is what a mail client would show. It can be told to refuse the next message with a given reply (451 "try later",
 * 550 "no such mailbox"), at RCPT TO or after DATA.
 */
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  /** The user the client logged in as. */
  user: string | undefined;
  /** The message exactly as it crossed the wire. */
  raw: string;
  parsed: ParsedMail;
}

export interface Refusal {
  code: number;
  message: string;
  /** RCPT TO (the recipient refused) or after DATA (the message refused); default data. */
  at?: 'rcpt' | 'data';
}

export interface TestSmtpServer {
  /** smtp://user:pass@127.0.0.1:port, as SMTP_URL takes it. */
  url: string;
  port: number;
  received: ReceivedMail[];
  /** Resolves with the next message received (or one already received and not yet taken). */
  next(timeoutMs?: number): Promise<ReceivedMail>;
  /** The next message gets this reply instead of 250. */
  refuseNext(refusal: Refusal): void;
  close(): Promise<void>;
}

export async function startTestSmtpServer(options: { user?: string; pass?: string } = {}): Promise<TestSmtpServer> {
  const user = options.user ?? 'taxiwatch';
  const pass = options.pass ?? 's3cret@pass';
  const received: ReceivedMail[] = [];
  let taken = 0;
  const waiters: Array<() => void> = [];
  const refusals: Refusal[] = [];
  const refusal = (at: 'rcpt' | 'data') => {
    if (refusals.length === 0 || (refusals[0].at ?? 'data') !== at) return null;
    const next = refusals.shift()!;
    return Object.assign(new Error(next.message), { responseCode: next.code });
  };

  const server = new SMTPServer({
    // Plain SMTP on loopback: no STARTTLS to offer (a test certificate would not verify), and AUTH allowed anyway.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === pass) return callback(null, { user });
      callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      callback(refusal('rcpt'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const refused = refusal('data');
        if (refused) return callback(refused);
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            received.push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              user: typeof session.user === 'string' ? session.user : undefined,
              raw,
              parsed,
            });
            waiters.splice(0).forEach((wake) => wake());
            callback(null);
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}`,
    port,
    received,
    refuseNext: (r) => void refusals.push(r),
    async next(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (taken >= received.length) {
        if (Date.now() > deadline) throw new Error(`no message received within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return received[taken++];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A TCP server that accepts connections and never says a word: an SMTP server that hangs before its greeting. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on (bound, then released), for "connection refused". */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
