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
    await post('/', ['DEL', `${key}:a`, `${key}:b`, `${key}:n`, `${key}:p`, `${key}:q`, `${key}:s`, `${key}:t`, `${key}:u`]);
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

  it('encodes nested replies (stream entries) in base64 too', async () => {
    const id = (await (await post('/', ['XADD', `${key}:s`, '*', 'e', 'ñ'])).json()).result as string;
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const reply = await (await post('/', ['XRANGE', `${key}:s`, '-', '+'], { 'upstash-encoding': 'base64' })).json();
    expect(reply).toEqual({ result: [[b64(id), [b64('e'), b64('ñ')]]] });
  });

  it('runs /pipeline without atomicity: a failing command answers {error} and the others still run', async () => {
    const replies = await (await post('/pipeline', [['SET', `${key}:p`, 'x'], ['INCR', `${key}:p`], ['SET', `${key}:q`, '1']])).json();
    expect(replies).toEqual([{ result: 'OK' }, { error: expect.stringMatching(/not an integer/) }, { result: 'OK' }]);
    expect(await (await post('/', ['MGET', `${key}:p`, `${key}:q`])).json()).toEqual({ result: ['x', '1'] });
  });

  it('reports a command failing inside EXEC per command, like Redis (no rollback)', async () => {
    const replies = await (await post('/multi-exec', [['SET', `${key}:t`, 'x'], ['INCR', `${key}:t`], ['SET', `${key}:u`, '1']])).json();
    expect(replies).toEqual([{ result: 'OK' }, { error: expect.stringMatching(/not an integer/) }, { result: 'OK' }]);
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
    // The server confirms like Upstash does ("subscribe,<channel>,1") once Redis has the subscription.
    const confirmed = new Promise((resolve) => subscriber.on('subscribe', resolve));
    subscriber.on('message', ({ message }) => received.push(message));
    expect(await confirmed).toBe(1);
    await redis.publish(`${key}:chan`, JSON.stringify({ hello: 'world' }));
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(received).toEqual([{ hello: 'world' }]);
    await subscriber.unsubscribe();
  });
});
