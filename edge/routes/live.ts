/**
 * GET /api/v1/live: the live feed as server-sent events. Owners and viewers get their fleet's events, platform
 * admins every fleet's. A reconnecting client sends Last-Event-ID and first receives what it missed (from the
 * bus's bounded window), then live events; comment heartbeats keep proxies from closing an idle stream, and the
 * stream ends after a few minutes so clients reconnect and pick up fresh credentials.
 */
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../app-env.ts';
import { authorize } from '../domain/tenancy.ts';
import { requireUser } from '../middleware/authenticate.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { ALL_FLEETS, compareEventIds, isEventId, type LiveEvent } from '../ports/bus.ts';

export interface LiveOptions {
  heartbeatMs?: number;
  maxDurationMs?: number;
}

export function registerLive(app: Hono<AppEnv>, platform: Platform, options: LiveOptions = {}) {
  const heartbeatMs = options.heartbeatMs ?? 20_000;
  const maxDurationMs = options.maxDurationMs ?? 5 * 60_000;

  app.get('/api/v1/live', requireUser(platform), async (c) => {
    const principal = c.var.principal;
    authorize(principal, 'read', 'alerts');
    const stream = principal.role === 'admin' && !principal.apiKey ? ALL_FLEETS : principal.fleetId!;
    const requested = c.req.header('last-event-id') ?? c.req.query('last_event_id');
    const lastEventId = requested && isEventId(requested) ? requested : null;

    return streamSSE(c, async (sse) => {
      let lastSent = lastEventId;
      let queue: Promise<void> = Promise.resolve();
      const send = (event: LiveEvent) => {
        // Replay and live delivery can overlap around the subscription moment: ids say what was already sent.
        if (lastSent !== null && compareEventIds(event.id, lastSent) <= 0) return;
        lastSent = event.id;
        queue = queue.then(() => sse.writeSSE({ id: event.id, event: event.type, data: JSON.stringify({ ...(event.data as object), fleet_id: event.fleetId, at: event.at }) }));
      };
      // Subscribe before replaying, so nothing published in between is lost.
      const pending: LiveEvent[] = [];
      let replaying = true;
      const unsubscribe = await platform.bus.subscribe(stream, (event) => (replaying ? pending.push(event) : send(event)));
      let finish: () => void = () => {};
      const finished = new Promise<void>((resolve) => (finish = resolve));
      sse.onAbort(finish);
      c.req.raw.signal?.addEventListener('abort', finish);
      try {
        if (lastEventId) for (const event of await platform.bus.replay(stream, lastEventId)) send(event);
        replaying = false;
        for (const event of pending.splice(0)) send(event);
        await sse.write(': connected\n\n');
        const heartbeat = setInterval(() => {
          queue = queue.then(async () => {
            await sse.write(': heartbeat\n\n');
          });
        }, heartbeatMs);
        const timeout = setTimeout(finish, maxDurationMs);
        await finished;
        clearInterval(heartbeat);
        clearTimeout(timeout);
        await queue.catch(() => {});
      } finally {
        unsubscribe();
      }
    });
  });
}

export const liveDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/live',
    summary: 'Live events (SSE): location_update, new_frame, new_alert, incident_updated, vehicle_status, device_status; resume with Last-Event-ID',
    tag: 'Live',
    auth: 'bearer',
    responses: { 200: 'text/event-stream', 401: 'Not authenticated' },
  },
];
