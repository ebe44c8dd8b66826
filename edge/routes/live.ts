/**
 * GET /api/v1/live: the live feed as server-sent events. Owners and viewers get their fleet's events, platform
 * admins every fleet's. A reconnecting client sends Last-Event-ID and first receives what it missed (from the
 * bus's bounded window), then live events; comment heartbeats keep proxies from closing an idle stream, and the
 * stream ends after a few minutes so clients reconnect and pick up fresh credentials.
 * `types=a,b` and `vehicle_id=` narrow the feed to some event types and one vehicle.
 *
 * Fan-out cost matters here (thousands of viewers per process): each event is serialised once and its bytes
 * shared by every client, and each client gets at most one write per tick (see live-fan-out.ts).
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { concerns, isStillValid } from '../domain/auth/revoked-credentials.ts';
import { isLiveEventType, LIVE_EVENT_TYPES } from '../domain/live-events.ts';
import { authorize } from '../domain/tenancy.ts';
import { AppError } from '../errors.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { liveDeliveries, liveViewer } from '../observability/app-metrics.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { ALL_FLEETS, isEventId } from '../ports/bus.ts';
import { comment, openSseChannel, parseId, serializeEvent, type SerializedEvent } from './live-fan-out.ts';
import { joinStream } from './live-hub.ts';

export interface LiveOptions {
  heartbeatMs?: number;
  maxDurationMs?: number;
}

const EVENT_TYPE = /^[a-z][a-z0-9_]{0,63}$/;

const liveQuery = z.object({
  types: z
    .string()
    .optional()
    .describe(`Comma-separated event types to receive (${LIVE_EVENT_TYPES.join(', ')}); all when absent`),
  vehicle_id: z.string().min(1).max(64).optional().describe('Only events about this vehicle'),
  last_event_id: z.string().optional().describe('Resume after this event id (same as the Last-Event-ID header)'),
  head_event: z.enum(['1', 'true']).optional().describe('Announce the stream head as a `stream_head` event (with its id) instead of an id-only message, for clients that must read it'),
});

const CONNECTED = comment('connected');
const HEARTBEAT = comment('heartbeat');
const idOnly = (id: string) => new TextEncoder().encode(`id: ${id}\n\n`);
const headEvent = (id: string) => new TextEncoder().encode(`id: ${id}\nevent: stream_head\ndata: {}\n\n`);
const SESSION_ENDED = new TextEncoder().encode('event: session_ended\ndata: {"reason":"credentials_revoked"}\n\n');

function parseFilters(query: Record<string, string>) {
  const parsed = liveQuery.safeParse(query);
  if (!parsed.success) {
    throw new AppError('validation_failed', 'invalid live feed filters', { details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  }
  let types: Set<string> | null = null;
  if (parsed.data.types !== undefined) {
    const names = parsed.data.types.split(',').map((t) => t.trim()).filter(Boolean);
    const bad = names.filter((t) => !EVENT_TYPE.test(t));
    if (names.length === 0 || bad.length > 0) {
      throw new AppError('validation_failed', 'types must be a comma-separated list of event types such as location_update,new_alert', { details: [{ path: 'types', message: `invalid: ${JSON.stringify(parsed.data.types)}` }] });
    }
    const unknown = names.filter((t) => !isLiveEventType(t));
    if (unknown.length > 0) {
      throw new AppError('validation_failed', `unknown event types: ${unknown.join(', ')}`, { details: [{ path: 'types', message: `known types: ${LIVE_EVENT_TYPES.join(', ')}` }] });
    }
    types = new Set(names);
  }
  return { types, vehicleId: parsed.data.vehicle_id ?? null, headEvent: parsed.data.head_event !== undefined };
}

export function registerLive(app: Hono<AppEnv>, platform: Platform, options: LiveOptions = {}) {
  const heartbeatMs = options.heartbeatMs ?? 20_000;
  const maxDurationMs = options.maxDurationMs ?? 5 * 60_000;
  const accountDeps = { db: platform.db.kysely, cache: platform.cache };

  app.get('/api/v1/live', requireUser(platform), async (c) => {
    const principal = c.var.principal;
    authorize(principal, 'read', 'alerts');
    const { types, vehicleId, headEvent: announceHead } = parseFilters(c.req.query());
    const stream = principal.role === 'admin' && !principal.apiKey ? ALL_FLEETS : principal.fleetId!;
    const requested = c.req.header('last-event-id') ?? c.req.query('last_event_id');
    const lastEventId = requested && isEventId(requested) ? requested : null;

    const channel = openSseChannel();
    // The last id sent, as numbers: replay and live delivery can overlap around the subscription moment.
    let [lastMs, lastSeq] = [-1, -1];
    let sentAny = false;
    const startAfter = (id: string) => {
      [lastMs, lastSeq] = parseId(id);
      sentAny = true;
    };
    /** true when the event went to the client (it is new to this stream and passes the filters). */
    const send = (event: SerializedEvent): boolean => {
      if (sentAny && (event.ms < lastMs || (event.ms === lastMs && event.seq <= lastSeq))) return false;
      sentAny = true;
      lastMs = event.ms;
      lastSeq = event.seq;
      if (types && !types.has(event.type)) return false;
      if (vehicleId !== null && event.vehicleId !== vehicleId) return false;
      channel.push(event.bytes);
      return true;
    };

    const run = async () => {
      // A new reader starts at the stream's head, and is told that id at once (an id-only message sets the
      // browser's Last-Event-ID without firing an event): a stream that drops before its first event still resumes
      // from here, instead of losing what was published while it reconnected.
      const from = lastEventId ?? (await platform.bus.lastId(stream));
      if (from) startAfter(from);
      // Subscribe before replaying, so nothing published in between is lost.
      const pending: SerializedEvent[] = [];
      let replaying = true;
      const unsubscribe = await joinStream(platform.bus, stream, { offer: (event) => (replaying ? (pending.push(event), false) : send(event)) }, { onDelivered: (count) => liveDeliveries(platform, count) });
      // A logout, a revoked key or a removed user ends the stream at once, on whichever instance it was announced;
      // the stream ends with a last event that tells the client not to reconnect with the same credentials.
      let ended = false;
      const endSession = () => {
        if (ended) return;
        ended = true;
        channel.push(SESSION_ENDED);
        channel.close();
      };
      const stopHearing = await platform.bus.onRevocation((revocation) => {
        if (concerns(revocation, principal)) endSession();
      }).catch(() => () => {});
      // Announcements are fire-and-forget: re-check now (one revoked while this stream was opening) and at each heartbeat.
      const recheck = () =>
        isStillValid(accountDeps, principal).then(
          (valid) => {
            if (!valid) endSession();
          },
          () => {},
        );
      void recheck();
      const viewer = liveViewer(platform);
      // Node: the body is cancelled (channel.done); workerd: only the request signal says the client left.
      const signal = c.req.raw.signal;
      const onAbort = () => channel.close();
      signal?.addEventListener('abort', onAbort);
      let heartbeat: ReturnType<typeof setInterval> | undefined;
      let timeout: ReturnType<typeof setTimeout> | undefined;
      try {
        // EventSource hides an id-only message from scripts: a client that resumes by itself (after an HTTP error,
        // with ?last_event_id=) asks for the head as an event it can read.
        if (from && !lastEventId) channel.push(announceHead ? headEvent(from) : idOnly(from));
        let replayed = 0;
        for (const event of await platform.bus.replay(stream, from)) if (send(serializeEvent(event))) replayed++;
        replaying = false;
        for (const event of pending.splice(0)) if (send(event)) replayed++;
        liveDeliveries(platform, replayed);
        channel.push(CONNECTED);
        heartbeat = setInterval(() => {
          channel.push(HEARTBEAT);
          void recheck();
        }, heartbeatMs);
        timeout = setTimeout(() => channel.close(), maxDurationMs);
        await channel.done;
      } finally {
        clearInterval(heartbeat);
        clearTimeout(timeout);
        signal?.removeEventListener('abort', onAbort);
        unsubscribe();
        stopHearing();
        viewer.leave();
      }
    };
    run()
      .catch((error: unknown) => platform.log.warn('live stream failed', { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => channel.close());

    c.header('Content-Type', 'text/event-stream');
    c.header('Cache-Control', 'no-cache');
    c.header('Connection', 'keep-alive');
    c.header('Transfer-Encoding', 'chunked');
    // Reverse proxies (nginx) must not buffer the stream.
    c.header('X-Accel-Buffering', 'no');
    return c.body(channel.body);
  });
}

export const liveDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/live',
    summary:
      'Live events (SSE): location_update, new_frame, new_alert, incident_updated, vehicle_status, device_status, driver_changed; filter with types= and vehicle_id=; resume with Last-Event-ID',
    tag: 'Live',
    auth: 'bearer',
    query: liveQuery,
    responses: { 200: 'text/event-stream', 400: 'Invalid filters', 401: 'Not authenticated' },
  },
];
