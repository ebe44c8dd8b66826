/** /api/v1/admin/…: platform operations for admins — the job queue's depth and its dead letters, with replay. */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { protectResource } from '../middleware/authenticate.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { readQuery } from './route-helpers.ts';

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export function registerAdminQueue(app: Hono<AppEnv>, platform: Platform) {
  protectResource(app, platform, '/api/v1/admin');
  app.use('/api/v1/admin/*', async (c, next) => {
    const principal = c.var.principal;
    if (principal.role !== 'admin' || principal.apiKey) throw new AppError('forbidden', 'platform admins only');
    await next();
  });

  app.get('/api/v1/admin/queue', async (c) => c.json({ adapter: platform.queue.adapter, ...(await platform.queue.stats()) }));

  app.get('/api/v1/admin/dead-letters', async (c) => {
    const { limit } = readQuery(c, listQuery);
    return c.json({ data: await platform.queue.deadLetters(limit) });
  });

  app.post('/api/v1/admin/dead-letters/:id/replay', async (c) => {
    const id = c.req.param('id');
    if (!(await platform.queue.replay(id))) throw new AppError('not_found', `no dead letter ${id}`);
    return c.json({ id, replayed: true }, 202);
  });
}

export const adminQueueDocs: RouteDoc[] = [
  { method: 'get', path: '/api/v1/admin/queue', summary: 'Queue depth (platform admins)', tag: 'Operations', auth: 'bearer', responses: { 200: 'Counts by state', 403: 'Not a platform admin' } },
  { method: 'get', path: '/api/v1/admin/dead-letters', summary: 'Jobs that failed every try (platform admins)', tag: 'Operations', auth: 'bearer', query: listQuery, responses: { 200: 'Dead letters, newest first', 403: 'Not a platform admin' } },
  { method: 'post', path: '/api/v1/admin/dead-letters/:id/replay', summary: 'Run a dead letter again', tag: 'Operations', auth: 'bearer', responses: { 202: 'Queued again', 404: 'No such dead letter' } },
];
