/** The Neon WebSocket proxy used by tests dials only allow-listed targets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startNeonWsProxy, type NeonWsProxy } from './neon-ws-proxy.ts';

describe('Neon WebSocket-to-TCP test proxy', () => {
  let proxy: NeonWsProxy;
  beforeAll(async () => {
    proxy = await startNeonWsProxy({ allow: ['127.0.0.1:5432'] });
  });
  afterAll(() => proxy.close());

  it('refuses a target that is not allow-listed', async () => {
    const socket = new WebSocket(`ws://${proxy.wsProxy('127.0.0.1', 6379)}`);
    const [code, reason] = await new Promise<[number, string]>((resolve) => socket.on('close', (c, r) => resolve([c, r.toString()])));
    expect(code).toBe(1008);
    expect(reason).toContain('127.0.0.1:6379 is not allowed');
  });
});
