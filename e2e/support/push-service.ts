/**
 * Test server: a loopback Web Push service. It hands out subscriptions (a fresh P-256 key pair and auth secret
 * each, as a browser makes), receives the real POST the server sends, checks the VAPID `Authorization` header
 * (RFC 8292: ES256 JWT whose signature verifies against the `k=` key, `aud` = this service's origin, `exp` within
 * 24 h, a mailto:/https: `sub`) and decrypts the body with its own RFC 8291 / RFC 8188 implementation on node:crypto
 * (ECDH + HKDF + AES-128-GCM) — independent of the library that encrypted it, so a wrong encryption fails here.
 * An endpoint can be told to answer 410 (expired subscription) or 500 (a service in trouble) instead of 201.
 */
import { createCipheriv, createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BrowserSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface ReceivedPush {
  endpoint: string;
  payload: string;
  receivedAt: number;
  vapidPublicKey: string;
  jwtClaims: { aud: string; exp: number; sub: string };
  headers: { ttl: string | undefined; urgency: string | undefined; topic: string | undefined };
}

export interface RejectedPush {
  endpoint: string;
  reason: string;
}

interface Subscriber {
  ecdh: ReturnType<typeof createECDH>;
  publicKey: Buffer;
  auth: Buffer;
  answer: number;
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** RFC 8291 §3.4 and RFC 8188 §2: the receiving side of aes128gcm, written from the RFCs. */
export function decryptAes128gcm(body: Buffer, receiver: { ecdh: ReturnType<typeof createECDH>; publicKey: Buffer; auth: Buffer }): string {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20];
  const senderPublic = body.subarray(21, 21 + idLength);
  if (idLength !== 65) throw new Error(`keyid must be the sender's 65-byte public key, got ${idLength} bytes`);
  const records = body.subarray(21 + idLength);
  if (records.length > recordSize) throw new Error(`one record expected, got ${records.length} bytes for record size ${recordSize}`);
  const ecdhSecret = receiver.ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), receiver.publicKey, senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, receiver.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(records.subarray(records.length - 16));
  const padded = Buffer.concat([decipher.update(records.subarray(0, records.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('the last record must end with the 0x02 delimiter');
  return padded.subarray(0, end).toString('utf8');
}

/** The sending side, for the service's own self-test (a round trip through decryptAes128gcm). */
export function encryptAes128gcmForTest(plaintext: string, receiverPublic: Buffer, auth: Buffer): Buffer {
  const sender = createECDH('prime256v1');
  const senderPublic = sender.generateKeys();
  const salt = randomBytes(16);
  const ecdhSecret = sender.computeSecret(receiverPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), receiverPublic, senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const cipher = createCipheriv('aes-128-gcm', cek, nonce);
  const record = Buffer.concat([cipher.update(Buffer.concat([Buffer.from(plaintext), Buffer.from([2])])), cipher.final(), cipher.getAuthTag()]);
  const header = Buffer.alloc(21);
  salt.copy(header, 0);
  header.writeUInt32BE(4096, 16);
  header[20] = 65;
  return Buffer.concat([header, senderPublic, record]);
}

/** RFC 8292 §2–3: the vapid scheme's token, verified against the key it names. */
export function verifyVapid(authorization: string | undefined, origin: string, nowS: number): { publicKey: string; claims: ReceivedPush['jwtClaims'] } {
  const match = /^vapid t=([A-Za-z0-9_.-]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!match) throw new Error(`Authorization is not "vapid t=…, k=…": ${authorization}`);
  const [, token, key] = match;
  const [headerPart, claimsPart, signaturePart] = token.split('.');
  const header = JSON.parse(Buffer.from(headerPart, 'base64url').toString()) as { alg: string; typ?: string };
  if (header.alg !== 'ES256') throw new Error(`JWT alg must be ES256, got ${header.alg}`);
  const point = Buffer.from(key, 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new Error('k= must be an uncompressed P-256 point');
  const publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33, 65)) }, format: 'jwk' });
  const signed = Buffer.from(`${headerPart}.${claimsPart}`);
  if (!verify('sha256', signed, { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signaturePart, 'base64url'))) throw new Error('VAPID JWT signature does not verify against k=');
  const claims = JSON.parse(Buffer.from(claimsPart, 'base64url').toString()) as ReceivedPush['jwtClaims'];
  if (claims.aud !== origin) throw new Error(`aud ${claims.aud} is not the push service origin ${origin}`);
  if (!(claims.exp > nowS - 60 && claims.exp <= nowS + 24 * 3600 + 60)) throw new Error(`exp ${claims.exp} is not within 24 h of now ${nowS}`);
  if (!/^(mailto:|https:)/.test(claims.sub ?? '')) throw new Error(`sub must be a mailto: or https: contact, got ${claims.sub}`);
  return { publicKey: key, claims };
}

