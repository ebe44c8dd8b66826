/**
 * The push port's contract, against a loopback push service that decrypts with its own RFC 8291 code and verifies
 * the VAPID JWT (e2e/support/push-service.ts). One adapter today: Web Crypto (createWebPush).
 */
import { createECDH, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../clock/manual-clock.ts';
import { generateVapidKeys } from '../../domain/notifications/vapid-keys.ts';
import type { PushSender } from '../../ports/push.ts';
import { decryptAes128gcm, encryptAes128gcmForTest, startPushService, type PushService } from '../../../e2e/support/push-service.ts';
import { createWebPush } from './web-push.ts';

const clock = createManualClock('2026-06-01T08:00:00Z');

const adapters: Array<[string, () => Promise<PushSender>]> = [
  ['web crypto (encryptPushPayload + jose)', async () => {
    const keys = { ...(await generateVapidKeys()), subject: 'mailto:ops@taxiwatch.test' };
    return createWebPush({ keys: async () => keys, clock });
  }],
];

describe('the loopback push service itself', () => {
  it('decrypts what its own RFC 8291 sender encrypts, and refuses a wrong auth secret', () => {
    const ecdh = createECDH('prime256v1');
    const publicKey = ecdh.generateKeys();
    const auth = randomBytes(16);
    const body = encryptAes128gcmForTest('hello', publicKey, auth);
    expect(decryptAes128gcm(body, { ecdh, publicKey, auth })).toBe('hello');
    expect(() => decryptAes128gcm(body, { ecdh, publicKey, auth: randomBytes(16) })).toThrow();
  });
});

describe.each(adapters)('push port: %s', (_name, make) => {
  let service: PushService;
  let push: PushSender;
  beforeAll(async () => {
    service = await startPushService({ nowS: () => Math.floor(clock.now() / 1000) });
    push = await make();
  });
  afterAll(() => service.close());

  it('sends a payload the service decrypts, signed with a VAPID JWT that verifies against publicKey()', async () => {
    const browser = service.subscribe();
    const payload = JSON.stringify({ title: 'CRITICAL · 1234-ABC', body: 'Phone use', url: '/incidents/x', ñ: 'ü' });
    const outcome = await push.send({ endpoint: browser.endpoint, ...browser.keys }, payload, { ttlSeconds: 3600, urgency: 'high', topic: 'alert-1' });
    expect(outcome).toEqual({ status: 'sent', httpStatus: 201 });
    const got = service.received.at(-1)!;
    expect(got.payload).toBe(payload);
    expect(got.vapidPublicKey).toBe(await push.publicKey());
    expect(got.jwtClaims).toMatchObject({ aud: service.origin, sub: 'mailto:ops@taxiwatch.test' });
    expect(got.jwtClaims.exp).toBeGreaterThan(clock.now() / 1000);
    expect(got.headers).toEqual({ ttl: '3600', urgency: 'high', topic: 'alert-1' });
  });

  it('encrypts for the subscription it is given: another browser\'s keys do not decrypt it', async () => {
    const browser = service.subscribe();
    const other = service.subscribe();
    const before = service.rejected.length;
    const outcome = await push.send({ endpoint: browser.endpoint, ...other.keys }, 'secret', { ttlSeconds: 60 });
    expect(outcome.status).toBe('failed');
    expect(service.rejected.length).toBe(before + 1);
    expect(service.received.some((r) => r.payload === 'secret')).toBe(false);
  });

  it('answers gone for 404 and 410, failed with the status for other errors, failed for a network error', async () => {
    const browser = service.subscribe();
    const keys = { endpoint: browser.endpoint, ...browser.keys };
    service.answerWith(browser.endpoint, 410);
    expect(await push.send(keys, 'x', { ttlSeconds: 60 })).toEqual({ status: 'gone', httpStatus: 410 });
    expect(await push.send({ ...keys, endpoint: `${service.origin}/push/unknown` }, 'x', { ttlSeconds: 60 })).toEqual({ status: 'gone', httpStatus: 404 });
    service.answerWith(browser.endpoint, 500);
    expect(await push.send(keys, 'x', { ttlSeconds: 60 })).toMatchObject({ status: 'failed', httpStatus: 500 });
    const down = await push.send({ ...keys, endpoint: 'http://127.0.0.1:1/push/x' }, 'x', { ttlSeconds: 60 });
    expect(down).toMatchObject({ status: 'failed', httpStatus: null });
  });
});
