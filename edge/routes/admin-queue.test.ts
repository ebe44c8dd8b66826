/** Admins see the queue's depth and dead letters and replay them; nobody else can. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createApp } from '../app.ts';
import { createFleet, createUser } from '../domain/provisioning.ts';

describe('admin queue routes', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let admin: string;
  let owner: string;
  const call = (method: string, path: string, token: string) => app.request(path, { method, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    await createUser(deps, { fleetId: null, email: 'admin@ops.test', password: 'ops-password-12', role: 'admin' });
    await createUser(deps, { fleetId: (await createFleet(deps, { name: 'Ops' })).id, email: 'owner@ops.test', password: 'ops-password-12', role: 'owner' });
    admin = await loginForTest(app, platform.clock, 'admin@ops.test', 'ops-password-12');
    owner = await loginForTest(app, platform.clock, 'owner@ops.test', 'ops-password-12');
  });
  afterAll(() => platform.close());

  it('lists dead letters and replays them for admins only', async () => {
    let healthy = false;
    platform.queue.setHandlers({ fragile: async () => { if (!healthy) throw new Error('downstream is down'); } });
    await platform.queue.enqueue('fragile', { n: 1 }, { maxAttempts: 1 });
    await platform.queue.runDue();

    expect((await call('GET', '/api/v1/admin/dead-letters', owner)).status).toBe(403);
    const queue = await (await call('GET', '/api/v1/admin/queue', admin)).json();
    expect(queue).toMatchObject({ adapter: 'db-queue', dead: 1 });
    const { data } = await (await call('GET', '/api/v1/admin/dead-letters', admin)).json();
    expect(data).toEqual([expect.objectContaining({ name: 'fragile', lastError: 'downstream is down' })]);

    expect((await call('POST', `/api/v1/admin/dead-letters/${data[0].id}/replay`, owner)).status).toBe(403);
    healthy = true;
    expect((await call('POST', `/api/v1/admin/dead-letters/${data[0].id}/replay`, admin)).status).toBe(202);
    expect((await call('POST', `/api/v1/admin/dead-letters/${data[0].id}/replay`, admin)).status).toBe(404);
    await platform.queue.runDue();
    expect((await (await call('GET', '/api/v1/admin/queue', admin)).json()).dead).toBe(0);
  });
});
