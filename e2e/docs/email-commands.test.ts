/**
 * The mail check of docs/operate/email.md, run exactly as written: through a real SMTP server on loopback (its
 * `…` filled with the server's user, password, host and port) and a loopback Resend-shaped API (RESEND_API_URL in
 * the environment); the message arrives, the command prints the service's answer and exits 0, and 1 when refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestResendServer, type TestResendServer } from '../support/resend-api-server.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { fillPlaceholders, runDocumented } from './run-documented.ts';

describe('send-test-email as documented', () => {
  let smtp: TestSmtpServer;
  let resend: TestResendServer;
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    resend = await startTestResendServer();
  });
  afterAll(async () => {
    await smtp?.close();
    await resend?.close();
  });
  const env = { SMTP_URL: undefined, RESEND_API_KEY: undefined, RESEND_API_URL: undefined, EMAIL_FROM: undefined };

  it('sends through SMTP and prints what the server answered', { timeout: 120_000 }, async () => {
    const command = fillPlaceholders(`SMTP_URL=smtp://… npm run admin -- send-test-email <address>`, {
      '…': smtp.url.replace('smtp://', ''),
      '<address>': 'ops@fleet.example',
    });
    const result = await runDocumented(command, env);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!)).toEqual({
      service: 'smtp',
      to: 'ops@fleet.example',
      status: 'sent',
      messageId: expect.any(String),
    });
    const mail = await smtp.next();
    expect(mail.envelope.to).toEqual(['ops@fleet.example']);
    expect(mail.parsed.subject).toBe('TaxiWatch test email · correo de prueba ✅');
  });

  it('sends through Resend, and exits 1 with the reason when the service refuses', { timeout: 120_000 }, async () => {
    const command = fillPlaceholders(`RESEND_API_KEY=… npm run admin -- send-test-email <address>`, {
      '…': resend.apiKey,
      '<address>': 'ops@fleet.example',
    });
    const result = await runDocumented(command, { ...env, RESEND_API_URL: resend.url });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!)).toMatchObject({ service: 'resend', status: 'sent' });
    expect(resend.received.at(-1)?.body.to).toEqual(['ops@fleet.example']);
    resend.answerNext({
      status: 422,
      name: 'validation_error',
      message: 'The taxiwatch.localhost domain is not verified.',
    });
    const refused = await runDocumented(command, { ...env, RESEND_API_URL: resend.url });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr.trim().split('\n').at(-1)!)).toEqual({
      service: 'resend',
      to: 'ops@fleet.example',
      status: 'failed',
      error: 'Resend 422: The taxiwatch.localhost domain is not verified.',
      retry: false,
    });
  });

  it('says so when no mail service is configured', { timeout: 120_000 }, async () => {
    const result = await runDocumented('npm run admin -- send-test-email ops@fleet.example', env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no mail service is configured');
  });
});
