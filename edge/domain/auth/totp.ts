/** TOTP (RFC 6238) through otpauth: 6 digits, 30 s, SHA-1 — what authenticator apps expect — with ±1 step of drift. */
import { Secret, TOTP } from 'otpauth';

export interface TotpOptions {
  digits?: number;
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secretBase32: string, options: TotpOptions = {}) {
  return new TOTP({ issuer: 'TaxiWatch', secret: Secret.fromBase32(secretBase32), digits: options.digits ?? 6, period: 30, algorithm: 'SHA1' });
}

export function otpauthUri(secretBase32: string, account: string): string {
  const t = totp(secretBase32);
  t.label = account;
  return t.toString();
}

export function totpCode(secretBase32: string, atMs: number, options: TotpOptions = {}): string {
  return totp(secretBase32, options).generate({ timestamp: atMs });
}

/** The time step the code belongs to (so it can be refused next time), or null when it does not match. */
export function verifyTotp(secretBase32: string, code: string, atMs: number, options: TotpOptions = {}): number | null {
  const digits = options.digits ?? 6;
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return null;
  const delta = totp(secretBase32, options).validate({ token: code, timestamp: atMs, window: 1 });
  return delta === null ? null : Math.floor(atMs / 30_000) + delta;
}
