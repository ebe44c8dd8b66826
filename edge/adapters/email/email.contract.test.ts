/**
 * The Email port contract (ports/email.ts), run over every adapter against what the other side really received:
 * memory keeps the message; SMTP sends it to a real SMTP server on loopback whose raw message is parsed by an
 * independent MIME parser (e2e/support/smtp-server.ts); Resend posts it to a loopback server speaking Resend's API
 * (e2e/support/resend-api-server.ts). Then each service's failures, mapped to `retry`, and never a throw.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestResendServer, type TestResendServer } from '../../../e2e/support/resend-api-server.ts';
import {
  closedPort,
  startSilentServer,
  startTestSmtpServer,
  type TestSmtpServer,
} from '../../../e2e/support/smtp-server.ts';
import type { EmailMessage, EmailSender } from '../../ports/email.ts';
import { createMemoryEmail } from './memory-email.ts';
import { createResendEmail } from './resend-email.ts';
import { createSmtpEmail } from './smtp-email.ts';

const FROM = 'TaxiWatch <alerts@taxiwatch.localhost>';

/** What a person's mail client would show, whichever way the message travelled. */
interface Received {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  html: string | undefined;
  headers: Record<string, string>;
}

const mailbox = (value: string) => {
  const m = /^\s*(?:"?([^"<]*?)"?\s*<([^>]+)>|([^\s<>]+))\s*$/.exec(value);
  if (!m) throw new Error(`not a mailbox: ${value}`);
  return { name: (m[1] ?? '').trim(), address: m[2] ?? m[3] };
};

interface AdapterUnderTest {
  name: string;
  sender: () => EmailSender;
  /** The message the service received for the last send. */
  lastReceived: () => Promise<Received>;
}

let smtp: TestSmtpServer;
let resend: TestResendServer;
const memory = createMemoryEmail({ from: FROM });
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  resend = await startTestResendServer();
  cleanups.push(smtp.close, resend.close);
});
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

const adapters: AdapterUnderTest[] = [
  {
    name: 'memory',
    sender: () => memory,
    lastReceived: async () => {
      const m = memory.sent.at(-1)!;
      return {
        from: mailbox(m.from!),
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        headers: m.headers ?? {},
      };
    },
  },
  {
    name: 'smtp',
    sender: () => {
      const sender = createSmtpEmail({ url: smtp.url, from: FROM, timeoutMs: 10_000 });
      cleanups.push(sender.close);
      return sender;
    },
    lastReceived: async () => {
      const { parsed } = await smtp.next();
      const headers: Record<string, string> = {};
      for (const [key, value] of parsed.headers) if (typeof value === 'string') headers[key] = value;
      const from = parsed.from!.value[0];
      const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to!;
      return {
        from: { name: from.name, address: from.address! },
        to: to.value[0].address!,
        subject: parsed.subject!,
        text: parsed.text!,
        html: parsed.html || undefined,
        headers,
      };
    },
  },
  {
    name: 'resend',
    sender: () => createResendEmail({ apiKey: resend.apiKey, apiUrl: resend.url, from: FROM, timeoutMs: 10_000 }),
    lastReceived: async () => {
      const { body } = resend.received.at(-1)!;
      return {
        from: mailbox(body.from),
        to: ([] as string[]).concat(body.to)[0],
        subject: body.subject,
        text: body.text!,
        html: body.html,
        headers: body.headers ?? {},
      };
    },
  },
];

/** The same header names, whatever case the service keeps them in. */
const lowerKeys = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

