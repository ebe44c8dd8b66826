import { describe, expect, it } from 'vitest';
import { generateDeviceKey, hashDeviceKey } from './device-keys.ts';

describe('device keys', () => {
  it('generates distinct high-entropy keys whose stored hash matches a later lookup', async () => {
    const a = await generateDeviceKey();
    const b = await generateDeviceKey();
    expect(a.key).toMatch(/^twd_[A-Za-z0-9_-]{43}$/);
    expect(a.key).not.toBe(b.key);
    expect(a.prefix).toBe(a.key.slice(0, 12));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashDeviceKey(a.key)).toBe(a.hash);
    expect(await hashDeviceKey(b.key)).not.toBe(a.hash);
  });
});
