/**
 * The mail service on Node and Deno: SMTP when SMTP_URL is set, else what every runtime can use (Resend, then
 * memory; email-from-config.ts). Only the Node and Deno platform loads this file: nodemailer needs node:net and
 * node:tls, which the Worker bundle must not reach (.dependency-cruiser.cjs, "node-adapters-stay-off-workers").
 * nodemailer is loaded on the first message, not at start: most servers send no mail for minutes, and an idle
 * server's memory is a goal (docs/develop/benchmarks.md).
 */
import type { Config } from '../config.ts';
import type { EmailSender } from '../ports/email.ts';
import { emailFrom, emailFromConfig } from './email-from-config.ts';

export function localEmailFromConfig(config: Config): EmailSender {
  const url = config.SMTP_URL;
  if (!url) return emailFromConfig(config);
  let smtp: Promise<EmailSender> | undefined;
  return {
    name: 'smtp',
    async send(message) {
      smtp ??= import('../adapters/email/smtp-email.ts').then(({ createSmtpEmail }) =>
        createSmtpEmail({ url, from: emailFrom(config), timeoutMs: config.EMAIL_TIMEOUT_MS }),
      );
      return (await smtp).send(message);
    },
  };
}