for (const adapter of adapters) {
  describe(`Email contract: ${adapter.name}`, () => {
    let sender: EmailSender;
    beforeAll(() => {
      sender = adapter.sender();
    });

    it('names itself', () => {
      expect(sender.name).toBe(adapter.name);
    });

    it('delivers exactly the sender, recipient, subject, text and HTML, with a message id', async () => {
      const message: EmailMessage = {
        to: 'owner@fleet.example',
        subject: 'CRITICAL: collision on taxi 1234-ABC',
        text: 'Taxi 1234-ABC reported a collision at 08:15.\nOpen: https://taxiwatch.example/alerts/a1',
        html: '<p>Taxi <b>1234-ABC</b> reported a collision at 08:15.</p><p><a href="https://taxiwatch.example/alerts/a1">Open</a></p>',
        headers: { 'X-TaxiWatch-Alert': 'a1' },
      };
      const outcome = await sender.send(message);
      expect(outcome).toEqual({ status: 'sent', messageId: expect.any(String) });
      const got = await adapter.lastReceived();
      expect(got.from).toEqual({ name: 'TaxiWatch', address: 'alerts@taxiwatch.localhost' });
      expect(got.to).toBe('owner@fleet.example');
      expect(got.subject).toBe(message.subject);
      expect(got.text.trimEnd()).toBe(message.text);
      expect(got.html?.trimEnd()).toBe(message.html);
      expect(lowerKeys(got.headers)['x-taxiwatch-alert']).toBe('a1');
    });

    it('keeps Spanish accents and emoji intact in the sender name, subject, text and HTML', async () => {
      const message: EmailMessage = {
        from: 'Radio Taxi Ñandú <avisos@nandu.example>',
        to: 'duena@fleet.example',
        subject: 'Informe diario · mañana, 31 de mayo 🚕 — Ñandú',
        text: 'Hola Begoña: el informe de ayer está listo. Kilómetros: 105,8 🚖✅ «acción»',
        html: '<p>Hola Begoña: el informe de ayer está <b>listo</b> 🚖✅</p>',
      };
      expect((await sender.send(message)).status).toBe('sent');
      const got = await adapter.lastReceived();
      expect(got.from).toEqual({ name: 'Radio Taxi Ñandú', address: 'avisos@nandu.example' });
      expect(got.subject).toBe(message.subject);
      expect(got.text.trimEnd()).toBe(message.text);
      expect(got.html?.trimEnd()).toBe(message.html);
    });

    it('sends a plain-text message when there is no HTML part', async () => {
      expect(
        (await sender.send({ to: 'viewer@fleet.example', subject: 'Plain', text: 'Only text — sólo texto.' })).status,
      ).toBe('sent');
      const got = await adapter.lastReceived();
      expect(got.text.trimEnd()).toBe('Only text — sólo texto.');
      expect(got.html).toBeUndefined();
    });
  });
}

describe('Email contract: smtp on the wire', () => {
  it("sends text and HTML as multipart/alternative in UTF-8, logged in with the URL's user and password", async () => {
    const sender = createSmtpEmail({ url: smtp.url, from: FROM });
    cleanups.push(sender.close);
    await sender.send({ to: 'owner@fleet.example', subject: 'Año 🚕', text: 'Señal ✅', html: '<p>Señal ✅</p>' });
    const mail = await smtp.next();
    expect(mail.user).toBe('taxiwatch');
    expect(mail.envelope).toEqual({ from: 'alerts@taxiwatch.localhost', to: ['owner@fleet.example'] });
    expect(mail.raw).toMatch(/^Content-Type: multipart\/alternative;/im);
    expect(mail.raw).toMatch(/^Content-Type: text\/plain; charset=utf-8/im);
    expect(mail.raw).toMatch(/^Content-Type: text\/html; charset=utf-8/im);
    // The subject is encoded (RFC 2047), never raw 8-bit in a header.
    expect(mail.raw).toMatch(/^Subject: =\?UTF-8\?/im);
  });
});

