/**
 * SMTP email (Node and Deno): one connection per message through nodemailer, to the server SMTP_URL names
 * (smtp://user:pass@host:587 upgrades with STARTTLS when offered, smtps://…:465 is TLS from the start).
 * Node-only in practice: nodemailer opens TCP sockets with node:net and node:tls, which Workers lack, so only
 * edge/runtime/local-email-from-config.ts loads this file (the Worker bundle must not reach it; .dependency-cruiser.cjs).
 *
 * What the server answered decides `retry`: a 4xx reply (451 "try later", 421 "closing"), a time-out, a refused or
 * dropped connection may pass later; a 5xx reply (550 "no such mailbox", 535 "bad credentials") will not.
 */
import { createTransport } from 'nodemailer';
import type { EmailMessage, EmailOutcome, EmailSender } from '../../ports/email.ts';

export interface SmtpEmailOptions {
  /** smtp://user:pass@host:port or smtps://…; user and password percent-encoded. */
  url: string;
  /** The sender when a message names none (EMAIL_FROM). */
  from: string;
  /** The whole exchange, from connecting to the server's last reply (default 10 s). */
  timeoutMs?: number;
}

/** The fields of nodemailer's errors this adapter reads (NodemailerError). */
interface SmtpError {
  name?: string;
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
  permanent?: boolean;
}

// Errors without a server reply that no retry can fix: the configuration or the message itself is wrong.
const PERMANENT_CODES = new Set(['ECONFIG', 'ENOAUTH', 'EENVELOPE', 'EMESSAGE', 'EFILEACCESS', 'EURLACCESS']);

export function createSmtpEmail(options: SmtpEmailOptions): SmtpEmail {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const transport = createTransport({
    url: options.url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // Messages are built from our own text: never let a field make nodemailer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    name: 'smtp',
    async send(message: EmailMessage): Promise<EmailOutcome> {
      try {
        const info = await transport.sendMail({
          from: message.from ?? options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html !== undefined ? { html: message.html } : {}),
          ...(message.headers ? { headers: message.headers } : {}),
          // Bounds the whole send, also a server that accepts the connection and then says nothing.
          signal: AbortSignal.timeout(timeoutMs),
        });
        return { status: 'sent', messageId: info.messageId ?? null };
      } catch (error) {
        return smtpFailure(error as SmtpError, timeoutMs);
      }
    },
    close: () => transport.close(),
  };
}

export interface SmtpEmail extends EmailSender {
  /** Releases the transport (no connection is kept between messages, so this only matters in tests). */
  close(): void;
}

/** What a failed send means: the server's reply when there is one, else the connection's fate. */
export function smtpFailure(error: SmtpError, timeoutMs: number): EmailOutcome {
  if (typeof error.responseCode === 'number') {
    // nodemailer marks 5xx except 503 (a sequence error a new connection clears) as permanent.
    const permanent = error.permanent ?? error.responseCode >= 500;
    return {
      status: 'failed',
      error: `SMTP ${error.responseCode}: ${(error.response ?? error.message ?? '').trim()}`.slice(0, 500),
      retry: !permanent,
    };
  }
  if (
    error.name === 'AbortError' ||
    error.name === 'TimeoutError' ||
    error.code === 'EABORT' ||
    error.code === 'ETIMEDOUT'
  ) {
    return { status: 'failed', error: `SMTP: no answer within ${timeoutMs} ms`, retry: true };
  }
  const code = error.code ? `${error.code}: ` : '';
  return {
    status: 'failed',
    error: `SMTP ${code}${error.message ?? String(error)}`.slice(0, 500),
    retry: !PERMANENT_CODES.has(error.code ?? ''),
  };
}
