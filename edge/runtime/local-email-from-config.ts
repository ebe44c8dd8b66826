/**
 * The mail service on Node and Deno: SMTP when SMTP_URL is set, else what every runtime can use (Resend, then
 * memory; email-from-config.ts). Only the Node and Deno platform loads this file: nodemailer needs node:net and
 * node:tls, which the Worker bundle must not reach (.dependency-cruiser.cjs, "node-adapters-stay-off-workers").
 */
import { createSmtpEmail } from '../adapters/email/smtp-email.ts';
import type { Config } from '../config.ts';
import type { EmailSender } from '../ports/email.ts';
import { emailFrom, emailFromConfig } from './email-from-config.ts';

export function localEmailFromConfig(config: Config): EmailSender {
  if (config.SMTP_URL)
    return createSmtpEmail({ url: config.SMTP_URL, from: emailFrom(config), timeoutMs: config.EMAIL_TIMEOUT_MS });
  return emailFromConfig(config);
}
