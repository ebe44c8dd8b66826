/**
 * The Web Push adapter, on Web Crypto only (Node, Deno, Workers): the payload is encrypted by encryptPushPayload
 * (RFC 8291 aes128gcm, one record), and the VAPID JWT (RFC 8292, ES256) is signed with jose on our clock. Plain http
 * endpoints are not refused here (a loopback push service in tests and on a developer's machine is one); the
 * subscribe route decides which endpoints are acceptable.
 */
import { encryptPushPayload } from './encrypt-push-payload.ts';
import { importJWK, SignJWT } from 'jose';
import { vapidPrivateJwk, type VapidKeys } from '../../domain/notifications/vapid-keys.ts';
import type { Clock } from '../../ports/clock.ts';
import type { PushSender } from '../../ports/push.ts';

const TIMEOUT_MS = 10_000;
/** RFC 8292 §2: at most 24 h; 12 h leaves room for clock skew at the push service. */
const JWT_LIFETIME_S = 12 * 60 * 60;

export interface WebPushOptions {
  keys: () => Promise<VapidKeys>;
  clock: Clock;
  fetch?: typeof fetch;
}

export function createWebPush(options: WebPushOptions): PushSender {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  let signingKey: Promise<{ keys: VapidKeys; key: CryptoKey | Uint8Array }> | null = null;
  const signer = () =>
    (signingKey ??= options.keys().then(async (keys) => ({ keys, key: await importJWK(vapidPrivateJwk(keys) as Parameters<typeof importJWK>[0], 'ES256') })).catch((error) => {
      signingKey = null;
      throw error;
    }));

  return {
    async publicKey() {
      return (await signer()).keys.publicKey;
    },
    async send(subscription, payload, message) {
      const { keys, key } = await signer();
      const audience = new URL(subscription.endpoint).origin;
      const nowS = Math.floor(options.clock.now() / 1000);
      const jwt = await new SignJWT({ aud: audience, exp: nowS + JWT_LIFETIME_S, sub: keys.subject }).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).sign(key);
      const body = await encryptPushPayload({ p256dh: subscription.p256dh, auth: subscription.auth }, new TextEncoder().encode(payload));
      const headers: Record<string, string> = {
        authorization: `vapid t=${jwt}, k=${keys.publicKey}`,
        'content-encoding': 'aes128gcm',
        'content-type': 'application/octet-stream',
        ttl: String(message.ttlSeconds),
      };
      if (message.urgency) headers.urgency = message.urgency;
      if (message.topic) headers.topic = message.topic;
      try {
        const res = await doFetch(subscription.endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'manual' });
        const text = res.ok ? '' : (await res.text().catch(() => '')).slice(0, 200);
        if (!res.ok) await res.body?.cancel().catch(() => {});
        if (res.ok) return { status: 'sent', httpStatus: res.status };
        if (res.status === 404 || res.status === 410) return { status: 'gone', httpStatus: res.status };
        return { status: 'failed', httpStatus: res.status, error: `HTTP ${res.status}${text ? `: ${text}` : ''}` };
      } catch (cause) {
        return { status: 'failed', httpStatus: null, error: cause instanceof Error ? cause.message : String(cause) };
      }
    },
  };
}