export interface PushServiceOptions {
  /** The service's idea of now (seconds) for checking `exp`; the test platform's manual clock, say. */
  nowS?: () => number;
}

export async function startPushService(options: PushServiceOptions = {}) {
  const subscribers = new Map<string, Subscriber>();
  const received: ReceivedPush[] = [];
  const rejected: RejectedPush[] = [];
  const waiters: Array<() => void> = [];
  let requests = 0;
  const nowS = options.nowS ?? (() => Math.floor(Date.now() / 1000));

  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  const server = createServer(async (req, res) => {
    requests++;
    const body = await readBody(req);
    const endpoint = `${origin}${req.url}`;
    const subscriber = subscribers.get(req.url ?? '');
    const reject = (status: number, reason: string) => {
      rejected.push({ endpoint, reason });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(reason);
      for (const wake of waiters.splice(0)) wake();
    };
    if (req.method !== 'POST' || !subscriber) return reject(404, 'no such subscription');
    if (subscriber.answer !== 201) return reject(subscriber.answer, `answering ${subscriber.answer} as told`);
    try {
      if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error(`Content-Encoding must be aes128gcm, got ${req.headers['content-encoding']}`);
      if (!req.headers.ttl) throw new Error('TTL header missing');
      const vapid = verifyVapid(req.headers.authorization, origin, nowS());
      const payload = decryptAes128gcm(body, subscriber);
      received.push({ endpoint, payload, receivedAt: Date.now(), vapidPublicKey: vapid.publicKey, jwtClaims: vapid.claims, headers: { ttl: req.headers.ttl as string, urgency: req.headers.urgency as string | undefined, topic: req.headers.topic as string | undefined } });
      res.writeHead(201, { location: `${origin}/messages/${received.length}` }).end();
      for (const wake of waiters.splice(0)) wake();
    } catch (error) {
      reject(400, error instanceof Error ? error.message : String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    received,
    rejected,
    requests: () => requests,
    /** A new browser subscription, as PushManager.subscribe() would give (keys base64url). */
    subscribe(): BrowserSubscription {
      const ecdh = createECDH('prime256v1');
      const publicKey = ecdh.generateKeys();
      const auth = randomBytes(16);
      const path = `/push/${randomBytes(8).toString('hex')}`;
      subscribers.set(path, { ecdh, publicKey, auth, answer: 201 });
      return { endpoint: `${origin}${path}`, keys: { p256dh: b64url(publicKey), auth: b64url(auth) } };
    },
    /** From now on the endpoint answers this status (410: expired, 500: trouble, 201: back to normal). */
    answerWith(endpoint: string, status: number) {
      subscribers.get(new URL(endpoint).pathname)!.answer = status;
    },
    /** Resolves once `count` pushes were received (or rejected), or rejects after `timeoutMs`. */
    async waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`push service: condition not met within ${timeoutMs} ms (received ${received.length}, rejected ${rejected.map((r) => r.reason).join('; ')})`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 100));
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type PushService = Awaited<ReturnType<typeof startPushService>>;
