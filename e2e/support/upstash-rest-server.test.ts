/** The Upstash REST test server speaks the protocol the real client expects. */
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisAvailable, TEST_REDIS_URL } from './test-redis.ts';
import { startUpstashRestServer } from './upstash-rest-server.ts';

describe.skipIf(!(await redisAvailable()))('Upstash REST test server', () => {
  let server: Awaited<ReturnType<typeof startUpstashRestServer>>;
  const key = `test:${crypto.randomUUID()}`;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { authorization: `Bearer ${server.token}`, ...headers } });

  beforeAll(async () => {
    server = await startUpstashRestServer({ redisUrl: TEST_REDIS_URL, token: 'test-token' });
  });
  afterAll(async () => {
    await post('/', ['DEL', `${key}:a`, `${key}:b`, `${key}:n`]);
    await server.close();
  });

  it('rejects a wrong token', async () => {
    const res = await fetch(`${server.url}/`, { method: 'POST', body: '["PING"]', headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
  });

  it('answers {result} and base64-encodes strings recursively when asked', async () => {
    expect(await (await post('/', ['SET', `${key}:a`, 'héllo'])).json()).toEqual({ result: 'OK' });
    expect(await (await post('/', ['GET', `${key}:a`], { 'upstash-encoding': 'base64' })).json()).toEqual({ result: Buffer.from('héllo').toString('base64') });
    const pipeline = await (await post('/pipeline', [['INCR', `${key}:n`], ['MGET', `${key}:a`, `${key}:none`]], { 'upstash-encoding': 'base64' })).json();
    expect(pipeline).toEqual([{ result: 1 }, { result: [Buffer.from('héllo').toString('base64'), null] }]);
  });

  it('runs /multi-exec atomically: a command that cannot be queued aborts all', async () => {
    const res = await post('/multi-exec', [['SET', `${key}:b`, '1'], ['NOSUCHCOMMAND']]);
    expect(res.status).toBe(400);
    expect((await post('/', ['EXISTS', `${key}:b`]).then((r) => r.json()))).toEqual({ result: 0 });
    const ok = await (await post('/multi-exec', [['SET', `${key}:b`, '1'], ['INCR', `${key}:b`]])).json();
    expect(ok).toEqual([{ result: 'OK' }, { result: 2 }]);
  });

  it('serves the real client, including pub/sub', async () => {
    const redis = new Redis({ url: server.url, token: server.token, enableTelemetry: false });
    await redis.set(`${key}:a`, { plate: '1234ABC' });
    expect(await redis.get(`${key}:a`)).toEqual({ plate: '1234ABC' });
    const received: unknown[] = [];
    const subscriber = redis.subscribe(`${key}:chan`);
    subscriber.on('message', ({ message }) => received.push(message));
    await new Promise((r) => setTimeout(r, 200));
    await redis.publish(`${key}:chan`, JSON.stringify({ hello: 'world' }));
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(received).toEqual([{ hello: 'world' }]);
    await subscriber.unsubscribe();
  });
});
