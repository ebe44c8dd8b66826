/**
 * Email port: hands one message to a mail service. Alerts, escalations, the daily digest and the daily report's
 * link reach people by email through this (domain/notifications/).
 *
 * Adapters (edge/adapters/email/): SMTP for Node and Deno, an HTTP mail API (Resend) for Workers, and memory for
 * tests and the embedded defaults (kept in a list, never sent). Contract (adapters/email/email.contract.test.ts):
 * - `send` delivers exactly `from`, `to`, `subject`, the plain-text part and, when given, the HTML part
 *   (multipart/alternative), with UTF-8 intact (Spanish accents, emoji);
 * - it answers what the service said: `sent` with the service's message id, or `failed` with the reason and whether
 *   trying again later may help (`retry`: a time-out, a 4xx SMTP reply, an HTTP 429/5xx). It never throws for a
 *   service's answer.
 */
export interface EmailMessage {
  to: string;
  subject: string;
  /** Always present: every message can be read as plain text. */
  text: string;
  html?: string;
  /** Overrides the configured sender (EMAIL_FROM). */
  from?: string;
  /** Kept by the service and shown by mail clients' threading; e.g. one per alert. */
  headers?: Record<string, string>;
}

export type EmailOutcome = { status: 'sent'; messageId: string | null } | { status: 'failed'; error: string; retry: boolean };

export interface EmailSender {
  /** For logs, health and tests: memory, smtp or resend. */
  readonly name: string;
  send(message: EmailMessage): Promise<EmailOutcome>;
}
