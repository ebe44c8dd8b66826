/** Which mail service the environment picks: SMTP (Node and Deno) before Resend before memory. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { emailFromConfig } from './email-from-config.ts';
import { localEmailFromConfig } from './local-email-from-config.ts';

const SMTP_URL = 'smtp://u:p@127.0.0.1:2525';

describe('emailFromConfig (every runtime)', () => {
  it('keeps mail in memory when no service is configured', () => {
    expect(emailFromConfig(loadConfig({})).name).toBe('memory');
  });

  it('uses Resend when RESEND_API_KEY is set, and ignores SMTP_URL (no sockets on Workers)', () => {
    expect(emailFromConfig(loadConfig({ RESEND_API_KEY: 're_1' })).name).toBe('resend');
    expect(emailFromConfig(loadConfig({ SMTP_URL })).name).toBe('memory');
    expect(emailFromConfig(loadConfig({ SMTP_URL, RESEND_API_KEY: 're_1' })).name).toBe('resend');
  });

  it('sends from EMAIL_FROM unless a message names its own sender', async () => {
    const email = emailFromConfig(loadConfig({ EMAIL_FROM: 'Flota <flota@fleet.example>' }));
    await email.send({ to: 'a@fleet.example', subject: 's', text: 't' });
    expect((email as unknown as { sent: Array<{ from: string }> }).sent[0].from).toBe('Flota <flota@fleet.example>');
  });
});

describe('localEmailFromConfig (Node and Deno)', () => {
  it('prefers SMTP_URL, then RESEND_API_KEY, then memory', () => {
    expect(localEmailFromConfig(loadConfig({ SMTP_URL, RESEND_API_KEY: 're_1' })).name).toBe('smtp');
    expect(localEmailFromConfig(loadConfig({ RESEND_API_KEY: 're_1' })).name).toBe('resend');
    expect(localEmailFromConfig(loadConfig({})).name).toBe('memory');
  });
});