describe('Email contract: smtp failures', () => {
  const sender = () => {
    const s = createSmtpEmail({ url: smtp.url, from: FROM, timeoutMs: 5_000 });
    cleanups.push(s.close);
    return s;
  };

  it('a 451 after DATA ("try again later") fails with retry', async () => {
    smtp.refuseNext({ code: 451, message: 'Greylisted, try again later' });
    const outcome = await sender().send({ to: 'owner@fleet.example', subject: 's', text: 't' });
    expect(outcome).toEqual({ status: 'failed', error: expect.stringContaining('451'), retry: true });
  });

  it('a 550 at RCPT TO ("no such mailbox") fails without retry, naming the reply', async () => {
    smtp.refuseNext({ code: 550, message: 'No such user here', at: 'rcpt' });
    const outcome = await sender().send({ to: 'nobody@fleet.example', subject: 's', text: 't' });
    expect(outcome).toEqual({
      status: 'failed',
      error: expect.stringMatching(/550[\s\S]*No such user here/),
      retry: false,
    });
  });

  it('a wrong password (535) fails without retry', async () => {
    const wrong = createSmtpEmail({ url: smtp.url.replace(/:[^:@]+@/, ':wrong@'), from: FROM, timeoutMs: 5_000 });
    cleanups.push(wrong.close);
    const outcome = await wrong.send({ to: 'owner@fleet.example', subject: 's', text: 't' });
    expect(outcome).toEqual({ status: 'failed', error: expect.stringContaining('535'), retry: false });
  });

  it('a server nobody runs fails with retry, without throwing', async () => {
    const down = createSmtpEmail({ url: `smtp://u:p@127.0.0.1:${await closedPort()}`, from: FROM, timeoutMs: 5_000 });
    cleanups.push(down.close);
    const outcome = await down.send({ to: 'owner@fleet.example', subject: 's', text: 't' });
    expect(outcome).toEqual({ status: 'failed', error: expect.stringContaining('ECONNREFUSED'), retry: true });
  });

  it('a server that never greets is given up on within the time-out, with retry', async () => {
    const silent = await startSilentServer();
    cleanups.push(silent.close);
    const slow = createSmtpEmail({ url: `smtp://u:p@127.0.0.1:${silent.port}`, from: FROM, timeoutMs: 500 });
    cleanups.push(slow.close);
    const started = performance.now();
    const outcome = await slow.send({ to: 'owner@fleet.example', subject: 's', text: 't' });
    expect(outcome).toEqual({ status: 'failed', error: expect.stringContaining('500 ms'), retry: true });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('Email contract: resend failures', () => {
  const sender = (overrides: { apiKey?: string; apiUrl?: string; timeoutMs?: number } = {}) =>
    createResendEmail({ apiKey: resend.apiKey, apiUrl: resend.url, from: FROM, timeoutMs: 5_000, ...overrides });

  it('sends the API key as a bearer token and JSON', async () => {
    await sender().send({ to: 'owner@fleet.example', subject: 's', text: 't' });
    expect(resend.received.at(-1)).toMatchObject({
      authorization: `Bearer ${resend.apiKey}`,
      contentType: 'application/json',
      body: { to: ['owner@fleet.example'] },
    });
  });

  it('429 (rate limited) fails with retry', async () => {
    resend.answerNext({
      status: 429,
      name: 'rate_limit_exceeded',
      message: 'Too many requests. You can only make 2 requests per second.',
    });
    expect(await sender().send({ to: 'owner@fleet.example', subject: 's', text: 't' })).toEqual({
      status: 'failed',
      error: expect.stringContaining('429'),
      retry: true,
    });
  });

  it('500 fails with retry', async () => {
    resend.answerNext({ status: 500, name: 'internal_server_error', message: 'An unexpected error occurred.' });
    expect(await sender().send({ to: 'owner@fleet.example', subject: 's', text: 't' })).toEqual({
      status: 'failed',
      error: expect.stringContaining('500'),
      retry: true,
    });
  });

  it("422 fails without retry, with the provider's message", async () => {
    resend.answerNext({
      status: 422,
      name: 'validation_error',
      message: 'The taxiwatch.localhost domain is not verified.',
    });
    expect(await sender().send({ to: 'owner@fleet.example', subject: 's', text: 't' })).toEqual({
      status: 'failed',
      error: 'Resend 422: The taxiwatch.localhost domain is not verified.',
      retry: false,
    });
  });

  it('a wrong API key (403) fails without retry', async () => {
    expect(await sender({ apiKey: 're_wrong' }).send({ to: 'owner@fleet.example', subject: 's', text: 't' })).toEqual({
      status: 'failed',
      error: 'Resend 403: API key is invalid',
      retry: false,
    });
  });

  it('an unreachable API fails with retry, without throwing', async () => {
    const outcome = await sender({ apiUrl: `http://127.0.0.1:${await closedPort()}` }).send({
      to: 'owner@fleet.example',
      subject: 's',
      text: 't',
    });
    expect(outcome).toEqual({ status: 'failed', error: expect.stringContaining('unreachable'), retry: true });
  });

  it('an API that never answers is given up on within the time-out, with retry', async () => {
    resend.answerNext('hang');
    const started = performance.now();
    const outcome = await sender({ timeoutMs: 500 }).send({ to: 'owner@fleet.example', subject: 's', text: 't' });
    expect(outcome).toEqual({ status: 'failed', error: 'Resend: no answer within 500 ms', retry: true });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
