/** TOTP against RFC 6238's published test vectors (Appendix B, SHA-1, 8 digits). */
import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { otpauthUri, totpCode, verifyTotp } from './totp.ts';

const RFC_SECRET = new Secret({ buffer: new TextEncoder().encode('12345678901234567890').buffer as ArrayBuffer }).base32;

describe('TOTP', () => {
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('at T=%i s the code is %s', (seconds, code) => {
    expect(totpCode(RFC_SECRET, seconds * 1000, { digits: 8 })).toBe(code);
    expect(verifyTotp(RFC_SECRET, code, seconds * 1000, { digits: 8 })).toBe(Math.floor(seconds / 30));
  });

  it('accepts one step of clock drift and no more', () => {
    const code = totpCode(RFC_SECRET, 1_000_000_000);
    expect(verifyTotp(RFC_SECRET, code, 1_000_000_000 + 30_000)).not.toBeNull();
    expect(verifyTotp(RFC_SECRET, code, 1_000_000_000 + 90_000)).toBeNull();
    expect(verifyTotp(RFC_SECRET, 'abcdef', 1_000_000_000)).toBeNull();
  });

  it('builds an otpauth URI for authenticator apps', () => {
    expect(otpauthUri(RFC_SECRET, 'owner@example.com')).toBe(`otpauth://totp/TaxiWatch:owner%40example.com?issuer=TaxiWatch&secret=${RFC_SECRET}&algorithm=SHA1&digits=6&period=30`);
  });
});
