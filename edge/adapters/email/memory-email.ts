/**
 * Memory email: keeps every message in `sent` instead of sending it. The embedded default when no mail service is
 * configured (the delivery log still shows what would have gone out) and the sender tests read.
 */
import type { EmailMessage, EmailSender } from '../../ports/email.ts';

export interface MemoryEmail extends EmailSender {
  readonly sent: EmailMessage[];
}

export function createMemoryEmail(options: { from: string }): MemoryEmail {
  const sent: EmailMessage[] = [];
  return {
    name: 'memory',
    sent,
    async send(message) {
      sent.push({ ...message, from: message.from ?? options.from });
      return { status: 'sent', messageId: `memory-${sent.length}` };
    },
  };
}
