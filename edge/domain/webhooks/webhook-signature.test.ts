import { describe, expect, it } from 'vitest';
import { loadDocumentedReceiver } from '../../../e2e/support/documented-webhook-receiver.ts';
import { signWebhook, verifyWebhook } from './webhook-signature.ts';

// Known answers computed outside the project, with OpenSSL:
//   printf '%s' '<t>.<body>' | openssl dgst -sha256 -hmac whsec_test
const VECTORS = [
  { t: 1_780_000_000, body: '{"type":"new_alert","data":{"severity":"HIGH"}}', v1: '33b884e04b499e398469fbdda2021256612cd4c7f75ccfc8f3055f7d6e7b720a' },
  { t: 1_780_000_000, body: '', v1: '21712f667aa8b6800b42eafe5eb086ebeb07b3537d5d905c14cee942d90af6fb' },
  { t: 1_780_000_123, body: '{"text":"frenada brusca — señal ✓"}', v1: '93edab884d1374b0644657f066b2fab62a23fe32a581059fd1d12ba8821efb75' },
];

describe('webhook signatures', () => {
  const body = '{"type":"new_alert","data":{"severity":"HIGH"}}';

  it.each(VECTORS)('signs "$t.$body" to the HMAC-SHA-256 OpenSSL computes', async ({ t, body, v1 }) => {
    expect(await signWebhook('whsec_test', body, t)).toBe(`t=${t},v1=${v1}`);
    expect(await verifyWebhook('whsec_test', body, `t=${t},v1=${v1}`, t)).toBe(true);
  });

  it('fails for another secret, an altered body, or an old timestamp', async () => {
    const header = await signWebhook('whsec_test', body, 1_780_000_000);
    expect(await verifyWebhook('whsec_other', body, header, 1_780_000_000)).toBe(false);
    expect(await verifyWebhook('whsec_test', body.replace('HIGH', 'LOW'), header, 1_780_000_000)).toBe(false);
    expect(await verifyWebhook('whsec_test', body, header, 1_780_000_301)).toBe(false);
    expect(await verifyWebhook('whsec_test', body, 'garbage', 1_780_000_000)).toBe(false);
  });

  it('refuses a body with a byte added or removed, and a timestamp moved to reuse the signature', async () => {
    const { t, v1 } = VECTORS[0];
    expect(await verifyWebhook('whsec_test', `${body} `, `t=${t},v1=${v1}`, t)).toBe(false);
    expect(await verifyWebhook('whsec_test', body.slice(0, -1), `t=${t},v1=${v1}`, t)).toBe(false);
    // Replaying the captured signature under a fresh timestamp fails: the timestamp is signed with the body.
    expect(await verifyWebhook('whsec_test', body, `t=${t + 600},v1=${v1}`, t + 600)).toBe(false);
    expect(await verifyWebhook('whsec_test', body, `t=${t},v1=${v1.slice(0, -1)}`, t)).toBe(false);
    expect(await verifyWebhook('whsec_test', body, `t=${t},v1=${v1.toUpperCase()}`, t)).toBe(false);
    expect(await verifyWebhook('whsec_test', body, `t=${t}`, t)).toBe(false);
    expect(await verifyWebhook('whsec_test', body, `v1=${v1}`, t)).toBe(false);
  });

  it('accepts a delivery up to 300 s either side of the clock and refuses it one second beyond', async () => {
    const { t, v1 } = VECTORS[0];
    const header = `t=${t},v1=${v1}`;
    expect(await verifyWebhook('whsec_test', body, header, t + 300)).toBe(true);
    expect(await verifyWebhook('whsec_test', body, header, t + 301)).toBe(false);
    expect(await verifyWebhook('whsec_test', body, header, t - 300)).toBe(true);
    expect(await verifyWebhook('whsec_test', body, header, t - 301)).toBe(false);
  });

  it('agrees with the receiver example of docs/integrate/webhooks.md, run as written, on every case', async () => {
    let now = 0;
    const documented = await loadDocumentedReceiver(() => now * 1000);
    const cases = [
      ...VECTORS.map(({ t, body, v1 }) => ({ body, header: `t=${t},v1=${v1}`, at: t + 10, valid: true })),
      { body: `${body} `, header: `t=${VECTORS[0].t},v1=${VECTORS[0].v1}`, at: VECTORS[0].t, valid: false },
      { body, header: `t=${VECTORS[0].t},v1=${VECTORS[0].v1}`, at: VECTORS[0].t + 301, valid: false },
      { body, header: `t=${VECTORS[0].t + 600},v1=${VECTORS[0].v1}`, at: VECTORS[0].t + 600, valid: false },
    ];
    for (const { body, header, at, valid } of cases) {
      now = at;
      expect(documented(body, header, 'whsec_test'), `${header} at ${at}`).toBe(valid);
      expect(await verifyWebhook('whsec_test', body, header, at), `${header} at ${at}`).toBe(valid);
    }
    expect(documented(body, await signWebhook('whsec_test', body, now), 'whsec_test')).toBe(true);
  });
});
