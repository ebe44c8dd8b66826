/**
 * The mail service from the environment. Today: memory only (nothing leaves the process); the SMTP and HTTP-API
 * adapters are chosen here once configured (issue 18).
 */
import { createMemoryEmail } from '../adapters/email/memory-email.ts';
import type { Config } from '../config.ts';
import type { EmailSender } from '../ports/email.ts';

export function emailFromConfig(_config: Config): EmailSender {
  return createMemoryEmail({ from: 'TaxiWatch <alerts@taxiwatch.localhost>' });
}
