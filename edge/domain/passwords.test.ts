import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, PASSWORD_ITERATIONS, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('hashes with a per-password salt and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(PASSWORD_ITERATIONS).toBe(100_000);
    expect(a).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('verifies with the iteration count stored in the hash, so the cost can be raised later', async () => {
    const cheap = await hashPassword('an older password', 1_000);
    expect(cheap.startsWith('pbkdf2-sha256$1000$')).toBe(true);
    expect(await verifyPassword('an older password', cheap)).toBe(true);
    // The same salt and hash under another count is a different derivation.
    expect(await verifyPassword('an older password', cheap.replace('$1000$', '$1001$'))).toBe(false);
  });

  it('treats composed and decomposed accents as the same password', async () => {
    const stored = await hashPassword('contrase\u00f1a-segura');
    expect(await verifyPassword('contrasen\u0303a-segura', stored)).toBe(true);
  });

  it('rejects malformed or abusive stored hashes instead of throwing', async () => {
    const good = await hashPassword('x');
    const [, , salt, hash] = good.split('$');
    for (const stored of [
      'plain-text',
      '',
      'pbkdf2-sha256$abc$salt$hash',
      `pbkdf2-sha256$0$${salt}$${hash}`,
      `pbkdf2-sha256$99999999999$${salt}$${hash}`,
      `pbkdf2-sha256$1000$!!not-base64!!$${hash}`,
      `pbkdf2-sha256$1000$${salt}$${btoa('short')}`,
      `${good}$extra`,
      `bcrypt$1000$${salt}$${hash}`,
    ]) {
      expect(await verifyPassword('x', stored), stored).toBe(false);
    }
  });

  it('generates random passwords from the unambiguous alphabet', () => {
    const p = generatePassword();
    expect(p).toMatch(/^[A-HJ-NP-Za-km-z2-9]{18}$/);
    expect(generatePassword()).not.toBe(p);
    expect(generatePassword(32)).toHaveLength(32);
  });
});
