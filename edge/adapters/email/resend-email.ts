/**
 * Resend email (any runtime, Workers included: fetch only): POST {RESEND_API_URL}/emails with the API key as a
 * bearer token. Resend answers 200 {"id"} when it has taken the message, 429 when the key is over its rate, 5xx
 * when it is in trouble (both may pass later), and 4xx with {"name","message"} for a request it will never take
 * (422 an invalid address or an unverified sender domain, 401/403 a bad key).
 */
import type { EmailMessage, EmailOutcome, EmailSender } from '../../ports/email.ts';

export interface ResendEmailOptions {
  apiKey: string;
  /** Default https://api.resend.com; a local server in tests. */
  apiUrl?: string;
  /** The sender when a message names none (EMAIL_FROM). */
  from: string;
  /** The whole request, answer included (default 10 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export const RESEND_API_URL = 'https://api.resend.com';

export function createResendEmail(options: ResendEmailOptions): EmailSender {
  const endpoint = `${(options.apiUrl ?? RESEND_API_URL).replace(/\/+$/, '')}/emails`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;
  return {
    name: 'resend',
    async send(message: EmailMessage): Promise<EmailOutcome> {
      const body = {
        from: message.from ?? options.from,
        to: [message.to],
        subject: message.subject,
        text: message.text,
        ...(message.html !== undefined ? { html: message.html } : {}),
        ...(message.headers ? { headers: message.headers } : {}),
      };
      let response: Response;
      let answer: string;
      try {
        response = await doFetch(endpoint, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        answer = await response.text();
      } catch (error) {
        const name = error instanceof Error ? error.name : '';
        if (name === 'TimeoutError' || name === 'AbortError')
          return { status: 'failed', error: `Resend: no answer within ${timeoutMs} ms`, retry: true };
        return {
          status: 'failed',
          error: `Resend unreachable: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500),
          retry: true,
        };
      }
      const json = parseJson(answer);
      if (response.ok) return { status: 'sent', messageId: typeof json?.id === 'string' ? json.id : null };
      const said = typeof json?.message === 'string' ? json.message : answer.trim() || response.statusText;
      return {
        status: 'failed',
        error: `Resend ${response.status}: ${said}`.slice(0, 500),
        retry: response.status === 429 || response.status >= 500,
      };
    },
  };
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
