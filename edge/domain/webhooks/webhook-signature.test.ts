import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './webhook-signature.ts';

describe('webhook signatures', () => {
  const body = '{"type":"new_alert","data":{"severity":"HIGH"}}';

  it('signs timestamp and body with HMAC-SHA-256 in the documented format', async () => {
    const header = await signWebhook('whsec_test', body, 1_780_000_000);
    expect(header).toMatch(/^t=1780000000,v1=[0-9a-f]{64}$/);
    expect(await verifyWebhook('whsec_test', body, header, 1_780_000_100)).toBe(true);
  });

  it('fails for another secret, an altered body, or an old timestamp', async () => {
    const header = await signWebhook('whsec_test', body, 1_780_000_000);
    expect(await verifyWebhook('whsec_other', body, header, 1_780_000_000)).toBe(false);
    expect(await verifyWebhook('whsec_test', body.replace('HIGH', 'LOW'), header, 1_780_000_000)).toBe(false);
    expect(await verifyWebhook('whsec_test', body, header, 1_780_000_301)).toBe(false);
    expect(await verifyWebhook('whsec_test', body, 'garbage', 1_780_000_000)).toBe(false);
  });
});
