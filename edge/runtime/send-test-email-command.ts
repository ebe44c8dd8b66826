/**
 * `npm run admin -- send-test-email <address>`: one message through the mail service the environment configures
 * (SMTP_URL, else RESEND_API_KEY), to check it works before an alert depends on it. Prints what the service
 * answered as one JSON line; no database is opened.
 */
import { z } from 'zod';
import type { Config } from '../config.ts';
import { localEmailFromConfig } from './local-email-from-config.ts';

export interface TestEmailResult {
  /** 0 the service took the message, 1 it did not (or none is configured), 2 bad command line. */
  code: number;
  output: string;
}

export async function sendTestEmail(config: Config, argv: string[], now: Date): Promise<TestEmailResult> {
  const to = argv[0];
  if (argv.length !== 1 || !z.email().safeParse(to).success) {
    return { code: 2, output: 'send-test-email needs one email address, e.g. send-test-email ops@example.com' };
  }
  const email = localEmailFromConfig(config);
  if (email.name === 'memory') {
    return {
      code: 1,
      output: JSON.stringify({
        service: 'memory',
        to,
        status: 'failed',
        error: 'no mail service is configured: set SMTP_URL (Node, Deno) or RESEND_API_KEY',
      }),
    };
  }
  const outcome = await email.send({
    to,
    subject: 'TaxiWatch test email · correo de prueba ✅',
    text: `This message checks that TaxiWatch can send email (${email.name}, ${now.toISOString()}).\nEste mensaje comprueba que TaxiWatch puede enviar correo.`,
    html: `<p>This message checks that TaxiWatch can send email (${email.name}, ${now.toISOString()}).</p><p>Este mensaje comprueba que TaxiWatch puede enviar correo.</p>`,
  });
  (email as { close?: () => void }).close?.();
  return { code: outcome.status === 'sent' ? 0 : 1, output: JSON.stringify({ service: email.name, to, ...outcome }) };
}
