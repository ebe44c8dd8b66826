/** API rate limits, CORS allow-list and security headers through the assembled app. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createApp } from '../app.ts';
import { createApiKey } from '../domain/auth/api-keys.ts';
import { createDevice, createFleet, createVehicle } from '../domain/provisioning.ts';

describe('rate limits, CORS and security headers', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let key: string;
  const from = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });

  beforeAll(async () => {
    platform = await createTestPlatform({ RATE_LIMIT_PER_IP_PER_MINUTE: '3', RATE_LIMIT_PER_MINUTE: '5', CORS_ORIGINS: 'https://fleet.example.com' });
    platform.clock.set('2026-06-01T08:00:10Z');
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    key = (await createApiKey(deps, { fleetId: (await createFleet(deps, { name: 'Limits' })).id, scopes: ['read:vehicles'] })).key;
  });
  afterAll(() => platform.close());

  it('limits each address per minute with RateLimit headers and Retry-After', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await app.request('/api/v1/auth/me', {}, from('192.0.2.50'));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(last!.headers.get('ratelimit-limit')).toBe('3');
    expect(last!.headers.get('ratelimit-remaining')).toBe('0');
    expect(last!.headers.get('retry-after')).toBe('50');
    // Another address has its own budget; health is never limited.
    expect((await app.request('/api/v1/auth/me', {}, from('192.0.2.51'))).status).toBe(401);
    expect((await app.request('/api/v1/health', {}, from('192.0.2.50'))).status).toBe(200);
    platform.clock.advance(50_000);
    expect((await app.request('/api/v1/auth/me', {}, from('192.0.2.50'))).status).toBe(401);
  });

  it('gives each API key its own budget, whatever address it comes from', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await app.request('/api/v1/vehicles', { headers: { 'x-api-key': key } }, from(`198.51.100.${i}`))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('gives each device its own budget too, so taxis behind one carrier address do not starve each other', async () => {
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'NAT' })).id;
    const vehicleId = (await createVehicle(deps, { fleetId, plate: 'NAT-1' })).id;
    const [one, two] = [await createDevice(deps, { vehicleId }), await createDevice(deps, { vehicleId })];
    const beat = (key: string) => app.request('/api/v1/devices/heartbeat', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{}' }, from('100.64.0.1'));
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await beat(one.key)).status, (await beat(two.key)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
  });

  it('allows only configured origins and sets security headers', async () => {
    const allowed = await app.request('/api/v1/health', { headers: { origin: 'https://fleet.example.com' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://fleet.example.com');
    const other = await app.request('/api/v1/health', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(allowed.headers.get('x-content-type-options')).toBe('nosniff');
    expect(allowed.headers.get('x-frame-options')).toBe('DENY');
    expect(allowed.headers.get('strict-transport-security')).toContain('max-age');
  });

  it('answers a browser preflight from a listed origin, and gives requests without an Origin no CORS headers but Vary: Origin', async () => {
    const preflight = await app.request('/api/v1/vehicles', {
      method: 'OPTIONS',
      headers: { origin: 'https://fleet.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://fleet.example.com');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    const exposed = await app.request('/api/v1/health', { headers: { origin: 'https://fleet.example.com' } });
    expect(exposed.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
    expect(exposed.headers.get('vary')).toContain('Origin');
    // A device or an integration sends no Origin: nothing CORS, but caches still know the answer depends on it.
    const device = await app.request('/api/v1/health');
    expect(device.status).toBe(200);
    for (const name of ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-expose-headers']) expect(device.headers.get(name)).toBeNull();
    expect(device.headers.get('vary')).toContain('Origin');
    expect(device.headers.get('x-request-id')).toEqual(expect.any(String));
  });
});
