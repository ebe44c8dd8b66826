/**
 * The mail service from the environment, with Web APIs only (every runtime, Workers included): Resend's HTTP API
 * when RESEND_API_KEY is set, else memory (nothing leaves the process; the delivery log still shows what would have
 * gone). SMTP needs TCP sockets: Node and Deno add it in local-email-from-config.ts, ahead of these.
 */
import { createMemoryEmail } from '../adapters/email/memory-email.ts';
import { createResendEmail } from '../adapters/email/resend-email.ts';
import { DEFAULT_EMAIL_FROM, type Config } from '../config.ts';
import type { EmailSender } from '../ports/email.ts';

export function emailFromConfig(config: Config): EmailSender {
  const from = emailFrom(config);
  if (config.RESEND_API_KEY) {
    return createResendEmail({
      apiKey: config.RESEND_API_KEY,
      apiUrl: config.RESEND_API_URL,
      from,
      timeoutMs: config.EMAIL_TIMEOUT_MS,
    });
  }
  return createMemoryEmail({ from });
}

export const emailFrom = (config: Config): string => config.EMAIL_FROM ?? DEFAULT_EMAIL_FROM;
