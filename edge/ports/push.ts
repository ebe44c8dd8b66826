/**
 * Push port: sends one Web Push message (RFC 8030) to one browser subscription, encrypted for it (RFC 8291,
 * aes128gcm) and signed with the server's VAPID key (RFC 8292).
 *
 * Contract (adapters/push/push.contract.test.ts, against a loopback push service):
 * - `send` POSTs to the subscription's endpoint; the service can decrypt the body with the subscription's private
 *   key and auth secret, and the `Authorization: vapid t=…, k=…` JWT verifies against `publicKey()`, whose `aud`
 *   is the endpoint's origin.
 * - It answers what the service said: `sent` (2xx), `gone` (404/410: the subscription is dead and must be removed)
 *   or `failed` with the status or network error (worth retrying). It never throws for a service's answer.
 * - `publicKey()` is the VAPID public key browsers subscribe with (uncompressed P-256 point, base64url).
 */
export interface PushSubscriptionKeys {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface PushMessageOptions {
  /** Seconds the push service keeps the message for an offline browser. */
  ttlSeconds: number;
  urgency?: 'very-low' | 'low' | 'normal' | 'high';
  /** A later message with the same topic replaces an undelivered earlier one. */
  topic?: string;
}

export type PushOutcome = { status: 'sent'; httpStatus: number } | { status: 'gone'; httpStatus: number } | { status: 'failed'; httpStatus: number | null; error: string };

export interface PushSender {
  publicKey(): Promise<string>;
  send(subscription: PushSubscriptionKeys, payload: string, options: PushMessageOptions): Promise<PushOutcome>;
}
