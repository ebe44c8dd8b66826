import { describe, expect, it } from 'vitest';
import { DEVICE_KEY_LIFETIME_DAYS, generateDeviceKey, hashDeviceKey } from './device-keys.ts';

describe('device keys', () => {
  it('generates distinct high-entropy keys whose stored hash matches a later lookup', async () => {
    const a = await generateDeviceKey();
    const b = await generateDeviceKey();
    // twd_ + 32 bytes as unpadded base64url (43 characters)
    expect(a.key).toMatch(/^twd_[A-Za-z0-9_-]{43}$/);
    expect(a.key).not.toBe(b.key);
    expect(a.prefix).toBe(a.key.slice(0, 12));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashDeviceKey(a.key)).toBe(a.hash);
    expect(await hashDeviceKey(b.key)).not.toBe(a.hash);
  });

  it('hashes with plain SHA-256 and lives 90 days', async () => {
    expect(await hashDeviceKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(DEVICE_KEY_LIFETIME_DAYS).toBe(90);
  });
});
